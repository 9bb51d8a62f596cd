import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '@pneumatic/protocol';
import { createConversation, registerUser, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const isMessageIn = (conversationId: string) => (f: Frame) => f.type === 'message' && f.message.conversation_id === conversationId;
const isMessage = (messageId: string) => (f: Frame) => f.type === 'message' && f.message.message_id === messageId;

for (const dialect of enabledDialects()) {
  describe(`WebSocket messaging [${dialect}]`, () => {
    let server: TestServer;
    const pool = socketPool(() => server.wsUrl);
    const open = (user: TestUser) => pool.open(user);
    beforeAll(async () => {
      server = await startServer({ dialect });
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    describe('a message frame', () => {
      let alice: TestUser;
      let bob: TestUser;
      let carol: TestUser;
      let conversation: Conversation;
      beforeAll(async () => {
        [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
        conversation = await createConversation(alice, [bob]);
      });

      it('is acked to the sending connection with the stored Message and delivered to every connection of every member', async () => {
        const [aliceSending, alicePhone, aliceTablet, bobLaptop, bobPhone, bobTablet, carolSocket] = await Promise.all([
          open(alice), open(alice), open(alice), open(bob), open(bob), open(bob), open(carol),
        ]);
        const messageId = randomUUID();
        const ack = await aliceSending.request(
          { type: 'message', message_id: messageId, conversation_id: conversation.id, content: 'hello over the socket' },
          (f) => f.type === 'ack',
        );
        expect(ack).toEqual({
          type: 'ack',
          message_id: messageId,
          message: {
            message_id: messageId,
            conversation_id: conversation.id,
            sender_id: alice.user.id,
            content: 'hello over the socket',
            seq: 1,
            created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            edited_at: null,
            deleted: false,
            version: 2, // the conversation's second event, after conversation.created
            reply_to_id: null,
            thread_root_id: null,
            thread: null,
            reactions: [],
            mentions: [],
            mentions_all: false,
            attachments: [],
          },
        });
        for (const socket of [aliceSending, alicePhone, aliceTablet, bobLaptop, bobPhone, bobTablet]) {
          expect(await socket.waitFor(isMessage(messageId))).toEqual({ type: 'message', conversation_id: conversation.id, event_seq: 2, message: ack.message });
        }
        const history = await bob.api.get(`/conversations/${conversation.id}/messages`);
        expect(history.body.messages).toEqual([ack.message]);
        await carolSocket.expectNone(isMessageIn(conversation.id));
        // Only the sending connection gets the ack.
        for (const socket of [alicePhone, aliceTablet, bobLaptop]) expect(socket.frames.some((f) => f.type === 'ack')).toBe(false);
      });

      it('reaches all three connections of one user for each of several messages', async () => {
        const phones = await Promise.all([open(bob), open(bob), open(bob)]);
        const sender = await open(alice);
        const position = (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const id = randomUUID();
          ids.push(id);
          await sender.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: `m${i}` }, (f) => f.type === 'ack' && f.message_id === id);
        }
        for (const socket of phones) {
          const received = await socket.waitForCount(isMessageIn(conversation.id), 5);
          expect(received.map((f) => f.message.message_id)).toEqual(ids);
          // The next five events, each frame at its message's version.
          expect(received.map((f) => f.event_seq)).toEqual([1, 2, 3, 4, 5].map((i) => position + i));
          for (const f of received) expect(f.message.version).toBe(f.event_seq);
        }
      });

      it("sends nothing of the conversation to a non-member's socket", async () => {
        const carolSocket = await open(carol);
        const sender = await open(alice);
        const id = randomUUID();
        await sender.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'members only' }, (f) => f.type === 'ack');
        await carolSocket.expectNone((f) => f.type === 'message' || f.type === 'ack' || f.conversation_id === conversation.id);
      });

      it('acks an idempotent resend with the same message and broadcasts it only once', async () => {
        const [sender, otherAlice, bobSocket] = await Promise.all([open(alice), open(alice), open(bob)]);
        const id = randomUUID();
        const frame = { type: 'message', message_id: id, conversation_id: conversation.id, content: 'once only' };
        const first = await sender.request(frame, (f) => f.type === 'ack' && f.message_id === id);
        await Promise.all([bobSocket.waitFor(isMessage(id)), otherAlice.waitFor(isMessage(id)), sender.waitFor(isMessage(id))]);
        const second = await sender.request(frame, (f) => f.type === 'ack' && f.message_id === id);
        expect(second).toEqual(first);
        // The same message_id resent over HTTP is the same repeat.
        const overHttp = await alice.api.post('/messages', { message_id: id, conversation_id: conversation.id, content: 'once only' });
        expect(overHttp.status).toBe(200);
        expect(overHttp.body).toEqual(first.message);
        await new Promise((r) => setTimeout(r, 300));
        for (const socket of [sender, otherAlice, bobSocket]) {
          expect(socket.frames.filter(isMessage(id))).toHaveLength(1);
        }
      });

      it('acks the same message to every connection that races to send one message_id, and broadcasts it once', async () => {
        const senders = await Promise.all([open(alice), open(alice), open(alice), open(alice), open(alice)]);
        const bobSocket = await open(bob);
        const id = randomUUID();
        const frame = { type: 'message', message_id: id, conversation_id: conversation.id, content: 'raced' };
        for (const socket of senders) socket.send(frame);
        const acks = await Promise.all(senders.map((socket) => socket.waitFor((f) => (f.type === 'ack' && f.message_id === id) || f.type === 'error')));
        for (const ack of acks) expect(ack).toEqual(acks[0]);
        expect(acks[0]).toMatchObject({ type: 'ack', message: { message_id: id, content: 'raced' } });
        await bobSocket.waitFor(isMessage(id));
        await bobSocket.expectNone(isMessage(id));
        expect(bobSocket.frames.filter(isMessage(id))).toHaveLength(1);
        const page = await bob.api.get(`/conversations/${conversation.id}/messages?after=${acks[0]!.message.seq - 1}`);
        expect(page.body.messages.filter((m: { message_id: string }) => m.message_id === id)).toHaveLength(1);
        expect(page.body.messages.map((m: { seq: number }) => m.seq)).toEqual(page.body.messages.map((_: unknown, i: number) => acks[0]!.message.seq + i));
      });

      it('answers a reused message_id with different content with an error frame message_id_conflict and no broadcast', async () => {
        const [sender, bobSocket] = await Promise.all([open(alice), open(bob)]);
        const id = randomUUID();
        await sender.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'original' }, (f) => f.type === 'ack');
        await bobSocket.waitFor(isMessage(id));
        const error = await sender.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'different' }, (f) => f.type === 'error');
        expect(error).toMatchObject({ type: 'error', code: 'message_id_conflict', ref: id });
        expect(typeof error.detail).toBe('string');
        await bobSocket.expectNone((f) => isMessage(id)(f) && f.message.content === 'different');
        expect(bobSocket.frames.filter(isMessage(id))).toHaveLength(1);
      });

      it('delivers a message sent over HTTP to the sockets of every member, the sender included', async () => {
        const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
        const position = (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
        const message = await sendMessage(alice, conversation.id, 'sent over HTTP');
        expect(message.version).toBe(position + 1);
        const expected = { type: 'message', conversation_id: conversation.id, event_seq: position + 1, message };
        expect(await aliceSocket.waitFor(isMessage(message.message_id))).toEqual(expected);
        expect(await bobSocket.waitFor(isMessage(message.message_id))).toEqual(expected);
        expect(aliceSocket.frames.some((f) => f.type === 'ack')).toBe(false);
      });

      it('sends message.updated to every member on an edit over HTTP', async () => {
        const [aliceSocket, bobSocket, carolSocket] = await Promise.all([open(alice), open(bob), open(carol)]);
        const message = await sendMessage(alice, conversation.id, 'typo');
        const edited = await alice.api.patch(`/messages/${message.message_id}`, { content: 'fixed' });
        expect(edited.status).toBe(200);
        for (const socket of [aliceSocket, bobSocket]) {
          const frame = await socket.waitFor((f) => f.type === 'message.updated' && f.message.message_id === message.message_id);
          expect(frame).toEqual({ type: 'message.updated', conversation_id: conversation.id, event_seq: message.version + 1, message: edited.body });
          expect(frame.message).toMatchObject({ content: 'fixed', seq: message.seq, deleted: false, edited_at: expect.any(String), version: message.version + 1 });
        }
        await carolSocket.expectNone((f) => f.type === 'message.updated');
      });

      it('sends message.updated with deleted true and empty content on a delete over HTTP', async () => {
        const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
        const message = await sendMessage(bob, conversation.id, 'regrettable');
        expect((await bob.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        for (const socket of [aliceSocket, bobSocket]) {
          const frame = await socket.waitFor((f) => f.type === 'message.updated' && f.message.message_id === message.message_id);
          expect(frame).toMatchObject({ conversation_id: conversation.id, event_seq: message.version + 1 });
          expect(frame.message).toMatchObject({ message_id: message.message_id, seq: message.seq, content: '', deleted: true, version: message.version + 1 });
        }
      });

      it('answers a send to a conversation the user is not in with not_member, and to an unknown one with not_found', async () => {
        const carolSocket = await open(carol);
        const id = randomUUID();
        expect(await carolSocket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'let me in' }, (f) => f.type === 'error'))
          .toMatchObject({ code: 'not_member', ref: id });
        const other = randomUUID();
        expect(await carolSocket.request({ type: 'message', message_id: other, conversation_id: randomUUID(), content: 'anyone?' }, (f) => f.type === 'error'))
          .toMatchObject({ code: 'not_found', ref: other });
      });
    });

    describe('ordering', () => {
      it('delivers message events of one conversation to each connection in increasing seq order under 30 concurrent sends', async () => {
        const users = await Promise.all(['o1', 'o2', 'o3'].map((p) => registerUser(server.url, p)));
        const [owner, ...rest] = users;
        const conversation = await createConversation(owner!, rest);
        const senders = await Promise.all(users.map((u) => open(u)));
        const listeners = await Promise.all(users.flatMap((u) => [open(u), open(u)]));
        const acks: Promise<Frame>[] = [];
        for (let i = 0; i < 30; i++) {
          const id = randomUUID();
          const socket = senders[i % senders.length]!;
          if (i % 6 === 5) {
            // Mix HTTP sends into the socket sends.
            acks.push(sendMessage(users[i % users.length]!, conversation.id, `c${i}`, id).then((message) => ({ message })));
          } else {
            socket.send({ type: 'message', message_id: id, conversation_id: conversation.id, content: `c${i}` });
            acks.push(socket.waitFor((f) => f.type === 'ack' && f.message_id === id, 15_000));
          }
        }
        const stored = (await Promise.all(acks)).map((a) => a.message as Message);
        expect(stored.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        for (const socket of [...senders, ...listeners]) {
          const received = await socket.waitForCount(isMessageIn(conversation.id), 30, 15_000);
          expect(received.map((f) => f.message.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
          // Events 2 to 31 (1 is the creation), each frame at its message's version.
          expect(received.map((f) => f.event_seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
          for (const f of received) expect(f.message.version).toBe(f.event_seq);
        }
      });
    });
  });
}
