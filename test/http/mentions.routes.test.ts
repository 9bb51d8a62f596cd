/**
 * Mentions (docs/API.md, "Mentions") over HTTP and WebSocket, on each database: resolution on
 * send and edit, the same `mentions` in every payload, `unread_mentions` in the conversation
 * list and sync snapshots (raised by mentions, lowered by edits, deletions and reading), and
 * the @all policy.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool } from '../helpers/ws-client.js';

/** Conversations of up to this many members let any member use @all. */
const MAX_MEMBERS = 3;

for (const dialect of enabledDialects()) {
  describe(`mentions [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    let outsider: TestUser;
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { MENTION_ALL_MAX_MEMBERS: String(MAX_MEMBERS) } });
      [alice, bob, carol, dave, outsider] = await registerUsers(server.url, 'alice', 'bob', 'carol', 'dave', 'outsider');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    const at = (user: TestUser) => `@${user.user.username}`;
    const edit = (user: TestUser, messageId: string, content: string) => user.api.request('PATCH', `/messages/${messageId}`, { body: { content } });
    /** The user's unread_mentions (and unread_count) per conversation id, from GET /conversations. */
    async function counts(user: TestUser, conversationId: string) {
      const list = (await user.api.get('/conversations?limit=100')).body.conversations as { id: string; unread_count: number; unread_mentions: number }[];
      const entry = list.find((c) => c.id === conversationId)!;
      return { unread: entry.unread_count, mentions: entry.unread_mentions };
    }

    describe('resolution', () => {
      it('lists members named in the content, once each, first mention first, ignoring case; non-members, unknown names and email addresses are not mentions', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        const content = `${at(carol).toUpperCase()} and ${at(bob)}, not ${at(outsider)} nor @nobody_${randomUUID().slice(0, 8)} nor a@b.c; ${at(carol)} again.`;
        const sent = await sendMessage(alice, conversation.id, content);
        expect(sent).toMatchObject({ mentions: [carol.user.id, bob.user.id], mentions_all: false });
        // The same Message everywhere: the history page (written by the database), the list, the change feed.
        expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([sent]);
        const summary = (await bob.api.get('/conversations?limit=100')).body.conversations.find((c: { id: string }) => c.id === conversation.id);
        expect(summary.last_message).toEqual(sent);
        const events = (await bob.api.get(`/conversations/${conversation.id}/events`)).body.events as { type: string; message?: Message }[];
        expect(events.find((e) => e.type === 'message.created')?.message).toEqual(sent);
      });

      it('does not take an address such as name@example.org for a mention', async () => {
        const conversation = await createConversation(alice, [bob]);
        expect(await sendMessage(alice, conversation.id, `write to x${at(bob)}.org`)).toMatchObject({ mentions: [], mentions_all: false });
        expect((await counts(bob, conversation.id)).mentions).toBe(0);
      });

      it('gives every message mentions [] and mentions_all false when it mentions nobody', async () => {
        const conversation = await createConversation(alice, [bob]);
        const sent = await sendMessage(alice, conversation.id, 'no one here');
        expect(sent).toMatchObject({ mentions: [], mentions_all: false });
        expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([sent]);
      });

      it('resolves mentions of a message sent over the socket, in its ack and its frame', async () => {
        const conversation = await createConversation(alice, [bob]);
        const [aliceSocket, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
        const id = randomUUID();
        const ack = await aliceSocket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: `hi ${at(bob)}` }, (f) => f.type === 'ack');
        expect(ack.message).toMatchObject({ mentions: [bob.user.id], mentions_all: false });
        expect((await bobSocket.waitFor((f) => f.type === 'message' && f.message.message_id === id)).message).toEqual(ack.message);
      });

      it('resolves mentions again on edit', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        const sent = await sendMessage(alice, conversation.id, `hi ${at(bob)}`);
        const edited = await edit(alice, sent.message_id, `hi ${at(carol)}`);
        expect(edited.status).toBe(200);
        expect(edited.body).toMatchObject({ mentions: [carol.user.id], mentions_all: false });
        expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([edited.body]);
      });

      it('stores the mentions of sends committed together (one batch)', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        const contents = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `${at(bob)} ${i}` : i % 3 === 1 ? `plain ${i}` : `${at(carol)} ${at(bob)} ${i}`));
        const sent = await Promise.all(contents.map((content) => sendMessage(alice, conversation.id, content)));
        sent.forEach((message, i) => {
          const expected = i % 3 === 0 ? [bob.user.id] : i % 3 === 1 ? [] : [carol.user.id, bob.user.id];
          expect({ i, mentions: message.mentions }).toEqual({ i, mentions: expected });
        });
        const history = (await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages as Message[];
        expect(history).toEqual([...sent].sort((a, b) => a.seq - b.seq));
        expect(await counts(bob, conversation.id)).toEqual({ unread: 12, mentions: 8 });
        expect(await counts(carol, conversation.id)).toEqual({ unread: 12, mentions: 4 });
      });
    });

    describe('unread_mentions', () => {
      it('counts unread mentions of the caller by others; an edit removing the mention lowers it, adding one raises it; reading lowers it', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        const first = await sendMessage(alice, conversation.id, `${at(bob)} look`);
        await sendMessage(alice, conversation.id, 'plain');
        const third = await sendMessage(carol, conversation.id, `${at(bob)} ${at(alice)}`);
        await sendMessage(bob, conversation.id, `${at(bob)} talking to myself`);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 3, mentions: 2 });
        expect(await counts(alice, conversation.id)).toEqual({ unread: 2, mentions: 1 });
        expect((await edit(alice, first.message_id, 'never mind')).status).toBe(200);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 3, mentions: 1 });
        expect((await edit(alice, first.message_id, `${at(bob)} after all`)).status).toBe(200);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 3, mentions: 2 });
        expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: first.seq })).status).toBe(204);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 2, mentions: 1 });
        expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: third.seq + 1 })).status).toBe(204);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 0, mentions: 0 });
      });

      it('no longer counts a deleted message', async () => {
        const conversation = await createConversation(alice, [bob]);
        const sent = await sendMessage(alice, conversation.id, `${at(bob)}!`);
        expect((await counts(bob, conversation.id)).mentions).toBe(1);
        expect((await alice.api.request('DELETE', `/messages/${sent.message_id}`)).status).toBe(204);
        expect(await counts(bob, conversation.id)).toEqual({ unread: 0, mentions: 0 });
        expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages[0]).toMatchObject({ deleted: true, mentions: [], mentions_all: false });
      });

      it('counts @all for every member but its sender, once per message even when also named', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        const sent = await sendMessage(alice, conversation.id, `@all and ${at(bob)}`);
        expect(sent).toMatchObject({ mentions: [bob.user.id], mentions_all: true });
        expect((await counts(bob, conversation.id)).mentions).toBe(1);
        expect((await counts(carol, conversation.id)).mentions).toBe(1);
        expect((await counts(alice, conversation.id)).mentions).toBe(0);
      });

      it('is in sync snapshots, for the caller', async () => {
        const conversation = await createConversation(alice, [bob]);
        await sendMessage(alice, conversation.id, `${at(bob)} one`);
        await sendMessage(alice, conversation.id, `@everyone two`);
        const answer = (await bob.api.post('/sync', { conversations: {} })).body as { conversations: { conversation_id: string; snapshot?: { unread_mentions?: number } }[] };
        expect(answer.conversations.find((e) => e.conversation_id === conversation.id)?.snapshot?.unread_mentions).toBe(2);
      });
    });

    describe('the @all policy', () => {
      it('lets any member mention everyone in a conversation of at most MENTION_ALL_MAX_MEMBERS members', async () => {
        const conversation = await createConversation(alice, [bob, carol]);
        expect(await sendMessage(bob, conversation.id, '@all lunch?')).toMatchObject({ mentions_all: true });
      });

      it('lets only owners mention everyone in a larger conversation: 403 mention_all_forbidden for others, on send, on the socket and on edit', async () => {
        const conversation = await createConversation(alice, [bob, carol, dave]);
        expect(await sendMessage(alice, conversation.id, '@all standup')).toMatchObject({ mentions_all: true });
        const refused = await bob.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: '@everyone lunch?' });
        expectProblem(refused, 403, 'mention_all_forbidden');
        const socket = await pool.open(bob);
        const id = randomUUID();
        expect(await socket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: '@all lunch?' }, (f) => f.type === 'error')).toMatchObject({
          type: 'error',
          code: 'mention_all_forbidden',
          ref: id,
        });
        const plain = await sendMessage(bob, conversation.id, 'lunch?');
        expectProblem(await edit(bob, plain.message_id, 'lunch? @ALL'), 403, 'mention_all_forbidden');
        expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages.map((m: Message) => m.content)).toEqual(['@all standup', 'lunch?']);
      });
    });
  });
}
