/**
 * Catching up through the change feed (docs/API.md, "Change feed"): one `POST /sync` with every
 * position, then, for a conversation with more events than one answer holds, its remaining
 * events from `GET /conversations/{id}/events`. (Another sync listing only those conversations
 * would answer every other one as a `joined` snapshot.)
 */
import { PneumaticError } from '../errors.js';
import type { RestApi } from '../rest-api.js';
import type { ConversationSnapshot, ConversationSummary, NotificationSettings, ReadPosition, User } from '../types.js';
import type { EventSequencer } from './event-sequencer.js';

/** Events per conversation in a sync answer, and per page of `GET …/events` (the most it allows). */
const SYNC_EVENTS = 100;
export const EVENTS_PAGE = 500;

export interface FeedSyncHooks {
  api: RestApi;
  sequencer: EventSequencer;
  /** Messages per snapshot. */
  snapshotMessages: number;
  snapshot(conversationId: string, reason: 'joined' | 'expired', snapshot: ConversationSnapshot): void;
  gone(conversationId: string): void;
  reads(conversationId: string, reads: ReadPosition[]): void;
  /** Your notification settings, as of the answer's user_seq or later (absent from servers before them). */
  notificationSettings(settings: NotificationSettings, userSeq: number): void;
  /** Your own profile, as of the answer's user_seq or later (absent from servers before profiles). */
  me(user: User, userSeq: number): void;
}

export interface FeedSyncResult {
  userSeq: number;
  /** A conversation's events expired mid-way: sync again to get its snapshot. */
  again: boolean;
}

/** One sync: `positions` is every conversation known, at the highest event_seq applied. */
export async function syncFeed(hooks: FeedSyncHooks, positions: Record<string, number>): Promise<FeedSyncResult> {
  const { api, sequencer } = hooks;
  const answer = await api.sync(positions, { limit: SYNC_EVENTS, messages_limit: hooks.snapshotMessages });
  if (answer.notification_settings) hooks.notificationSettings(answer.notification_settings, answer.user_seq);
  if (answer.me) hooks.me(answer.me, answer.user_seq);
  let again = false;
  for (const entry of answer.conversations) {
    const id = entry.conversation_id;
    if (entry.status === 'gone') hooks.gone(id);
    else if (entry.status === 'snapshot') hooks.snapshot(id, entry.reason, entry.snapshot);
    else {
      // Listed from a persisted position the sequencer does not hold yet.
      if (sequencer.position(id) === undefined) sequencer.track(id, positions[id] ?? 0);
      const contiguous = sequencer.accept(id, entry.events);
      if (entry.has_more || !contiguous) {
        const outcome = await fetchEvents(hooks, id);
        if (outcome === 'expired') again = true;
        if (outcome === 'gone') continue;
      }
      hooks.reads(id, entry.reads);
    }
  }
  return { userSeq: answer.user_seq, again };
}

/**
 * Applies every event after the conversation's position from `GET …/events`. `expired`: they are
 * no longer all kept (a sync answers a snapshot); `gone`: you are no longer a member.
 */
export async function fetchEvents(hooks: Pick<FeedSyncHooks, 'api' | 'sequencer' | 'gone'>, conversationId: string): Promise<'done' | 'expired' | 'gone'> {
  try {
    for (;;) {
      const after = hooks.sequencer.position(conversationId);
      if (after === undefined) return 'gone';
      const page = await hooks.api.listEvents(conversationId, { after, limit: EVENTS_PAGE });
      hooks.sequencer.accept(conversationId, page.events);
      // The log is gapless: a page that does not move the position has nothing more to give.
      if (!page.has_more || hooks.sequencer.position(conversationId) === after) return 'done';
    }
  } catch (error) {
    if (!(error instanceof PneumaticError)) throw error;
    if (error.code === 'position_expired') return 'expired';
    if (error.status === 403 || error.status === 404) {
      hooks.gone(conversationId);
      return 'gone';
    }
    throw error;
  }
}

/**
 * The server's unread counts for conversations whose count a snapshot could not give exactly,
 * and the conversation itself for one resumed from a persisted position (the sync's events do
 * not carry it): `GET /conversations` pages until all of them are seen.
 */
export async function summariesOf(api: RestApi, ids: ReadonlySet<string>): Promise<ConversationSummary[]> {
  const found: ConversationSummary[] = [];
  let before: string | undefined;
  do {
    const page = await api.listConversations({ limit: 200, ...(before ? { before } : {}) });
    found.push(...page.conversations.filter((c) => ids.has(c.id)));
    before = page.next_cursor ?? undefined;
  } while (before && found.length < ids.size);
  return found;
}
