/** The messages between the SQLite writer thread and its driver on the main thread. */
import type { NewMessage, NewReply, ReactionOutcome, ReplyRefusal } from '../../domain/ports/repositories.js';
import type { ReactionChangeRequest } from '../repositories/reaction.repository.js';
import type { MessageRow } from '../rows.js';

/** What the thread is started with (`workerData`). */
export interface WriterData {
  /** The database file (absolute). */
  path: string;
  /** How long a batch may wait for another process's write lock before it fails with SQLITE_BUSY. */
  busyTimeoutMs: number;
}

/** An Error as it crosses the thread boundary: its message and the driver's code (SQLITE_BUSY...). */
export interface SerializedError {
  message: string;
  code?: string;
}

/** A reaction added or removed (it has `op`), written by sqlite-reaction-writer.ts. */
export type ReactionChange = ReactionChangeRequest;

/** One item of a batch: a send, a reply (it has `reply_to_id`, maybe null), or a reaction change. */
export type WriterItem = NewMessage | NewReply | ReactionChange;

/** One batch, written in one transaction, each item in a savepoint of its own. */
export type WriterRequest = WriterItem[];

/**
 * The outcome of one item of a batch, in the batch's order. `root`: a thread reply's root after
 * it (its new summary). `refused`: a reply whose root or quoted message does not qualify.
 * `reaction`: what a reaction change did.
 */
export type WriteOutcome =
  | { kind: 'created' | 'existing'; row: MessageRow; root?: MessageRow }
  | { kind: 'refused'; reason: ReplyRefusal }
  | { reaction: ReactionOutcome }
  | { error: SerializedError };

/** `results` when the batch's transaction committed; `failure` when nothing of it was written. */
export type WriterReply = { results: WriteOutcome[] } | { failure: SerializedError };

export function serializeError(error: unknown): SerializedError {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return typeof code === 'string' ? { message: String(message), code } : { message: String(message) };
}
