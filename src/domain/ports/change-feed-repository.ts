/** The change feed's reads (docs/API.md, "Change feed"): its own port file, as threads', pins' and reactions' are. */
import type { ConversationEvent, ConversationSnapshot, ReadPosition } from '@pneumatic/protocol';

/** Where a user's conversation stands in the change feed. */
export interface FeedPosition {
  last_event_seq: number;
  /** Events up to here are no longer kept: an older client position gets a snapshot. */
  pruned_event_seq: number;
}

export interface EventsAfter {
  /** The events after the position, ascending, each with the current state of what it changed. */
  events: ConversationEvent[];
  has_more: boolean;
}

/** Reads of the change feed: the log, positions, and snapshots for clients that start over. */
export interface ChangeFeedRepository {
  /** The feed position of every conversation the user belongs to, by conversation id. */
  positionsForUser(userId: string): Promise<Map<string, FeedPosition>>;
  position(conversationId: string): Promise<FeedPosition | null>;
  eventsAfter(conversationId: string, after: number, limit: number): Promise<EventsAfter>;
  /** `eventsAfter` for several conversations at once ([conversation id, after] pairs), by conversation id. */
  eventsAfterEach(positions: ReadonlyArray<readonly [string, number]>, limit: number): Promise<Map<string, EventsAfter>>;
  /** Every member's read position, per conversation. */
  readPositions(conversationIds: readonly string[]): Promise<Map<string, ReadPosition[]>>;
  userSeq(userId: string): Promise<number>;
  /**
   * The conversation, its latest messages and all its pins; its last_event_seq is read before anything else.
   * With `viewerId`, the snapshot's `my_reactions` are that user's reactions on its messages.
   */
  snapshot(conversationId: string, messagesLimit: number, viewerId?: string): Promise<ConversationSnapshot | null>;
  /**
   * The user's unread_mentions in a conversation, counted as `GET /conversations` counts them,
   * between their read position and the last seq the caller read with (a snapshot's).
   */
  unreadMentions(userId: string, conversation: { id: string; last_seq: number; last_read_seq: number }): Promise<number>;
  /**
   * Per conversation, removes every event up to the newest one created before `cutoff` (ISO time)
   * and marks them as no longer kept (`pruned_event_seq`), so the kept log is always exactly the
   * events after `pruned_event_seq`; returns how many were removed.
   */
  compact(cutoff: string): Promise<number>;
}
