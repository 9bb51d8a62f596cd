/**
 * What a push says (docs/API.md, "Web Push"), and the headers that go with it: the payload the
 * service worker reads, the Topic that lets a push service replace an undelivered push of the
 * same conversation (RFC 8030, section 5.4) and the Urgency (section 5.3).
 */
import { PUSH_PREVIEW_MAX_CHARS, type PushPayload } from '@pneumatic/protocol';
import type { DueDelivery } from '../ports/push-repository.js';

/** A conversation title in a push is cut to this many characters (titles may be configured far longer). */
const TITLE_MAX_CHARS = 100;

/** The first `max` characters (code points, never half a surrogate pair), with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** The preview of a message's content: its first PUSH_PREVIEW_MAX_CHARS characters. */
export function previewOf(content: string): string {
  return cut(content, PUSH_PREVIEW_MAX_CHARS);
}

/**
 * The Topic of a conversation's pushes: its uuid's 32 hex digits, which are base64url characters
 * and exactly the 32 a Topic may have.
 */
export function topicOf(conversationId: string): string {
  return conversationId.replaceAll('-', '').toLowerCase();
}

/** The payload of a delivery whose message is still there. */
export function payloadOf(delivery: DueDelivery & { message: NonNullable<DueDelivery['message']> }): PushPayload {
  const m = delivery.message;
  return {
    id: delivery.id,
    type: 'message',
    conversation_id: delivery.conversation_id,
    conversation_title: m.conversation_title.trim() === '' ? null : cut(m.conversation_title, TITLE_MAX_CHARS),
    message_id: delivery.message_id,
    seq: m.seq,
    thread_root_id: m.thread_root_id,
    sender: { id: m.sender_id, username: m.sender_username },
    ...(delivery.preview ? { preview: previewOf(m.content) } : {}),
    mention: delivery.mention,
    sent_at: m.created_at,
  };
}
