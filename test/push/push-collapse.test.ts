/**
 * The collapse window (docs/API.md, "Web Push", PUSH_COLLAPSE_SECONDS): after a push of a
 * conversation, the next one to the same browser waits until the window ends, and the messages
 * sent meanwhile fold into it, carrying the newest. A message after a quiet spell is pushed at
 * once. Each conversation has a window of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startPushService, type TestPushService } from '../helpers/push-service.js';
import { FakeRecipients, PUSH_TEST_ENV, quiet, subscribeBrowser } from '../helpers/push-world.js';
import { startServer, type TestServer } from '../helpers/server.js';

const WINDOW_MS = 2_000;

for (const dialect of enabledDialects()) {
  describe(`push collapse window [${dialect}]`, () => {
    let service: TestPushService;
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;

    beforeAll(async () => {
      service = await startPushService();
      server = await startServer({ dialect, env: { ...PUSH_TEST_ENV, PUSH_COLLAPSE_SECONDS: String(WINDOW_MS / 1000) }, pushRecipients: new FakeRecipients() });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
      service.expectedKey = (await alice.api.get('/push/vapid-public-key')).body.public_key;
    });
    afterAll(async () => {
      await server.close();
      await service.close();
    });

    it('pushes the first message at once, folds the ones inside the window into one push at its end, and keeps windows per conversation', { timeout: 30_000 }, async () => {
      const bobs = await subscribeBrowser(bob, service);
      const plans = await createConversation(alice, [bob], 'Plans');
      const other = await createConversation(alice, [bob], 'Other');
      const pushesOf = (conversationId: string) => service.deliveredTo(bobs.token).filter((p) => p.payload.conversation_id === conversationId);

      const first = await sendMessage(alice, plans.id, 'first');
      await service.waitFor(() => pushesOf(plans.id).length === 1, 5_000, 'the first push');
      const firstAt = pushesOf(plans.id)[0]!.at;
      expect(pushesOf(plans.id)[0]!.payload.message_id).toBe(first.message_id);

      // Inside the window: nothing now, one push with the newest when it ends.
      const burst = [];
      for (let i = 0; i < 5; i++) burst.push(await sendMessage(alice, plans.id, `burst ${i}`));
      // Another conversation is not held by this one's window.
      const elsewhere = await sendMessage(alice, other.id, 'elsewhere');
      await service.waitFor(() => pushesOf(other.id).length === 1, 5_000, 'the other conversation\'s push');
      expect(pushesOf(other.id)[0]!.payload.message_id).toBe(elsewhere.message_id);
      expect(pushesOf(plans.id)).toHaveLength(1);

      await service.waitFor(() => pushesOf(plans.id).length === 2, 10_000, 'the folded push');
      const folded = pushesOf(plans.id)[1]!;
      expect(folded.payload.message_id).toBe(burst.at(-1)!.message_id);
      expect(folded.at - firstAt).toBeGreaterThanOrEqual(WINDOW_MS - 50);

      // A message after a quiet spell longer than the window goes at once (within the poll).
      await quiet(WINDOW_MS + 200);
      const sentAt = Date.now();
      const later = await sendMessage(alice, plans.id, 'after a pause');
      await service.waitFor(() => pushesOf(plans.id).length === 3, 5_000, 'the push after the pause');
      expect(pushesOf(plans.id)[2]!.payload.message_id).toBe(later.message_id);
      expect(pushesOf(plans.id)[2]!.at - sentAt).toBeLessThan(WINDOW_MS);
      await quiet(WINDOW_MS + 500);
      expect(pushesOf(plans.id)).toHaveLength(3);
      expect(service.problems).toEqual([]);
    });
  });
}
