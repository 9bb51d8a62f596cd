/**
 * Replies and threads over HTTP (docs/API.md, "Replies and threads"): sends naming reply_to_id
 * and thread_root_id with every refusal and its code, idempotency, the root's thread summary
 * (in history and on the change feed), GET /messages/{id}/thread's pages, and each user's
 * following and read position (POST …/thread/read, PUT/DELETE …/thread/follow, GET /threads).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`replies and threads [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, outsider] = await registerUsers(server.url, 'alice', 'bob', 'outsider');
    });
    afterAll(() => server.close());

    const send = (user: TestUser, body: Record<string, unknown>) => user.api.post('/messages', { message_id: randomUUID(), content: 'reply', ...body });

    /** A conversation of alice and bob with a root by alice. */
    async function arrange() {
      const conversation = await createConversation(alice, [bob]);
      const root = await sendMessage(alice, conversation.id, 'root');
      const reply = async (user: TestUser, content = 'in the thread') => {
        const response = await send(user, { conversation_id: conversation.id, thread_root_id: root.message_id, content });
        expect(response.status).toBe(201);
        return response.body as Message;
      };
      const lastEventSeq = async () => (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
      const history = async () => (await alice.api.get(`/conversations/${conversation.id}/messages`)).body.messages as Message[];
      return { conversation, root, reply, lastEventSeq, history };
    }

    describe('sending a reply', () => {
      it('stores a thread reply in the conversation seq and updates the root (two events, one transaction)', async () => {
        const { conversation, root, lastEventSeq, history } = await arrange();
        const before = await lastEventSeq();
        const response = await send(bob, { conversation_id: conversation.id, thread_root_id: root.message_id, content: 'first' });
        expect(response.status).toBe(201);
        const reply = response.body as Message;
        expect(reply).toMatchObject({ seq: 2, thread_root_id: root.message_id, reply_to_id: null, thread: null, version: before + 1 });
        expect(await lastEventSeq()).toBe(before + 2);
        const [storedRoot, storedReply] = await history();
        expect(storedReply).toEqual(reply);
        expect(storedRoot).toEqual({ ...root, version: before + 2, thread: { reply_count: 1, last_reply_at: reply.created_at, last_reply_id: reply.message_id } });
        const events = (await bob.api.get(`/conversations/${conversation.id}/events?after=${before}`)).body.events;
        expect(events.map((e: { type: string; event_seq: number }) => [e.type, e.event_seq])).toEqual([['message.created', before + 1], ['thread.updated', before + 2]]);
        expect(events[1].message).toEqual(storedRoot);
      });

      it('stores a quoted reply (reply_to_id) with one event, and both fields at once', async () => {
        const { conversation, root, lastEventSeq } = await arrange();
        const before = await lastEventSeq();
        const quoted = await bob.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'quote', reply_to_id: root.message_id });
        expect(quoted.status).toBe(201);
        expect(quoted.body).toMatchObject({ reply_to_id: root.message_id, thread_root_id: null, version: before + 1 });
        expect(await lastEventSeq()).toBe(before + 1);
        const both = await send(alice, { conversation_id: conversation.id, thread_root_id: root.message_id, reply_to_id: quoted.body.message_id });
        expect(both.status).toBe(201);
        expect(both.body).toMatchObject({ reply_to_id: quoted.body.message_id, thread_root_id: root.message_id });
      });

      it('refuses a root or quoted message unknown or of another conversation (400), a thread reply as root (400), a deleted one (409)', async () => {
        const { conversation, root, reply } = await arrange();
        const other = await createConversation(alice, [bob]);
        const elsewhere = await sendMessage(alice, other.id, 'elsewhere');
        const inThread = await reply(bob);
        const c = conversation.id;
        expectProblem(await send(bob, { conversation_id: c, thread_root_id: randomUUID() }), 400, 'invalid_thread_root');
        expectProblem(await send(bob, { conversation_id: c, thread_root_id: elsewhere.message_id }), 400, 'invalid_thread_root');
        expectProblem(await send(bob, { conversation_id: c, thread_root_id: inThread.message_id }), 400, 'nested_thread');
        expectProblem(await send(bob, { conversation_id: c, reply_to_id: randomUUID() }), 400, 'invalid_reply_target');
        expectProblem(await send(bob, { conversation_id: c, reply_to_id: elsewhere.message_id }), 400, 'invalid_reply_target');
        expectProblem(await send(bob, { conversation_id: c, thread_root_id: 'not-a-uuid' }), 400, 'invalid_request');
        // A quote of a thread reply is fine.
        expect((await send(bob, { conversation_id: c, reply_to_id: inThread.message_id })).status).toBe(201);
        const doomed = await sendMessage(bob, c, 'to be deleted');
        expect((await bob.api.delete(`/messages/${doomed.message_id}`)).status).toBe(204);
        expectProblem(await send(alice, { conversation_id: c, reply_to_id: doomed.message_id }), 409, 'reply_target_deleted');
        expect((await alice.api.delete(`/messages/${root.message_id}`)).status).toBe(204);
        expectProblem(await send(bob, { conversation_id: c, thread_root_id: root.message_id }), 409, 'message_deleted');
        // Nothing refused was stored: the conversation holds root, the reply, the quote and the deleted one.
        expect((await alice.api.get(`/conversations/${c}`)).body.last_seq).toBe(4);
        // A deleted root keeps its thread readable.
        const page = await bob.api.get(`/messages/${root.message_id}/thread`);
        expect(page.status).toBe(200);
        expect(page.body.root).toMatchObject({ deleted: true, thread: { reply_count: 1 } });
        expect(page.body.messages).toEqual([inThread]);
        expectProblem(await send(outsider, { conversation_id: c, thread_root_id: root.message_id }), 403, 'not_member');
      });

      it('is idempotent by message_id: the same reply again answers 200; other reply fields are a message_id_conflict', async () => {
        const { conversation, root, lastEventSeq } = await arrange();
        const body = { message_id: randomUUID(), conversation_id: conversation.id, content: 'once', thread_root_id: root.message_id };
        const first = await bob.api.post('/messages', body);
        expect(first.status).toBe(201);
        const position = await lastEventSeq();
        const again = await bob.api.post('/messages', body);
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
        expectProblem(await bob.api.post('/messages', { ...body, thread_root_id: undefined }), 409, 'message_id_conflict');
        expectProblem(await bob.api.post('/messages', { ...body, reply_to_id: root.message_id }), 409, 'message_id_conflict');
        const plain = await sendMessage(bob, conversation.id, 'plain');
        expectProblem(await bob.api.post('/messages', { message_id: plain.message_id, conversation_id: conversation.id, content: 'plain', thread_root_id: root.message_id }), 409, 'message_id_conflict');
        expect(await lastEventSeq()).toBe(position + 1);
        expect((await alice.api.get(`/messages/${root.message_id}/thread`)).body.root.thread.reply_count).toBe(1);
      });
    });

    describe('GET /messages/{id}/thread', () => {
      it('pages the replies ascending by seq with the cursors of history, and the root', async () => {
        const { conversation, root, reply } = await arrange();
        const replies: Message[] = [];
        for (let i = 0; i < 5; i++) {
          replies.push(await reply(i % 2 ? alice : bob, `reply ${i}`));
          await sendMessage(alice, conversation.id, `between ${i}`);
        }
        const get = async (query: string) => (await bob.api.get(`/messages/${root.message_id}/thread${query}`)).body;
        const latest = await get('');
        expect(latest.root).toMatchObject({ message_id: root.message_id, thread: { reply_count: 5, last_reply_id: replies[4]!.message_id } });
        expect(latest).toEqual({ root: latest.root, messages: replies, has_more: false });
        expect(await get('?limit=2')).toEqual({ root: latest.root, messages: replies.slice(3), has_more: true });
        expect(await get(`?limit=2&before=${replies[3]!.seq}`)).toEqual({ root: latest.root, messages: replies.slice(1, 3), has_more: true });
        expect(await get(`?limit=2&after=${replies[2]!.seq}`)).toEqual({ root: latest.root, messages: replies.slice(3), has_more: false });
        expect(await get('?after=0&limit=200')).toMatchObject({ messages: replies, has_more: false });
        const quiet = await sendMessage(alice, conversation.id, 'no replies');
        expect((await bob.api.get(`/messages/${quiet.message_id}/thread`)).body).toEqual({ root: quiet, messages: [], has_more: false });
      });

      it('answers 403 not_member, 404 not_found, 400 nested_thread for a reply, 400 invalid_request for bad cursors', async () => {
        const { root, reply } = await arrange();
        const inThread = await reply(bob);
        expectProblem(await outsider.api.get(`/messages/${root.message_id}/thread`), 403, 'not_member');
        expectProblem(await bob.api.get(`/messages/${randomUUID()}/thread`), 404, 'not_found');
        expectProblem(await bob.api.get(`/messages/${inThread.message_id}/thread`), 400, 'nested_thread');
        expectProblem(await bob.api.get(`/messages/${root.message_id}/thread?before=3&after=1`), 400, 'invalid_request');
        expectProblem(await bob.api.get(`/messages/${root.message_id}/thread?limit=0`), 400, 'invalid_request');
      });
    });

    describe('following and read positions', () => {
      const threads = async (user: TestUser) => (await user.api.get('/threads')).body.threads as { root: Message; last_read_seq: number; unread_count: number }[];
      const stateOf = async (user: TestUser, rootId: string) => (await threads(user)).find((t) => t.root.message_id === rootId);

      it("follows a thread for its root's author and whoever posts in it; unread counts others' replies after the position", async () => {
        const { root, reply } = await arrange();
        expect(await stateOf(alice, root.message_id)).toBeUndefined();
        const first = await reply(bob);
        expect(await stateOf(bob, root.message_id)).toMatchObject({ last_read_seq: first.seq, unread_count: 0 });
        expect(await stateOf(alice, root.message_id)).toMatchObject({ last_read_seq: 0, unread_count: 1, root: { thread: { reply_count: 1 } } });
        const second = await reply(bob);
        expect(await stateOf(alice, root.message_id)).toMatchObject({ unread_count: 2 });
        const read = await alice.api.post(`/messages/${root.message_id}/thread/read`, { seq: first.seq });
        expect(read.status).toBe(200);
        expect(read.body).toEqual({ message_id: root.message_id, conversation_id: root.conversation_id, last_read_seq: first.seq });
        expect(await stateOf(alice, root.message_id)).toMatchObject({ last_read_seq: first.seq, unread_count: 1 });
        // Never backwards; past the thread's last reply it stops there.
        expect((await alice.api.post(`/messages/${root.message_id}/thread/read`, { seq: 0 })).body.last_read_seq).toBe(first.seq);
        expect((await alice.api.post(`/messages/${root.message_id}/thread/read`, { seq: 1_000_000 })).body.last_read_seq).toBe(second.seq);
        expect(await stateOf(alice, root.message_id)).toMatchObject({ unread_count: 0 });
        // Alice's own reply is read as she posts it.
        const own = await reply(alice);
        expect(await stateOf(alice, root.message_id)).toMatchObject({ last_read_seq: own.seq, unread_count: 0 });
        expect(await stateOf(bob, root.message_id)).toMatchObject({ unread_count: 1 });
      });

      it('PUT and DELETE …/thread/follow are idempotent (204); posting follows again; reading does not follow', async () => {
        const { root, reply } = await arrange();
        const follow = `/messages/${root.message_id}/thread/follow`;
        expect((await bob.api.request('PUT', follow)).status).toBe(204);
        expect((await bob.api.request('PUT', follow)).status).toBe(204);
        expect(await stateOf(bob, root.message_id)).toMatchObject({ unread_count: 0, root: { thread: null } });
        expect((await bob.api.request('DELETE', follow)).status).toBe(204);
        expect((await bob.api.request('DELETE', follow)).status).toBe(204);
        expect(await stateOf(bob, root.message_id)).toBeUndefined();
        await reply(alice);
        expect(await stateOf(bob, root.message_id)).toBeUndefined();
        expect((await bob.api.post(`/messages/${root.message_id}/thread/read`, { seq: 100 })).status).toBe(200);
        expect(await stateOf(bob, root.message_id)).toBeUndefined();
        await reply(bob);
        expect(await stateOf(bob, root.message_id)).toMatchObject({ unread_count: 0 });
        // An author who unfollowed stays so when others reply.
        expect((await alice.api.request('DELETE', follow)).status).toBe(204);
        await reply(bob);
        expect(await stateOf(alice, root.message_id)).toBeUndefined();
      });

      it('lists only threads of conversations the caller is still in', async () => {
        const { conversation, root, reply } = await arrange();
        await reply(bob);
        expect(await stateOf(bob, root.message_id)).toBeDefined();
        expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        expect(await stateOf(bob, root.message_id)).toBeUndefined();
      });

      it('answers 403 not_member, 404 not_found, 400 nested_thread and 400 invalid_request on the read and follow routes', async () => {
        const { root, reply } = await arrange();
        const inThread = await reply(bob);
        for (const [method, suffix, body] of [['POST', 'read', { seq: 1 }], ['PUT', 'follow', undefined], ['DELETE', 'follow', undefined]] as const) {
          expectProblem(await outsider.api.request(method, `/messages/${root.message_id}/thread/${suffix}`, { body }), 403, 'not_member');
          expectProblem(await bob.api.request(method, `/messages/${randomUUID()}/thread/${suffix}`, { body }), 404, 'not_found');
          expectProblem(await bob.api.request(method, `/messages/${inThread.message_id}/thread/${suffix}`, { body }), 400, 'nested_thread');
        }
        expectProblem(await bob.api.post(`/messages/${root.message_id}/thread/read`, { seq: -1 }), 400, 'invalid_request');
        expectProblem(await bob.api.get('/threads?limit=0'), 400, 'invalid_request');
        expect(await threads(outsider)).toEqual([]);
      });
    });
  });
}
