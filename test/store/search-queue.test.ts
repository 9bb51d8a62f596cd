/**
 * The SQLite search queue (src/store/sqlite/search-queue.ts): sends, edits and deletes queue
 * their messages instead of writing FTS5; a search drains the queue first, so it finds every
 * message acknowledged before it; the search thread drains it in the background too; and a
 * message is never found by text it no longer has.
 */
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import { parseSearchQuery } from '../../src/domain/search/search-query.js';
import { SqliteSearchProvider } from '../../src/store/search/sqlite-search.js';
import { openStore, type SqlStore } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { at } from '../helpers/store-subjects.js';

const STORE_OPTIONS = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000, cacheInProcess: false };

describe('SQLite search queue', () => {
  let database: TestDatabase;
  let store: SqlStore;
  let raw: SQLite.Database;
  let alice = '';
  let team = '';
  const open: { close(): Promise<void> }[] = [];

  const send = async (content: string): Promise<Message> =>
    (await store.messages.append({ message_id: randomUUID(), conversation_id: team, sender_id: alice, content })).message;
  const found = async (provider: { search: SqlStore['search']['search'] }, q: string) => {
    const page = await provider.search({ userId: alice, query: parseSearchQuery(q), conversationId: null, senderId: null, before: null, after: null, order: 'recent', limit: 100, cursor: null });
    return page.messages.map((m) => m.content);
  };
  const queued = () => (raw.prepare('select count(*) as n from search_pending').get() as { n: number }).n;
  /** Index rows (not messages) whose words match: 2 for one message would mean it is in twice. */
  const indexRows = (word: string) => (raw.prepare('select count(*) as n from message_words where message_words match ?').get(`words : "${word}"`) as { n: number }).n;
  const trigramRows = (text: string) => (raw.prepare('select count(*) as n from message_trigrams where message_trigrams match ?').get(`"${text}"`) as { n: number }).n;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // No drain but the one before each search: the queue stays visible between them.
    store = await openStore(database.url, { ...STORE_OPTIONS, sqliteSearchDrainIntervalMs: 3_600_000 });
    // A connection of the kind the sqlite3 shell opens: without the server's SQL functions.
    raw = new SQLite(database.path!);
    alice = randomUUID();
    await store.users.create({ id: alice, username: 'alice', created_at: at(0), password_hash: 'h' });
    team = randomUUID();
    await store.conversations.create({ id: team, title: 't', created_by: alice, created_at: at(0), member_ids: [] });
  }, 30_000);

  afterEach(async () => {
    while (open.length > 0) await open.pop()!.close();
  });

  afterAll(async () => {
    raw?.close();
    await store?.close();
    await database?.drop();
  });

  it('queues a send instead of indexing it, and a search drains the queue first', async () => {
    await send('quince tart');
    await send('quince jam');
    expect(queued()).toBe(2);
    expect(indexRows('quince')).toBe(0);
    expect(await found(store.search, 'quince')).toEqual(['quince jam', 'quince tart']);
    expect(queued()).toBe(0);
    expect(indexRows('quince')).toBe(2);
    expect(trigramRows('uinc')).toBe(2);
  });

  it('finds a message edited while queued by its new text only, indexed once', async () => {
    const m = await send('kiwi sorbet');
    await store.messages.edit({ message_id: m.message_id, conversation_id: team }, 'mango sorbet', at(1), alice);
    expect(queued()).toBe(1);
    expect(await found(store.search, 'kiwi')).toEqual([]);
    expect(await found(store.search, 'mango')).toEqual(['mango sorbet']);
    expect(indexRows('sorbet')).toBe(1);
  });

  it('takes an indexed message out of the indexes when it is edited, and queues its new text', async () => {
    const m = await send('plum cake');
    expect(await found(store.search, 'plum')).toEqual(['plum cake']);
    await store.messages.edit({ message_id: m.message_id, conversation_id: team }, 'pear cake', at(2), alice);
    expect(indexRows('plum')).toBe(0);
    expect(queued()).toBe(1);
    expect(await found(store.search, 'plum')).toEqual([]);
    expect(await found(store.search, 'pear')).toEqual(['pear cake']);
    expect(indexRows('cake')).toBe(1);
  });

  it('never indexes a message deleted while queued, and takes an indexed one out when deleted', async () => {
    const queuedOne = await send('fig roll');
    await store.messages.markDeleted({ message_id: queuedOne.message_id, conversation_id: team }, at(3), alice);
    expect(queued()).toBe(0);
    const indexed = await send('date roll');
    expect(await found(store.search, 'roll')).toEqual(['date roll']);
    await store.messages.markDeleted({ message_id: indexed.message_id, conversation_id: team }, at(4), alice);
    expect(await found(store.search, 'roll')).toEqual([]);
    expect(indexRows('roll')).toBe(0);
    expect(trigramRows('oll')).toBe(0);
  });

  it('lets a connection without the server\'s functions (the sqlite3 shell) edit a message; the server indexes it', async () => {
    const m = await send('walnut bread');
    raw.prepare('update messages set content = ? where message_id = ?').run('hazelnut bread', m.message_id);
    expect(await found(store.search, 'walnut')).toEqual([]);
    expect(await found(store.search, 'hazelnut')).toEqual(['hazelnut bread']);
  });

  it('drains the queue in the background, without a search', async () => {
    const provider = new SqliteSearchProvider(database.path!, store.opened.db, { busyTimeoutMs: 5_000, drainIntervalMs: 20 });
    open.push(provider);
    await provider.ready;
    await send('lime pickle');
    for (let i = 0; i < 200 && queued() > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(queued()).toBe(0);
    expect(indexRows('pickle')).toBe(1);
  });

  it('finds a message edited while the backfill runs by its new text only', async () => {
    const m = await send('apricot scone');
    expect(await found(store.search, 'apricot')).toEqual(['apricot scone']);
    // As after migration 0010 with many messages: the indexes empty, the backfill to run.
    raw.exec("insert into message_words (message_words) values ('delete-all'); insert into message_trigrams (message_trigrams) values ('delete-all')");
    raw.exec('insert into search_backfill (id, next_rowid) select 1, max(rowid) from messages');
    await store.messages.edit({ message_id: m.message_id, conversation_id: team }, 'apricot bun, warm', at(5), alice);
    expect(queued()).toBe(1);
    const provider = new SqliteSearchProvider(database.path!, store.opened.db, { busyTimeoutMs: 5_000, backfillBatch: 3, drainIntervalMs: 3_600_000 });
    open.push(provider);
    for (let i = 0; i < 200 && raw.prepare('select 1 from search_backfill').get() !== undefined; i++) await new Promise((r) => setTimeout(r, 25));
    expect(raw.prepare('select 1 from search_backfill').get()).toBeUndefined();
    expect(queued()).toBe(1);
    expect(await found(provider, 'apricot')).toEqual(['apricot bun, warm']);
    expect(await found(provider, 'scone')).toEqual([]);
    expect(indexRows('apricot')).toBe(1);
    expect(trigramRows('pricot')).toBe(1);
    expect(await found(provider, 'quince')).toEqual(['quince jam', 'quince tart']);
  });
});
