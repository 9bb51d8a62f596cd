/**
 * The one place that opens a SQLite connection, so the main thread's connection (reads, and
 * every write but sends) and the writer thread's (sends) run with the same settings.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { registerSearchFunctions } from './search-functions.js';

/**
 * WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at every commit, so
 * an acknowledged message survives power loss, not only a process crash; foreign keys are off
 * by default in SQLite and the schema relies on them.
 */
const SETTINGS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON'] as const;

/**
 * How a connection waits when another connection (in this process or another) holds the write
 * lock. `handler`: SQLite's busy handler retries for up to `timeoutMs`, sleeping 1, 2, 5, 10...
 * up to 100 ms between tries; right for the rare writes outside the send path. `caller`:
 * busy_timeout 0, so a refused lock fails at once and the caller polls for it on its own
 * schedule (the writer thread does, see `sqlite-writer.worker.ts`).
 */
export type BusyHandling = { kind: 'handler'; timeoutMs: number } | { kind: 'caller' };

/**
 * Opens (creating its directory if needed) the database file at `path` with the shared settings
 * and the search indexes' functions (search-functions.ts), which their triggers call.
 */
export function openSqliteConnection(path: string, busy: BusyHandling): SQLite.Database {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  for (const setting of SETTINGS) sqlite.pragma(setting);
  sqlite.pragma(`busy_timeout = ${busy.kind === 'handler' ? busy.timeoutMs : 0}`);
  registerSearchFunctions(sqlite);
  return sqlite;
}
