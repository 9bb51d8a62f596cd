/**
 * Notification settings and presence in Chromium, end to end: they need the server and SDK of
 * issue 19 (notification settings routes and their live sync, presence frames, the SDK names in
 * src/lib/notifications-api.ts). The bell menu's settings round-trip through the server (a
 * reload keeps them, another device of the same account sees them live), the defaults in
 * Settings too, and a direct message's presence dot turns offline when the other person's
 * browser closes. axe audits the menu and the settings.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, eventually, launchChromium, logIn, openConversation } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
const GROUP = 'Quiet room';

const listItem = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Conversation list' })
    .getByRole('link')
    .filter({ has: page.locator('.conversation-item__name').getByText(name, { exact: true }) });

describe.skipIf(!available)('notification settings and presence (with the server of issue 19)', () => {
  let server: TestServer;
  let browser: Browser;

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    return { context, page: await context.newPage() };
  };

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    const aliceClient = new PneumaticClient({ baseUrl: server.url });
    const bobClient = new PneumaticClient({ baseUrl: server.url });
    await aliceClient.register(alice, PASSWORD);
    const bobUser = (await bobClient.register(bob, PASSWORD)).user;
    await aliceClient.createConversation({ title: GROUP, member_ids: [bobUser.id] });
    // A direct message is a conversation of two titled with both names (README, "Direct messages").
    await aliceClient.createConversation({ title: [alice, bob].sort().join(' & '), member_ids: [bobUser.id] });
    aliceClient.close();
    bobClient.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps "Mentions only" and a mute across a reload, and shows them live on another device', { timeout: 120_000 }, async () => {
    const { page } = await newPage();
    const { page: otherDevice } = await newPage();
    await logIn(page, server.url, alice);
    await logIn(otherDevice, server.url, alice);
    await openConversation(page, GROUP);

    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    const menu = page.getByRole('group', { name: `Notifications for ${GROUP}` });
    await menu.getByRole('radio', { name: 'Mentions only' }).check();
    await menu.getByRole('button', { name: 'For 8 hours' }).click();
    await menu.getByText(/^Muted until /).waitFor();
    expect(await page.getByRole('button', { name: 'Notifications (muted)' }).getAttribute('aria-expanded')).toBe('true');
    expect(await auditScreen(page, 'notification-menu')).toEqual([]);

    await listItem(page, GROUP).locator('[data-muted="true"]').waitFor();
    // The other device follows through the session's synced settings, without a reload.
    await listItem(otherDevice, GROUP).locator('[data-muted="true"]').waitFor({ timeout: 15_000 });

    await page.reload();
    await page.getByRole('heading', { name: GROUP, level: 2 }).waitFor();
    await listItem(page, GROUP).locator('[data-muted="true"]').waitFor();
    await page.getByRole('button', { name: 'Notifications (muted)' }).click();
    expect(await menu.getByRole('radio', { name: 'Mentions only' }).isChecked()).toBe(true);
    await menu.getByText(/^Muted until /).waitFor();

    await menu.getByRole('button', { name: 'Unmute' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await listItem(page, GROUP).locator('[data-muted="true"]').waitFor({ state: 'detached' });
    await menu.getByRole('radio', { name: /^Default/ }).check();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: GROUP, level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    expect(await menu.getByRole('radio', { name: /^Default/ }).isChecked()).toBe(true);
  });

  it('keeps the notification defaults changed in Settings across a reload', { timeout: 60_000 }, async () => {
    const { page } = await newPage();
    await logIn(page, server.url, alice);
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByRole('radio', { name: 'Mentions only' }).check();
    await section.getByRole('checkbox', { name: /preview/ }).uncheck();
    await section.getByRole('checkbox', { name: /even in muted/ }).uncheck();
    expect(await auditScreen(page, 'settings-notification-defaults')).toEqual([]);

    await eventually('saved', async () => !(await section.getByRole('alert').isVisible()));
    await page.reload();
    await section.getByRole('radio', { name: 'Mentions only' }).waitFor();
    await eventually('the defaults are back from the server', async () => (await section.getByRole('radio', { name: 'Mentions only' }).isChecked()) && !(await section.getByRole('checkbox', { name: /preview/ }).isChecked()));
    expect(await section.getByRole('checkbox', { name: /even in muted/ }).isChecked()).toBe(false);
    await section.getByRole('radio', { name: 'All messages' }).check();
    await section.getByRole('checkbox', { name: /preview/ }).check();
    await section.getByRole('checkbox', { name: /even in muted/ }).check();
  });

  it('shows the other person online, then offline with "last seen" once their browser closes', { timeout: 120_000 }, async () => {
    const { page } = await newPage();
    const { context: bobContext, page: bobPage } = await newPage();
    await logIn(page, server.url, alice);
    await logIn(bobPage, server.url, bob);
    await openConversation(page, bob);

    const header = page.locator('.conversation__header');
    const listDot = listItem(page, bob).locator('.presence');
    await eventually('bob shows online', async () => (await header.locator('[data-presence]').getAttribute('data-presence').catch(() => null)) === 'online', 15_000);
    expect(await header.getByText('Online', { exact: true }).isVisible()).toBe(true);
    expect(await listDot.getAttribute('data-presence')).toBe('online');
    // Not by colour alone: the status is in the link's text for screen readers.
    expect(await listItem(page, bob).textContent()).toContain('(online)');

    await page.getByRole('button', { name: 'People' }).click();
    const bobMember = page.locator('.members__item').filter({ hasText: bob });
    expect(await bobMember.locator('.presence').getAttribute('data-presence')).toBe('online');
    expect(await auditScreen(page, 'presence')).toEqual([]);

    await bobContext.close();
    await eventually('bob shows offline', async () => (await listDot.getAttribute('data-presence').catch(() => null)) === 'offline', 60_000);
    await header.getByText(/^Last seen (just now|\d+ min ago)$/).waitFor();
    expect(await bobMember.locator('.presence').getAttribute('data-presence')).toBe('offline');
  });
});
