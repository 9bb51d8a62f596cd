/**
 * Reactions in Chromium: react from the picker (frequent emoji, and search by name from the
 * lazily loaded emoji data), see the count, take it back; a second browser context sees every
 * count change live; the picker is keyboard reachable (Escape closes it and focus returns) and
 * axe finds no serious or critical violation with it open.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { seriousViolations } from './a11y-helpers.js';
import { buildWebAppIfStale, chromiumAvailable, createGroup, expectFocusOn, launchChromium, openConversation, screenshot, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;

describe.skipIf(!available)('reactions in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };
  /** The reaction toggle for `emoji` with `count` under the only message. */
  const reaction = (page: Page, emoji: string, count: number) => page.getByRole('group', { name: 'Reactions' }).getByRole('button', { name: `${emoji} ${count}`, exact: true });
  const picker = (page: Page) => page.getByRole('dialog', { name: 'Choose a reaction' });

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reacts, shows the count, takes it back, and a second context sees each change live', { timeout: 90_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    await signUp(alicePage, server.url, alice);
    await signUp(bobPage, server.url, bob);
    await createGroup(alicePage, 'Reactions', [bob]);
    await sendMessage(alicePage, 'React to this');
    await openConversation(bobPage, 'Reactions');
    await bobPage.locator('.messages').getByText('React to this').waitFor();

    // Alice opens the picker from the keyboard: focus starts in its search field.
    await alicePage.getByRole('button', { name: 'Add reaction' }).focus();
    await alicePage.keyboard.press('Enter');
    await picker(alicePage).waitFor();
    await expectFocusOn(alicePage, 'Search emoji by name');
    expect(await alicePage.getByRole('button', { name: 'Add reaction' }).getAttribute('aria-expanded')).toBe('true');
    await screenshot(alicePage, 'reactions-picker');
    expect(await seriousViolations(alicePage)).toEqual([]);
    // Escape closes it and focus goes back to the button that opened it.
    await alicePage.keyboard.press('Escape');
    await picker(alicePage).waitFor({ state: 'detached' });
    await expectFocusOn(alicePage, 'Add reaction');

    // A frequent emoji: the count shows, pressed for alice, not for bob.
    await alicePage.keyboard.press('Enter');
    await picker(alicePage).getByRole('button', { name: 'thumbs up' }).click();
    await picker(alicePage).waitFor({ state: 'detached' });
    await reaction(alicePage, '👍', 1).waitFor();
    expect(await reaction(alicePage, '👍', 1).getAttribute('aria-pressed')).toBe('true');
    await reaction(bobPage, '👍', 1).waitFor();
    expect(await reaction(bobPage, '👍', 1).getAttribute('aria-pressed')).toBe('false');

    // Bob adds his by pressing the count; both see 2.
    await reaction(bobPage, '👍', 1).click();
    await reaction(bobPage, '👍', 2).waitFor();
    expect(await reaction(bobPage, '👍', 2).getAttribute('aria-pressed')).toBe('true');
    await reaction(alicePage, '👍', 2).waitFor();

    // Search by name, from the emoji data loaded on demand.
    await bobPage.getByRole('button', { name: 'Add reaction' }).click();
    await picker(bobPage).getByRole('searchbox', { name: 'Search emoji by name' }).fill('party pop');
    await picker(bobPage).getByRole('button', { name: 'party popper' }).click();
    await reaction(alicePage, '🎉', 1).waitFor();
    expect(await reaction(alicePage, '🎉', 1).getAttribute('aria-pressed')).toBe('false');

    // Alice takes hers back: bob sees the count fall.
    await reaction(alicePage, '👍', 2).click();
    await reaction(alicePage, '👍', 1).waitFor();
    expect(await reaction(alicePage, '👍', 1).getAttribute('aria-pressed')).toBe('false');
    await reaction(bobPage, '👍', 1).waitFor();
    expect(await reaction(bobPage, '👍', 1).getAttribute('aria-pressed')).toBe('true');
    await screenshot(bobPage, 'reactions-bar');

    // After a reload, whose reactions are whose comes from the server (the history page's my_reactions).
    await bobPage.reload();
    await openConversation(bobPage, 'Reactions');
    await reaction(bobPage, '🎉', 1).waitFor();
    expect(await reaction(bobPage, '🎉', 1).getAttribute('aria-pressed')).toBe('true');
    expect(await reaction(bobPage, '👍', 1).getAttribute('aria-pressed')).toBe('true');
  });
});
