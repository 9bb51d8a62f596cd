import { Migrator, sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import { migrationsFor } from './migrations/index.js';

/** Arbitrary constant naming Pneumatic's migration lock among PostgreSQL advisory locks. */
const PG_MIGRATION_LOCK_KEY = 7_243_110_001;

/**
 * Applies pending migrations and returns the names applied. The whole run, including the
 * creation of Kysely's bookkeeping tables, holds a lock that other processes wait for, so
 * processes starting at once apply each migration exactly once: a session advisory lock on
 * PostgreSQL, and on SQLite one IMMEDIATE transaction (the database's write lock).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    if (dialect === 'sqlite') {
      await sql`begin immediate`.execute(conn);
      try {
        const applied = await runMigrator(conn, dialect, true);
        await sql`commit`.execute(conn);
        return applied;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    }
    await sql`select pg_advisory_lock(${PG_MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      return await runMigrator(conn, dialect, false);
    } finally {
      await sql`select pg_advisory_unlock(${PG_MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
async function runMigrator(db: Kysely<any>, dialect: Dialect, insideTransaction: boolean): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(dialect) },
    disableTransactions: insideTransaction,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
