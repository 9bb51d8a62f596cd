/**
 * When push services fail (docs/API.md, "Web Push"): a service down for 10 s (port closed) or
 * answering 500 and 429 gets every due push once it is back, exactly once, one per
 * conversation (the newest message); 404 and 410 remove the subscription and nothing more is
 * sent to it; a service that hangs delays neither other services' pushes nor the server's sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startPushService, type TestPushService } from '../helpers/push-service.js';
import { PUSH_TEST_ENV, quiet, subscribeBrowser } from '../helpers/push-world.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`push retries [${dialect}]`, () => {
    let service: TestPushService;
    let server: TestServer;
    let alice: TestUser;

    beforeAll(async () => {
      service = await startPushService();
      server = await startServer({ dialect, env: PUSH_TEST_ENV });
      [alice] = await registerUsers(server.url, 'alice');
      service.expectedKey = (await alice.api.get('/push/vapid-public-key')).body.public_key;
    });
    afterAll(async () => {
      await server.close();
      await service.close();
    });

    /** Three conversations with a fresh subscribed member; one message in each of two, four in the third. */
    async function sendWhileFailing(bob: TestUser) {
      const conversations = [await createConversation(alice, [bob]), await createConversation(alice, [bob]), await createConversation(alice, [bob])];
      const last = new Map<string, string>();
      for (const [i, c] of conversations.entries()) {
        for (let n = 0; n < (i === 2 ? 4 : 1); n++) last.set(c.id, (await sendMessage(alice, c.id, `to ${i}, #${n}`)).message_id);
      }
      return last;
    }

    it('delivers every due push once, the newest of each conversation, after the service was down for 10 s', { timeout: 60_000 }, async () => {
      const [bob] = await registerUsers(server.url, 'bob');
      const bobs = await subscribeBrowser(bob!, service);
      await service.down();
      const last = await sendWhileFailing(bob!);
      await quiet(10_000);
      await service.up();
      await service.waitFor(() => service.deliveredTo(bobs.token).length >= 3, 30_000);
      await quiet(2_000);
      const pushes = service.deliveredTo(bobs.token);
      expect(pushes.map((p) => p.payload.message_id).sort()).toEqual([...last.values()].sort());
      expect(service.problems).toEqual([]);
    });

    it('delivers every due push once after a run of 500 and 429 answers', { timeout: 60_000 }, async () => {
      const [carol] = await registerUsers(server.url, 'carol');
      const carols = await subscribeBrowser(carol!, service);
      service.answer(500, carols.token);
      const last = await sendWhileFailing(carol!);
      await service.waitFor(() => service.requests.filter((r) => r.token === carols.token).length >= 4, 15_000, 'failed attempts');
      service.answer(429, carols.token);
      await service.waitFor(() => service.requests.filter((r) => r.token === carols.token && r.status === 429).length >= 1, 15_000, 'a 429');
      service.answer(201, carols.token);
      await service.waitFor(() => service.deliveredTo(carols.token).length >= 3, 30_000);
      await quiet(2_000);
      expect(service.deliveredTo(carols.token).map((p) => p.payload.message_id).sort()).toEqual([...last.values()].sort());
    });

    it('removes a subscription its service answers 410 or 404 for, and sends it nothing more', async () => {
      const [dave] = await registerUsers(server.url, 'dave');
      const [gone, missing, fine] = [await subscribeBrowser(dave!, service), await subscribeBrowser(dave!, service), await subscribeBrowser(dave!, service)];
      service.answer(410, gone.token);
      service.answer(404, missing.token);
      const conversation = await createConversation(alice, [dave!]);
      await sendMessage(alice, conversation.id, 'first');
      await service.waitFor(() => service.deliveredTo(fine.token).length === 1);
      const listed = async () => ((await dave!.api.get('/push/subscriptions')).body.subscriptions as { id: string }[]).map((s) => s.id);
      const deadline = Date.now() + 5_000;
      while ((await listed()).length > 1 && Date.now() < deadline) await quiet(50);
      expect(await listed()).toEqual([fine.id]);
      await sendMessage(alice, conversation.id, 'second');
      await service.waitFor(() => service.deliveredTo(fine.token).length === 2);
      await quiet(500);
      expect(service.requests.filter((r) => r.token === gone.token)).toHaveLength(1);
      expect(service.requests.filter((r) => r.token === missing.token)).toHaveLength(1);
    });

    it("lets a hanging service delay neither another service's pushes nor the server's sends", { timeout: 30_000 }, async () => {
      const slow = await startPushService();
      try {
        slow.answer('hang');
        const [erin, frank] = await registerUsers(server.url, 'erin', 'frank');
        // Four subscriptions on the hanging service: more than its share of the sender's slots.
        const hung = await registerUsers(server.url, 'h1', 'h2', 'h3', 'h4');
        for (const user of hung) await subscribeBrowser(user, slow);
        const franks = await subscribeBrowser(frank!, service);
        void erin;
        const conversation = await createConversation(alice, [frank!, ...hung]);
        for (let i = 0; i < 5; i++) {
          const started = Date.now();
          await sendMessage(alice, conversation.id, `while one service hangs ${i}`);
          expect(Date.now() - started).toBeLessThan(1_000);
          await service.waitFor(() => service.deliveredTo(franks.token).length === i + 1, 1_500, `frank's push ${i + 1} while the other service hangs`);
        }
        expect(slow.requests.length).toBeGreaterThan(0);
      } finally {
        await slow.close();
      }
    });
  });
}
