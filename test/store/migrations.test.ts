import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openDb, type OpenedDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { spawnServer } from '../helpers/server-process.js';

const OPTIONS = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5000, sqliteBusyTimeoutMs: 5000 };

for (const dialect of enabledDialects()) {
  describe(`migrations [${dialect}]`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function fresh(): Promise<{ database: TestDatabase; open: () => OpenedDb }> {
      const database = await createTestDatabase(dialect);
      cleanup.push(() => database.drop());
      const open = () => {
        const opened = openDb(parseDatabaseUrl(database.url), OPTIONS);
        cleanup.push(() => opened.db.destroy());
        return opened;
      };
      return { database, open };
    }

    it('applies every migration to an empty database, and nothing the second time', async () => {
      const { open } = await fresh();
      const { db } = open();
      expect(await migrateToLatest(db, dialect)).toEqual(['0001-initial']);
      expect(await migrateToLatest(db, dialect)).toEqual([]);
    });

    it('keeps existing rows when the server starts again', async () => {
      const { open } = await fresh();
      const { db } = open();
      await migrateToLatest(db, dialect);
      await db
        .insertInto('users')
        .values({ id: '00000000-0000-4000-8000-000000000001', username: 'Keep', username_key: 'keep', password_hash: 'x', created_at: new Date().toISOString() })
        .execute();
      await migrateToLatest(open().db, dialect);
      const rows = await db.selectFrom('users').select('username').execute();
      expect(rows).toEqual([{ username: 'Keep' }]);
    });

    it('applies each migration exactly once when several servers start at once', async () => {
      const { database, open } = await fresh();
      // Real processes: SQLite's lock wait blocks a whole thread, as it would in production.
      const servers = await Promise.all([0, 1, 2].map(() => spawnServer({ DATABASE_URL: database.url })));
      cleanup.push(async () => {
        await Promise.all(servers.map((s) => s.stop()));
      });
      for (const server of servers) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const { db } = open();
      const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
      expect(recorded.rows.map((r) => r.name)).toEqual(['0001-initial']);
    }, 180_000);

    if (dialect === 'sqlite') {
      it('opens SQLite in WAL mode with synchronous=FULL and foreign keys on', async () => {
        const { open } = await fresh();
        const { sqlite } = open();
        expect(sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(sqlite?.pragma('synchronous', { simple: true })).toBe(2);
        expect(sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      });
    }
  });
}
