/**
 * The SQLite search thread: search statements (search-sql.ts) run here, on a read-only
 * connection of their own, so a slow query never blocks the main thread's event loop (WAL lets
 * it read beside the writer). One request at a time, in arrival order; the driver
 * (search/sqlite-search.ts) queues them. On a second, writable connection, between requests: the
 * drain of the search queue (search-queue.ts), every DRAIN_INTERVAL_MS and before each search, so
 * a search finds every message acknowledged before it; and, when migration 0010 left existing
 * messages to index, the backfill.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { BoundedMap } from '../cache/bounded-map.js';
import { runBackfill } from './search-backfill.js';
import { searchQueueDrain } from './search-queue.js';
import { registerSearchFunctions } from './search-functions.js';
import { chooseDrive, indexHitsStatement, rankableStatement, rarerIndexFirst, TOTAL_MESSAGES_SQL, visibleStatement } from './search-drive.js';
import { planSearch, type SearchPlan } from './search-plan.js';
import { readsBand, recentStatement, relevanceStatement, type SearchDrive, type SearchSpec } from './search-sql.js';
import type { SearchRow, SearchWorkerData, SearchWorkerReady, SearchWorkerReply, SearchWorkerRequest } from './search.protocol.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { serializeError } from './sqlite-writer.protocol.js';

const { path, busyTimeoutMs, backfillBatch, drainIntervalMs, drainBatch, rankedNewest, drive: forcedDrive, mmapBytes } = workerData as SearchWorkerData;
const port = parentPort!;
const db = new SQLite(path, { readonly: true, fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
// A search reads the rows of thousands of hits scattered over the table: from memory, not
// through the file's page reads (about a third of a common word's time at 1 M messages).
db.pragma(`mmap_size = ${mmapBytes}`);
registerSearchFunctions(db);

/** Statement texts differ by the query's shape (which indexes, which filters): a few dozen in use. */
const statements = new BoundedMap<string, SQLite.Statement<(string | number)[], SearchRow>>(200);


const writer = openSqliteConnection(path, { kind: 'handler', timeoutMs: busyTimeoutMs });
// What this connection writes is derived (the indexes, the queue and the backfill's position,
// each drain or batch one transaction): a commit lost with the power comes back as work to redo,
// and the next send's commit makes it durable anyway (WAL is one log). So no fsync of its own,
// which would hold the write lock from sends for its length.
writer.pragma('synchronous = NORMAL');
const drainStep = searchQueueDrain(writer);
const anyQueued = writer.prepare('select 1 from search_pending limit 1').pluck();
/**
 * One batch of the queue into the indexes, in a write transaction of its own; the rows it moved.
 * An empty queue (most searches, every idle tick) is seen without taking the write lock from sends.
 */
const drainBatchNow = () => (anyQueued.get() === undefined ? 0 : writer.transaction(() => drainStep(drainBatch)).immediate());

/** Drains the whole queue: what was acknowledged before this call is then in the indexes. */
function drainAll(): void {
  while (drainBatchNow() >= drainBatch);
}

/**
 * Every DRAIN_INTERVAL_MS, the queue in batches (one per tick, so a search waits for one batch at
 * most): few hundred messages a transaction cost a seventh of one each (search-queue.ts), and a
 * batch holds the write lock for a few milliseconds. A failure (the lock not had within the busy
 * timeout) is retried at the next tick.
 */
let drainTimer: NodeJS.Timeout;
function drainTick(): void {
  let moved = 0;
  try {
    moved = drainBatchNow();
  } catch {
    moved = 0;
  }
  drainTimer = setTimeout(drainTick, moved >= drainBatch ? 0 : drainIntervalMs);
  drainTimer.unref();
}
drainTimer = setTimeout(drainTick, drainIntervalMs);
drainTimer.unref();

port.on('message', ({ id, spec }: SearchWorkerRequest) => {
  let reply: SearchWorkerReply;
  try {
    drainAll();
    reply = { id, rows: search(spec) };
  } catch (error) {
    reply = { id, error: serializeError(error) };
  }
  port.postMessage(reply);
});

function prepared<R>(sql: string): SQLite.Statement<(string | number)[], R> {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare<(string | number)[], SearchRow>(sql);
    statements.set(sql, statement);
  }
  return statement as unknown as SQLite.Statement<(string | number)[], R>;
}

const count = (statement: { sql: string; params: (string | number)[] }) => prepared<{ n: number }>(statement.sql).get(...statement.params)!.n;

/** One read transaction: the counts that pick the drive (search-drive.ts), and the page's statement. */
const search = db.transaction((spec: SearchSpec): SearchRow[] => {
  const { plan, firstHits } = rarerIndexFirst(planSearch(spec.terms), count);
  const relevance = spec.order === 'relevance';
  const rankable = relevance && plan.rank !== null && count(rankableStatement(plan)!) > 0;
  const need = readsBand(spec, plan, rankable) ? rankedNewest : spec.fetch;
  const drive = forcedDrive ?? chooseSearchDrive(spec, plan, need, firstHits);
  const { sql, params } = relevance ? relevanceStatement(spec, plan, drive, rankable, rankedNewest) : recentStatement(spec, plan, drive);
  return prepared<SearchRow>(sql).all(...params);
});

function chooseSearchDrive(spec: SearchSpec, plan: SearchPlan, need: number, firstHits: number | null): SearchDrive {
  const first = plan.indexes[0];
  return chooseDrive({
    indexed: first !== undefined,
    visible: count(visibleStatement(spec)),
    total: count({ sql: TOTAL_MESSAGES_SQL, params: [] }),
    need,
    indexHits: () => firstHits ?? (first === undefined ? 0 : count(indexHitsStatement(first))),
  });
}

if (db.prepare('select 1 from search_backfill where id = 1').get() !== undefined) {
  runBackfill(writer, { batch: backfillBatch });
}

port.postMessage({ ready: true } satisfies SearchWorkerReady);
