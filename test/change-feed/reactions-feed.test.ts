/**
 * Reactions on the change feed: live reaction frames (each with its position, to every member),
 * reactions in every message payload (history, message frames, the conversation list, events,
 * sync events and snapshots), no my_reactions in any answer (a message looks the same everywhere), and a deleted message
 * with no reactions left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const path = (messageId: string, emoji: string) => `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

for (const dialect of enabledDialects()) {
  describe(`reactions on the change feed [${dialect}]`, () => {
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

    it('sends reaction.added and reaction.removed frames to every member, with the position and the count after the change', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const message = await sendMessage(alice, conversation.id, 'hi');
      const [aliceSocket, carolSocket] = await Promise.all([pool.open(alice), pool.open(carol)]);
      expect((await bob.api.request('PUT', path(message.message_id, '👍🏽'))).status).toBe(204);
      expect((await bob.api.request('DELETE', path(message.message_id, '👍🏽'))).status).toBe(204);
      const head = { conversation_id: conversation.id, message_id: message.message_id, emoji: '👍🏽', user_id: bob.user.id };
      for (const socket of [aliceSocket, carolSocket]) {
        const frames = await socket.waitForCount((f) => f.type?.startsWith('reaction.'), 2);
        expect(frames).toEqual([
          { type: 'reaction.added', ...head, event_seq: 3, count: 1 },
          { type: 'reaction.removed', ...head, event_seq: 4, count: 0 },
        ]);
      }
    });

    it('carries reactions in message frames, history, the conversation list and an edited message; never my_reactions', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'hi');
      expect(message).toMatchObject({ reactions: [] });
      expect(message).not.toHaveProperty('my_reactions');
      await bob.api.request('PUT', path(message.message_id, '🎉'));
      await alice.api.request('PUT', path(message.message_id, '👀'));
      const bobSocket = await pool.open(bob);
      const edited = await alice.api.patch(`/messages/${message.message_id}`, { content: 'hi, edited' });
      const counts = [{ emoji: '🎉', count: 1 }, { emoji: '👀', count: 1 }];
      expect(edited.body).toMatchObject({ content: 'hi, edited', reactions: counts, version: 5 });
      const frame = await bobSocket.waitFor((f) => f.type === 'message.updated');
      expect(frame.message).toEqual(edited.body);
      expect(frame.message).not.toHaveProperty('my_reactions');
      expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([edited.body]);
      expect((await alice.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([edited.body]);
      const listed = (await bob.api.get('/conversations')).body.conversations.find((c: Frame) => c.id === conversation.id);
      expect(listed.last_message).toEqual(edited.body);
    });

    it('serves reaction events from GET …/events and POST /sync', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'hi');
      await bob.api.request('PUT', path(message.message_id, '❤️'));
      await alice.api.request('PUT', path(message.message_id, '❤️'));
      await bob.api.request('DELETE', path(message.message_id, '❤️'));
      const ref = { conversation_id: conversation.id, message_id: message.message_id, emoji: '❤️' };
      // As read from the log, each event carries the emoji's count as it is now.
      const expected = [
        { ...ref, event_seq: 3, type: 'reaction.added', actor_id: bob.user.id, user_id: bob.user.id, count: 1, created_at: expect.any(String) },
        { ...ref, event_seq: 4, type: 'reaction.added', actor_id: alice.user.id, user_id: alice.user.id, count: 1, created_at: expect.any(String) },
        { ...ref, event_seq: 5, type: 'reaction.removed', actor_id: bob.user.id, user_id: bob.user.id, count: 1, created_at: expect.any(String) },
      ];
      const page = (await bob.api.get(`/conversations/${conversation.id}/events?after=1`)).body;
      expect(page.events[0]).toMatchObject({ type: 'message.created', message: { reactions: [{ emoji: '❤️', count: 1 }], version: 5 } });
      expect(page.events.slice(1)).toEqual(expected);

      const synced = (await bob.api.post('/sync', { conversations: { [conversation.id]: 2 } })).body.conversations[0];
      expect(synced).toMatchObject({ status: 'events', last_event_seq: 5 });
      expect(synced.events).toEqual(expected);
      const joined = (await alice.api.post('/sync', { conversations: {} })).body.conversations.find((e: Frame) => e.conversation_id === conversation.id);
      expect(joined.snapshot.messages).toEqual([expect.objectContaining({ reactions: [{ emoji: '❤️', count: 1 }], version: 5 })]);
    });

    it('removes a message reactions when it is deleted: none in history, frames, the list of reactors or the events', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'doomed');
      await bob.api.request('PUT', path(message.message_id, '👍'));
      await alice.api.request('PUT', path(message.message_id, '😂'));
      const bobSocket = await pool.open(bob);
      expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
      const frame = await bobSocket.waitFor((f) => f.type === 'message.updated');
      expect(frame.message).toMatchObject({ deleted: true, content: '', reactions: [], version: 5 });
      expect((await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages[0]).toMatchObject({ deleted: true, reactions: [] });
      expect((await bob.api.get(`/messages/${message.message_id}/reactions`)).body).toEqual({ reactions: [] });
      const events = (await bob.api.get(`/conversations/${conversation.id}/events?after=2`)).body.events;
      expect(events.map((e: Frame) => [e.type, e.count ?? null])).toEqual([
        ['reaction.added', 0],
        ['reaction.added', 0],
        ['message.deleted', null],
      ]);
    });
  });
}
