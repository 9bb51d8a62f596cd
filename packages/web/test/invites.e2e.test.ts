/**
 * Registration and invites in Chromium against a real server with REGISTRATION=invite: a user
 * makes a single-use invite link in Settings → Invite people (shown once, with Copy); a fresh
 * browser opens it, finds the sign-up form first with the code filled in, signs up and lands in
 * the app, the link gone from the address bar; the same link opened again is refused with the
 * server's reason under the code. Without a link the log-in form comes first and sign-up asks
 * for a code; a revoked link (pasted whole) is refused. On a server closed to sign-ups, log-in
 * only, and Settings has no invites. axe finds no serious or critical violation, in light and
 * dark, on the invite settings, the invite sign-up form and the closed log-in screen.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, eventually, launchChromium, logIn } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const USED_UP = 'This invite link has been used as many times as it allows: ask for a new one.';
const NOT_VALID = 'This invite link is not valid: check that it was copied whole.';

describe.skipIf(!available)('registration and invites in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let host: PneumaticClient;
  const hostName = `host_${suffix}`;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const openSettings = async (page: Page) => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
  };
  const region = (page: Page, name: string): Locator => page.getByRole('region', { name });

  /** Makes an invite link in Settings → Invite people and reads it off the screen, where it is shown once. */
  const makeLink = async (page: Page, choices: { expires: string; uses: string }): Promise<string> => {
    const invites = region(page, 'Invite people');
    await invites.getByLabel('Expires after').selectOption({ label: choices.expires });
    await invites.getByLabel('Can be used').selectOption({ label: choices.uses });
    await invites.getByRole('button', { name: 'Make invite link' }).click();
    await invites.getByText('It is shown this once', { exact: false }).waitFor();
    return (await invites.locator('[data-secret]').textContent())!.trim();
  };

  /** Fills the invite sign-up form (the code is already there) and submits it. */
  const signUpWithInvite = async (page: Page, username: string) => {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  };

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off', REGISTRATION: 'invite' } });
    // Nobody can sign up here without an invite: the first person does on an open server over the same database.
    const open = await startServer({ env: { RATE_LIMITS: 'off' }, database: server.database });
    try {
      await new PneumaticClient({ baseUrl: open.url }).register(hostName, PASSWORD);
    } finally {
      await open.close();
    }
    host = new PneumaticClient({ baseUrl: server.url });
    await host.login(hostName, PASSWORD);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    host?.close();
    await browser?.close();
    await server?.close();
  });

  it('makes a single-use link in Settings; a fresh browser signs up with it and lands in the app; the link then is refused', { timeout: 90_000 }, async () => {
    const hostPage = await newPage();
    await logIn(hostPage, server.url, hostName);
    await openSettings(hostPage);
    const invites = region(hostPage, 'Invite people');
    await invites.getByText('You have no live invite links.').waitFor();
    const link = await makeLink(hostPage, { expires: '1 day', uses: 'once' });
    expect(link).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/#/invite/pni_[A-Za-z0-9_-]{43}$`));
    await invites.getByRole('button', { name: 'Copy' }).waitFor();
    const item = invites.getByRole('list', { name: 'Your invite links' }).getByRole('listitem');
    await item.getByText('Used 0 of 1 time', { exact: false }).waitFor();
    const [listed] = await host.listInvites();
    expect(Date.parse(listed!.expires_at) - Date.parse(listed!.created_at)).toBe(86_400_000);
    expect(await auditScreen(hostPage, 'settings-invites')).toEqual([]);
    // Done puts the link away for good: it is not shown again.
    await invites.getByRole('button', { name: 'Done' }).click();
    expect(await invites.locator('[data-secret]').count()).toBe(0);

    const guestPage = await newPage();
    await guestPage.goto(link);
    await guestPage.getByRole('heading', { name: 'Create your account', level: 1 }).waitFor();
    expect(await guestPage.getByLabel('Invite code').inputValue()).toBe(link.slice(link.indexOf('pni_')));
    expect(await auditScreen(guestPage, 'sign-up-with-invite')).toEqual([]);
    const guest = `guest_${suffix}`;
    await signUpWithInvite(guestPage, guest);
    await guestPage.getByRole('button', { name: 'New conversation' }).waitFor();
    await guestPage.locator('.account__name').getByText(guest).waitFor();
    expect(new URL(guestPage.url()).hash).not.toContain('invite');
    expect((await host.listInvites())[0]).toMatchObject({ uses: 1, max_uses: 1 });

    const lateGuestPage = await newPage();
    await lateGuestPage.goto(link);
    await signUpWithInvite(lateGuestPage, `late_${suffix}`);
    await lateGuestPage.getByText(USED_UP).waitFor();
    expect(await lateGuestPage.getByLabel('Invite code').getAttribute('aria-invalid')).toBe('true');
    expect(await lateGuestPage.getByRole('button', { name: 'New conversation' }).count()).toBe(0);
  });

  it('offers log-in first without a link, asks for a code to sign up, and refuses a revoked link pasted whole', { timeout: 60_000 }, async () => {
    const hostPage = await newPage();
    await logIn(hostPage, server.url, hostName);
    await openSettings(hostPage);
    const link = await makeLink(hostPage, { expires: '30 days', uses: '25 times' });
    const invites = region(hostPage, 'Invite people');
    const item = invites.getByRole('list', { name: 'Your invite links' }).getByRole('listitem').filter({ hasText: 'Used 0 of 25 times' });
    await item.getByRole('button', { name: /^Revoke/ }).click();
    await item.getByRole('group', { name: 'Confirm revoking this invite link' }).waitFor();
    await item.getByRole('button', { name: 'Yes, revoke' }).click();
    await invites.getByText('Invite link revoked', { exact: false }).waitFor();
    await eventually('the revoked link is no longer listed', async () => (await item.count()) === 0);

    const page = await newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign up with an invite' }).click();
    await page.getByRole('heading', { name: 'Create your account', level: 1 }).waitFor();
    await signUpWithInvite(page, `nocode_${suffix}`);
    await page.getByText('Enter the invite code from your invite link.').waitFor();
    await page.getByLabel('Invite code').fill(link);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByText(NOT_VALID).waitFor();
    await page.getByRole('button', { name: 'Log in instead' }).click();
    expect(await page.getByLabel('Invite code').count()).toBe(0);
  });

  it('offers only log-in on a server closed to sign-ups, and no invites in Settings', { timeout: 60_000 }, async () => {
    const closed = await startServer({ env: { RATE_LIMITS: 'off', REGISTRATION: 'closed' }, database: server.database });
    try {
      const page = await newPage();
      await page.goto(closed.url);
      await page.getByText('Accounts on this server are made by its administrators', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign up', exact: true }).count()).toBe(0);
      expect(await auditScreen(page, 'log-in-closed')).toEqual([]);
      await logIn(page, closed.url, hostName);
      await openSettings(page);
      await region(page, 'Where you’re logged in').waitFor();
      expect(await region(page, 'Invite people').count()).toBe(0);
      await page.context().close();
    } finally {
      await closed.close();
    }
  });
});
