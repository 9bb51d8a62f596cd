/**
 * The SQLite search thread: search statements (search-sql.ts) run here, on a read-only
 * connection of their own, so a slow query never blocks the main thread's event loop (WAL lets
 * it read beside the writer). One request at a time, in arrival order; the driver
 * (search/sqlite-search.ts) queues them. When migration 0010 left existing messages to index,
 * the backfill runs here too, on a second, writable connection, between requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { BoundedMap } from '../cache/bounded-map.js';
import { runBackfill } from './search-backfill.js';
import { registerSearchFunctions } from './search-functions.js';
import { probeStatement, searchStatement, type SearchDrive, type SearchSpec } from './search-sql.js';
import type { SearchRow, SearchWorkerData, SearchWorkerReady, SearchWorkerReply, SearchWorkerRequest } from './search.protocol.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { serializeError } from './sqlite-writer.protocol.js';

const { path, busyTimeoutMs, backfillBatch, membersDriveMinHits } = workerData as SearchWorkerData;
const port = parentPort!;
const db = new SQLite(path, { readonly: true, fileMustExist: true });
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
registerSearchFunctions(db);

/** Statement texts differ by the query's shape (which indexes, which filters): a few dozen in use. */
const statements = new BoundedMap<string, SQLite.Statement<(string | number)[], SearchRow>>(200);


port.on('message', ({ id, spec }: SearchWorkerRequest) => {
  let reply: SearchWorkerReply;
  try {
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

/** One read transaction: the probe that picks the drive, and the page's statement. */
const search = db.transaction((spec: SearchSpec): SearchRow[] => {
  const probe = probeStatement(spec, membersDriveMinHits);
  const hits = probe === null ? 0 : prepared<{ hits: number }>(probe.sql).get(...probe.params)!.hits;
  const drive: SearchDrive = hits >= membersDriveMinHits ? 'members' : 'index';
  const { sql, params } = searchStatement(spec, drive);
  return prepared<SearchRow>(sql).all(...params);
});

if (db.prepare('select 1 from search_backfill where id = 1').get() !== undefined) {
  const writer = openSqliteConnection(path, { kind: 'handler', timeoutMs: busyTimeoutMs });
  runBackfill(writer, { batch: backfillBatch, onProgress: (next) => next === 0 && writer.close() });
}

port.postMessage({ ready: true } satisfies SearchWorkerReady);
