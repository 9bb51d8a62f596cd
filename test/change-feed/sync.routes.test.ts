/**
 * POST /sync: one request brings a device up to date: events past each position, conversations
 * joined meanwhile (snapshots), gone ones, read positions and the user's own position.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Entry = Record<string, any>;

for (const dialect of enabledDialects()) {
  describe(`POST /sync [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
    });
    afterAll(async () => {
      await server.close();
    });

    const sync = async (user: TestUser, conversations: Record<string, number>, extra: object = {}) => {
      const response = await user.api.post('/sync', { conversations, ...extra });
      expect(response.status).toBe(200);
      return response.body as { user_seq: number; conversations: Entry[] };
    };
    const entryOf = (answer: { conversations: Entry[] }, id: string) => {
      const matching = answer.conversations.filter((e) => e.conversation_id === id);
      expect(matching).toHaveLength(1);
      return matching[0]!;
    };

    it('compresses its answer when the client accepts it (gzip, br), and only then', async () => {
      const conversation = await createConversation(alice, [bob]);
      for (let i = 0; i < 10; i++) await sendMessage(alice, conversation.id, `message ${i} `.repeat(10));
      const body = JSON.stringify({ conversations: { [conversation.id]: 0 } });
      const post = (acceptEncoding: string | null) =>
        new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
          const url = new URL('/sync', server.url);
          const headers: Record<string, string> = { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' };
          if (acceptEncoding) headers['accept-encoding'] = acceptEncoding;
          const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
          });
          req.on('error', reject);
          req.end(body);
        });
      const plain = await post(null);
      expect(plain.encoding).toBeUndefined();
      const answer = JSON.parse(plain.bytes.toString('utf8'));
      expect(entryOf(answer, conversation.id).events).toHaveLength(11);
      const gzip = await post('gzip');
      expect(gzip.encoding).toBe('gzip');
      expect(JSON.parse(gunzipSync(gzip.bytes).toString('utf8'))).toEqual(answer);
      expect(gzip.bytes.length).toBeLessThan(plain.bytes.length / 4);
      const brotli = await post('gzip, deflate, br');
      expect(brotli.encoding).toBe('br');
      expect(JSON.parse(brotliDecompressSync(brotli.bytes).toString('utf8'))).toEqual(answer);
    });

    it('answers the events past each position, with every member read position', async () => {
      const conversation = await createConversation(alice, [bob]);
      const first = await sendMessage(alice, conversation.id, 'one');
      await sendMessage(bob, conversation.id, 'two');
      expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: 2 })).status).toBe(204);
      expect((await alice.api.patch(`/messages/${first.message_id}`, { content: 'one!' })).status).toBe(200);
      const entry = entryOf(await sync(bob, { [conversation.id]: 2 }), conversation.id);
      expect(entry).toMatchObject({ status: 'events', has_more: false, last_event_seq: 4 });
      expect(entry.events.map((e: Entry) => [e.event_seq, e.type])).toEqual([
        [3, 'message.created'],
        [4, 'message.edited'],
      ]);
      expect(entry.reads).toEqual(
        expect.arrayContaining([
          { user_id: alice.user.id, last_read_seq: 0 },
          { user_id: bob.user.id, last_read_seq: 2 },
        ]),
      );
      expect(entry.reads).toHaveLength(2);
      // Up to date: no events, still the read positions.
      const current = entryOf(await sync(bob, { [conversation.id]: 4 }), conversation.id);
      expect(current).toMatchObject({ status: 'events', events: [], has_more: false, last_event_seq: 4 });
      expect(current.reads).toHaveLength(2);
      // A position past the end is not an error.
      expect(entryOf(await sync(bob, { [conversation.id]: 1_000_000 }), conversation.id)).toMatchObject({ status: 'events', events: [] });
    });

    it('bounds the events per conversation with limit and says has_more', async () => {
      const conversation = await createConversation(alice, [bob]);
      for (let i = 0; i < 6; i++) await sendMessage(alice, conversation.id, `m${i}`);
      const entry = entryOf(await sync(bob, { [conversation.id]: 0 }, { limit: 4 }), conversation.id);
      expect(entry.events.map((e: Entry) => e.event_seq)).toEqual([1, 2, 3, 4]);
      expect(entry).toMatchObject({ has_more: true, last_event_seq: 7 });
    });

    it('sends a snapshot of every conversation the client did not list, and gone for those the caller is not in', async () => {
      const listed = await createConversation(alice, [bob]);
      const joined = await createConversation(carol, [bob], 'Joined meanwhile');
      for (let i = 0; i < 3; i++) await sendMessage(carol, joined.id, `m${i}`);
      const left = await createConversation(alice, [bob]);
      expect((await bob.api.delete(`/conversations/${left.id}/members/${bob.user.id}`)).status).toBe(204);
      const foreign = await createConversation(alice, [carol]);
      const unknown = randomUUID();
      const answer = await sync(bob, { [listed.id]: 1, [left.id]: 1, [foreign.id]: 0, [unknown]: 5 }, { messages_limit: 2 });
      expect(entryOf(answer, listed.id).status).toBe('events');
      const snapshot = entryOf(answer, joined.id);
      expect(snapshot).toMatchObject({ status: 'snapshot', reason: 'joined' });
      expect(snapshot.snapshot.conversation).toMatchObject({ id: joined.id, title: 'Joined meanwhile', last_event_seq: 4, last_seq: 3 });
      expect(snapshot.snapshot.messages.map((m: Entry) => m.seq)).toEqual([2, 3]);
      expect(snapshot.snapshot.has_more_messages).toBe(true);
      // Left, never a member, or no such conversation: told apart by nothing.
      for (const id of [left.id, foreign.id, unknown]) expect(entryOf(answer, id)).toEqual({ conversation_id: id, status: 'gone' });
      // Every conversation bob is in appears exactly once.
      const ids = answer.conversations.map((e) => e.conversation_id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('accepts ids in any case, answering them lower-case', async () => {
      const conversation = await createConversation(alice, [bob]);
      const answer = await sync(bob, { [conversation.id.toUpperCase()]: 0 });
      expect(entryOf(answer, conversation.id).status).toBe('events');
    });

    it('moves user_seq with every change of what belongs to the user, and only then', async () => {
      const before = (await sync(bob, {})).user_seq;
      const conversation = await createConversation(alice, [bob]); // bob joined: +1
      await sendMessage(alice, conversation.id, 'x'); // not bob's own state
      expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: 1 })).status).toBe(204); // +1
      expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: 1 })).status).toBe(204); // no move
      expect((await alice.api.post(`/conversations/${conversation.id}/read`, { seq: 1 })).status).toBe(204); // alice's
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204); // +1
      expect((await sync(bob, {})).user_seq).toBe(before + 3);
    });

    it('refuses malformed bodies with 400, too many conversations with 400 and oversized bodies with 413', async () => {
      for (const body of [
        {},
        { conversations: [] },
        { conversations: { 'not-a-uuid': 1 } },
        { conversations: { [randomUUID()]: -1 } },
        { conversations: { [randomUUID()]: 1.5 } },
        { conversations: { [randomUUID()]: '3' } },
        { conversations: {}, limit: 0 },
        { conversations: {}, limit: 501 },
        { conversations: {}, messages_limit: 201 },
      ]) {
        expectProblem(await bob.api.post('/sync', body), 400, 'invalid_request');
      }
      const tooMany = Object.fromEntries(Array.from({ length: 10_001 }, () => [randomUUID(), 0]));
      expectProblem(await bob.api.post('/sync', { conversations: tooMany }), 400, 'invalid_request');
      const huge = { conversations: {}, padding: 'x'.repeat(1_100_000) };
      expectProblem(await bob.api.post('/sync', huge), 413, 'payload_too_large');
      expectProblem(await bob.api.as(null).post('/sync', { conversations: {} }), 401, 'unauthorized');
    });

    it('answers 10,000 positions in one request', async () => {
      const conversation = await createConversation(alice, [bob]);
      const many = Object.fromEntries(Array.from({ length: 9_999 }, () => [randomUUID(), 0]));
      const answer = await sync(bob, { ...many, [conversation.id]: 0 });
      expect(entryOf(answer, conversation.id).status).toBe('events');
      expect(answer.conversations.filter((e) => e.status === 'gone')).toHaveLength(9_999);
    });
  });

  describe(`retention [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      // Events are kept only until the next compaction, which runs every 200 ms.
      server = await startServer({ dialect, env: { EVENT_RETENTION_DAYS: '0', EVENT_COMPACTION_INTERVAL_MS: '200' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers a position older than the kept events with 410 position_expired and a snapshot in sync, never a gap', async () => {
      const conversation = await createConversation(alice, [bob]);
      for (let i = 0; i < 3; i++) await sendMessage(alice, conversation.id, `m${i}`);
      // Wait until compaction removed all four (a pass may run between the sends and remove only some).
      for (let i = 0; i < 100; i++) {
        const response = await bob.api.get(`/conversations/${conversation.id}/events?after=3`);
        if (response.status === 410) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expectProblem(await bob.api.get(`/conversations/${conversation.id}/events?after=0`), 410, 'position_expired');
      expectProblem(await bob.api.get(`/conversations/${conversation.id}/events?after=3`), 410, 'position_expired');
      // The head position is still served: nothing after it was removed.
      expect((await bob.api.get(`/conversations/${conversation.id}/events?after=4`)).body).toEqual({ events: [], has_more: false, last_event_seq: 4 });
      const answer = (await bob.api.post('/sync', { conversations: { [conversation.id]: 1 } })).body;
      const entry = answer.conversations[0];
      expect(entry).toMatchObject({ conversation_id: conversation.id, status: 'snapshot', reason: 'expired' });
      expect(entry.snapshot.conversation.last_event_seq).toBe(4);
      expect(entry.snapshot.messages.map((m: Entry) => m.content)).toEqual(['m0', 'm1', 'm2']);
      // A change after the compaction reaches a client at the head: as an event or, once that
      // event is compacted too (it may be within 200 ms), in a snapshot; never not at all.
      await sendMessage(alice, conversation.id, 'after');
      const next = (await bob.api.post('/sync', { conversations: { [conversation.id]: 4 } })).body.conversations[0];
      const contents =
        next.status === 'events' ? next.events.map((e: Entry) => e.message.content) : next.snapshot.messages.map((m: Entry) => m.content).slice(-1);
      expect(contents).toEqual(['after']);
    });
  });
}
