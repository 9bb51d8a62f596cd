/**
 * Replies and threads over the socket: a message frame naming thread_root_id / reply_to_id is
 * acked with the stored reply, every member hears the reply (`message`) and then the root with
 * its new summary (`message.updated`, the next event_seq); refusals are error frames with the
 * HTTP codes; a thread read position reaches the reader's other devices only (`thread.read`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`threads over the socket [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    it('acks a thread reply and tells every member of the reply, then of the root with its summary', async () => {
      const conversation = await createConversation(alice, [bob]);
      const root = await sendMessage(alice, conversation.id, 'root');
      const quoted = await sendMessage(alice, conversation.id, 'quote me');
      const [bobSocket, aliceSocket] = await Promise.all([pool.open(bob), pool.open(alice)]);
      const messageId = randomUUID();
      const frame = { type: 'message', message_id: messageId, conversation_id: conversation.id, content: 'over the socket', thread_root_id: root.message_id, reply_to_id: quoted.message_id };
      const ack = await bobSocket.request(frame, (f) => f.type === 'ack');
      expect(ack.message).toMatchObject({ message_id: messageId, thread_root_id: root.message_id, reply_to_id: quoted.message_id, seq: 3, thread: null });
      const reply = await aliceSocket.waitFor((f) => f.type === 'message' && f.message.message_id === messageId);
      expect(reply.message).toEqual(ack.message);
      const update = await aliceSocket.waitFor((f) => f.type === 'message.updated' && f.message.message_id === root.message_id);
      expect(update.event_seq).toBe(reply.event_seq + 1);
      expect(update.message).toEqual({
        ...root,
        version: reply.event_seq + 1,
        thread: { reply_count: 1, last_reply_at: ack.message.created_at, last_reply_id: messageId },
      });
      await bobSocket.waitFor((f) => f.type === 'message.updated' && f.event_seq === update.event_seq);
    });

    it('answers a refused reply with an error frame carrying the code', async () => {
      const conversation = await createConversation(alice, [bob]);
      const root = await sendMessage(alice, conversation.id, 'root');
      const socket = await pool.open(bob);
      const send = (fields: Record<string, string>) =>
        socket.request({ type: 'message', message_id: randomUUID(), conversation_id: conversation.id, content: 'x', ...fields }, (f) => f.type === 'error' || f.type === 'ack');
      expect(await send({ thread_root_id: randomUUID() })).toMatchObject({ type: 'error', code: 'invalid_thread_root' });
      expect(await send({ reply_to_id: randomUUID() })).toMatchObject({ type: 'error', code: 'invalid_reply_target' });
      const inThread = await send({ thread_root_id: root.message_id });
      expect(inThread.type).toBe('ack');
      expect(await send({ thread_root_id: inThread.message.message_id })).toMatchObject({ type: 'error', code: 'nested_thread' });
    });

    it("tells the reader's other devices of a thread read position, and nobody else", async () => {
      const conversation = await createConversation(alice, [bob]);
      const root = await sendMessage(alice, conversation.id, 'root');
      const reply = await bob.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: 'r', thread_root_id: root.message_id });
      const [alicePhone, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
      expect((await alice.api.post(`/messages/${root.message_id}/thread/read`, { seq: reply.body.seq })).status).toBe(200);
      const frame = await alicePhone.waitFor((f) => f.type === 'thread.read');
      expect(frame).toEqual({ type: 'thread.read', conversation_id: conversation.id, message_id: root.message_id, seq: reply.body.seq });
      await bobSocket.expectNone((f) => f.type === 'thread.read');
      expect(bobSocket.frames.filter((f) => f.type === 'thread.read')).toEqual([]);
      // Not moved: nothing is said.
      expect((await alice.api.post(`/messages/${root.message_id}/thread/read`, { seq: reply.body.seq })).status).toBe(200);
      await alicePhone.expectNone((f) => f.type === 'thread.read');
    });
  });
}
