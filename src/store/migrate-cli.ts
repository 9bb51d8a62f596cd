/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits. */
import { ConfigError, loadConfig } from '../config/config.js';
import { parseDatabaseUrl } from './database-url.js';
import { openDb } from './db.js';
import { migrateToLatest } from './migrate.js';

try {
  const config = loadConfig();
  const opened = openDb(parseDatabaseUrl(config.DATABASE_URL), {
    poolMax: 2,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
  });
  const applied = await migrateToLatest(opened.db, opened.dialect);
  await opened.db.destroy();
  console.warn(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
