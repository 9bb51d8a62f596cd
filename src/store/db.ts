/** Opens the database named by DATABASE_URL as a Kysely instance: SQLite (embedded) or PostgreSQL. */
import type SQLite from 'better-sqlite3';
import { type Dialect, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from './database-url.js';
import { HealthTrackingDialect } from './health/health-tracking-dialect.js';
import type { StorageOutcomes } from './health/storage-health.js';
import type { Database } from './schema.js';
import { openSqliteConnection } from './sqlite/sqlite-connection.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';
import { withStatementCache } from './sqlite/statement-cache.js';

export interface DbOptions {
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  sqliteBusyTimeoutMs: number;
}

export interface OpenedDb {
  db: Kysely<Database>;
  dialect: DatabaseTarget['dialect'];
  /** The raw SQLite handle, for pragmas and integrity checks; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  /** The PostgreSQL pool under Kysely, for the send path's named statement; null on SQLite. */
  pool: pg.Pool | null;
}

/** `outcomes`, when given, hears how every query went (see health/health-tracking-dialect.ts). */
export function openDb(target: DatabaseTarget, options: DbOptions, outcomes?: StorageOutcomes): OpenedDb {
  const tracked = (dialect: Dialect): Dialect => (outcomes ? new HealthTrackingDialect(dialect, outcomes) : dialect);
  if (target.dialect === 'sqlite') {
    const sqlite = openSqliteConnection(target.path, { kind: 'handler', timeoutMs: options.sqliteBusyTimeoutMs });
    const db = new Kysely<Database>({ dialect: tracked(sqliteDialect(withStatementCache(sqlite), () => sqlite.inTransaction)) });
    return { db, dialect: 'sqlite', sqlite, pool: null };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs,
    // Idle connections stay open for a minute: reconnecting costs more than keeping them.
    idleTimeoutMillis: 60_000,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1000,
  });
  // A client whose server went away (restart, failover) emits 'error', idle in the pool or
  // checked out between queries. Unlistened, that would crash the process; the failed query
  // itself still rejects, and the pool replaces the client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return { db: new Kysely<Database>({ dialect: tracked(new PostgresDialect({ pool })) }), dialect: 'postgres', sqlite: null, pool };
}
