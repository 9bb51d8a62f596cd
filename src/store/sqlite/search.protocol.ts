/** The messages between the SQLite search thread (search.worker.ts) and its driver (search/sqlite-search.ts). */
import type { MessageRow } from '../rows.js';
import type { SerializedError } from './sqlite-writer.protocol.js';
import type { SearchDrive, SearchSpec } from './search-sql.js';

export interface SearchWorkerData {
  /** The database file (absolute). */
  path: string;
  busyTimeoutMs: number;
  /** Existing messages indexed per backfill transaction (search-backfill.ts). */
  backfillBatch: number;
  /** How often the search queue is drained (search-queue.ts), and at most how many messages a transaction. */
  drainIntervalMs: number;
  drainBatch: number;
  /** The newest hits relevance ranks (RELEVANCE_RANKED_NEWEST; tests lower it). */
  rankedNewest: number;
  /** The drive every search takes (tests), instead of search-drive.ts's choice. */
  drive: SearchDrive | null;
  /** The read connection's memory map of the file (bytes). */
  mmapBytes: number;
}

export interface SearchWorkerRequest {
  id: number;
  spec: SearchSpec;
}

/** A hit: the message's columns and its order key (search-sql.ts): rowid and rank (bm25, 0 without a word match, 1 past the ranked band). */
export type SearchRow = MessageRow & { search_rowid: number; rank: number };

export type SearchWorkerReply = { id: number; rows: SearchRow[] } | { id: number; error: SerializedError };

/** Sent once, when the thread has opened its connection and takes requests. */
export interface SearchWorkerReady {
  ready: true;
}
