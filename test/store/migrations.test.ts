import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/domain/security/password-hasher.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openDb, type OpenedDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { migrationsFor } from '../../src/store/migrations/index.js';
import { Api, expectProblem } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { spawnServer } from '../helpers/server-process.js';
import { startServer } from '../helpers/server.js';

const ALL_MIGRATIONS = ['0001-initial', '0002-change-feed', '0003-list-order', '0004-drop-members-user-id', '0005-reactions', '0006-pins', '0007-mentions', '0008-threads', '0009-unread-index', '0010-search', '0011-search-queue', '0012-uploads', '0013-notification-settings', '0014-presence', '0015-push', '0016-api-tokens', '0017-bots', '0018-incoming-webhooks', '0019-outgoing-webhooks', '0020-profiles', '0021-invites', '0022-sso', '0023-administration', '0024-conversation-roles-and-blocks', '0025-reports', '0026-retention', '0027-message-removals'];
/** The migrations from `first` on, in order. */
const migrationsFrom = (first: string) => ALL_MIGRATIONS.slice(ALL_MIGRATIONS.indexOf(first));
const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const BUSY = '00000000-0000-4000-8000-0000000000c1';
const QUIET = '00000000-0000-4000-8000-0000000000c2';
const PASSWORD = 'correct horse battery';

/** Brings an empty database to 0001 only: the schema of a server from before the change feed. */
async function migrateTo0001(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const initial = migrationsFor(dialect)['0001-initial']!;
  const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => ({ '0001-initial': initial }) } }).migrateToLatest();
  expect(error).toBeUndefined();
  expect(results?.map((r) => r.migrationName)).toEqual(['0001-initial']);
}

