/** Message removals, the jobs and their leases (docs/API.md, "Administration", Removing a user's messages). */
import type { MessageRemoval } from '@pneumatic/protocol';
import type { MessageRef } from './repositories.js';

export interface NewMessageRemoval {
  id: string;
  user_id: string;
  requested_by: string;
  from: string | null;
  to: string | null;
  /** The window's exclusive end as the job uses it: `to`, or the request's time when open. */
  bound_at: string;
  created_at: string;
}

/** Where a job got to: the last message it dealt with, in (created_at, message_id) order. */
export interface RemovalCursor {
  created_at: string;
  message_id: string;
}

/** A running job as its lease holder works on it. */
export interface ClaimedRemoval {
  removal: MessageRemoval;
  bound_at: string;
  cursor: RemovalCursor | null;
}

/** A message of the window, with what its delete needs to know. */
export interface RemovableMessage extends MessageRef {
  created_at: string;
  /** The clean-up job is told when a deleted message had files. */
  has_attachments: boolean;
}

export interface MessageRemovalFilter {
  user_id?: string | undefined;
  /** The (created_at, id) the previous page ended with: older jobs come next. */
  before?: { created_at: string; id: string } | undefined;
  limit: number;
}

/**
 * Every write of a claimed job names its holder and changes nothing once another process took
 * the job over (false or null): the taken-over process stops, the new holder goes on.
 */
export interface MessageRemovalRepository {
  /** Stores a running job, its total the user's live messages in the window now. */
  create(job: NewMessageRemoval): Promise<MessageRemoval>;
  findById(id: string): Promise<MessageRemoval | null>;
  /** Newest first. */
  list(filter: MessageRemovalFilter): Promise<MessageRemoval[]>;
  /** Takes a running job whose lease is free or expired at `now` for `holder` until `leaseUntil`; null when there is none. */
  claim(holder: string, now: string, leaseUntil: string): Promise<ClaimedRemoval | null>;
  /** Extends the holder's lease. */
  renew(id: string, holder: string, leaseUntil: string): Promise<boolean>;
  /** The window's next live messages after `job.cursor`, oldest first. */
  nextBatch(job: ClaimedRemoval, limit: number): Promise<RemovableMessage[]>;
  /** Adds a batch's deletes, moves the cursor and extends the lease. */
  advance(id: string, holder: string, progress: { removed: number; cursor: RemovalCursor; at: string; leaseUntil: string }): Promise<boolean>;
  /** Adds the last batch's deletes and marks the job done, its lease released. */
  finish(id: string, holder: string, progress: { removed: number; at: string }): Promise<MessageRemoval | null>;
  /**
   * An attempt ended in an error: counted; below `maxFailures` the lease is released with
   * nobody to take the job before `retryAt`, at it the job is failed with `error`.
   */
  failAttempt(id: string, holder: string, failure: { at: string; retryAt: string; error: string; maxFailures: number }): Promise<MessageRemoval | null>;
  /** Gives the lease up (this process stops): another process takes the job at its next poll. */
  release(id: string, holder: string): Promise<void>;
}
