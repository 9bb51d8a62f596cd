/**
 * Notification settings on every device: a change reaches each of the user's connections (and
 * nobody else's) as a `notification_settings` frame with the user's next user_seq; a change that
 * changes nothing sends none; `POST /sync` answers the current settings beside user_seq.
 */
import { MUTED_FOREVER } from '@pneumatic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { currentUserSeq } from '../helpers/user-seq.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const settingsFrame = (f: Frame) => f.type === 'notification_settings';

for (const dialect of enabledDialects()) {
  describe(`notification settings on the change feed [${dialect}]`, () => {
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

    it("sends each change to every connection of the user with the next user_seq, and to nobody else's", async () => {
      const conversation = await createConversation(alice, [bob]);
      const [laptop, phone, bobSocket] = await Promise.all([pool.open(alice), pool.open(alice), pool.open(bob)]);
      const start = await currentUserSeq(alice);
      const defaults = (await alice.api.patch('/notification-settings', { level: 'mentions', previews: false })).body;
      for (const socket of [laptop, phone]) {
        expect(await socket.waitFor(settingsFrame)).toEqual({ type: 'notification_settings', user_seq: start + 1, defaults });
      }
      const override = (await alice.api.request('PUT', `/conversations/${conversation.id}/notification-settings`, { body: { level: 'all', muted_until: MUTED_FOREVER } })).body;
      expect(override).toEqual({ conversation_id: conversation.id, level: 'all', muted_until: MUTED_FOREVER });
      for (const socket of [laptop, phone]) {
        const frames = await socket.waitForCount(settingsFrame, 2);
        expect(frames[1]).toEqual({ type: 'notification_settings', user_seq: start + 2, conversation: override });
      }
      await bobSocket.expectNone(settingsFrame);
    });

    it('sends nothing for a change that changes nothing', async () => {
      const conversation = await createConversation(bob, []);
      const socket = await pool.open(bob);
      await bob.api.patch('/notification-settings', { level: 'all' });
      await bob.api.request('PUT', `/conversations/${conversation.id}/notification-settings`, { body: { level: null, muted_until: null } });
      await socket.expectNone(settingsFrame);
    });

    it('answers the current settings in POST /sync, as GET /notification-settings does, with user_seq', async () => {
      const conversation = await createConversation(alice, [bob]);
      await bob.api.request('PUT', `/conversations/${conversation.id}/notification-settings`, { body: { level: 'none', muted_until: null } });
      await bob.api.patch('/notification-settings', { mention_breaks_mute: false });
      const sync = await bob.api.post('/sync', { conversations: {}, messages_limit: 0 });
      expect(sync.status).toBe(200);
      const current = (await bob.api.get('/notification-settings')).body;
      expect(sync.body.notification_settings).toEqual(current);
      expect(current.defaults).toEqual({ level: 'all', mention_breaks_mute: false, previews: true });
      expect(current.conversations).toContainEqual({ conversation_id: conversation.id, level: 'none', muted_until: null });
      expect(sync.body.user_seq).toBe(await currentUserSeq(bob));
    });

    it("tells a member who leaves with member.removed and its user_seq; the override is gone from the next sync", async () => {
      const conversation = await createConversation(alice, [bob]);
      await bob.api.request('PUT', `/conversations/${conversation.id}/notification-settings`, { body: { level: 'mentions', muted_until: null } });
      const socket = await pool.open(bob);
      const start = await currentUserSeq(bob);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      expect(await socket.waitFor((f) => f.type === 'member.removed' && f.conversation_id === conversation.id)).toMatchObject({ user_id: bob.user.id, user_seq: start + 1 });
      const sync = await bob.api.post('/sync', { conversations: { [conversation.id]: 0 }, messages_limit: 0 });
      expect(sync.body.conversations).toContainEqual({ conversation_id: conversation.id, status: 'gone' });
      expect(sync.body.notification_settings.conversations.map((c: { conversation_id: string }) => c.conversation_id)).not.toContain(conversation.id);
      await socket.expectNone(settingsFrame);
    });
  });
}
