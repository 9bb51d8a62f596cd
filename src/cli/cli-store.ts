/**
 * The store a command-line tool opens (npm run account, npm run admin): the server's database,
 * without the in-process caches a running server keeps (a server running beside it would not see
 * what they hold) and with a small pool.
 */
import type { Config } from '../config/config.js';
import { openStore } from '../store/store.js';

export function openCliStore(config: Config): ReturnType<typeof openStore> {
  return openStore(config.DATABASE_URL, {
    cacheInProcess: false,
    poolMax: 2,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
  });
}
