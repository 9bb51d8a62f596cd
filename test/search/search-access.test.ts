/**
 * GET /search/messages, once per database: who finds what (members now only: a former member,
 * a non-member, a user in no conversation), messages searchable the moment they are
 * acknowledged, by their current text only and never once deleted; the filters
 * (conversation_id, sender_id, before/after) and their refusals; paging that covers every hit
 * exactly once in both orders; cursors that are not ours refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, sendMessage } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { expectedSearch, newestFirst, tieOrderOf, withUsernames, type ExpectedFilters } from '../helpers/search-expectations.js';
import type { Person } from '../helpers/search-corpus.js';
import { loadSearchWorld, type SearchParams, type SearchWorld } from '../helpers/search-world.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const sorted = (items: readonly string[]) => [...items].sort();

for (const dialect of enabledDialects()) {
  describe(`GET /search/messages: access, filters and paging [${dialect}]`, () => {
    let server: TestServer;
    let w: SearchWorld;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      w = await loadSearchWorld(server);
    }, 120_000);
    afterAll(() => server?.close());

    /** The keys found (one page of up to 100), checked against the reference with these filters. */
    async function expectReference(as: Person, q: string, filters: ExpectedFilters = {}, params: SearchParams = {}): Promise<string[]> {
      const response = await w.search(as, { q, limit: 100, ...params });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const got = response.body.results.map((r: { message: { message_id: string } }) => w.keyOf(r.message.message_id));
      expect(sorted(got)).toEqual(sorted(expectedSearch(w.model, as, withUsernames(q, w.model.usernames), filters).keys!));
      return got;
    }

    describe('who finds what', () => {
      it('gives a former member nothing of the conversation they left, and everything again once added back', async () => {
        for (const q of ['cafe', 'standup', '東京', 'deplo*']) expect(await expectReference('erin', q)).toEqual([]);
        expectProblem(await w.search('erin', { q: 'cafe', conversation_id: w.conversations.c1 }), 403, 'not_member');
        expect((await w.users.alice.api.post(`/conversations/${w.conversations.c1}/members`, { user_id: w.users.erin.user.id })).status).toBe(201);
        w.model.members.c1.add('erin');
        try {
          expect(await expectReference('erin', 'cafe')).toHaveLength(2);
          expect(await expectReference('erin', 'standup')).toHaveLength(10);
          expect(await expectReference('erin', '東京', { conv: 'c1' }, { conversation_id: w.conversations.c1 })).toHaveLength(2);
        } finally {
          expect((await w.users.erin.api.delete(`/conversations/${w.conversations.c1}/members/${w.users.erin.user.id}`)).status).toBe(204);
          w.model.members.c1.delete('erin');
        }
        expect(await expectReference('erin', 'cafe')).toEqual([]);
      });

      it('gives a non-member only their own conversations, and 403 not_member when they name another', async () => {
        expect(await expectReference('frank', 'standup')).toEqual(['c3.standup']);
        expect(await expectReference('frank', 'Mississippi')).toEqual(['c3.miss']);
        expect(await expectReference('frank', 'deploy')).toEqual([]);
        expectProblem(await w.search('frank', { q: 'standup', conversation_id: w.conversations.c1 }), 403, 'not_member');
      });

      it('gives a user in no conversation an empty page', async () => {
        for (const q of ['standup', 'cafe', 'a', '東', '🎉']) {
          const response = await w.search('dave', { q });
          expect(response.status).toBe(200);
          expect(response.body).toEqual({ results: [], next_cursor: null });
        }
      });

      it('finds a message the moment it is acknowledged, an edited one by its new text only, a deleted one never', async () => {
        const { alice, bob } = w.users;
        const conversation = await createConversation(alice, [bob], 'live');
        const ids = async (q: string, user = alice) => {
          const response = await user.api.get(`/search/messages?q=${encodeURIComponent(q)}`);
          expect(response.status).toBe(200);
          return response.body.results.map((r: { message: { message_id: string } }) => r.message.message_id);
        };
        const sent = await sendMessage(bob, conversation.id, 'kumquat xylophone');
        expect(await ids('kumquat')).toEqual([sent.message_id]);
        const edited = await bob.api.patch(`/messages/${sent.message_id}`, { content: 'persimmon quince' });
        expect(edited.status).toBe(200);
        expect(await ids('kumquat')).toEqual([]);
        expect(await ids('xylophone')).toEqual([]);
        const found = await alice.api.get('/search/messages?q=persimmon');
        expect(found.body.results).toHaveLength(1);
        expect(found.body.results[0].message).toMatchObject({ message_id: sent.message_id, content: 'persimmon quince', edited_at: expect.any(String), deleted: false });
        expect(found.body.results[0].snippet).toBe('persimmon quince');
        expect((await bob.api.delete(`/messages/${sent.message_id}`)).status).toBe(204);
        expect(await ids('persimmon')).toEqual([]);
        expect(await ids('quince')).toEqual([]);
        // Sent over the WebSocket (on SQLite, by the writer thread), as a thread reply too: searchable once acknowledged.
        const socket = await TestSocket.open(server.wsUrl, { token: bob.token });
        try {
          const root = await sendMessage(alice, conversation.id, 'a thread root');
          for (const extra of [{}, { thread_root_id: root.message_id }]) {
            const id = randomUUID();
            const ack = await socket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: `tamarillo ${id}`, ...extra }, (f) => f.type === 'ack' || f.type === 'error');
            expect(ack).toMatchObject({ type: 'ack', message_id: id });
            expect(await ids(`tamarillo "${id}"`)).toEqual([id]);
          }
        } finally {
          socket.close();
        }
        // Removed from the conversation: nothing of it is found any more, at once.
        const later = await sendMessage(alice, conversation.id, 'kumquat gamma');
        expect(await ids('kumquat', bob)).toEqual([later.message_id]);
        expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        expect(await ids('kumquat', bob)).toEqual([]);
        expect(await ids('kumquat')).toEqual([later.message_id]);
      });
    });

    describe('filters', () => {
      it('narrows to one conversation with conversation_id', async () => {
        expect(await expectReference('alice', 'standup', { conv: 'c2' }, { conversation_id: w.conversations.c2 })).toHaveLength(5);
        expect(await expectReference('alice', 'standup', { conv: 'c1' }, { conversation_id: w.conversations.c1 })).toHaveLength(10);
        expect(await expectReference('carol', 'secret', { conv: 'c3' }, { conversation_id: w.conversations.c3 })).toHaveLength(4);
        // In upper case: the same conversation.
        expect(await expectReference('alice', 'cafe', { conv: 'c2' }, { conversation_id: w.conversations.c2.toUpperCase() })).toEqual(['c2.cafe']);
      });

      it('answers 403 not_member for a conversation the caller is not in, 404 not_found for an unknown one', async () => {
        expectProblem(await w.search('alice', { q: 'secret', conversation_id: w.conversations.c3 }), 403, 'not_member');
        expectProblem(await w.search('dave', { q: 'cafe', conversation_id: w.conversations.c1 }), 403, 'not_member');
        expectProblem(await w.search('alice', { q: 'cafe', conversation_id: randomUUID() }), 404, 'not_found');
        expectProblem(await w.search('alice', { q: 'cafe', conversation_id: 'not-a-uuid' }), 400, 'invalid_request');
      });

      it('narrows to one sender with sender_id, alone, with from: (agreeing or not) and with conversation_id', async () => {
        const bob = w.users.bob.user.id;
        expect(await expectReference('alice', 'standup', { sender: 'bob' }, { sender_id: bob })).toHaveLength(5);
        expect(await expectReference('alice', 'from:bob standup', { sender: 'bob' }, { sender_id: bob })).toHaveLength(5);
        expect(await expectReference('alice', 'from:alice standup', { sender: 'bob' }, { sender_id: bob })).toEqual([]);
        expect(await expectReference('alice', 'cafe', { sender: 'bob', conv: 'c1' }, { sender_id: bob, conversation_id: w.conversations.c1 })).toEqual([]);
        expect(await expectReference('alice', 'standup', { sender: 'dave' }, { sender_id: w.users.dave.user.id })).toEqual([]);
        // A sender id nobody has finds nothing: an empty page, not an error.
        expect((await w.search('alice', { q: 'standup', sender_id: randomUUID() })).body).toEqual({ results: [], next_cursor: null });
      });

      it('keeps messages created strictly between after and before', async () => {
        const standups = newestFirst(w.model.messages.filter((m) => m.key.startsWith('standup.'))).reverse();
        const after = standups[3]!.createdAt;
        const before = standups[11]!.createdAt;
        const between = await expectReference('alice', 'standup', { after, before }, { after, before });
        expect(between.length).toBeGreaterThan(0);
        expect(between).not.toContain(standups[3]!.key);
        expect(between).not.toContain(standups[11]!.key);
        expect(await expectReference('alice', 'standup', { after }, { after })).not.toContain(standups[3]!.key);
        expect(await expectReference('alice', 'standup', { before }, { before })).not.toContain(standups[11]!.key);
        // The same instants written with an offset mean the same.
        const shifted = (iso: string) => new Date(Date.parse(iso) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
        expect(sorted(await expectReference('alice', 'standup', { after, before }, { after: shifted(after), before: shifted(before) }))).toEqual(sorted(between));
        expect(await expectReference('alice', 'standup', { after: before, before: after }, { after: before, before: after })).toEqual([]);
      });
    });

    describe('paging', () => {
      for (const order of ['relevance', 'recent'] as const) {
        for (const { q, limit, filters, params } of [
          { q: 'standup', limit: 2, filters: {}, params: {} },
          { q: 'standup', limit: 5, filters: {}, params: {} },
          { q: 'standup', limit: 2, filters: { conv: 'c1' as const }, params: { conversation_id: 'c1' } },
          { q: 'standup notes', limit: 1, filters: { sender: 'carol' as const }, params: { sender_id: 'carol' } },
        ]) {
          it(`covers every hit exactly once with limit ${limit}, order=${order}, q=${q} ${JSON.stringify(params)}`, async () => {
            const resolved: SearchParams = {};
            if (params.conversation_id) resolved.conversation_id = w.conversations.c1;
            if (params.sender_id) resolved.sender_id = w.users.carol.user.id;
            const expected = expectedSearch(w.model, 'alice', q, filters, tieOrderOf(dialect)).keys!;
            expect(expected.length).toBeGreaterThan(limit * 2);
            const { ids, pages } = await w.searchAll('alice', { q, limit, order, ...resolved });
            const keys = ids.map((id) => w.keyOf(id));
            expect(new Set(keys).size).toBe(keys.length);
            expect(sorted(keys)).toEqual(sorted(expected));
            if (order === 'recent') expect(keys).toEqual(expected);
            // Full pages until the last, which says so: no empty page after a full one.
            expect(pages).toHaveLength(Math.ceil(expected.length / limit));
            for (const page of pages.slice(0, -1)) {
              expect(page.results).toHaveLength(limit);
              expect(typeof page.next_cursor).toBe('string');
            }
            expect(pages.at(-1).results.length).toBeGreaterThan(0);
            expect(pages.at(-1).next_cursor).toBeNull();
          });
        }
      }

      it('answers 400 invalid_cursor to a cursor that is not a next_cursor of this order', async () => {
        const first = await w.search('alice', { q: 'standup', limit: 2, order: 'recent' });
        const recentCursor = first.body.next_cursor as string;
        expect(typeof recentCursor).toBe('string');
        const garbage = ['garbage', 'AAAA', '%%%', Buffer.from('{}').toString('base64url'), Buffer.from('{"o":"recent","k":[]}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('null').toString('base64url')];
        for (const cursor of garbage) expectProblem(await w.search('alice', { q: 'standup', limit: 2, order: 'recent', cursor }), 400, 'invalid_cursor');
        // A recent cursor is not a relevance one.
        expectProblem(await w.search('alice', { q: 'standup', limit: 2, order: 'relevance', cursor: recentCursor }), 400, 'invalid_cursor');
        // Longer than the schema allows: invalid_request.
        expectProblem(await w.search('alice', { q: 'standup', cursor: 'x'.repeat(1025) }), 400, 'invalid_request');
      });
    });
  });
}
