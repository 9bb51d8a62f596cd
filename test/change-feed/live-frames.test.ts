/**
 * Live frames of the change feed: each carries its conversation_id and event_seq, every kind
 * arrives in event_seq order on each connection, and frames about the user's own state carry
 * user_seq.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`live change-feed frames [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    const of = (conversationId: string) => (f: Frame) => f.conversation_id === conversationId && typeof f.event_seq === 'number';

    it('sends conversation.updated and member.updated frames, each with its position', async () => {
      const conversation = await createConversation(alice, [bob]);
      const bobSocket = await pool.open(bob);
      expect((await alice.api.patch(`/conversations/${conversation.id}`, { title: 'Renamed' })).status).toBe(200);
      const renamed = await bobSocket.waitFor((f) => f.type === 'conversation.updated');
      expect(renamed).toMatchObject({ type: 'conversation.updated', conversation_id: conversation.id, event_seq: 2 });
      expect(renamed.conversation).toMatchObject({ id: conversation.id, title: 'Renamed', last_event_seq: 2 });
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${alice.user.id}`)).status).toBe(204);
      expect(await bobSocket.waitFor((f) => f.type === 'member.removed')).toEqual({
        type: 'member.removed',
        conversation_id: conversation.id,
        event_seq: 3,
        user_id: alice.user.id,
      });
      const promoted = await bobSocket.waitFor((f) => f.type === 'member.updated');
      expect(promoted).toEqual({
        type: 'member.updated',
        conversation_id: conversation.id,
        event_seq: 4,
        member: { user_id: bob.user.id, username: bob.user.username, is_bot: false, display_name: null, avatar_url: null, role: 'owner', joined_at: expect.any(String), last_read_seq: 0 },
      });
    });

    it('carries user_seq on frames about your own state, to your own connections only', async () => {
      const [bobPhone, aliceSocket] = await Promise.all([pool.open(bob), pool.open(alice)]);
      const start = (await bob.api.post('/sync', { conversations: {} })).body.user_seq as number;
      const conversation = await createConversation(alice, [bob]);
      const created = await bobPhone.waitFor((f) => f.type === 'member.added' && f.conversation_id === conversation.id);
      expect(created).toMatchObject({ event_seq: 1, user_id: null, user_seq: start + 1 });
      await sendMessage(alice, conversation.id, 'x');
      expect((await bob.api.post(`/conversations/${conversation.id}/read`, { seq: 1 })).status).toBe(204);
      expect(await bobPhone.waitFor((f) => f.type === 'read' && f.user_id === bob.user.id)).toEqual({
        type: 'read',
        conversation_id: conversation.id,
        user_id: bob.user.id,
        seq: 1,
        user_seq: start + 2,
      });
      // Alice hears bob's read without bob's position.
      expect(await aliceSocket.waitFor((f) => f.type === 'read' && f.user_id === bob.user.id)).toEqual({
        type: 'read',
        conversation_id: conversation.id,
        user_id: bob.user.id,
        seq: 1,
      });
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      expect(await bobPhone.waitFor((f) => f.type === 'member.removed' && f.conversation_id === conversation.id)).toMatchObject({
        user_id: bob.user.id,
        user_seq: start + 3,
      });
      const aliceHeard = await aliceSocket.waitFor((f) => f.type === 'member.removed' && f.conversation_id === conversation.id);
      expect(aliceHeard.user_seq).toBeUndefined();
    });

    it('a member removed while others send receives every message before the removal, then member.removed, then nothing', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const carolSocket = await pool.open(carol);
      const senders = Array.from({ length: 40 }, (_, i) => sendMessage(i % 2 ? alice : bob, conversation.id, `m${i}`));
      await new Promise((r) => setTimeout(r, 5));
      const removal = alice.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`);
      await Promise.all([...senders, removal]);
      const removed = await carolSocket.waitFor((f) => f.type === 'member.removed' && f.user_id === carol.user.id);
      await carolSocket.expectNone((f) => f.type === 'message' && f.event_seq > removed.event_seq);
      const frames = carolSocket.frames.filter(of(conversation.id));
      // Every event up to the removal, in order, nothing after.
      expect(frames.map((f) => f.event_seq)).toEqual(Array.from({ length: removed.event_seq - 1 }, (_, i) => i + 2));
      expect(frames.at(-1)).toBe(removed);
    });

    it('a member added again starts receiving at the event that added them', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const carolSocket = await pool.open(carol);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`)).status).toBe(204);
      for (let i = 0; i < 3; i++) await sendMessage(alice, conversation.id, `while away ${i}`);
      expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id })).status).toBe(201);
      const back = await carolSocket.waitFor((f) => f.type === 'member.added' && f.user_id === carol.user.id);
      expect(back.event_seq).toBe(6);
      const message = await sendMessage(bob, conversation.id, 'welcome back');
      const frame = await carolSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id);
      expect(frame).toEqual({ type: 'message', conversation_id: conversation.id, event_seq: 7, message });
    });

    it('message frames over the socket carry the position of their event', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [aliceSocket, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
      const messageId = randomUUID();
      aliceSocket.send({ type: 'message', message_id: messageId, conversation_id: conversation.id, content: 'over ws' });
      const ack = await aliceSocket.waitFor((f) => f.type === 'ack' && f.message_id === messageId);
      expect(ack.message.version).toBe(2);
      expect(await bobSocket.waitFor((f) => f.type === 'message' && f.message.message_id === messageId)).toEqual({
        type: 'message',
        conversation_id: conversation.id,
        event_seq: 2,
        message: ack.message,
      });
    });
  });
}
