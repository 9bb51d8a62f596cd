/**
 * SearchService over in-memory fakes: the rate limit taken before anything else, the query
 * parsed before the provider is asked, conversation_id checked like every other route, from:
 * resolved to a sender (agreeing with sender_id or finding nothing), times passed to providers in
 * one spelling, defaults, and snippets made from each hit's current text.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import type { SearchRequest } from '../../../src/domain/ports/search-provider.js';
import { SearchService } from '../../../src/domain/search.service.js';
import { newTestServices } from '../fakes/test-services.js';

async function arrange(searchesPerMinute?: number) {
  const t = newTestServices(searchesPerMinute === undefined ? {} : { limits: { searches: searchesPerMinute } });
  const [alice, bob, carol] = [await t.newUser('alice'), await t.newUser('Bob'), await t.newUser('carol')];
  const conversation = await t.newConversation(alice, [bob]);
  const elsewhere = await t.newConversation(carol, []);
  const send = async (sender: string, content: string, conversationId = conversation.id) =>
    (await t.messages.send(sender, { message_id: randomUUID(), conversation_id: conversationId, content })).message;
  // Every request the provider is asked, as it was asked.
  const requests: SearchRequest[] = [];
  const provider = t.store.search;
  const store = Object.create(t.store, { search: { value: { search: (r: SearchRequest) => (requests.push(r), provider.search(r)) } } }) as typeof t.store;
  const search = new SearchService({ store, limiter: t.limiter });
  return { ...t, alice, bob, carol, conversation, elsewhere, send, search, requests };
}

const codeOf = async (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof AppError ? error.code : String(error)));

describe('SearchService', () => {
  it('finds the caller’s messages with a snippet of their current text, relevance and 20 by default', async () => {
    const { search, alice, bob, send, requests, messages } = await arrange();
    const first = await send(bob.id, 'Café au lait');
    await send(alice.id, 'tea');
    await messages.edit(bob.id, first.message_id, 'Un café crème');
    const page = await search.search(alice.id, { q: 'CAFE' });
    expect(page).toEqual({ results: [{ message: expect.objectContaining({ message_id: first.message_id, content: 'Un café crème' }), snippet: 'Un café crème', highlights: [[3, 7]] }], next_cursor: null });
    expect(requests[0]).toMatchObject({ userId: alice.id, order: 'relevance', limit: 20, cursor: null, conversationId: null, senderId: null, before: null, after: null });
    expect(requests[0]!.query.terms).toEqual([{ kind: 'word', text: 'cafe', raw: 'CAFE' }]);
  });

  it('spends the rate limit first, even on a query it refuses', async () => {
    const { search, alice } = await arrange(2);
    expect(await codeOf(search.search(alice.id, { q: '   ' }))).toBe('invalid_query');
    expect(await codeOf(search.search(alice.id, { q: 'x' }))).toBeNull();
    expect(await codeOf(search.search(alice.id, { q: 'x' }))).toBe('rate_limited');
  });

  it('refuses a bad query before asking the provider', async () => {
    const { search, alice, requests } = await arrange();
    for (const q of ['', '%', 'from:bob', 'from:a from:b x']) expect(await codeOf(search.search(alice.id, { q }))).toBe('invalid_query');
    expect(await codeOf(search.search(alice.id, { q: 'x'.repeat(501) }))).toBe('query_too_long');
    expect(requests).toEqual([]);
  });

  it('checks conversation_id as every route does: 404 unknown, 403 not a member', async () => {
    const { search, alice, elsewhere, conversation, requests } = await arrange();
    expect(await codeOf(search.search(alice.id, { q: 'x', conversation_id: randomUUID() }))).toBe('not_found');
    expect(await codeOf(search.search(alice.id, { q: 'x', conversation_id: elsewhere.id }))).toBe('not_member');
    expect(requests).toEqual([]);
    await search.search(alice.id, { q: 'x', conversation_id: conversation.id });
    expect(requests[0]!.conversationId).toBe(conversation.id);
  });

  it('resolves from:username ignoring case, and finds nothing for an unknown sender or one that disagrees with sender_id', async () => {
    const { search, alice, bob, send, requests } = await arrange();
    const bobs = await send(bob.id, 'standup notes');
    await send(alice.id, 'standup notes');
    const ids = async (params: Parameters<SearchService['search']>[1]) => (await search.search(alice.id, params)).results.map((r) => r.message.message_id);
    expect(await ids({ q: 'from:bob standup' })).toEqual([bobs.message_id]);
    expect(await ids({ q: 'FROM:@BOB standup', sender_id: bob.id })).toEqual([bobs.message_id]);
    expect(requests.map((r) => r.senderId)).toEqual([bob.id, bob.id]);
    expect(await ids({ q: 'from:nobody standup' })).toEqual([]);
    expect(await ids({ q: 'from:bob standup', sender_id: alice.id })).toEqual([]);
    // Neither of those asked the provider.
    expect(requests).toHaveLength(2);
  });

  it('passes before and after to the provider as toISOString() spells them, with the order, limit and cursor given', async () => {
    const { search, alice, requests } = await arrange();
    await search.search(alice.id, { q: 'x', before: '2026-01-01T02:00:00+02:00', after: '2025-12-31T23:59:59.5Z', order: 'recent', limit: 7 });
    expect(requests[0]).toMatchObject({ before: '2026-01-01T00:00:00.000Z', after: '2025-12-31T23:59:59.500Z', order: 'recent', limit: 7 });
  });

  it('never finds a deleted message, nor one of a conversation the caller left', async () => {
    const { search, alice, bob, send, messages, conversations, conversation } = await arrange();
    const gone = await send(bob.id, 'zebra');
    await send(bob.id, 'zebra again');
    await messages.delete(bob.id, gone.message_id);
    expect((await search.search(alice.id, { q: 'zebra' })).results.map((r) => r.message.content)).toEqual(['zebra again']);
    await conversations.removeMember(bob.id, conversation.id, bob.id);
    expect((await search.search(bob.id, { q: 'zebra' })).results).toEqual([]);
  });
});
