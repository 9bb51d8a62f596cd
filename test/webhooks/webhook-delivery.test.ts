/**
 * Outgoing webhooks deliver every event, signed (verified with the Standard Webhooks library),
 * exactly once after dedupe by webhook-id and in event_seq order per conversation, through a
 * receiver that fails, goes down and comes back (docs/API.md, "Outgoing webhooks").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { until } from '../helpers/http-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createBot, createWebhook, deliveryLog, sendMany, WEBHOOK_TEST_ENV } from '../helpers/webhook-world.js';

/** Each conversation's unique deliveries are its events in order, with no gap and none twice. */
function expectInOrder(receiver: WebhookReceiver, conversationId: string, count: number): void {
  const seqs = receiver.ofConversation(conversationId).map((d) => d.body.data.event_seq);
  expect(seqs.length).toBe(count);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
}

for (const dialect of enabledDialects()) {
  describe(`outgoing webhook delivery [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { ...WEBHOOK_TEST_ENV } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    it('delivers 1,000 events signed, each once after dedupe, in order per conversation', async () => {
      const conversations = [await createConversation(alice, [bob]), await createConversation(alice, [bob]), await createConversation(alice, [bob])];
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hooks = [];
        for (const conversation of conversations) {
          hooks.push(await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id }));
        }
        receiver.useSecrets(hooks.map((h) => h.secret));
        // One in ten first attempts fails: retried, and the order holds.
        const seen = new Set<string>();
        receiver.respond = (delivery) => (!seen.has(delivery.id) && (seen.add(delivery.id), delivery.body.data.event_seq % 10 === 3) ? 500 : 204);
        await sendMany(alice, conversations.map((c) => c.id), 1000);
        await until(() => receiver.unique.size >= 1000, 60_000, '1,000 deliveries');
        for (const conversation of conversations) {
          const count = conversation.id === conversations[0]!.id ? 334 : 333;
          expectInOrder(receiver, conversation.id, count);
        }
        expect(receiver.requests.every((r) => r.verified)).toBe(true);
        const first = [...receiver.unique.values()][0]!;
        expect(first.body).toMatchObject({ type: 'message.created', data: { type: 'message.created', message: { content: expect.any(String) } } });
        expect(hooks.map((h) => h.webhook.id)).toContain(first.body.webhook_id);
      } finally {
        await receiver.stop();
      }
    });

    it('delivers every event of a 10 s outage once the receiver is back', async () => {
      const conversation = await createConversation(alice, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created', 'reaction.added'], conversation_id: conversation.id });
      receiver.useSecrets([hook.secret]);
      try {
        await sendMany(alice, [conversation.id], 10, 1);
        await until(() => receiver.unique.size === 10, 10_000, 'the first ten');
        await receiver.stop();
        await sendMany(bob, [conversation.id], 40, 4);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        const failing = await alice.api.get(`/webhooks/${hook.webhook.id}`);
        expect(failing.body.failing_since).not.toBeNull();
        expect(failing.body.enabled).toBe(true);
        await receiver.start();
        await until(() => receiver.unique.size === 50, 15_000, 'all fifty');
        expectInOrder(receiver, conversation.id, 50);
        // The success is written after the last answer: the webhook is marked working again then.
        let healed = await alice.api.get(`/webhooks/${hook.webhook.id}`);
        for (let i = 0; i < 50 && healed.body.failing_since !== null; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          healed = await alice.api.get(`/webhooks/${hook.webhook.id}`);
        }
        expect(healed.body.failing_since).toBeNull();
        expect(healed.body.last_success_at).not.toBeNull();
        expect(receiver.unique.size).toBe(50);
      } finally {
        await receiver.stop();
      }
    });

    it('retries a 500 until a 200, logging the attempts; the log and redelivery show what happened', async () => {
      const conversation = await createConversation(alice, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id });
      receiver.useSecrets([hook.secret]);
      try {
        let answers = 0;
        receiver.respond = () => (++answers <= 2 ? 500 : 200);
        await sendMany(alice, [conversation.id], 1, 1);
        await until(() => receiver.unique.size === 1, 10_000, 'the delivery');
        expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 200]);
        const ids = new Set(receiver.requests.map((r) => r.id));
        expect(ids.size).toBe(1);
        const logged = await deliveryLog(alice, hook.webhook.id, (d) => d[0]?.status === 'delivered');
        expect(logged).toHaveLength(1);
        const delivery = logged[0]!;
        expect(delivery).toMatchObject({ id: [...ids][0], status: 'delivered', attempts: 3, response_status: 200, error: null, event_type: 'message.created', redelivery_requested: false });
        expect(delivery.latency_ms).toBeGreaterThanOrEqual(0);

        const again = await alice.api.post(`/webhooks/${hook.webhook.id}/deliveries/${delivery.id}/redeliver`);
        expect(again.status).toBe(202);
        expect(again.body.redelivery_requested).toBe(true);
        await until(() => receiver.accepted.length === 2, 10_000, 'the redelivery');
        expect(receiver.accepted[1]!.id).toBe(receiver.accepted[0]!.id);
        const after = await deliveryLog(alice, hook.webhook.id, (d) => d[0]?.attempts === 4);
        expect(after[0]).toMatchObject({ attempts: 4, status: 'delivered', redelivery_requested: false });
      } finally {
        await receiver.stop();
      }
    });

    it("covers a bot's conversations, from the bot's joining on, and stops when it leaves", async () => {
      const bot = await createBot(alice);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      const hook = await createWebhook(alice, { url: receiver.url, event_types: ['member.added', 'message.created', 'member.removed'], bot_id: bot.id });
      receiver.useSecrets([hook.secret]);
      try {
        const conversation = await createConversation(alice, [bob]);
        await sendMany(alice, [conversation.id], 2, 1);
        expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: bot.id })).status).toBe(201);
        await sendMany(bob, [conversation.id], 3, 1);
        await until(() => receiver.unique.size === 4, 10_000, 'the joining and three messages');
        const types = receiver.ofConversation(conversation.id).map((d) => d.body.type);
        expect(types).toEqual(['member.added', 'message.created', 'message.created', 'message.created']);
        expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bot.id}`)).status).toBe(204);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sendMany(bob, [conversation.id], 2, 1);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(receiver.ofConversation(conversation.id).filter((d) => d.body.type === 'message.created')).toHaveLength(3);
      } finally {
        await receiver.stop();
      }
    });
  });
}
