/**
 * The conversation list's unread counts read the live-message index alone (migration 0009):
 * each count is a range of index entries, never a table row per message, on both databases.
 * A plan that fell back to table lookups costs a page of never-read busy rooms tens of ms.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';

const OPTIONS = { poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000 };
const CONVERSATION = '00000000-0000-4000-8000-0000000000c1';
const ME = '00000000-0000-4000-8000-00000000000a';
/** The count unread-counts.ts runs per conversation. */
const COUNT = sql`select count(*) from messages m where m.conversation_id = ${CONVERSATION} and m.seq > ${0} and m.seq <= ${1000} and m.sender_id <> ${ME} and m.deleted_at is null`;

describe.each(enabledDialects())('unread counts on %s', (dialect) => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = openDb(parseDatabaseUrl(database.url), OPTIONS).db;
    await migrateToLatest(db, dialect);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('are read from the live-message index, without the table', async () => {
    if (dialect === 'sqlite') {
      const { rows } = await sql<{ detail: string }>`explain query plan ${COUNT}`.execute(db);
      expect(rows.map((r) => r.detail).join('\n')).toMatch(/USING COVERING INDEX messages_unread/);
      return;
    }
    // An empty table makes any plan cheapest: rule out the others to see that this one exists
    // and serves the query (an index-only scan, the sender from its INCLUDE column).
    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      await sql`set enable_bitmapscan = off`.execute(conn);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${COUNT}`.execute(conn);
      await sql`reset all`.execute(conn);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using messages_unread/);
    });
  });
});
