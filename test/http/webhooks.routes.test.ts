/**
 * Outgoing webhooks, the owner's side (docs/API.md, "Outgoing webhooks"): subscribing to a
 * conversation one owns or to a bot one owns, the secret shown once, listing, changing,
 * disabling and enabling, rotating (the old secret signs beside the new one), deleting, the
 * delivery log's pages, and every bad input answered with a 4xx and its code.
 */
import { randomUUID } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { until } from '../helpers/http-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createBot, createWebhook, deliveryLog, sendMany, WEBHOOK_TEST_ENV } from '../helpers/webhook-world.js';

const URL_OK = 'https://hooks.example.com/pneumatic';

for (const dialect of enabledDialects()) {
  describe(`webhook routes [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let eve: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { ...WEBHOOK_TEST_ENV, WEBHOOKS_MAX_PER_USER: '6' } });
      [alice, bob, eve] = await registerUsers(server.url, 'alice', 'bob', 'eve');
    });
    afterAll(() => server.close());

    it("subscribes a conversation's owner, shows the secret once, and keeps the webhook its owner's alone", async () => {
      const conversation = await createConversation(alice, [bob]);
      const created = await createWebhook(alice, { url: URL_OK, event_types: ['message.created', 'reaction.added'], conversation_id: conversation.id, description: 'CI bridge' });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(created.webhook).toMatchObject({
        owner_id: alice.user.id, url: URL_OK, event_types: ['message.created', 'reaction.added'], conversation_id: conversation.id, bot_id: null,
        description: 'CI bridge', enabled: true, disabled_reason: null, disabled_at: null, failing_since: null, last_success_at: null,
      });
      const listed = await alice.api.get('/webhooks');
      expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toContain(created.webhook.id);
      expect(JSON.stringify(listed.body)).not.toContain(created.secret);
      const got = await alice.api.get(`/webhooks/${created.webhook.id}`);
      expect(got.body).toEqual(created.webhook);
      for (const other of [bob, eve]) {
        expectProblem(await other.api.get(`/webhooks/${created.webhook.id}`), 404, 'not_found');
        expectProblem(await other.api.patch(`/webhooks/${created.webhook.id}`, { description: 'x' }), 404, 'not_found');
        expectProblem(await other.api.delete(`/webhooks/${created.webhook.id}`), 404, 'not_found');
        expect((await other.api.get('/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).not.toContain(created.webhook.id);
      }
    });

    it("refuses members who are not owners, outsiders, and bots that are not the caller's", async () => {
      const conversation = await createConversation(alice, [bob]);
      const body = { url: URL_OK, event_types: ['message.created'] };
      expectProblem(await bob.api.post('/webhooks', { ...body, conversation_id: conversation.id }), 403, 'not_owner');
      expectProblem(await eve.api.post('/webhooks', { ...body, conversation_id: conversation.id }), 403, 'not_member');
      expectProblem(await alice.api.post('/webhooks', { ...body, conversation_id: randomUUID() }), 404, 'not_found');
      const bot = await createBot(alice);
      expectProblem(await bob.api.post('/webhooks', { ...body, bot_id: bot.id }), 404, 'not_found');
      expectProblem(await alice.api.post('/webhooks', { ...body, bot_id: bob.user.id }), 404, 'not_found');
      const hook = await createWebhook(alice, { ...body, bot_id: bot.id });
      expect(hook.webhook).toMatchObject({ bot_id: bot.id, conversation_id: null });
      // The bot itself, with a token of its own, owns no webhooks.
      const token = (await alice.api.post(`/bots/${bot.id}/tokens`, { name: 'b', scopes: ['webhooks:manage', 'messages:read'] })).body.secret as string;
      const asBot = await fetch(`${server.url}/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...body, bot_id: bot.id }) });
      expect(asBot.status).toBe(403);
      expect((await asBot.json()).code).toBe('forbidden');
    });

    it('answers every bad input with a 4xx and its code', async () => {
      const conversation = await createConversation(alice, [bob]);
      const good = { url: URL_OK, event_types: ['message.created'], conversation_id: conversation.id };
      const bad: Array<[object, number, string]> = [
        [{ ...good, url: 'not a url' }, 400, 'invalid_webhook_url'],
        [{ ...good, url: 'ftp://hooks.example.com/x' }, 400, 'invalid_webhook_url'],
        [{ ...good, url: 'https://user:pw@hooks.example.com/x' }, 400, 'invalid_webhook_url'],
        [{ ...good, url: 'https://hooks.example.com/x#frag' }, 400, 'invalid_webhook_url'],
        [{ ...good, url: `https://hooks.example.com/${'a'.repeat(2100)}` }, 400, 'invalid_request'],
        [{ ...good, event_types: ['message.exploded'] }, 400, 'invalid_request'],
        [{ ...good, event_types: [] }, 400, 'invalid_request'],
        [{ ...good, event_types: ['message.created', 'message.created'] }, 400, 'invalid_request'],
        [{ url: URL_OK, event_types: ['message.created'] }, 400, 'invalid_request'],
        [{ ...good, bot_id: alice.user.id }, 400, 'invalid_request'],
        [{ ...good, conversation_id: 'nope' }, 400, 'invalid_request'],
        [{ ...good, description: 'x'.repeat(201) }, 400, 'invalid_request'],
        [{ ...good, secret: 'mine' }, 400, 'invalid_request'],
      ];
      for (const [body, status, code] of bad) expectProblem(await alice.api.post('/webhooks', body), status, code);
      const hook = await createWebhook(alice, good);
      expectProblem(await alice.api.patch(`/webhooks/${hook.webhook.id}`, {}), 400, 'invalid_request');
      expectProblem(await alice.api.patch(`/webhooks/${hook.webhook.id}`, { url: 'gopher://x' }), 400, 'invalid_webhook_url');
      expectProblem(await alice.api.patch(`/webhooks/${hook.webhook.id}`, { event_types: ['nope'] }), 400, 'invalid_request');
      expectProblem(await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?before=garbage`), 400, 'invalid_cursor');
      expectProblem(await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?limit=0`), 400, 'invalid_request');
      expectProblem(await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?status=lost`), 400, 'invalid_request');
      expectProblem(await alice.api.get('/webhooks/not-a-uuid'), 400, 'invalid_request');
      expectProblem(await alice.api.post(`/webhooks/${hook.webhook.id}/deliveries/${randomUUID()}/redeliver`), 404, 'not_found');
    });

    it('limits how many webhooks one user owns', async () => {
      const [carol] = await registerUsers(server.url, 'carol');
      const conversation = await createConversation(carol!, []);
      for (let i = 0; i < 6; i++) await createWebhook(carol!, { url: URL_OK, event_types: ['message.created'], conversation_id: conversation.id });
      expectProblem(await carol!.api.post('/webhooks', { url: URL_OK, event_types: ['message.created'], conversation_id: conversation.id }), 409, 'too_many_webhooks');
      const first = (await carol!.api.get('/webhooks')).body.webhooks[0].id as string;
      expect((await carol!.api.delete(`/webhooks/${first}`)).status).toBe(204);
      expectProblem(await carol!.api.get(`/webhooks/${first}`), 404, 'not_found');
      await createWebhook(carol!, { url: URL_OK, event_types: ['message.created'], conversation_id: conversation.id });
    });

    it('changes, disables and enables a webhook: a disabled one delivers nothing, an enabled one catches up', async () => {
      const [dave] = await registerUsers(server.url, 'dave');
      const conversation = await createConversation(dave!, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hook = await createWebhook(dave!, { url: URL_OK, event_types: ['message.edited'], conversation_id: conversation.id });
        receiver.useSecrets([hook.secret]);
        const changed = await dave!.api.patch(`/webhooks/${hook.webhook.id}`, { url: receiver.url, event_types: ['message.created'], description: 'now' });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ url: receiver.url, event_types: ['message.created'], description: 'now', enabled: true });
        const off = await dave!.api.patch(`/webhooks/${hook.webhook.id}`, { enabled: false });
        expect(off.body).toMatchObject({ enabled: false, disabled_reason: 'owner' });
        expect(off.body.disabled_at).not.toBeNull();
        await sendMany(bob, [conversation.id], 3, 1);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(receiver.requests).toHaveLength(0);
        const on = await dave!.api.patch(`/webhooks/${hook.webhook.id}`, { enabled: true });
        expect(on.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
        await until(() => receiver.unique.size === 3, 5_000, 'the three held back');
      } finally {
        await receiver.stop();
      }
    });

    it('rotates the secret: deliveries carry both signatures during the overlap, each verifying alone', async () => {
      const conversation = await createConversation(alice, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id });
        const rotated = await alice.api.post(`/webhooks/${hook.webhook.id}/rotate-secret`);
        expect(rotated.status).toBe(200);
        expect(rotated.body.secret).toMatch(/^whsec_/);
        expect(rotated.body.secret).not.toBe(hook.secret);
        receiver.useSecrets([hook.secret]);
        await sendMany(bob, [conversation.id], 1, 1);
        await until(() => receiver.unique.size === 1, 5_000, 'verified with the old secret');
        receiver.useSecrets([rotated.body.secret]);
        await sendMany(bob, [conversation.id], 1, 1);
        await until(() => receiver.unique.size === 2, 5_000, 'verified with the new secret');
        expect(receiver.requests.every((r) => r.verified)).toBe(true);
        // And a secret that was never this webhook's verifies nothing.
        expect(() => new StandardWebhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify('{}', { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' })).toThrow();
      } finally {
        await receiver.stop();
      }
    });

    it('pages the delivery log newest first and filters it by status', async () => {
      const conversation = await createConversation(alice, [bob]);
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const hook = await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id });
        receiver.useSecrets([hook.secret]);
        await sendMany(bob, [conversation.id], 7, 1);
        await until(() => receiver.unique.size === 7, 5_000, 'seven deliveries');
        await deliveryLog(alice, hook.webhook.id, (d) => d.length === 7, '?limit=10');
        const seen: number[] = [];
        const times: number[] = [];
        let before: string | null = null;
        do {
          const page: { status: number; body: any } = await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?limit=3${before ? `&before=${before}` : ''}`);
          expect(page.status).toBe(200);
          seen.push(...page.body.deliveries.map((d: { event_seq: number }) => d.event_seq));
          times.push(...page.body.deliveries.map((d: { created_at: string }) => Date.parse(d.created_at)));
          before = page.body.next_before;
        } while (before !== null);
        // Every delivery once, newest first (by its first attempt; ties in any order).
        expect(new Set(seen).size).toBe(7);
        expect([...times].sort((a, b) => b - a)).toEqual(times);
        expect((await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?status=failed`)).body.deliveries).toEqual([]);
        expect((await alice.api.get(`/webhooks/${hook.webhook.id}/deliveries?status=delivered`)).body.deliveries).toHaveLength(7);
      } finally {
        await receiver.stop();
      }
    });
  });
}
