/**
 * Thread replies under concurrency, on real HTTP and WebSocket: 50 replies to one root at once
 * (over HTTP and the socket, mixed with plain sends taking the group-commit path) count exactly
 * 50, each with its own seq; the conversation's event_seqs stay gapless and the frames of the
 * root's updates arrive in event_seq order, the last one carrying the final summary.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const REPLIES = 50;
const PLAIN = 20;

for (const dialect of enabledDialects()) {
  describe(`thread replies under concurrency [${dialect}]`, () => {
    let server: TestServer;
    let users: readonly TestUser[];
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      users = await registerUsers(server.url, 'alice', 'bob', 'carol', 'dan', 'erin');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    it(`counts ${REPLIES} replies sent at once exactly, with gapless event_seqs and ordered root updates`, async () => {
      const [alice, ...others] = users as [TestUser, ...TestUser[]];
      const conversation = await createConversation(alice, others);
      const root = await sendMessage(alice, conversation.id, 'root');
      const before = (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
      const watcher = await pool.open(alice);
      const sockets = await Promise.all(others.map((user) => pool.open(user)));

      const replies = Array.from({ length: REPLIES }, async (_, i): Promise<Message> => {
        const body = { message_id: randomUUID(), conversation_id: conversation.id, content: `reply ${i}`, thread_root_id: root.message_id };
        if (i % 5 === 0) {
          const socket = sockets[i % sockets.length]!;
          const ack = await socket.request({ type: 'message', ...body }, (f) => f.type === 'ack' && f.message_id === body.message_id, 20_000);
          return ack.message as Message;
        }
        const response = await others[i % others.length]!.api.post('/messages', body);
        expect(response.status).toBe(201);
        return response.body as Message;
      });
      const plain = Array.from({ length: PLAIN }, (_, i) => sendMessage(others[i % others.length]!, conversation.id, `plain ${i}`));
      const sent = await Promise.all(replies);
      await Promise.all(plain);

      const seqs = sent.map((m) => m.seq);
      expect(new Set(seqs).size).toBe(REPLIES);
      const last = sent.reduce((a, b) => (b.seq > a.seq ? b : a));
      const thread = (await alice.api.get(`/messages/${root.message_id}/thread?limit=200`)).body;
      expect(thread.root.thread).toEqual({ reply_count: REPLIES, last_reply_at: last.created_at, last_reply_id: last.message_id });
      expect(thread.messages.map((m: Message) => m.seq)).toEqual([...seqs].sort((a, b) => a - b));
      expect(thread.root.version).toBe(last.version + 1);

      const total = REPLIES * 2 + PLAIN;
      const page = (await alice.api.get(`/conversations/${conversation.id}/events?after=${before}&limit=500`)).body;
      expect(page.events.map((e: Frame) => e.event_seq)).toEqual(Array.from({ length: total }, (_, i) => before + 1 + i));
      expect(page.events.filter((e: Frame) => e.type === 'thread.updated')).toHaveLength(REPLIES);
      expect(page.events.filter((e: Frame) => e.type === 'message.created')).toHaveLength(REPLIES + PLAIN);

      // Every change reaches the watcher in event_seq order; the root's updates count 1 … 50.
      const frames = await watcher.waitForCount((f) => f.conversation_id === conversation.id && (f.type === 'message' || f.type === 'message.updated'), total, 30_000);
      expect(frames.map((f) => f.event_seq)).toEqual(Array.from({ length: total }, (_, i) => before + 1 + i));
      const rootUpdates = frames.filter((f) => f.type === 'message.updated' && f.message.message_id === root.message_id);
      expect(rootUpdates.map((f) => f.message.thread.reply_count)).toEqual(Array.from({ length: REPLIES }, (_, i) => i + 1));
      expect(rootUpdates.at(-1)!.message).toEqual(thread.root);
      const followed = (await alice.api.get('/threads')).body.threads;
      expect(followed).toEqual([{ root: thread.root, last_read_seq: 0, unread_count: REPLIES }]);
    }, 60_000);

    it('stores 20 identical replies sent at once once: one 201, the others 200 with it, counted once', async () => {
      const [alice, bob] = users as [TestUser, TestUser];
      const conversation = await createConversation(alice, [bob]);
      const root = await sendMessage(alice, conversation.id, 'root');
      const body = { message_id: randomUUID(), conversation_id: conversation.id, content: 'once', thread_root_id: root.message_id };
      const responses = await Promise.all(Array.from({ length: 20 }, () => bob.api.post('/messages', body)));
      expect(responses.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
      expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
      const thread = (await alice.api.get(`/messages/${root.message_id}/thread`)).body;
      expect(thread.root.thread.reply_count).toBe(1);
      expect(thread.messages).toEqual([responses[0]!.body]);
    });
  });
}
