/** Retention's storage (docs/API.md, "Retention"): the periods, and deleting what they let go. */

/** A conversation with a period of its own, or any when the server has one. */
export interface RetentionCandidate {
  id: string;
  retention_days: number | null;
}

export interface ExpiredBatch {
  /** Messages deleted by this batch. */
  deleted: number;
  /** The conversation's expiry position after it (0: nothing ever expired). */
  through_seq: number;
  /** Whether any of them had attachments, whose uploads the clean-up job may now delete. */
  released_attachments: boolean;
}

export interface ExpiryAnnouncement {
  event_seq: number;
  through_seq: number;
  member_ids: string[];
}

export interface RetentionRepository {
  /** The server-wide period in days; null: keep forever. */
  serverRetentionDays(): Promise<number | null>;
  /** Sets it; returns what it was before. */
  setServerRetentionDays(days: number | null, at: string): Promise<number | null>;
  /**
   * Sets a conversation's own period, announced as `conversation.updated` when it changed
   * (event_seq null when it did not); null when there is no such conversation.
   */
  setConversationRetention(conversationId: string, days: number | null, actorId: string, at: string): Promise<{ before: number | null; event_seq: number | null } | null>;
  /** Conversations retention may concern, in id order after `afterId`: all when `everyConversation`, else those with a period of their own. */
  candidates(everyConversation: boolean, afterId: string | null, limit: number): Promise<RetentionCandidate[]>;
  /**
   * Deletes, in one short transaction, up to `limit` of the conversation's oldest messages, in seq
   * order, while they were created before `cutoff` (the first younger one stops it), with their
   * reactions, pins, attachments, mention marks, thread positions and search entries.
   */
  expireBatch(conversationId: string, cutoff: string, limit: number): Promise<ExpiredBatch>;
  /**
   * Logs `messages.expired` at the conversation's current expiry position and drops its events
   * from before `cutoff` (they describe deleted messages; an older position then gets a snapshot).
   */
  announceExpiry(conversationId: string, cutoff: string, at: string): Promise<ExpiryAnnouncement | null>;
}

/** One holder at a time per background job, across every process on the database. */
export interface JobLeaseRepository {
  /** Takes (or renews) the lease until `until` when it is free, expired or already `holder`'s. */
  tryAcquire(name: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Gives it up, so another process need not wait for it to expire. */
  release(name: string, holder: string, now: string): Promise<void>;
}
