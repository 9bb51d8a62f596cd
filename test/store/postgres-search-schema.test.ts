/**
 * PostgreSQL's search schema (migration 0010, src/store/postgres/search-schema.ts and
 * search-index-build.ts): it migrates as a database owner who is not a superuser (pg_trgm is a
 * trusted extension), and the build at start makes both indexes valid again when they are
 * missing or left INVALID by a build that died, without touching valid ones.
 */
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { migrationsFor } from '../../src/store/migrations/index.js';
import { PostgresSearchIndexBuild } from '../../src/store/postgres/search-index-build.js';
import type { Database } from '../../src/store/schema.js';
import { enabledDialects, PG_ADMIN_URL } from '../helpers/dialects.js';

const OPTIONS = { poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000 };
const quiet = { info: () => {}, error: () => {} };

/** Runs `query` as the administrator, in `database` when named. */
async function admin(query: string, database?: string): Promise<void> {
  const url = new URL(PG_ADMIN_URL);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describe.skipIf(!enabledDialects().includes('postgres'))('PostgreSQL search schema', () => {
  const suffix = randomBytes(5).toString('hex');
  const role = `pneumatic_owner_${suffix}`;
  const database = `pneumatic_test_owner_${suffix}`;
  const url = Object.assign(new URL(PG_ADMIN_URL), { username: role, pathname: `/${database}` }).toString();
  let db: Kysely<Database> | undefined;

  afterAll(async () => {
    await db?.destroy();
    await admin(`drop database if exists ${database} with (force)`);
    await admin(`drop role if exists ${role}`);
  });

  const indexes = async () =>
    (
      await sql<{ name: string; valid: boolean }>`select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname like 'messages_search_%' order by 1`.execute(db!)
    ).rows;

  it('migrates as a database owner who is not a superuser, creating pg_trgm and both indexes', async () => {
    await admin(`create role ${role} login nosuperuser nocreatedb nocreaterole`);
    await admin(`create database ${database} owner ${role}`);
    db = openDb(parseDatabaseUrl(url), OPTIONS).db;
    await migrateToLatest(db, 'postgres');
    expect(await indexes()).toEqual([
      { name: 'messages_search_trigrams', valid: true },
      { name: 'messages_search_words', valid: true },
    ]);
    const { rows } = await sql<{ fold: string }>`select pneumatic_fold('Ｃａｆé ﬁ ガ ΟΔΟΣ') as fold`.execute(db);
    expect(rows[0]!.fold).toBe('cafe fi カ οδοσ');
  });

  it('lets the planner inline both search functions, so a send does not plan their bodies again in every statement', async () => {
    // A call left in an index expression ran the SQL-function executor, which planned the body
    // again in each insert statement: 1–2 ms a send (search-schema.ts).
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (verbose) select pneumatic_search_words(content), pneumatic_fold(content) from messages`.execute(db!);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('to_tsvector');
    expect(plan).not.toContain('pneumatic_');
  });

  it('makes the functions of a database that ran the first 0010 (STRICT) inlinable again (migration 0011)', async () => {
    // A database of that time: migrated up to 0010 only, in a database of its own.
    const old = `${database}_0010`;
    await admin(`create database ${old} owner ${role}`);
    const oldDb = openDb(parseDatabaseUrl(Object.assign(new URL(url), { pathname: `/${old}` }).toString()), OPTIONS).db;
    try {
      const upTo0010 = Object.fromEntries(Object.entries(migrationsFor('postgres')).filter(([name]) => name <= '0010-search'));
      const { error } = await new Migrator({ db: oldDb, provider: { getMigrations: async () => upTo0010 } }).migrateToLatest();
      expect(error).toBeUndefined();
      await sql`alter function pneumatic_fold(text) strict`.execute(oldDb);
      await sql`alter function pneumatic_search_words(text) strict`.execute(oldDb);
      const plan = async () =>
        (await sql<{ 'QUERY PLAN': string }>`explain (verbose) select pneumatic_search_words(content) from messages`.execute(oldDb)).rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(await plan()).toContain('pneumatic_');
      const later = Object.keys(migrationsFor('postgres')).filter((name) => name > '0010-search');
      expect(later[0]).toBe('0011-search-queue');
      expect(await migrateToLatest(oldDb, 'postgres')).toEqual(later);
      expect(await plan()).not.toContain('pneumatic_');
    } finally {
      await oldDb.destroy();
      await admin(`drop database if exists ${old} with (force)`);
    }
  });

  it('builds a missing index and rebuilds one left INVALID, concurrently, at start', async () => {
    await sql`drop index messages_search_words`.execute(db!);
    // What a CREATE INDEX CONCURRENTLY that died leaves behind (only a superuser may write pg_index).
    await admin(`update pg_index set indisvalid = false where indexrelid = 'messages_search_trigrams'::regclass`, database);
    expect(await indexes()).toEqual([{ name: 'messages_search_trigrams', valid: false }]);
    await new PostgresSearchIndexBuild(url, quiet).run();
    expect(await indexes()).toEqual([
      { name: 'messages_search_trigrams', valid: true },
      { name: 'messages_search_words', valid: true },
    ]);
  });
});
