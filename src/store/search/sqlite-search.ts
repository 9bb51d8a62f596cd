/**
 * Search on SQLite (docs/architecture.md, "Search"): FTS5 word and trigram indexes over messages
 * (sqlite/search-schema.ts), queried by one statement per page (sqlite/search-sql.ts) on a
 * thread of its own (sqlite/search.worker.ts): better-sqlite3 is synchronous, and a search over a
 * large history must not stall every other request. Requests queue for that one thread. The
 * rows come back here to become wire Messages, with their reactions read as history reads them.
 */
import type { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Message } from '@pneumatic/protocol';
import { RELEVANCE_RANKED_NEWEST, type SearchPage, type SearchProvider, type SearchRequest } from '../../domain/ports/search-provider.js';
import { decodeSearchCursor, encodeSearchCursor, invalidCursor } from '../../domain/search/search-cursor.js';
import { reactionsOf } from '../repositories/reaction-reads.js';
import { toMessage, type MessageReactionState } from '../rows.js';
import type { Database } from '../schema.js';
import { startModuleWorker } from '../sqlite/module-worker.js';
import { type SearchDrive, type SearchOrderKey, type SearchSpec } from '../sqlite/search-sql.js';
import type { SearchRow, SearchWorkerData, SearchWorkerReady, SearchWorkerReply, SearchWorkerRequest } from '../sqlite/search.protocol.js';

export interface SqliteSearchOptions {
  busyTimeoutMs: number;
  /** Existing messages indexed per backfill transaction, when migration 0010 left some (sqlite/search-backfill.ts). */
  backfillBatch?: number;
  /** The newest hits relevance ranks (RELEVANCE_RANKED_NEWEST); tests lower it to see the older band. */
  rankedNewest?: number;
  /** The drive every search takes, instead of the estimate's choice (sqlite/search-drive.ts); for tests of both. */
  drive?: SearchDrive;
  /** How often the search queue is drained (sqlite/search-queue.ts); tests lengthen it to see the queue. */
  drainIntervalMs?: number;
}

/**
 * The search queue's drain (sqlite/search-queue.ts): every 100 ms, up to 500 messages a
 * transaction, so at a few thousand sends a second each drain indexes a few hundred at once (the
 * cheap regime) and holds the write lock for about 10 ms at most.
 */
const DRAIN_INTERVAL_MS = 100;
const DRAIN_BATCH = 500;

/**
 * The search connection maps up to 1 GiB of the file into memory (address space, not heap: the
 * pages are the operating system's cache, shared with every connection).
 */
const SEARCH_MMAP_BYTES = 1 << 30;

interface Waiting {
  resolve: (rows: SearchRow[]) => void;
  reject: (error: Error) => void;
}

export class SqliteSearchProvider implements SearchProvider {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private failed: Error | null = null;
  /**
   * Settles when the thread has opened its connection (or failed to): the store awaits it, so a
   * started server holds every file it will hold (a test counts its descriptors) and a database
   * the thread cannot open fails the start rather than the first search.
   */
  readonly ready: Promise<void>;
  private markReady: () => void = () => {};
  private refuseReady: (error: Error) => void = () => {};

  constructor(
    path: string,
    private readonly db: Kysely<Database>,
    options: SqliteSearchOptions,
  ) {
    const workerData: SearchWorkerData = {
      path,
      busyTimeoutMs: options.busyTimeoutMs,
      backfillBatch: options.backfillBatch ?? 2_000,
      rankedNewest: options.rankedNewest ?? RELEVANCE_RANKED_NEWEST,
      drive: options.drive ?? null,
      mmapBytes: SEARCH_MMAP_BYTES,
      drainIntervalMs: options.drainIntervalMs ?? DRAIN_INTERVAL_MS,
      drainBatch: DRAIN_BATCH,
    };
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.refuseReady = reject;
    });
    this.ready.catch(() => {}); // also reported to the store, which awaits it
    this.worker = startModuleWorker(import.meta.url, '../sqlite/search.worker', { workerData });
    this.worker.on('message', (reply: SearchWorkerReply | SearchWorkerReady) => ('ready' in reply ? this.markReady() : this.settle(reply)));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`SQLite search thread exited (${code})`)));
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const spec: SearchSpec = {
      userId: request.userId,
      terms: request.query.terms,
      conversationId: request.conversationId,
      senderId: request.senderId,
      before: request.before,
      after: request.after,
      order: request.order,
      fetch: request.limit + 1,
      cursor: request.cursor === null ? null : decodeCursor(request.cursor, request.order),
    };
    const rows = await this.run(spec);
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    return {
      messages: await this.toMessages(page),
      nextCursor: rows.length > request.limit && last ? encodeCursor(request.order, last) : null,
    };
  }

  /** Stops the thread; searches still waiting fail. */
  async close(): Promise<void> {
    this.fail(new Error('SQLite search closed'));
    await this.worker.terminate();
  }

  private run(spec: SearchSpec): Promise<SearchRow[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, spec } satisfies SearchWorkerRequest);
    });
  }

  /** As history pages do: reactions are read only for the messages whose count says they have some. */
  private async toMessages(rows: readonly SearchRow[]): Promise<Message[]> {
    const reacted = rows.filter((row) => Number(row.reaction_count ?? 0) > 0).map((row) => row.message_id);
    const reactions = reacted.length === 0 ? new Map<string, MessageReactionState>() : await reactionsOf(this.db, reacted);
    return rows.map(({ rank: _rank, search_rowid: _rowid, ...row }) => toMessage(row, reactions.get(row.message_id)));
  }

  private settle(reply: SearchWorkerReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if ('error' in reply) waiting.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
    else waiting.resolve(reply.rows);
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    this.refuseReady(error);
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/**
 * The cursor's key (sqlite/search-sql.ts): the last row's rowid for recent; for relevance its rank
 * (the exact double) and rowid. Rowids are integers a page returned.
 */
function decodeCursor(cursor: string, order: SearchRequest['order']): SearchOrderKey {
  if (order === 'recent') {
    const [rowid] = decodeSearchCursor(cursor, order, ['number']) as [number];
    return { order, rowid: wholeRowid(rowid) };
  }
  const [rank, rowid] = decodeSearchCursor(cursor, order, ['number', 'number']) as [number, number];
  return { order, rank, rowid: wholeRowid(rowid) };
}

function wholeRowid(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidCursor();
  return value;
}

function encodeCursor(order: SearchRequest['order'], row: SearchRow): string {
  return order === 'recent'
    ? encodeSearchCursor(order, [Number(row.search_rowid)])
    : encodeSearchCursor(order, [Number(row.rank), Number(row.search_rowid)]);
}
