/**
 * What the service worker shows for a push, as pure functions (no worker or DOM types), so Node
 * tests cover them: reading the payload, dropping a repeat of a push already shown (the server
 * retries with the same `id`), and merging a burst into one notification per conversation.
 */

// The server's push payload (JSON, decrypted by the browser): the protocol's type, erased from the worker's build.
import type { PushPayload } from '@pneumatic/protocol';

export type { PushPayload };

/** Kept in the notification's `data`: what a click opens, and how many messages it stands for. */
export interface NoticeData {
  conversation_id: string;
  message_id: string;
  count: number;
}

export interface Notice {
  title: string;
  options: {
    body: string;
    tag: string;
    /** Replacing a conversation's notification stays silent: a burst of 50 buzzes once. */
    renotify: false;
    data: NoticeData;
    icon: string;
    badge: string;
    timestamp?: number;
  };
}

/** How many push ids the worker remembers to recognise a retry. */
export const RECENT_PUSH_IDS = 200;

export const APP_NAME = 'Pneumatic';
export const ICON = '/icons/icon-192.png';

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The payload if it is a message push we understand, else null (the worker then shows a generic notice). */
export function parsePushPayload(value: unknown): PushPayload | null {
  if (!isObject(value) || value.type !== 'message') return null;
  const { id, conversation_id, conversation_title, message_id, seq, thread_root_id, sender, preview, mention, sent_at } = value;
  if (!isString(id) || !isString(conversation_id) || !isString(message_id) || !isObject(sender) || !isString(sender.username) || !isString(sender.id)) return null;
  return {
    id,
    type: 'message',
    conversation_id,
    conversation_title: isString(conversation_title) && conversation_title !== '' ? conversation_title : null,
    message_id,
    thread_root_id: isString(thread_root_id) ? thread_root_id : null,
    seq: typeof seq === 'number' ? seq : 0,
    sender: { id: sender.id, username: sender.username },
    ...(isString(preview) ? { preview } : {}),
    mention: mention === true,
    sent_at: isString(sent_at) ? sent_at : '',
  };
}

/** The data of a notification the worker showed earlier, or null if it is not one of ours. */
export function noticeDataOf(value: unknown): NoticeData | null {
  if (!isObject(value) || !isString(value.conversation_id) || !isString(value.message_id)) return null;
  const count = typeof value.count === 'number' && Number.isFinite(value.count) && value.count >= 1 ? Math.floor(value.count) : 1;
  return { conversation_id: value.conversation_id, message_id: value.message_id, count };
}

/**
 * Adds `id` to the recent ids (newest last, at most `max`). `repeat` is true when it was already
 * there: a server retry of a push that was shown, to be dropped.
 */
export function rememberPushId(recent: readonly string[], id: string, max = RECENT_PUSH_IDS): { repeat: boolean; recent: string[] } {
  if (recent.includes(id)) return { repeat: true, recent: [...recent] };
  const next = [...recent, id];
  return { repeat: false, recent: next.length > max ? next.slice(next.length - max) : next };
}

/** One message's line: its preview (by whom, in a group), or a neutral line when previews are off. */
function messageLine(payload: PushPayload): string {
  const inGroup = payload.conversation_title !== null;
  if (payload.preview !== undefined && payload.preview.trim() !== '') {
    return inGroup ? `${payload.sender.username}: ${payload.preview}` : payload.preview;
  }
  if (payload.mention) return `${payload.sender.username} mentioned you`;
  return inGroup ? `New message from ${payload.sender.username}` : 'New message';
}

/**
 * The notification for `payload`, tagged with its conversation so it replaces that conversation's
 * previous one; `previous` is the data of the one it replaces: then it reads "N new messages"
 * with the latest line under it.
 */
export function composeNotice(payload: PushPayload, previous: NoticeData | null): Notice {
  const count = previous && previous.conversation_id === payload.conversation_id ? previous.count + 1 : 1;
  const line = messageLine(payload);
  const sentAt = Date.parse(payload.sent_at);
  return {
    title: payload.conversation_title ?? payload.sender.username,
    options: {
      body: count > 1 ? `${count} new messages\n${line}` : line,
      tag: payload.conversation_id,
      renotify: false,
      data: { conversation_id: payload.conversation_id, message_id: payload.message_id, count },
      icon: ICON,
      badge: ICON,
      ...(Number.isFinite(sentAt) ? { timestamp: sentAt } : {}),
    },
  };
}

/** For a push we cannot read: the browser requires a visible notification for every push. */
export function genericNotice(): { title: string; options: { body: string; tag: string; icon: string; badge: string } } {
  return { title: APP_NAME, options: { body: 'You have new activity.', tag: 'pneumatic', icon: ICON, badge: ICON } };
}

/** The app's address of a conversation (its hash route, see lib/use-route.ts), under the worker's scope. */
export function conversationUrl(scope: string, conversationId: string): string {
  return new URL(`#/c/${encodeURIComponent(conversationId)}`, scope).href;
}

/** What the worker posts to an open window to open a conversation there (the app listens for it). */
export interface OpenConversationMessage {
  type: 'pneumatic:open-conversation';
  conversation_id: string;
}

export const OPEN_CONVERSATION = 'pneumatic:open-conversation';

export function isOpenConversationMessage(value: unknown): value is OpenConversationMessage {
  return isObject(value) && value.type === OPEN_CONVERSATION && isString(value.conversation_id);
}
