/**
 * Who gets a push, with the real notification settings and presence behind the queue (no
 * stand-ins): a member looking at the conversation on some device gets none, one looking at
 * another conversation or at nothing does; `mentions`, `none` and mutes are honoured, a direct
 * mention breaks a mute (`mention_breaks_mute`) and `@all` does not; previews off leaves the
 * text out. Each case sends its messages one at a time and waits for the push, so each
 * notifying message is exactly one push.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTED_FOREVER } from '@pneumatic/protocol';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startPushService, type TestPushService } from '../helpers/push-service.js';
import { PUSH_TEST_ENV, quiet, subscribeBrowser } from '../helpers/push-world.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`push audience, real settings and presence [${dialect}]`, () => {
    let service: TestPushService;
    let server: TestServer;
    const pool = socketPool(() => server.wsUrl);

    beforeAll(async () => {
      service = await startPushService();
      server = await startServer({ dialect, env: PUSH_TEST_ENV });
      const [probe] = await registerUsers(server.url, 'probe');
      service.expectedKey = (await probe!.api.get('/push/vapid-public-key')).body.public_key;
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
      await service.close();
    });

    /** Alice writes to Bob (subscribed) in a group of three, so `@all` is allowed and Carol is there. */
    const setting = async () => {
      const [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
      const browser = await subscribeBrowser(bob!, service);
      const conversation = await createConversation(alice!, [bob!, carol!], 'Team');
      return { alice: alice!, bob: bob!, conversation, token: browser.token };
    };

    /** Sends `content` and says whether Bob's browser got a push for it (waiting up to 5 s for one, 800 ms for none). */
    const pushedFor = async (from: TestUser, conversationId: string, token: string, content: string, expected: boolean): Promise<boolean> => {
      const before = service.deliveredTo(token).length;
      const message = await sendMessage(from, conversationId, content);
      if (expected) await service.waitFor(() => service.deliveredTo(token).length > before, 5000, `a push for "${content}"`);
      else await quiet(800);
      const pushes = service.deliveredTo(token).slice(before);
      expect(pushes.length).toBeLessThanOrEqual(1);
      if (pushes.length === 1) expect(pushes[0]!.payload.message_id).toBe(message.message_id);
      return pushes.length === 1;
    };

    it('pushes nothing to a member whose device has the conversation open and visible, and pushes once it is not', async () => {
      const { alice, bob, conversation, token } = await setting();
      const other = await createConversation(alice, [bob], 'Elsewhere');
      const bobSocket = await pool.open(bob);
      bobSocket.send({ type: 'activity', state: 'active', viewing: conversation.id });
      await quiet(300);
      expect(await pushedFor(alice, conversation.id, token, 'seen as it arrives', false)).toBe(false);
      // Looking at another conversation: this one is not visible.
      bobSocket.send({ type: 'activity', state: 'active', viewing: other.id });
      await quiet(300);
      expect(await pushedFor(alice, conversation.id, token, 'not in view', true)).toBe(true);
      // The tab hidden: online, but viewing nothing.
      bobSocket.send({ type: 'activity', state: 'idle', viewing: null });
      await quiet(300);
      expect(await pushedFor(alice, conversation.id, token, 'tab hidden', true)).toBe(true);
      // Closed: offline.
      bobSocket.close();
      await quiet(300);
      expect(await pushedFor(alice, conversation.id, token, 'offline', true)).toBe(true);
      expect(service.problems).toEqual([]);
    });

    it('honours a conversation set to mentions only, and to none', async () => {
      const { alice, bob, conversation, token } = await setting();
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: 'mentions', muted_until: null })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'no mention', false)).toBe(false);
      expect(await pushedFor(alice, conversation.id, token, `@${bob.user.username} look`, true)).toBe(true);
      expect(await pushedFor(alice, conversation.id, token, '@all look', true)).toBe(true);
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: 'none', muted_until: null })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, `@${bob.user.username} still nothing`, false)).toBe(false);
      // Back to the default (all).
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: null, muted_until: null })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'everything again', true)).toBe(true);
    });

    it('honours a user-wide default of mentions only', async () => {
      const { alice, bob, conversation, token } = await setting();
      expect((await bob.api.patch('/notification-settings', { level: 'mentions' })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'no mention', false)).toBe(false);
      expect(await pushedFor(alice, conversation.id, token, `@${bob.user.username} here`, true)).toBe(true);
      // The conversation's own level wins over the default.
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: 'all', muted_until: null })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'this room says all', true)).toBe(true);
    });

    it('honours a mute: a direct mention breaks it (mention_breaks_mute), @all does not, and with the switch off nothing does', async () => {
      const { alice, bob, conversation, token } = await setting();
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: null, muted_until: MUTED_FOREVER })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'muted', false)).toBe(false);
      expect(await pushedFor(alice, conversation.id, token, '@all muted too', false)).toBe(false);
      expect(await pushedFor(alice, conversation.id, token, `@${bob.user.username} breaks through`, true)).toBe(true);
      expect((await bob.api.patch('/notification-settings', { mention_breaks_mute: false })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, `@${bob.user.username} not any more`, false)).toBe(false);
      // A mute that has passed is no mute.
      const past = new Date(Date.now() - 60_000).toISOString();
      expect((await bob.api.put(`/conversations/${conversation.id}/notification-settings`, { level: null, muted_until: past })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'unmuted', true)).toBe(true);
    });

    it('leaves the text out when the user turns previews off', async () => {
      const { alice, bob, conversation, token } = await setting();
      expect((await bob.api.patch('/notification-settings', { previews: false })).status).toBe(200);
      expect(await pushedFor(alice, conversation.id, token, 'the secret plan', true)).toBe(true);
      const [push] = service.deliveredTo(token).slice(-1);
      expect(push!.payload).not.toHaveProperty('preview');
      expect(JSON.stringify(push!.payload)).not.toContain('secret');
    });
  });
}
