/**
 * The SQLite SearchProvider against the reference definition (src/domain/search/
 * reference-match.ts) on a fixed corpus (search-sqlite-corpus.ts): every query finds exactly the
 * caller's visible messages the reference matches, over pages that hold each hit once, in both
 * orders; members only (a former member, a non-member, a user in no conversation); deleted and
 * edited messages; hostile queries; the background backfill of messages stored before the index.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import type { SearchOrder, SearchProvider, SearchRequest } from '../../src/domain/ports/search-provider.js';
import { queryMatches } from '../../src/domain/search/reference-match.js';
import { parseSearchQuery } from '../../src/domain/search/search-query.js';
import { SqliteSearchProvider } from '../../src/store/search/sqlite-search.js';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import { openStore, type SqlStore } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { at } from '../helpers/store-subjects.js';
import { CORPUS, HOSTILE, QUERIES } from './search-sqlite-corpus.js';

interface Stored {
  message: Message;
  conversation: string;
}

describe('SqliteSearchProvider', () => {
  let database: TestDatabase;
  let store: SqlStore;
  const stored = new Map<string, Stored>();
  const members = new Map<string, Set<string>>(); // conversation → user ids now
  const ids: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', string> = { alice: '', bob: '', carol: '', dave: '', erin: '' };
  const conv: Record<'team' | 'pair' | 'other', string> = { team: '', pair: '', other: '' };

  async function send(conversation: string, sender: string, content: string): Promise<Message> {
    const result = await store.messages.append({ message_id: randomUUID(), conversation_id: conversation, sender_id: sender, content });
    stored.set(result.message.message_id, { message: result.message, conversation });
    return result.message;
  }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    store = await openStore(database.url, { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000, cacheInProcess: false });
    for (const name of Object.keys(ids) as (keyof typeof ids)[]) {
      ids[name] = randomUUID();
      await store.users.create({ id: ids[name], username: name, created_at: at(0), password_hash: 'h' });
    }
    const create = async (owner: string, others: string[]) => {
      const id = randomUUID();
      await store.conversations.create({ id, title: 't', created_by: owner, created_at: at(0), member_ids: others });
      members.set(id, new Set([owner, ...others]));
      return id;
    };
    conv.team = await create(ids.alice, [ids.bob, ids.carol]);
    conv.pair = await create(ids.alice, [ids.bob]);
    conv.other = await create(ids.dave, [ids.bob]);
    for (const [i, content] of CORPUS.entries()) {
      await send(i % 3 === 2 ? conv.pair : conv.team, i % 2 === 0 ? ids.alice : ids.bob, content);
      await send(conv.other, ids.dave, content);
    }
    // Carol leaves the team: a former member finds none of its messages.
    await store.conversations.removeMember(conv.team, ids.carol, ids.carol, at(1));
    members.get(conv.team)!.delete(ids.carol);
    // A deleted message is never found; an edited one only by its new text.
    const gone = await send(conv.team, ids.alice, 'hello deleted secret banana');
    const deleted = await store.messages.markDeleted({ message_id: gone.message_id, conversation_id: conv.team }, at(2), ids.alice);
    stored.set(gone.message_id, { message: deleted!, conversation: conv.team });
    const before = await send(conv.team, ids.bob, 'banana split recipe');
    const edited = await store.messages.edit({ message_id: before.message_id, conversation_id: conv.team }, 'cherry pie recipe', at(3), ids.bob);
    stored.set(before.message_id, { message: edited!, conversation: conv.team });
    await send(conv.team, ids.alice, 'helloworld joined as one word');
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const request = (userId: string, q: string, order: SearchOrder, limit: number, extra: Partial<SearchRequest> = {}): SearchRequest => ({
    userId, query: parseSearchQuery(q), conversationId: null, senderId: null, before: null, after: null, order, limit, cursor: null, ...extra,
  });

  /** Every page of a search, checking that no hit is on two pages. */
  async function allPages(provider: SearchProvider, first: SearchRequest): Promise<Message[]> {
    const found: Message[] = [];
    let cursor: string | null = null;
    do {
      const page = await provider.search({ ...first, cursor });
      found.push(...page.messages);
      cursor = page.nextCursor;
      if (page.messages.length < first.limit) expect(cursor).toBeNull();
    } while (cursor !== null);
    expect(new Set(found.map((m) => m.message_id)).size).toBe(found.length);
    return found;
  }

  /** What the reference says `userId` finds, newest first: the later stored first (sends are one at a time). */
  function expected(userId: string, q: string, filter: (m: Message) => boolean = () => true): string[] {
    const query = parseSearchQuery(q);
    const hits = [...stored.values()]
      .filter(({ message, conversation }) => members.get(conversation)!.has(userId) && !message.deleted && filter(message) && queryMatches(query, message.content))
      .map(({ message }) => message)
      .reverse();
    for (const [i, m] of hits.entries()) if (i > 0) expect(m.created_at <= hits[i - 1]!.created_at).toBe(true);
    return hits.map((m) => m.message_id);
  }

  it('finds exactly what the reference matches, newest first, each hit on one page', async () => {
    const mismatches: string[] = [];
    for (const q of QUERIES) {
      const got = (await allPages(store.search, request(ids.alice, q, 'recent', 4))).map((m) => m.message_id);
      const want = expected(ids.alice, q);
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${q}: got ${got.length}, want ${want.length}`);
    }
    expect(mismatches).toEqual([]);
  });

  for (const drive of ['index', 'members'] as const) {
    it(`finds the same with the ${drive} drive whichever the estimate picks, relevance ranking only the newest hits too`, async () => {
      const provider = new SqliteSearchProvider(database.path!, store.opened.db, { busyTimeoutMs: 5_000, drive });
      // Three ranked: older hits follow, newest first, and paging crosses the band's end.
      const narrow = new SqliteSearchProvider(database.path!, store.opened.db, { busyTimeoutMs: 5_000, drive, rankedNewest: 3 });
      try {
        const mismatches: string[] = [];
        for (const q of QUERIES) {
          const want = expected(ids.alice, q);
          const recent = (await allPages(provider, request(ids.alice, q, 'recent', 4))).map((m) => m.message_id);
          const relevance = (await allPages(provider, request(ids.alice, q, 'relevance', 5))).map((m) => m.message_id);
          const banded = (await allPages(narrow, request(ids.alice, q, 'relevance', 2))).map((m) => m.message_id);
          if (JSON.stringify(recent) !== JSON.stringify(want)) mismatches.push(`${q} recent`);
          if (JSON.stringify([...relevance].sort()) !== JSON.stringify([...want].sort())) mismatches.push(`${q} relevance`);
          // Past the three newest, the rest newest first; the three are ranked among themselves.
          if (JSON.stringify(banded.slice(3)) !== JSON.stringify(want.slice(3)) || JSON.stringify(banded.slice(0, 3).sort()) !== JSON.stringify(want.slice(0, 3).sort())) mismatches.push(`${q} banded`);
        }
        expect(mismatches).toEqual([]);
        expect(await allPages(provider, request(ids.carol, 'hello', 'recent', 5))).toEqual([]);
        // Within the band, bm25: whole-word matches of the newest first, in the band only.
        const hello = expected(ids.alice, 'hello');
        const rankedHello = (await allPages(narrow, request(ids.alice, 'hello', 'relevance', 1))).map((m) => m.message_id);
        expect(rankedHello.slice(3)).toEqual(hello.slice(3));
        expect(rankedHello.indexOf(hello[0]!)).toBe(2); // 'helloworld joined…' matches inside a word: last of the band
      } finally {
        await provider.close();
        await narrow.close();
      }
    });
  }

  it('finds the same set by relevance, each hit on one page', async () => {
    const mismatches: string[] = [];
    for (const q of QUERIES) {
      const got = (await allPages(store.search, request(ids.alice, q, 'relevance', 3))).map((m) => m.message_id).sort();
      const want = expected(ids.alice, q).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${q}: got ${got.length}, want ${want.length}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('ranks a whole-word match above a match inside a word', async () => {
    const page = await store.search.search(request(ids.alice, 'hello', 'relevance', 100));
    const joined = page.messages.findIndex((m) => m.content.startsWith('helloworld'));
    expect(joined).toBe(page.messages.length - 1);
    expect(page.messages.length).toBeGreaterThan(1);
  });

  it('returns the messages as stored, reactions included', async () => {
    const target = [...stored.values()].find((s) => s.message.content.startsWith('Great job'))!;
    const outcome = await store.reactions.add({ message: { message_id: target.message.message_id, conversation_id: target.conversation }, user_id: ids.bob, emoji: '🎉', at: at(4) }, 20);
    expect(outcome.kind).toBe('changed');
    const page = await store.search.search(request(ids.alice, '"great job"', 'recent', 10));
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toEqual(await store.messages.findById(target.message.message_id));
    expect(page.messages[0]!.reactions).toEqual([{ emoji: '🎉', count: 1 }]);
  });

  it('finds only the messages of conversations the caller is a member of now', async () => {
    for (const q of ['hello', '北京', '👍', 'ok', 'c*']) {
      expect(await allPages(store.search, request(ids.carol, q, 'recent', 5))).toEqual([]);
      expect(await allPages(store.search, request(ids.erin, q, 'relevance', 5))).toEqual([]);
      const dave = await allPages(store.search, request(ids.dave, q, 'recent', 5));
      expect(dave.every((m) => m.conversation_id === conv.other)).toBe(true);
      expect(dave.map((m) => m.message_id)).toEqual(expected(ids.dave, q));
    }
  });

  it('never finds a deleted message, and an edited one only by its new text', async () => {
    expect(expected(ids.alice, 'secret')).toEqual([]);
    expect(await allPages(store.search, request(ids.alice, 'secret', 'recent', 5))).toEqual([]);
    expect(await allPages(store.search, request(ids.alice, 'banana', 'relevance', 5))).toEqual([]);
    const cherry = await allPages(store.search, request(ids.alice, 'cherry', 'recent', 5));
    expect(cherry.map((m) => m.content)).toEqual(['cherry pie recipe']);
  });

  it('applies conversation, sender and time filters', async () => {
    const all = await allPages(store.search, request(ids.alice, 'hello', 'recent', 2));
    const middle = all[Math.floor(all.length / 2)]!.created_at;
    const cases: [Partial<SearchRequest>, (m: Message) => boolean][] = [
      [{ conversationId: conv.pair }, (m) => m.conversation_id === conv.pair],
      [{ senderId: ids.bob }, (m) => m.sender_id === ids.bob],
      [{ before: middle }, (m) => m.created_at < middle],
      [{ after: middle }, (m) => m.created_at > middle],
    ];
    for (const [extra, filter] of cases) {
      for (const q of ['hello', 'e*', '北京', 'ok']) {
        const got = await allPages(store.search, request(ids.alice, q, 'recent', 2, extra));
        expect(got.map((m) => m.message_id)).toEqual(expected(ids.alice, q, filter));
      }
    }
  });

  it('answers queries full of engine syntax without an error', async () => {
    for (const q of HOSTILE) {
      let query;
      try {
        query = parseSearchQuery(q);
      } catch {
        continue; // refused by the parser with a 400: not the provider's concern
      }
      const recent = await store.search.search({ ...request(ids.alice, 'x', 'recent', 100), query });
      expect(recent.messages.map((m) => m.message_id)).toEqual(expected(ids.alice, q));
      const relevance = await store.search.search({ ...request(ids.alice, 'x', 'relevance', 100), query });
      expect(relevance.messages.map((m) => m.message_id).sort()).toEqual(expected(ids.alice, q).sort());
    }
  });

  it('indexes the messages stored before the index in the background, newest first', async () => {
    const raw = openSqliteConnection(database.path!, { kind: 'handler', timeoutMs: 5_000 });
    raw.exec("insert into message_words (message_words) values ('delete-all'); insert into message_trigrams (message_trigrams) values ('delete-all')");
    raw.exec('insert into search_backfill (id, next_rowid) select 1, max(rowid) from messages');
    const provider = new SqliteSearchProvider(database.path!, store.opened.db, { busyTimeoutMs: 5_000, backfillBatch: 7 });
    try {
      for (let i = 0; i < 200 && raw.prepare('select 1 from search_backfill').get() !== undefined; i++) await new Promise((r) => setTimeout(r, 25));
      expect(raw.prepare('select 1 from search_backfill').get()).toBeUndefined();
      for (const q of ['hello', '北京', 'ok', 'cherry', 'banana', 'e-mail']) {
        expect((await allPages(provider, request(ids.alice, q, 'recent', 5))).map((m) => m.message_id)).toEqual(expected(ids.alice, q));
      }
    } finally {
      await provider.close();
      raw.close();
    }
  });
});
