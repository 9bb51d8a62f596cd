/** The probe write of each dialect, for /readyz while writes fail and for the check at start. */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.js';
import type { WriteProbe } from './storage-health.js';

/**
 * SQLite: rewrites `user_version` with its own value (Pneumatic does not use it). That commits a
 * real page to the WAL, so it fails for the same reasons a send would (full disk, file-size
 * limit, read-only file) and passes once they are gone. It goes through Kysely so that it
 * takes the main connection only between other queries, never inside someone's transaction.
 */
export function sqliteWriteProbe(db: Kysely<Database>): WriteProbe {
  return {
    run: () =>
      db.connection().execute(async (conn) => {
        const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(conn);
        await sql.raw(`pragma user_version = ${Math.trunc(Number(rows[0]?.user_version ?? 0))}`).execute(conn);
      }),
    proves: () => true,
  };
}

export interface PostgresProbeOptions {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * PostgreSQL: a fresh connection (so a refused connection, too many clients or a database
 * turned read-only for new sessions shows) runs an UPDATE of no rows, which a read-only
 * transaction refuses like any write. It writes nothing, so it cannot rule out a full disk or
 * an I/O error: those episodes end with the next real write that commits.
 */
export function postgresWriteProbe(url: string, options: PostgresProbeOptions): WriteProbe {
  return {
    run: async () => {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: options.connectTimeoutMs,
        statement_timeout: options.statementTimeoutMs,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('update users set id = id where false');
      } finally {
        await client.end().catch(() => {});
      }
    },
    proves: (reason) => reason !== 'disk_full' && reason !== 'io_error',
  };
}
