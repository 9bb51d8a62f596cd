/**
 * PostgreSQL search (src/store/search/postgres-search.ts) against the definition
 * (src/domain/search/reference-match.ts): on a fixed multilingual corpus, every query's hits,
 * read page by page in both orders, are exactly the caller's visible messages that
 * queryMatches says match, each once; membership, deletes and edits; hostile queries.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import type { SearchOrder, SearchProvider, SearchRequest } from '../../src/domain/ports/search-provider.js';
import { PostgresSearchProvider } from '../../src/store/search/postgres-search.js';
import type { SqlStore } from '../../src/store/store.js';
import { queryMatches } from '../../src/domain/search/reference-match.js';
import { parseSearchQuery } from '../../src/domain/search/search-query.js';
import { enabledDialects } from '../helpers/dialects.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';
import { CORPUS, HOSTILE_QUERIES, QUERIES } from './search-corpus.js';

const subject = storeSubjects.find((s) => s.name === 'postgres');

describe.skipIf(!enabledDialects().includes('postgres') || !subject)('PostgreSQL search', () => {
  const store = storeForSuite(subject!);
  const { user, conversation, send } = storeFactories(() => store);
  /** Every message the caller should see: id → current content. */
  const visible = new Map<string, Map<string, string>>();
  let alice = '';
  let bob = '';
  let carol = '';
  let dave = '';
  let shared = '';

  async function seed(): Promise<void> {
    if (alice) return;
    [alice, bob, carol, dave] = [await user(), await user(), await user(), await user()];
    shared = await conversation(alice, [bob]);
    const aliceOnly = await conversation(alice, [bob]); // bob leaves it below: a former member
    const carols = await conversation(carol);
    const sent: { id: string; conversation: string; content: string }[] = [];
    for (const [i, content] of CORPUS.entries()) {
      const target = [shared, aliceOnly, carols][i % 3]!;
      const sender = target === carols ? carol : i % 2 === 0 ? alice : bob;
      const result = await send(target, sender, content);
      sent.push({ id: result.message.message_id, conversation: target, content });
    }
    await store.conversations.removeMember(aliceOnly, bob, bob, at(10));
    // A deleted message, an edited one (found by its new text only) and one with a reaction.
    const [deleted, edited, reacted] = sent.filter((m) => m.conversation === shared);
    await store.messages.markDeleted({ message_id: deleted!.id, conversation_id: shared }, at(20), alice);
    await store.messages.edit({ message_id: edited!.id, conversation_id: shared }, 'rewritten: zeppelin überraschung', at(21), alice);
    edited!.content = 'rewritten: zeppelin überraschung';
    await store.reactions.add({ message: { message_id: reacted!.id, conversation_id: shared }, emoji: '👍', user_id: alice, at: at(22) }, 20);
    const conversationsOf = new Map([
      [alice, [shared, aliceOnly]],
      [bob, [shared]],
      [carol, [carols]],
      [dave, []],
    ]);
    for (const [who, mine] of conversationsOf) {
      visible.set(who, new Map(sent.filter((m) => mine.includes(m.conversation) && m !== deleted).map((m) => [m.id, m.content])));
    }
  }

  function request(userId: string, q: string, order: SearchOrder, cursor: string | null, limit = 4): SearchRequest {
    return { userId, query: parseSearchQuery(q), conversationId: null, senderId: null, before: null, after: null, order, limit, cursor };
  }

  /** Every page of a query, in order. */
  async function allPages(userId: string, q: string, order: SearchOrder, limit = 4, provider: SearchProvider = store.search): Promise<Message[]> {
    const found: Message[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await provider.search(request(userId, q, order, cursor, limit));
      expect(page.messages.length).toBeLessThanOrEqual(limit);
      found.push(...page.messages);
      if (page.nextCursor === null) return found;
      cursor = page.nextCursor;
    }
    throw new Error('more than 100 pages');
  }

  const expected = (userId: string, q: string) => {
    const parsed = parseSearchQuery(q);
    return [...visible.get(userId)!].filter(([, content]) => queryMatches(parsed, content)).map(([id]) => id).sort();
  };

  it.each(QUERIES)('finds exactly what the definition matches for %j, each hit once, in both orders', async (q) => {
    await seed();
    for (const who of [alice, bob, carol]) {
      for (const order of ['recent', 'relevance'] as const) {
        const found = await allPages(who, q, order);
        const ids = found.map((m) => m.message_id);
        expect(new Set(ids).size, `${order}: a hit on two pages`).toBe(ids.length);
        expect([...ids].sort(), `${order} for ${who === alice ? 'alice' : who === bob ? 'bob' : 'carol'}`).toEqual(expected(who, q));
        if (order === 'recent') {
          const times = found.map((m) => m.created_at);
          expect(times).toEqual([...times].sort().reverse());
        }
      }
    }
  });

  it('has a corpus where most queries find something (so equal answers mean something)', async () => {
    await seed();
    const empty = QUERIES.filter((q) => expected(alice, q).length + expected(carol, q).length === 0);
    expect(empty.length).toBeLessThan(QUERIES.length / 10);
  });

  it('returns the stored messages as history has them (reactions, edits), never a deleted one', async () => {
    await seed();
    const found = await allPages(alice, 'zeppelin', 'recent');
    expect(found.length).toBeGreaterThan(0);
    for (const message of found) expect(message).toEqual(await store.messages.findById(message.message_id));
    expect(found.some((m) => m.content.startsWith('rewritten'))).toBe(true);
    const thumbs = await allPages(alice, 'the', 'recent', 100);
    const reacted = thumbs.find((m) => m.reactions.length > 0);
    if (reacted) expect(reacted).toEqual(await store.messages.findById(reacted.message_id));
  });

  it('finds nothing for a user in no conversation, and nothing of conversations left or never joined', async () => {
    await seed();
    for (const q of ['the', 'café', 'zeppelin', '東京']) {
      expect((await store.search.search(request(dave, q, 'recent', null))).messages).toEqual([]);
      const bobs = await allPages(bob, q, 'recent');
      expect(bobs.every((m) => m.conversation_id === shared)).toBe(true);
      const carols = await allPages(carol, q, 'relevance');
      expect(carols.every((m) => visible.get(carol)!.has(m.message_id))).toBe(true);
    }
  });

  it('ranks the newest hits only, when told so few, the older ones following newest first, each hit once', async () => {
    await seed();
    const narrow = new PostgresSearchProvider((store as unknown as SqlStore).opened.db, { rankedNewest: 3 });
    // More hits than the band, whole words and inside words, so the order has something to show.
    for (const [i, content] of ['zorblax one', 'prezorblaxed two', 'zorblax zorblax three', 'the zorblaxes four', 'zorblax five', 'unzorblax six', 'zorblax seven'].entries()) {
      const sent = await send(shared, i % 2 === 0 ? alice : bob, content);
      for (const who of [alice, bob]) visible.get(who)!.set(sent.message.message_id, content);
    }
    for (const q of ['zorblax', '"zorblax"', 'zorb*']) {
      expect(expected(alice, q).length, q).toBeGreaterThan(3);
      const newest = (await allPages(alice, q, 'recent', 100)).map((m) => m.message_id);
      const banded = (await allPages(alice, q, 'relevance', 2, narrow)).map((m) => m.message_id);
      expect(banded.slice(3), q).toEqual(newest.slice(3));
      expect([...banded.slice(0, 3)].sort(), q).toEqual([...newest.slice(0, 3)].sort());
    }
  });

  it('ranks whole-word matches above matches inside longer words', async () => {
    await seed();
    const found = await allPages(alice, 'report', 'relevance', 100);
    const whole = (m: Message) => /(^|[^\p{L}\p{N}])report([^\p{L}\p{N}]|$)/iu.test(m.content);
    const firstPartial = found.findIndex((m) => !whole(m));
    if (firstPartial >= 0) expect(found.slice(firstPartial).every((m) => !whole(m))).toBe(true);
  });

  it('applies the conversation, sender and time filters', async () => {
    await seed();
    const all = await allPages(alice, 'the', 'recent', 100);
    const middle = all[Math.floor(all.length / 2)]!.created_at;
    const base = request(alice, 'the', 'recent', null, 100);
    const page = (extra: Partial<SearchRequest>) => store.search.search({ ...base, ...extra }).then((p) => p.messages);
    expect(await page({ conversationId: shared })).toEqual(all.filter((m) => m.conversation_id === shared));
    expect(await page({ senderId: bob })).toEqual(all.filter((m) => m.sender_id === bob));
    expect(await page({ before: middle })).toEqual(all.filter((m) => m.created_at < middle));
    expect(await page({ after: middle })).toEqual(all.filter((m) => m.created_at > middle));
  });

  it.each(HOSTILE_QUERIES)('answers the hostile query %j without a database error', async (q) => {
    await seed();
    let parsed;
    try {
      parsed = parseSearchQuery(q);
    } catch {
      return; // refused with a 400 before any provider is asked
    }
    for (const order of ['recent', 'relevance'] as const) {
      const found = await allPages(alice, q, order);
      expect(found.map((m) => m.message_id).sort()).toEqual([...visible.get(alice)!].filter(([, c]) => queryMatches(parsed, c)).map(([id]) => id).sort());
    }
  });

  it('refuses a cursor it did not make, or made for the other order', async () => {
    await seed();
    const first = await store.search.search(request(alice, 'the', 'recent', null, 1));
    expect(first.nextCursor).not.toBeNull();
    await expect(store.search.search(request(alice, 'the', 'relevance', first.nextCursor))).rejects.toMatchObject({ code: 'invalid_cursor' });
    const forged = Buffer.from(JSON.stringify({ o: 'recent', k: ['2026-02-30T00:00:00.000000Z', 'x'] })).toString('base64url');
    await expect(store.search.search(request(alice, 'the', 'recent', forged))).rejects.toMatchObject({ code: 'invalid_cursor' });
    const id = '00000000-0000-4000-8000-000000000000';
    for (const rank of [1e39, 1e-50, -1e39]) {
      const outOfRange = Buffer.from(JSON.stringify({ o: 'relevance', k: [rank, '2026-01-01T00:00:00.000000Z', id] })).toString('base64url');
      await expect(store.search.search(request(alice, 'the', 'relevance', outOfRange))).rejects.toMatchObject({ code: 'invalid_cursor' });
    }
    const fine = Buffer.from(JSON.stringify({ o: 'relevance', k: [0.5, '2026-01-01T00:00:00.000000Z', id] })).toString('base64url');
    await expect(store.search.search(request(alice, 'the', 'relevance', fine))).resolves.toBeDefined();
  });
});
