/**
 * API tokens and bots through the SDK against a real server: a token created with
 * createApiToken signs a client in and is held to its scopes (insufficient_scope as a
 * PneumaticError); revoking it ends it. A bot created with createBot, given a token with
 * createBotToken, connects a live session, receives a message and answers it. An outgoing
 * webhook goes through every method of its life against a loopback receiver (hence the
 * webhook test settings: http:// and private addresses allowed, a short poll).
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import type { WebhookDeliveryPage } from '../src/types.js';
import { until } from '../../../test/helpers/http-receiver.js';
import { WebhookReceiver } from '../../../test/helpers/webhook-receiver.js';
import { WEBHOOK_TEST_ENV } from '../../../test/helpers/webhook-world.js';
import { registeredClient } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const suite = proxiedServerForSuite(WEBHOOK_TEST_ENV);
const { cleanups } = suite;

describe('API tokens and bots in the SDK', () => {
  it('creates, lists and revokes API tokens; a token client is held to its scopes', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const { token, secret } = await alice.createApiToken({ name: 'script', scopes: ['messages:read'] });
    expect(secret.startsWith('pnt_')).toBe(true);
    expect(await alice.listApiTokens()).toContainEqual(token);
    const script = new PneumaticClient({ baseUrl: suite.server.url, token: secret });
    cleanups.push(() => script.close());
    expect((await script.me()).id).toBe(alice.user!.id);
    const refused = await script.createConversation({ title: 'no', member_ids: [] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'insufficient_scope', status: 403 });
    await alice.revokeApiToken(token.id);
    expect(await script.me().catch((error: unknown) => error)).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('a bot with a token from its owner runs a live session: it receives and answers', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const bot = await alice.createBot(`helper${Date.now() % 1_000_000}`);
    expect(bot.user.is_bot).toBe(true);
    expect((await alice.listBots()).map((b) => b.user.id)).toContain(bot.user.id);
    const { token, secret } = await alice.createBotToken(bot.user.id, { name: 'runtime', scopes: ['messages:read', 'messages:write'] });
    expect(await alice.listBotTokens(bot.user.id)).toEqual([token]);
    const conversation = await alice.createConversation({ title: 'with a bot', member_ids: [bot.user.id] });

    const botClient = new PneumaticClient({ baseUrl: suite.server.url, token: secret });
    cleanups.push(() => botClient.close());
    const session = await botClient.connect();
    session.on('message', (message) => {
      if (message.sender_id !== bot.user.id) void session.send(message.conversation_id, `got: ${message.content}`);
    });
    await alice.send(conversation.id, 'hello');
    const deadline = Date.now() + 10_000;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      const page = await alice.listMessages(conversation.id, { after: 0 });
      answered = page.messages.some((m) => m.sender_id === bot.user.id && m.content === 'got: hello');
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(true);
    await alice.revokeBotToken(bot.user.id, token.id);
    expect(await alice.listBotTokens(bot.user.id)).toEqual([]);
  });
});

describe('outgoing webhooks in the SDK', () => {
  it('creates, reads, changes, rotates and deletes a webhook; lists its deliveries and redelivers one', { timeout: 30_000 }, async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const conversation = await alice.createConversation({ title: 'hooked', member_ids: [] });
    const receiver = new WebhookReceiver([]);
    await receiver.start();
    cleanups.push(() => receiver.stop());

    const refused = await alice.createWebhook({ url: 'ftp://hooks.example.com/x', event_types: ['message.created'], conversation_id: conversation.id }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'invalid_webhook_url', status: 400 });
    expect((refused as PneumaticError).fieldError('/url')).not.toBeNull();

    const { webhook, secret } = await alice.createWebhook({ url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id, description: 'ci' });
    expect(secret.startsWith('whsec_')).toBe(true);
    expect(webhook).toMatchObject({ conversation_id: conversation.id, bot_id: null, description: 'ci', enabled: true, disabled_reason: null });
    receiver.useSecrets([secret]);
    expect(await alice.listWebhooks()).toEqual([webhook]);
    expect(await alice.getWebhook(webhook.id)).toEqual(webhook);

    await alice.send(conversation.id, 'hello, hook');
    await until(() => receiver.unique.size === 1, 10_000, 'the delivery');
    // The log records the answer just after it arrives: poll for it.
    let log: WebhookDeliveryPage = { deliveries: [], next_before: null };
    for (let i = 0; i < 50 && log.deliveries[0]?.status !== 'delivered'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      log = await alice.listWebhookDeliveries(webhook.id, { limit: 10 });
    }
    const [deliveryId] = receiver.unique.keys();
    expect(log).toMatchObject({ next_before: null, deliveries: [{ id: deliveryId, event_type: 'message.created', status: 'delivered', attempts: 1, response_status: 204 }] });
    expect((await alice.listWebhookDeliveries(webhook.id, { status: 'failed' })).deliveries).toEqual([]);

    const again = await alice.redeliverWebhook(webhook.id, deliveryId!);
    expect(again).toMatchObject({ id: deliveryId, redelivery_requested: true });
    await until(() => receiver.accepted.length === 2, 10_000, 'the redelivery');
    expect(receiver.accepted[1]!.id).toBe(deliveryId);

    const rotated = await alice.rotateWebhookSecret(webhook.id);
    expect(rotated.webhook.id).toBe(webhook.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);

    expect(await alice.updateWebhook(webhook.id, { enabled: false, description: 'paused' })).toMatchObject({ enabled: false, disabled_reason: 'owner', description: 'paused' });
    expect(await alice.updateWebhook(webhook.id, { enabled: true, event_types: ['message.created', 'message.edited'] })).toMatchObject({
      enabled: true,
      disabled_reason: null,
      event_types: ['message.created', 'message.edited'],
    });

    await alice.deleteWebhook(webhook.id);
    expect(await alice.listWebhooks()).toEqual([]);
    expect(await alice.getWebhook(webhook.id).catch((error: unknown) => error)).toMatchObject({ code: 'not_found', status: 404 });
  });
});
