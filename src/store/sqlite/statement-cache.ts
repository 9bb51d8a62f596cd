import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { BoundedMap } from '../cache/bounded-map.js';

/** Distinct query texts the app issues are a few dozen; the bound only guards against surprises. */
const CAPACITY = 500;

/**
 * The SQLite handle as Kysely sees it, with prepared statements kept by SQL text: Kysely
 * prepares every query afresh, and on the hot paths (membership checks, history pages) that
 * preparation cost more than running the query. Sharing a statement is safe: Kysely's SQLite
 * driver runs one query at a time on its one connection (a stream holds the connection until
 * it ends), so a cached statement is never asked to run while it is still running.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new BoundedMap<string, SqliteStatement>(CAPACITY);
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