/** Brings a 0001 database to 0002 only: the schema of a server from before the list's index. */
async function migrate0001To0002(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0002-change-feed');
  expect(error).toBeUndefined();
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * What a 0001 server leaves behind: two users; BUSY with three messages (the second edited, then
 * deleted) and alice's read position; QUIET with no message.
 */
async function seed0001(db: Kysely<any>): Promise<void> {
  const at = (minute: number) => `2026-01-01T10:0${minute}:00.000Z`;
  const passwordHash = await new PasswordHasher('test').hash(PASSWORD);
  await db.insertInto('users').values([
    { id: ALICE, username: 'Alice', username_key: 'alice', password_hash: passwordHash, created_at: at(0) },
    { id: BOB, username: 'Bob', username_key: 'bob', password_hash: passwordHash, created_at: at(0) },
  ]).execute();
  await db.insertInto('conversations').values([
    { id: BUSY, title: 'busy', created_by: ALICE, created_at: at(1), last_seq: 3, last_activity_at: at(4) },
    { id: QUIET, title: 'quiet', created_by: ALICE, created_at: at(1), last_seq: 0, last_activity_at: at(1) },
  ]).execute();
  await db.insertInto('members').values([
    { conversation_id: BUSY, user_id: ALICE, role: 'owner', joined_at: at(1), last_read_seq: 2 },
    { conversation_id: BUSY, user_id: BOB, role: 'member', joined_at: at(1), last_read_seq: 0 },
    { conversation_id: QUIET, user_id: ALICE, role: 'owner', joined_at: at(1), last_read_seq: 0 },
  ]).execute();
  await db.insertInto('messages').values([
    { message_id: '00000000-0000-4000-8000-0000000000e1', conversation_id: BUSY, sender_id: ALICE, content: 'one', seq: 1, created_at: at(2), edited_at: null, deleted_at: null },
    { message_id: '00000000-0000-4000-8000-0000000000e2', conversation_id: BUSY, sender_id: BOB, content: '', seq: 2, created_at: at(3), edited_at: at(4), deleted_at: at(5) },
    { message_id: '00000000-0000-4000-8000-0000000000e3', conversation_id: BUSY, sender_id: BOB, content: 'three', seq: 3, created_at: at(4), edited_at: null, deleted_at: null },
  ]).execute();
}

/** The names of the indexes on members, as the database lists them. */
async function membersIndexes(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'members'`.execute(db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'members' and schemaname = current_schema()`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** The names of the triggers on members or naming it, as the database lists them. */
async function membersTriggers(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and (tbl_name = 'members' or sql like '%members%') order by name`.execute(db)
      : await sql<{ name: string }>`select tgname as name from pg_trigger where not tgisinternal and tgrelid = 'members'::regclass order by tgname`.execute(db);
  return rows.rows.map((r) => r.name);
}

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
      expect(await migrateToLatest(db, dialect)).toEqual(ALL_MIGRATIONS);
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
      expect(recorded.rows.map((r) => r.name).sort()).toEqual(ALL_MIGRATIONS);
    }, 180_000);

    it('upgrades a 0001 database with data to 0002: each conversation starts at last_event_seq = pruned_event_seq = last_seq, each message at version = seq', async () => {
      const { database, open } = await fresh();
      const db = open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      const membersBefore = await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute();

      expect(await migrate0001To0002(db, dialect)).toEqual(['0002-change-feed']);

      const conversations = await db.selectFrom('conversations').select(['id', 'last_seq', 'last_event_seq', 'pruned_event_seq']).orderBy('id').execute();
      expect(conversations).toEqual([
        { id: BUSY, last_seq: 3, last_event_seq: 3, pruned_event_seq: 3 },
        { id: QUIET, last_seq: 0, last_event_seq: 0, pruned_event_seq: 0 },
      ]);
      const messages = await db.selectFrom('messages').select(['seq', 'version', 'content']).orderBy('seq').execute();
      expect(messages).toEqual([
        { seq: 1, version: 1, content: 'one' },
        { seq: 2, version: 2, content: '' },
        { seq: 3, version: 3, content: 'three' },
      ]);
      expect(await db.selectFrom('users').select(['id', 'last_user_seq']).orderBy('id').execute()).toEqual([
        { id: ALICE, last_user_seq: 0 },
        { id: BOB, last_user_seq: 0 },
      ]);
      // The old history predates the log: no events, all of it marked as no longer kept.
      expect(await db.selectFrom('conversation_events').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute()).toEqual(membersBefore);

      // And a server on the upgraded database serves it through the change feed.
      const server = await startServer({ database });
      cleanup.push(() => server.close());
      const session = await new Api(server.url).post('/sessions', { username: 'alice', password: PASSWORD });
      expect(session.status).toBe(201);
      const alice = new Api(server.url, session.body.token);
      expect((await alice.get(`/conversations/${BUSY}`)).body).toMatchObject({ last_seq: 3, last_event_seq: 3 });
      expect((await alice.get(`/conversations/${BUSY}/messages`)).body.messages.map((m: any) => [m.seq, m.version, m.deleted])).toEqual([
        [1, 1, false],
        [2, 2, true],
        [3, 3, false],
      ]);
      // Positions before the upgrade are answered with 410, never a silent gap; the head with an empty page.
      expectProblem(await alice.get(`/conversations/${BUSY}/events?after=2`), 410, 'position_expired');
      expect((await alice.get(`/conversations/${BUSY}/events?after=3`)).body).toEqual({ events: [], has_more: false, last_event_seq: 3 });
      expect((await alice.get(`/conversations/${QUIET}/events?after=0`)).body).toEqual({ events: [], has_more: false, last_event_seq: 0 });
      // The next change follows the old history: seq 4, event 4.
      const sent = await alice.post('/messages', { message_id: '00000000-0000-4000-8000-0000000000e4', conversation_id: BUSY, content: 'four' });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ seq: 4, version: 4 });
      const events = (await alice.get(`/conversations/${BUSY}/events?after=3`)).body;
      expect(events).toMatchObject({ has_more: false, last_event_seq: 4 });
      expect(events.events).toEqual([expect.objectContaining({ event_seq: 4, type: 'message.created', actor_id: ALICE, message: sent.body })]);
      const synced = (await alice.post('/sync', { conversations: { [BUSY]: 0, [QUIET]: 0 }, messages_limit: 0 })).body;
      expect(synced.user_seq).toBe(0);
      expect(synced.conversations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ conversation_id: BUSY, status: 'snapshot', reason: 'expired' }),
          expect.objectContaining({ conversation_id: QUIET, status: 'events', events: [], last_event_seq: 0 }),
        ]),
      );
      expect(synced.conversations).toHaveLength(2);
    });

    it('upgrades a 0002 database with data to 0003: each member row gets its conversation\'s activity minute, and triggers keep it in step', async () => {
      const { database, open } = await fresh();
      const db = open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      await migrate0001To0002(db, dialect);

      expect(await migrateToLatest(db, dialect)).toEqual(ALL_MIGRATIONS.slice(2));

      const minutes = async () =>
        (await db.selectFrom('members').select(['conversation_id', 'user_id', 'activity_minute']).orderBy('conversation_id').orderBy('user_id').execute()).map(
          (m) => [m.conversation_id, m.user_id, new Date(m.activity_minute).toISOString()],
        );
      expect(await minutes()).toEqual([
        [BUSY, ALICE, '2026-01-01T10:04:00.000Z'],
        [BUSY, BOB, '2026-01-01T10:04:00.000Z'],
        [QUIET, ALICE, '2026-01-01T10:01:00.000Z'],
      ]);
      // A member row inserted without it gets it; a change of minute reaches every member row.
      await db.insertInto('members').values({ conversation_id: QUIET, user_id: BOB, role: 'member', joined_at: '2026-01-01T10:05:00.000Z' }).execute();
      await db.updateTable('conversations').set({ last_activity_at: '2026-01-01T11:30:59.999Z' }).where('id', '=', BUSY).execute();
      expect(await minutes()).toEqual([
        [BUSY, ALICE, '2026-01-01T11:30:00.000Z'],
        [BUSY, BOB, '2026-01-01T11:30:00.000Z'],
        [QUIET, ALICE, '2026-01-01T10:01:00.000Z'],
        [QUIET, BOB, '2026-01-01T10:01:00.000Z'],
      ]);

      // And a server on the upgraded database lists by activity.
      const server = await startServer({ database });
      cleanup.push(() => server.close());
      const session = await new Api(server.url).post('/sessions', { username: 'bob', password: PASSWORD });
      const bob = new Api(server.url, session.body.token);
      expect((await bob.get('/conversations')).body.conversations.map((c: any) => [c.id, c.unread_count])).toEqual([
        [BUSY, 1],
        [QUIET, 0],
      ]);
    });

    it('upgrades a 0003 database with data to 0004: members_user_id is dropped, members (user_id, activity_minute desc) stays and every member row is kept', async () => {
      const { open } = await fresh();
      const db = open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0003-list-order');
      expect(error).toBeUndefined();
      const membersBefore = await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute();
      expect(await membersIndexes(db, dialect)).toEqual(expect.arrayContaining(['members_user_id', 'members_user_activity']));

      expect(await migrateToLatest(db, dialect)).toEqual(ALL_MIGRATIONS.slice(3));

      const indexes = await membersIndexes(db, dialect);
      expect(indexes).toContain('members_user_activity');
      expect(indexes).not.toContain('members_user_id');
      // Every row kept as it was; columns later migrations add (0015's push_subscribed) aside.
      const membersAfter = await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute();
      expect(membersAfter.map(({ push_subscribed: _, ...kept }) => kept)).toEqual(membersBefore);
    });

    it('upgrades a 0019 database with users to 0020: each is in the directory by username (and its parts), with an empty profile', async () => {
      const { open } = await fresh();
      const db = open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0019-outgoing-webhooks');
      expect(error).toBeUndefined();
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsFrom('0020-profiles'));
      const terms = await db.selectFrom('user_search_terms').select(['term', 'username_key', 'user_id']).orderBy('term').execute();
      expect(terms).toEqual([
        { term: 'alice', username_key: 'alice', user_id: ALICE },
        { term: 'bob', username_key: 'bob', user_id: BOB },
      ]);
      const users = await db.selectFrom('users').select(['display_name', 'status_text', 'avatar_key']).execute();
      expect(users).toEqual([{ display_name: null, status_text: null, avatar_key: null }, { display_name: null, status_text: null, avatar_key: null }]);
    });

    it('upgrades a 0021 database with users to 0022: their passwords stay, nobody has an identity linked', async () => {
      const { open } = await fresh();
      const db = open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0021-invites');
      expect(error).toBeUndefined();
      const hashes = await db.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute();
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsFrom('0022-sso'));
      expect(await db.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute()).toEqual(hashes);
      expect(await db.selectFrom('user_identities').selectAll().execute()).toEqual([]);
      // An identity belongs to one account, and an account has one identity per provider.
      const identity = { issuer: 'https://id.example', subject: 's1', provider: 'corp', email: null, linked_at: new Date().toISOString(), last_login_at: null };
      await db.insertInto('user_identities').values({ ...identity, user_id: ALICE }).execute();
      await expect(db.insertInto('user_identities').values({ ...identity, user_id: BOB }).execute()).rejects.toThrow();
      await expect(db.insertInto('user_identities').values({ ...identity, subject: 's2', user_id: ALICE }).execute()).rejects.toThrow();
    });

    it('upgrades a 0022 database with users to 0023: everyone a member, nobody deactivated, an empty audit log', async () => {
      const db = (await fresh()).open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      expect((await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0022-sso')).error).toBeUndefined();
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsFrom('0023-administration'));
      expect(await db.selectFrom('users').select(['id', 'server_role', 'deactivated_at']).orderBy('id').execute()).toEqual([ALICE, BOB].sort().map((id) => ({ id, server_role: 'member', deactivated_at: null })));
      expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
    });

    it('upgrades a 0023 database with members to 0024: every member row, index and trigger kept; a member may now be an admin', async () => {
      const db = (await fresh()).open().db as Kysely<any>;
      await migrateTo0001(db, dialect);
      await seed0001(db);
      expect((await new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } }).migrateTo('0023-administration')).error).toBeUndefined();
      const membersBefore = await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute();
      const indexesBefore = (await membersIndexes(db, dialect)).sort();
      const triggersBefore = await membersTriggers(db, dialect);
      expect(triggersBefore.length).toBeGreaterThan(0);
      await expect(db.updateTable('members').set({ role: 'admin' }).where('user_id', '=', BOB).execute()).rejects.toThrow();
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsFrom('0024-conversation-roles-and-blocks'));
      expect(await db.selectFrom('members').selectAll().orderBy('conversation_id').orderBy('user_id').execute()).toEqual(membersBefore);
      expect((await membersIndexes(db, dialect)).sort()).toEqual(indexesBefore);
      expect(await membersTriggers(db, dialect)).toEqual(triggersBefore);
      await db.updateTable('members').set({ role: 'admin' }).where('user_id', '=', BOB).execute();
      await expect(db.updateTable('members').set({ role: 'boss' }).where('user_id', '=', BOB).execute()).rejects.toThrow();
      // The activity trigger still fills a new member's minute from its conversation.
      await db.insertInto('members').values({ conversation_id: QUIET, user_id: BOB, role: 'member', joined_at: '2026-01-01T11:00:00.000Z' }).execute();
      const joined = await db.selectFrom('members').select('activity_minute').where('conversation_id', '=', QUIET).where('user_id', '=', BOB).executeTakeFirstOrThrow();
      expect(joined.activity_minute).not.toBeNull();
      expect(await db.selectFrom('blocks').selectAll().execute()).toEqual([]);
      if (dialect === 'sqlite') expect(await sql`pragma foreign_key_check`.execute(db)).toMatchObject({ rows: [] });
    });

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
