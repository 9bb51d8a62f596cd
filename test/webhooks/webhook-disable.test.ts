/**
 * Failing webhooks (docs/API.md, "Outgoing webhooks", "Retries and disabling"): one that has not
 * delivered anything for WEBHOOK_DISABLE_AFTER_SECONDS is disabled and says why, delivers
 * nothing more, and once re-enabled catches up on everything it held back; a single event a
 * receiver keeps refusing while others succeed is given up after that period, logged `failed`,
 * and its conversation moves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { until } from '../helpers/http-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createBot, createWebhook, sendMany, WEBHOOK_TEST_ENV } from '../helpers/webhook-world.js';

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const dialect of enabledDialects()) {
  describe(`failing webhooks [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { ...WEBHOOK_TEST_ENV, WEBHOOK_DISABLE_AFTER_SECONDS: '2', WEBHOOK_RETRY_MAX_MS: '300' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    it('disables a webhook that failed for the whole period, and an enabled one catches up', async () => {
      const conversation = await createConversation(alice, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id });
        receiver.useSecrets([hook.secret]);
        receiver.respond = () => 503;
        await sendMany(bob, [conversation.id], 3, 1);
        const disabled = await waitFor(() => alice.api.get(`/webhooks/${hook.webhook.id}`).then((r) => r.body), (w) => w.enabled === false, 'the webhook disabled');
        expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'failing' });
        expect(Date.parse(disabled.disabled_at) - Date.parse(disabled.failing_since)).toBeGreaterThanOrEqual(2_000);
        const tried = receiver.requests.length;
        expect(tried).toBeGreaterThan(2);
        await sendMany(bob, [conversation.id], 2, 1);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(receiver.requests.length).toBe(tried);

        receiver.respond = () => 204;
        const enabled = await alice.api.patch(`/webhooks/${hook.webhook.id}`, { enabled: true });
        expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
        await until(() => receiver.unique.size === 5, 10_000, 'all five');
        const seqs = receiver.ofConversation(conversation.id).map((d) => d.body.data.event_seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      } finally {
        await receiver.stop();
      }
    });

    it('gives up one event refused for the whole period while others are delivered, and moves on', async () => {
      const bot = await createBot(alice);
      const poisoned = await createConversation(alice, [bob]);
      const busy = await createConversation(alice, [bob]);
      for (const conversation of [poisoned, busy]) expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: bot.id })).status).toBe(201);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], bot_id: bot.id });
        receiver.useSecrets([hook.secret]);
        receiver.respond = (delivery) => ((delivery.body.data.message as { content: string }).content === 'poison' ? 422 : 204);
        expect((await bob.api.post('/messages', { message_id: crypto.randomUUID(), conversation_id: poisoned.id, content: 'poison' })).status).toBe(201);
        expect((await bob.api.post('/messages', { message_id: crypto.randomUUID(), conversation_id: poisoned.id, content: 'after' })).status).toBe(201);
        // The webhook keeps succeeding elsewhere meanwhile, so it is not disabled.
        for (let i = 0; i < 12; i++) {
          await sendMany(bob, [busy.id], 1, 1);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await until(() => receiver.ofConversation(poisoned.id).length === 1, 10_000, 'the message after the poison');
        expect((receiver.ofConversation(poisoned.id)[0]!.body.data.message as { content: string }).content).toBe('after');
        const failed = (await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?status=failed`)).body.deliveries;
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ conversation_id: poisoned.id, status: 'failed', response_status: 422, error: 'status' });
        expect(failed[0].attempts).toBeGreaterThan(2);
        expect((await alice.api.get(`/webhooks/${hook.webhook.id}`)).body.enabled).toBe(true);
      } finally {
        await receiver.stop();
      }
    });
  });
}
