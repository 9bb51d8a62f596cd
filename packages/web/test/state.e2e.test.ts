/**
 * The web app on the SDK's state, in Chromium: typing frames re-render the typing indicator
 * and nothing of the message list; "Log out everywhere" ends the account's other sessions;
 * forms validate against the limits the server publishes at GET /limits.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, eventually, launchChromium, logIn, messageTexts, openConversation, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
/** This server asks for longer passwords than the protocol's default of 8. */
const PASSWORD_MIN = 12;

describe.skipIf(!available)('web app state in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off', PASSWORD_MIN_CHARS: String(PASSWORD_MIN) } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('validates the sign-up form against the limits the server publishes', async () => {
    const limits = (await (await fetch(`${server.url}/limits`)).json()) as { password_min_chars: number };
    expect(limits.password_min_chars).toBe(PASSWORD_MIN);
    const page = await newPage();
    await page.goto(server.url);
    await page.getByText(`At least ${PASSWORD_MIN} characters.`).waitFor();
    await page.getByLabel('Username').fill(alice);
    await page.getByLabel('Password').fill('ten chars!');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByText(`Use at least ${PASSWORD_MIN} characters.`).waitFor();
    expect(PASSWORD.length).toBeGreaterThanOrEqual(PASSWORD_MIN);
  });

  it('re-renders the typing indicator, never the message list, while typing frames arrive', { timeout: 60_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    await signUp(alicePage, server.url, alice);
    await signUp(bobPage, server.url, bob);
    await createGroup(alicePage, 'Quiet list', [bob]);
    await sendMessage(alicePage, 'Watch the list');
    await openConversation(bobPage, 'Quiet list');
    // Bob has read alice's message (shown under it while it is the latest) before he answers.
    await alicePage.getByText(`Seen by ${bob}`).waitFor();
    await sendMessage(bobPage, 'Watching');
    await eventually('alice has both messages', async () => (await messageTexts(alicePage)).join('|') === 'Watch the list|Watching');
    await new Promise((resolve) => setTimeout(resolve, 500));

    const list = alicePage.locator('.messages');
    const rendersBefore = Number(await list.getAttribute('data-renders'));
    // Evaluated in the page (strings: the tests compile without DOM types).
    await alicePage.evaluate(`(() => {
      window.listMutations = 0;
      new MutationObserver((records) => (window.listMutations += records.length))
        .observe(document.querySelector('.messages'), { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    // Over 5 s of typing: the SDK sends a typing frame every 2.5 s at most, so alice gets several.
    await bobPage.getByLabel('Message', { exact: true }).pressSequentially('Not sending this, only typing it out slowly', { delay: 120 });
    await alicePage.getByText(`${bob} is typing…`).waitFor();
    expect(Number(await list.getAttribute('data-renders'))).toBe(rendersBefore);
    expect(await alicePage.evaluate('window.listMutations')).toBe(0);

    // The counter does count: a message re-renders the list.
    await bobPage.getByLabel('Message', { exact: true }).press('Enter');
    await eventually('alice gets the message', async () => (await messageTexts(alicePage)).includes('Not sending this, only typing it out slowly'));
    expect(Number(await list.getAttribute('data-renders'))).toBeGreaterThan(rendersBefore);
    await alicePage.getByText(`${bob} is typing…`).waitFor({ state: 'detached' });
  });

  it('logs every session of the account out with “Log out everywhere”', { timeout: 60_000 }, async () => {
    const here = await newPage();
    const elsewhere = await newPage();
    await logIn(here, server.url, alice);
    await logIn(elsewhere, server.url, alice);
    const otherToken = await elsewhere.evaluate<string | undefined>(`JSON.parse(localStorage.getItem('pneumatic.auth') ?? '{}').token`);
    expect(otherToken).toBeTruthy();

    await here.getByRole('link', { name: 'Settings' }).click();
    await here.getByRole('button', { name: 'Log out everywhere' }).click();
    await here.getByRole('button', { name: 'Yes, log out everywhere' }).click();
    await here.getByRole('button', { name: 'Log in', exact: true }).waitFor();

    // The other browser's socket closes (4401) and it returns to the login screen by itself.
    await elsewhere.getByRole('button', { name: 'Log in', exact: true }).waitFor({ timeout: 15_000 });
    const me = await fetch(`${server.url}/users/me`, { headers: { authorization: `Bearer ${otherToken}` } });
    expect(me.status).toBe(401);
  });
});
