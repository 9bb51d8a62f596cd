/**
 * The change feed's reads: a conversation's events after a position, and `sync`, which brings
 * a device up to date in one request (docs/API.md, "Change feed").
 */
import type { EventsPage, SyncEntry, SyncResponse } from '@pneumatic/protocol';
import { requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import type { Store } from './ports/repositories.js';

export interface ChangeFeedServiceDeps {
  store: Store;
}

export interface SyncRequest {
  /** Conversation id (lower-case) → the highest event_seq the client has applied. */
  positions: ReadonlyMap<string, number>;
  /** Events per conversation. */
  limit: number;
  /** Messages per snapshot. */
  messagesLimit: number;
}

export class ChangeFeedService {
  constructor(private readonly deps: ChangeFeedServiceDeps) {}

  async events(callerId: string, conversationId: string, after: number, limit: number): Promise<EventsPage> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const feed = this.deps.store.changeFeed;
    const position = await feed.position(conversationId);
    if (!position) throw notFound('Conversation');
    if (after < position.pruned_event_seq) {
      throw new AppError(
        'position_expired',
        `Events up to ${position.pruned_event_seq} are no longer kept; POST /sync answers a snapshot of this conversation.`,
      );
    }
    const page = await feed.eventsAfter(conversationId, after, limit);
    // Nothing was there to remove when the client is at the head (the usual poll): no second read.
    if (after < position.last_event_seq && (await this.compactedMeanwhile(conversationId, after, page.events))) {
      throw new AppError('position_expired', 'The events after this position were removed as this request read them; POST /sync answers a snapshot of this conversation.');
    }
    const lastListed = page.events.at(-1)?.event_seq ?? 0;
    return { ...page, last_event_seq: Math.max(position.last_event_seq, lastListed) };
  }

  async sync(callerId: string, request: SyncRequest): Promise<SyncResponse> {
    const feed = this.deps.store.changeFeed;
    // user_seq first: a user-scoped change committed while this answer is assembled moves it
    // past what is returned, and the client, seeing the jump live, syncs again.
    const userSeq = await feed.userSeq(callerId);
    const mine = await feed.positionsForUser(callerId);
    const entries: SyncEntry[] = [];
    const current: string[] = [];
    const behind: Array<[string, number]> = [];
    for (const [conversationId, after] of request.positions) {
      const position = mine.get(conversationId);
      if (!position) {
        entries.push({ conversation_id: conversationId, status: 'gone' });
      } else if (after < position.pruned_event_seq) {
        entries.push(await this.snapshotEntry(callerId, conversationId, 'expired', request.messagesLimit));
      } else {
        if (after < position.last_event_seq) behind.push([conversationId, after]);
        entries.push({ conversation_id: conversationId, status: 'events', events: [], has_more: false, last_event_seq: position.last_event_seq, reads: [] });
        current.push(conversationId);
      }
    }
    // Every conversation that moved, in a few statements rather than one each.
    const pages = await feed.eventsAfterEach(behind, request.limit);
    for (const [conversationId, after] of behind) {
      if (!(await this.compactedMeanwhile(conversationId, after, pages.get(conversationId)?.events ?? []))) continue;
      const index = entries.findIndex((entry) => entry.conversation_id === conversationId);
      entries[index] = await this.snapshotEntry(callerId, conversationId, 'expired', request.messagesLimit);
      current.splice(current.indexOf(conversationId), 1);
    }
    for (const entry of entries) {
      const page = entry.status === 'events' ? pages.get(entry.conversation_id) : undefined;
      if (entry.status !== 'events' || !page) continue;
      entry.events = page.events;
      entry.has_more = page.has_more;
      entry.last_event_seq = Math.max(entry.last_event_seq, page.events.at(-1)?.event_seq ?? 0);
    }
    for (const conversationId of mine.keys()) {
      if (!request.positions.has(conversationId)) entries.push(await this.snapshotEntry(callerId, conversationId, 'joined', request.messagesLimit));
    }
    const reads = await feed.readPositions(current);
    for (const entry of entries) {
      if (entry.status === 'events') entry.reads = reads.get(entry.conversation_id) ?? [];
    }
    // Read after user_seq, so they are at least as new as it (a later change comes live with a later one).
    const notificationSettings = await this.deps.store.notificationSettings.settingsOf(callerId);
    const me = await this.deps.store.users.findById(callerId);
    return { user_seq: userSeq, conversations: entries, notification_settings: notificationSettings, ...(me ? { me } : {}) };
  }

  /**
   * Whether compaction removed events after `after` between reading the position and reading
   * the events (a page that does not start at after + 1): the client would otherwise skip them.
   * Then the position is expired now, and the caller answers as for one expired before.
   */
  private async compactedMeanwhile(conversationId: string, after: number, events: readonly { event_seq: number }[]): Promise<boolean> {
    if (events[0]?.event_seq === after + 1) return false;
    const now = await this.deps.store.changeFeed.position(conversationId);
    return now !== null && after < now.pruned_event_seq;
  }

  /**
   * The caller's snapshot, with the caller's own reactions on its messages as the snapshot's
   * `my_reactions`: a Message looks the same in every answer and frame (../shared/API.md, where
   * clients compare them), so the per-caller view is a field beside the messages.
   * Its `unread_mentions` is the caller's, up to the snapshot's last_seq.
   */
  private async snapshotEntry(callerId: string, conversationId: string, reason: 'joined' | 'expired', messagesLimit: number): Promise<SyncEntry> {
    const snapshot = await this.deps.store.changeFeed.snapshot(conversationId, messagesLimit, callerId);
    // Deleted between the two reads: as good as gone.
    if (!snapshot) return { conversation_id: conversationId, status: 'gone' };
    const { id, last_seq, members } = snapshot.conversation;
    const lastRead = members.find((m) => m.user_id === callerId)?.last_read_seq ?? 0;
    snapshot.unread_mentions = await this.deps.store.changeFeed.unreadMentions(callerId, { id, last_seq, last_read_seq: lastRead });
    return { conversation_id: conversationId, status: 'snapshot', reason, snapshot };
  }
}
