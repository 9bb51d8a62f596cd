/**
 * Settings → Webhooks in Chromium against a real server delivering to a receiver on loopback
 * (hence the webhook test settings: http:// and private addresses allowed, a short poll). A
 * webhook created in the page for a conversation its user owns shows its secret once; a message
 * sent then shows in its Deliveries as delivered, and Redeliver sends it again with the same
 * webhook-id; Rotate secret shows a new one once; Disable shows it disabled, and Delete (after a
 * confirmation) removes it. axe audits the section with a secret and the delivery log shown.
 */
import { PneumaticClient, type Conversation } from '@pneumatic/client';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/helpers/http-receiver.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { WebhookReceiver } from '../../../test/helpers/webhook-receiver.js';
import { WEBHOOK_TEST_ENV } from '../../../test/helpers/webhook-world.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, eventually, launchChromium, logIn } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const me = `hooker_${suffix}`;
const ROOM = 'Hooked room';

describe.skipIf(!available)('Webhooks in Settings, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let client: PneumaticClient;
  let conversation: Conversation;
  const receiver = new WebhookReceiver([]);
  const section = () => page.getByRole('region', { name: 'Webhooks' });
  const item = (): Locator => section().getByRole('listitem').filter({ hasText: receiver.url });

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { ...WEBHOOK_TEST_ENV } });
    await receiver.start();
    browser = await launchChromium();
    client = new PneumaticClient({ baseUrl: server.url });
    await client.register(me, PASSWORD);
    conversation = await client.createConversation({ title: ROOM, member_ids: [] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(page, server.url, me);
    await page.getByRole('link', { name: 'Settings' }).click();
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await receiver.stop();
    await server?.close();
  });

  it('creates a webhook whose secret is shown once; a message shows in its Deliveries as delivered, and Redeliver sends it again', { timeout: 90_000 }, async () => {
    await section().getByLabel('Payload URL').fill(receiver.url);
    await eventually('the conversation is offered', async () => (await section().getByRole('option', { name: ROOM }).count()) === 1);
    await section().getByLabel('Events of').selectOption({ label: ROOM });
    expect(await section().getByRole('checkbox', { name: 'message.created' }).isChecked()).toBe(true);
    expect(await section().getByRole('checkbox', { name: 'message.edited' }).isChecked()).toBe(false);
    await section().getByRole('button', { name: 'Create webhook' }).click();

    const secret = (await section().locator('[data-secret]').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.useSecrets([secret]);
    expect(await item().textContent()).toContain(`Conversation “${ROOM}”`);
    expect(await item().textContent()).toContain('Enabled');
    expect(await auditScreen(page, 'settings-webhook-secret')).toEqual([]);
    await section().getByRole('button', { name: 'Done' }).click();
    expect(await section().locator('[data-secret]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await client.send(conversation.id, 'hello, hook');
    await until(() => receiver.unique.size === 1, 15_000, 'the delivery');
    const [deliveryId] = receiver.unique.keys();
    await item().getByRole('button', { name: /^Deliveries of/ }).click();
    const row = item().getByRole('row').filter({ hasText: 'message.created' });
    await eventually('the delivery shows as delivered', async () => {
      await item().getByRole('button', { name: 'Refresh' }).click();
      return (await row.count()) === 1 && /delivered/.test((await row.textContent()) ?? '') && /204/.test((await row.textContent()) ?? '');
    });
    expect(await auditScreen(page, 'settings-webhook-deliveries')).toEqual([]);

    await row.getByRole('button', { name: /^Redeliver/ }).click();
    await until(() => receiver.accepted.length === 2, 15_000, 'the redelivery');
    expect(receiver.accepted.map((d) => d.id)).toEqual([deliveryId, deliveryId]);
    await eventually('the log counts the second attempt', async () => {
      await item().getByRole('button', { name: 'Refresh' }).click();
      return /delivered/.test((await row.textContent()) ?? '') && (await row.getByRole('cell').nth(3).textContent()) === '2';
    });
  });

  it('rotates the secret (shown once), disables the webhook, and deletes it after a confirmation', { timeout: 60_000 }, async () => {
    const [old] = (await client.listWebhooks()).map((w) => w.id);
    await item().getByRole('button', { name: /^Rotate secret/ }).click();
    const rotated = (await item().locator('[data-secret]').textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    await item().getByRole('button', { name: 'Done' }).click();
    expect(await item().locator('[data-secret]').count()).toBe(0);

    await item().getByRole('button', { name: /^Disable/ }).click();
    await eventually('it shows as disabled', async () => /Disabled \(by you\)/.test((await item().textContent()) ?? ''));
    expect(await item().getByRole('button', { name: /^Enable/ }).count()).toBe(1);
    expect(await client.getWebhook(old!)).toMatchObject({ enabled: false, disabled_reason: 'owner' });

    await item().getByRole('button', { name: /^Delete/ }).click();
    const confirm = item().getByRole('group', { name: /^Confirm deleting/ });
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await eventually('it is gone from the list', async () => (await item().count()) === 0);
    expect(await section().getByText('You have no webhooks.').count()).toBe(1);
    expect(await client.listWebhooks()).toEqual([]);
  });
});
