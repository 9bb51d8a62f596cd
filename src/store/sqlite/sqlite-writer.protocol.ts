/** The messages between the SQLite writer thread and its driver on the main thread. */
import type { NewMessage, NewReply, ReplyRefusal } from '../../domain/ports/repositories.js';
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

/** One batch of sends, written in one transaction; a reply (it has `reply_to_id`, maybe null) is written by sqlite-reply-writer.ts. */
export type WriterRequest = (NewMessage | NewReply)[];

/**
 * The outcome of one send of a batch, in the batch's order. `root`: a thread reply's root after
 * it (its new summary). `refused`: a reply whose root or quoted message does not qualify.
 */
export type WriteOutcome =
  | { kind: 'created' | 'existing'; row: MessageRow; root?: MessageRow }
  | { kind: 'refused'; reason: ReplyRefusal }
  | { error: SerializedError };

/** `results` when the batch's transaction committed; `failure` when nothing of it was written. */
export type WriterReply = { results: WriteOutcome[] } | { failure: SerializedError };

export function serializeError(error: unknown): SerializedError {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return typeof code === 'string' ? { message: String(message), code } : { message: String(message) };
}
