/**
 * Pins on the change feed: live message.pinned / message.unpinned frames (each with its position,
 * to every member), the same events from GET …/events and POST /sync, the pins of a snapshot
 * (joined, and expired after compaction, when the pin events are gone), and a deleted message's
 * pin gone with no unpin event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const path = (conversationId: string, messageId: string) => `/conversations/${conversationId}/pins/${messageId}`;
const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

for (const dialect of enabledDialects()) {
  describe(`pins on the change feed [${dialect}]`, () => {
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

    it('sends message.pinned and message.unpinned frames to every member, with the position, who and when', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const message = await sendMessage(alice, conversation.id, 'hi');
      const [aliceSocket, carolSocket] = await Promise.all([pool.open(alice), pool.open(carol)]);
      expect((await bob.api.request('PUT', path(conversation.id, message.message_id))).status).toBe(204);
      expect((await bob.api.request('PUT', path(conversation.id, message.message_id))).status).toBe(204);
      expect((await carol.api.request('DELETE', path(conversation.id, message.message_id))).status).toBe(204);
      const head = { conversation_id: conversation.id, message_id: message.message_id, at: iso };
      for (const socket of [aliceSocket, carolSocket]) {
        const frames = await socket.waitForCount((f) => f.type?.startsWith('message.') && f.type.endsWith('pinned'), 2);
        expect(frames).toEqual([
          { type: 'message.pinned', ...head, event_seq: 3, user_id: bob.user.id },
          { type: 'message.unpinned', ...head, event_seq: 4, user_id: carol.user.id },
        ]);
      }
      // The repeat was announced to nobody.
      await sendMessage(alice, conversation.id, 'barrier');
      await aliceSocket.waitFor((f) => f.type === 'message' && f.message.content === 'barrier');
      expect(aliceSocket.frames.filter((f) => f.type === 'message.pinned')).toHaveLength(1);
    });

    it('serves pin events from GET …/events and POST /sync, and every pin in a joined snapshot', async () => {
      const conversation = await createConversation(alice, [bob]);
      const first = await sendMessage(alice, conversation.id, 'one');
      const second = await sendMessage(alice, conversation.id, 'two');
      await bob.api.request('PUT', path(conversation.id, first.message_id));
      await alice.api.request('PUT', path(conversation.id, second.message_id));
      await alice.api.request('DELETE', path(conversation.id, first.message_id));
      const event = (event_seq: number, type: string, user: TestUser, messageId: string) => ({
        event_seq, type, conversation_id: conversation.id, actor_id: user.user.id, created_at: iso, message_id: messageId, user_id: user.user.id, at: iso,
      });
      const expected = [
        event(4, 'message.pinned', bob, first.message_id),
        event(5, 'message.pinned', alice, second.message_id),
        event(6, 'message.unpinned', alice, first.message_id),
      ];
      const page = (await bob.api.get(`/conversations/${conversation.id}/events?after=3`)).body;
      expect(page).toEqual({ events: expected, has_more: false, last_event_seq: 6 });
      for (const e of page.events) expect(e.at).toBe(e.created_at);
      const synced = (await bob.api.post('/sync', { conversations: { [conversation.id]: 3 } })).body.conversations[0];
      expect(synced).toMatchObject({ status: 'events', last_event_seq: 6, events: expected });
      // A snapshot's messages are the latest only: its pins are all of them.
      const joined = (await bob.api.post('/sync', { conversations: {}, messages_limit: 0 })).body.conversations.find((e: Frame) => e.conversation_id === conversation.id);
      expect(joined.snapshot).toMatchObject({ messages: [], pins: [{ message_id: second.message_id, pinned_by: alice.user.id, pinned_at: iso }] });
    });

    it('removes a deleted message pin: gone from the list and snapshots, with only message.deleted on the feed', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'doomed');
      await bob.api.request('PUT', path(conversation.id, message.message_id));
      const bobSocket = await pool.open(bob);
      expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
      await bobSocket.waitFor((f) => f.type === 'message.updated');
      expect(bobSocket.frames.filter((f) => f.type === 'message.unpinned')).toEqual([]);
      expect((await bob.api.get(`/conversations/${conversation.id}/pins`)).body).toEqual({ pins: [] });
      const events = (await bob.api.get(`/conversations/${conversation.id}/events?after=2`)).body.events;
      expect(events.map((e: Frame) => e.type)).toEqual(['message.pinned', 'message.deleted']);
      const joined = (await bob.api.post('/sync', { conversations: {} })).body.conversations.find((e: Frame) => e.conversation_id === conversation.id);
      expect(joined.snapshot.pins).toEqual([]);
    });
  });

  describe(`pins after compaction [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      // Events are kept only until the next compaction, which runs every 200 ms.
      server = await startServer({ dialect, env: { EVENT_RETENTION_DAYS: '0', EVENT_COMPACTION_INTERVAL_MS: '200', RATE_LIMITS: 'off' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    it('gives an expired position a snapshot with every pin, those of messages older than its messages included', async () => {
      const conversation = await createConversation(alice, [bob]);
      const old = await sendMessage(alice, conversation.id, 'old');
      for (let i = 0; i < 3; i++) await sendMessage(alice, conversation.id, `m${i}`);
      await bob.api.request('PUT', path(conversation.id, old.message_id));
      // Wait until compaction removed every event up to the pin (event_seq 6).
      for (let i = 0; i < 100; i++) {
        if ((await bob.api.get(`/conversations/${conversation.id}/events?after=5`)).status === 410) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const entry = (await bob.api.post('/sync', { conversations: { [conversation.id]: 1 }, messages_limit: 2 })).body.conversations[0];
      expect(entry).toMatchObject({ status: 'snapshot', reason: 'expired' });
      expect(entry.snapshot.messages.map((m: Frame) => m.content)).toEqual(['m1', 'm2']);
      expect(entry.snapshot.pins).toEqual([{ message_id: old.message_id, pinned_by: bob.user.id, pinned_at: iso }]);
    });
  });
}
