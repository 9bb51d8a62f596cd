/**
 * Settings → API tokens and Bots in Chromium against a real server: a token created in the page
 * shows its secret once, the secret works as a bearer token with the picked scope only, and
 * revoking it in the page ends it; a bot created in the page gets a token that signs it in.
 * axe audits the section with a secret shown.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, eventually, launchChromium, logIn } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const me = `tess_${suffix}`;

describe.skipIf(!available)('API tokens and bots in Settings, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    const client = new PneumaticClient({ baseUrl: server.url });
    await client.register(me, PASSWORD);
    client.close();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(page, server.url, me);
    await page.getByRole('link', { name: 'Settings' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a read-only token whose secret is shown once and works, then revokes it', { timeout: 60_000 }, async () => {
    const section = page.getByRole('region', { name: 'API tokens' });
    await section.getByLabel('Token name').fill('reader script');
    await section.getByRole('checkbox', { name: /messages:read/ }).check();
    await section.getByRole('button', { name: 'Create token' }).click();
    const secret = (await section.locator('[data-secret]').textContent())!.trim();
    expect(secret).toMatch(/^pnt_/);
    expect(await auditScreen(page, 'settings-api-token-secret')).toEqual([]);

    const script = new PneumaticClient({ baseUrl: server.url, token: secret });
    expect((await script.me()).username).toBe(me);
    expect(await script.createConversation({ title: 'no', member_ids: [] }).catch((e: { code?: string }) => e.code)).toBe('insufficient_scope');

    await section.getByRole('button', { name: 'Done' }).click();
    expect(await section.locator('[data-secret]').count()).toBe(0);
    await section.getByRole('button', { name: 'Revoke reader script' }).click();
    await eventually('the token is gone from the list', async () => (await section.getByRole('button', { name: 'Revoke reader script' }).count()) === 0);
    expect(await script.me().catch((e: { status?: number }) => e.status)).toBe(401);
    script.close();
  });

  it('creates a bot and a token for it that signs the bot in', { timeout: 60_000 }, async () => {
    const section = page.getByRole('region', { name: 'Bots' });
    const botName = `helper_${suffix}`;
    await section.getByLabel('Bot username').fill(botName);
    await section.getByRole('button', { name: 'Create bot' }).click();
    const item = section.getByRole('listitem').filter({ hasText: botName });
    await item.getByRole('button', { name: 'Tokens' }).click();
    await item.getByLabel('Token name').fill('runtime');
    await item.getByRole('button', { name: 'Create token' }).click();
    const secret = (await item.locator('[data-secret]').textContent())!.trim();
    const bot = new PneumaticClient({ baseUrl: server.url, token: secret });
    const user = await bot.me();
    expect(user).toMatchObject({ username: botName, is_bot: true });
    bot.close();
  });
});
