/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits. */
import { ConfigError, loadConfig } from '../config/config.js';
import { parseDatabaseUrl } from './database-url.js';
import { openDb } from './db.js';
import { migrateToLatest } from './migrate.js';
import { PostgresSearchIndexBuild } from './postgres/search-index-build.js';

try {
  const config = loadConfig();
  const target = parseDatabaseUrl(config.DATABASE_URL);
  const opened = openDb(target, {
    poolMax: 2,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
  });
  const applied = await migrateToLatest(opened.db, opened.dialect);
  await opened.db.destroy();
  // What migrations leave to build concurrently (search indexes of a large table): done here, before the servers start.
  if (target.dialect === 'postgres') {
    const log = { info: (fields: object, message: string) => console.warn(message, fields), error: (fields: object, message: string) => console.error(message, fields) };
    await new PostgresSearchIndexBuild(target.url, log).run();
  }
  console.warn(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
