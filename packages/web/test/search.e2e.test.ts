/**
 * Search in Chromium (issue #17): Ctrl+K puts the cursor in the search box, a search lists its
 * results labelled with conversation, sender and time, the matched words marked (<mark> made
 * from the offsets; a message's markup stays text), filters and "More results" page on, and
 * opening a result far back in history shows it in its conversation with the messages around it
 * (GET …/messages?around=SEQ), scrolled to and highlighted, with the history not loaded yet as a
 * "Load newer messages" gap. Keyboard reachable, and axe finds no serious or critical violation.
 * Needs a database search provider (main's placeholder finds nothing).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { seriousViolations } from './a11y-helpers.js';
import { buildWebAppIfStale, chromiumAvailable, createGroup, eventually, expectFocusOn, launchChromium, messageTexts, screenshot, signUp, tabTo } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
/** Messages in the conversation: the treasure is the 5th, far before the latest page. */
const TOTAL = 170;
const TREASURE = 5;
const contentOf = (n: number) => (n === TREASURE ? 'The treasure is buried under the old <b>oak</b> tree' : `filler line ${n}`);

/**
 * Posts messages through the API with the page's login (its token is in localStorage), one after
 * another, while the page is away: an open conversation would render each of them live, which
 * is not what this suite is about and costs seconds a message on a busy machine.
 */
async function postAll(page: Page, baseUrl: string, conversationId: string, contents: string[]): Promise<void> {
  const token = await page.evaluate<string>(`JSON.parse(localStorage.getItem('pneumatic.auth')).token`);
  await page.goto('about:blank');
  for (const content of contents) {
    const response = await fetch(`${baseUrl}/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_id: crypto.randomUUID(), content }),
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`send failed: ${response.status}`);
  }
}

describe.skipIf(!available)('search in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };
  const results = (page: Page) => page.getByRole('list', { name: 'Search results' });
  const status = (page: Page) => page.locator('.search__status');

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a message far back, marks the match, and opens it in context, highlighted', { timeout: 120_000 }, async () => {
    const bobPage = await newPage();
    await signUp(bobPage, server.url, bob);
    const page = await newPage();
    await signUp(page, server.url, alice);
    await createGroup(page, 'Search party', [bob]);
    const conversationId = /#\/c\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await postAll(page, server.url, conversationId, Array.from({ length: TOTAL }, (_, i) => contentOf(i + 1)));
    // Opened again, the conversation holds its latest messages only: the treasure is not loaded.
    await page.goto(`${server.url}/#/c/${conversationId}`);
    await page.locator('.messages').getByText(`filler line ${TOTAL}`, { exact: true }).waitFor();
    expect(await messageTexts(page)).not.toContain(contentOf(TREASURE));

    // Ctrl+K from anywhere puts the cursor in the search box, as its label says.
    await page.getByLabel('Message', { exact: true }).focus();
    await page.keyboard.press('Control+k');
    await expectFocusOn(page, /^Search messages \((Ctrl\+K|⌘K) or \/\)$/);
    await page.keyboard.type('TREASURE oak');
    await page.keyboard.press('Enter');
    await status(page).getByText('1 result for “TREASURE oak”.').waitFor();

    // Labelled with its conversation and sender; the matched words are <mark>s, the message's markup is text.
    const result = results(page).getByRole('button');
    expect(await result.count()).toBe(1);
    expect(await result.locator('.search__where').textContent()).toBe('Search party');
    expect(await result.locator('.search__sender').textContent()).toBe(' · You');
    expect(await result.locator('mark').allTextContents()).toEqual(['treasure', 'oak']);
    expect(await result.locator('.search__snippet').textContent()).toContain('<b>oak</b>');
    expect(await result.locator('b').count()).toBe(0);
    await screenshot(page, 'search-results');
    expect(await seriousViolations(page)).toEqual([]);

    // From the keyboard: Tab reaches the result, Enter opens it in its conversation.
    const around = page.waitForRequest((request) => request.url().includes(`/conversations/${conversationId}/messages?`) && request.url().includes(`around=${TREASURE}`));
    await tabTo(page, (await result.textContent())!.trim());
    await page.keyboard.press('Enter');
    await around;
    const target = page.locator('.messages [aria-current="true"]');
    await target.getByText(contentOf(TREASURE)).waitFor();
    expect(await target.getAttribute('class')).toContain('message--target');
    // Shown with the history around it, scrolled into view and focused.
    const shown = await messageTexts(page);
    expect(shown.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6].map(contentOf));
    expect(shown).toContain(`filler line ${TOTAL}`);
    await eventually('the message is in view', async () => {
      const box = await target.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 800;
    });
    expect(await page.evaluate<string>(`document.activeElement?.dataset?.seq ?? ''`)).toBe(String(TREASURE));
    await screenshot(page, 'search-opened-in-context');
    expect(await seriousViolations(page)).toEqual([]);

    // The messages between the page around it and the latest page load from the gap.
    const gap = page.getByRole('button', { name: 'Load newer messages' });
    await gap.first().waitFor();
    for (let guard = 0; guard < 10 && (await gap.count()) > 0; guard++) {
      await gap.first().click();
      await page.waitForTimeout(100);
    }
    expect(await gap.count()).toBe(0);
    expect(await messageTexts(page)).toEqual(Array.from({ length: TOTAL }, (_, i) => contentOf(i + 1)));
  });

  it('pages with "More results", refines with the filters, and closes with Escape', { timeout: 90_000 }, async () => {
    const page = await newPage();
    await signUp(page, server.url, `${alice}m`);
    await createGroup(page, 'More party', [bob]);
    const conversationId = /#\/c\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await postAll(page, server.url, conversationId, Array.from({ length: 25 }, (_, i) => `pumpkin number ${i + 1}`));
    await page.goto(`${server.url}/#/c/${conversationId}`);
    await page.locator('.messages').getByText('pumpkin number 25', { exact: true }).waitFor();

    // "/" outside a text field does it too.
    await page.getByRole('log', { name: 'Conversation history' }).focus();
    await page.keyboard.press('/');
    await expectFocusOn(page, /^Search messages/);
    await page.keyboard.type('pumpkin');
    await page.keyboard.press('Enter');
    await status(page).getByText('20 results for “pumpkin”, more available.').waitFor();
    await page.getByRole('button', { name: 'More results' }).click();
    await status(page).getByText('25 results for “pumpkin”.').waitFor();
    expect(await page.getByRole('button', { name: 'More results' }).count()).toBe(0);
    // The first result of the new page has focus.
    expect(await page.evaluate<string>(`document.activeElement?.id ?? ''`)).toBe('search-result-20');

    await page.getByLabel('Order').selectOption('recent');
    await status(page).getByText('20 results for “pumpkin”, more available.').waitFor();
    expect(await results(page).locator('.search__snippet').first().textContent()).toBe('pumpkin number 25');
    await page.getByLabel('From').selectOption({ label: bob });
    await status(page).getByText('No messages match “pumpkin”.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('From').press('Escape');
    await page.getByRole('navigation', { name: 'Conversation list' }).waitFor();
    await expectFocusOn(page, /^Search messages/);
  });
});
