/**
 * Single sign-on (OpenID Connect) in Chromium against a real server and a real OpenID provider on
 * loopback (test/helpers/oidc/): "Log in with Corp" leads to the provider's login and consent
 * pages and back into the app as a new account named after the provider's claims, the login code
 * gone from the address bar and the history; logged out, the same button brings back the same
 * account. A password user links Corp in Settings → Linked accounts, comes back to a
 * confirmation with Corp listed, and unlinks it. A login code that does not work says so on the
 * log-in screen; without password login the providers are the only way in. axe finds no serious
 * or critical violation, in light and dark, on the log-in screen with a provider, the linked
 * accounts and the screen without password login.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_INTERACTION_SELECTORS as PROVIDER, startOidcProvider, type TestOidcProvider } from '../../../test/helpers/oidc/index.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { buildWebAppIfStale, chromiumAvailable, launchChromium, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const CLIENT = { client_id: 'pneumatic', client_secret: 'pneumatic-secret' };
const JDOE = { email: `jdoe_${suffix}@corp.example`, email_verified: true, preferred_username: `jdoe_${suffix}`, name: 'Jane Doe' };
const PAT = { email: `pat_${suffix}@corp.example`, email_verified: true, preferred_username: `pat_corp_${suffix}`, name: 'Pat at Corp' };

describe.skipIf(!available)('single sign-on in Chromium', () => {
  let provider: TestOidcProvider;
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    RATE_LIMITS: 'off',
    OIDC_PROVIDERS: 'corp',
    OIDC_CORP_ISSUER: provider.issuer,
    OIDC_CORP_CLIENT_ID: CLIENT.client_id,
    OIDC_CORP_CLIENT_SECRET: CLIENT.client_secret,
    OIDC_CORP_NAME: 'Corp',
    OIDC_ALLOW_HTTP: 'on',
    ...extra,
  });
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const region = (page: Page, name: string): Locator => page.getByRole('region', { name });
  const openSettings = async (page: Page) => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
  };
  /** The user id the app stored on logging in (auth-storage.ts). */
  const loggedInUserId = (page: Page): Promise<string> => page.evaluate<string>(`JSON.parse(localStorage.getItem('pneumatic.auth')).user.id`);

  /** At the provider: signs in as `accountId` on its login page, then agrees on its consent page. */
  const signInAtProvider = async (page: Page, accountId: string) => {
    const login = page.locator(PROVIDER.loginForm);
    await login.waitFor();
    expect(new URL(page.url()).origin).toBe(provider.issuer);
    await login.locator(PROVIDER.login).fill(accountId);
    await login.locator(PROVIDER.password).fill('any password');
    await login.locator(PROVIDER.submit).click();
    const consent = page.locator(PROVIDER.consentForm);
    await consent.waitFor();
    await consent.locator(PROVIDER.submit).click();
  };

  beforeAll(async () => {
    buildWebAppIfStale();
    // The client's redirect URI names the server's port, known once the server listens: set then.
    provider = await startOidcProvider({ clients: [{ ...CLIENT, redirect_uris: ['http://127.0.0.1:9/placeholder'] }], accounts: { jdoe: JDOE, pat: PAT } });
    server = await startServer({ env: env() });
    provider.setClient({ ...CLIENT, redirect_uris: [`${server.url}/auth/oidc/corp/callback`] });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  it('logs a new person in through the provider, and the same account again after logging out', { timeout: 90_000 }, async () => {
    const page = await newPage();
    await page.goto(server.url);
    const corp = page.getByRole('button', { name: 'Log in with Corp' });
    await corp.waitFor();
    expect(await page.getByLabel('Username').count()).toBe(1);
    expect(await auditScreen(page, 'log-in-with-sso')).toEqual([]);
    await corp.click();
    await signInAtProvider(page, 'jdoe');

    await page.getByRole('button', { name: 'New conversation' }).waitFor();
    await page.locator('.account__name').getByText('Jane Doe').waitFor();
    const first = await loggedInUserId(page);
    // The login code is single use and secret until used: neither in the address bar nor a step Back.
    expect(new URL(page.url()).hash).toBe('');
    expect(page.url()).not.toContain('pnl_');

    await page.getByRole('button', { name: 'Log out' }).click();
    await corp.waitFor();
    await corp.click();
    // The provider remembers this browser's sign-in and consent: straight back, no questions.
    await page.getByRole('button', { name: 'New conversation' }).waitFor();
    await page.locator('.account__name').getByText('Jane Doe').waitFor();
    expect(await loggedInUserId(page)).toBe(first);
  });

  it('links Corp to a password account in Settings, lists it, and unlinks it', { timeout: 90_000 }, async () => {
    const page = await newPage();
    const username = `pw_${suffix}`;
    await signUp(page, server.url, username);
    await openSettings(page);
    const linked = region(page, 'Linked accounts');
    await linked.getByText('No accounts linked yet.').waitFor();
    await linked.getByRole('button', { name: 'Link Corp', exact: true }).click();
    await signInAtProvider(page, 'pat');

    // Back in Settings, where the link is confirmed once.
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings');
    await linked.getByRole('status').getByText('Corp linked: you can now log in with it.').waitFor();
    const item = linked.getByRole('list', { name: 'Your linked accounts' }).getByRole('listitem');
    await item.getByText('Corp', { exact: true }).waitFor();
    await item.getByText(PAT.email, { exact: false }).waitFor();
    expect(await linked.getByRole('button', { name: 'Link Corp', exact: true }).count()).toBe(0);
    expect(await page.locator('.account__name').textContent()).toContain(username);
    await linked.scrollIntoViewIfNeeded();
    expect(await auditScreen(page, 'settings-linked-accounts')).toEqual([]);

    await item.getByRole('button', { name: 'Unlink Corp' }).click();
    await linked.getByText('Corp unlinked: it no longer logs you in.').waitFor();
    await linked.getByText('No accounts linked yet.').waitFor();
    await linked.getByRole('button', { name: 'Link Corp', exact: true }).waitFor();
  });

  it('says so on the log-in screen when a login code does not work, and takes it out of the address bar', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.goto(`${server.url}/#/sso/pnl_not-a-real-code`);
    await page.getByRole('alert').getByText('That sign-in did not complete', { exact: false }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('button', { name: 'Log in with Corp' }).waitFor();
  });

  it('offers only the providers when passwords do not log in', { timeout: 60_000 }, async () => {
    const ssoOnly = await startServer({ env: env({ PASSWORD_LOGIN: 'off' }), database: server.database });
    try {
      provider.setClient({ ...CLIENT, redirect_uris: [`${server.url}/auth/oidc/corp/callback`, `${ssoOnly.url}/auth/oidc/corp/callback`] });
      const page = await newPage();
      await page.goto(ssoOnly.url);
      await page.getByRole('button', { name: 'Log in with Corp' }).waitFor();
      await page.getByText('Log in with your Corp account.').waitFor();
      expect(await page.getByLabel('Username').count()).toBe(0);
      expect(await page.getByLabel('Password').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Sign up', exact: true }).count()).toBe(0);
      expect(await auditScreen(page, 'log-in-sso-only')).toEqual([]);
      await page.getByRole('button', { name: 'Log in with Corp' }).click();
      await signInAtProvider(page, 'jdoe');
      await page.locator('.account__name').getByText('Jane Doe').waitFor();
      await openSettings(page);
      await region(page, 'Where you’re logged in').waitFor();
      expect(await page.getByRole('form', { name: 'Change password' }).count()).toBe(0);
    } finally {
      await ssoOnly.close();
    }
  });
});
