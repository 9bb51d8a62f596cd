/** The messages between the SQLite search thread (search.worker.ts) and its driver (search/sqlite-search.ts). */
import type { MessageRow } from '../rows.js';
import type { SerializedError } from './sqlite-writer.protocol.js';
import type { SearchSpec } from './search-sql.js';

export interface SearchWorkerData {
  /** The database file (absolute). */
  path: string;
  busyTimeoutMs: number;
  /** Existing messages indexed per backfill transaction (search-backfill.ts). */
  backfillBatch: number;
  /** How often the search queue is drained (search-queue.ts), and at most how many messages a transaction. */
  drainIntervalMs: number;
  drainBatch: number;
  /** Index hits from which the caller's messages drive the query (search-sql.ts SearchDrive). */
  membersDriveMinHits: number;
}

export interface SearchWorkerRequest {
  id: number;
  spec: SearchSpec;
}

/** A hit: the message's columns, and its bm25 (0 without a word match) for relevance. */
export type SearchRow = MessageRow & { rank?: number };

export type SearchWorkerReply = { id: number; rows: SearchRow[] } | { id: number; error: SerializedError };

/** Sent once, when the thread has opened its connection and takes requests. */
export interface SearchWorkerReady {
  ready: true;
}
