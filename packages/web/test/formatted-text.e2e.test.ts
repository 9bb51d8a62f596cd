/**
 * Formatted messages in a real browser: a peer (through the SDK) sends Markdown mixed with HTML,
 * and the page shows the Markdown subset as elements, the HTML as text, and runs nothing of it.
 * Skipped with a message when Chromium is missing, except under CI=true.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, launchChromium, screenshot, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const PEER = `peer_${suffix}`;

const CONTENT = [
  '**bold** _italic_ ~~gone~~ `<b onclick="window.__pwned = 1">code</b>`',
  '',
  '> quoted <script>window.__pwned = 2</script>',
  '',
  '```',
  '<img src=x onerror="window.__pwned = 3">',
  '```',
  '',
  '[the docs](https://example.com/docs) [bad](javascript:window.__pwned=4) <img src=x onerror="window.__pwned = 5"> <iframe src="javascript:alert(6)"></iframe> &lt;i&gt;',
].join('\n');

describe.skipIf(!available)('formatted messages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let peer: PneumaticClient;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    peer = new PneumaticClient({ baseUrl: server.url });
    await peer.register(PEER, PASSWORD);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    peer?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the Markdown subset as elements and HTML from the content as text, running none of it', async () => {
    await signUp(page, server.url, `reader_${suffix}`);
    await createGroup(page, 'Formatting', [PEER]);
    const group = (await peer.listConversations()).conversations.find((c) => c.title === 'Formatting')!;
    await peer.postConversationMessage(group.id, { message_id: crypto.randomUUID(), content: CONTENT });

    const message = page.locator('.message', { hasText: 'quoted' });
    await message.locator('blockquote').waitFor();
    const text = message.locator('.message__text');
    expect(await text.locator('strong').textContent()).toBe('bold');
    expect(await text.locator('em').textContent()).toBe('italic');
    expect(await text.locator('del').textContent()).toBe('gone');
    expect(await text.locator('p > code').textContent()).toBe('<b onclick="window.__pwned = 1">code</b>');
    expect(await text.locator('blockquote').textContent()).toBe('quoted <script>window.__pwned = 2</script>');
    expect(await text.locator('pre > code').textContent()).toBe('<img src=x onerror="window.__pwned = 3">');

    // One link: the https one, with its destination in view; the javascript: one is text.
    const links = text.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/docs');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await links.textContent()).toBe('the docs (https://example.com/docs)');
    expect(await text.textContent()).toContain('[bad](javascript:window.__pwned=4) <img src=x onerror="window.__pwned = 5"> <iframe src="javascript:alert(6)"></iframe> &lt;i&gt;');

    // Nothing from the content became an element of its own, and nothing ran.
    expect(await page.locator('.messages script, .messages img, .messages iframe, .messages b, .messages i, .messages [onclick], .messages [onerror]').count()).toBe(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    await screenshot(page, 'formatted-message');
  });

  it('formats a message you send yourself', async () => {
    await sendMessage(page, 'Mine: **done**, see www.example.org');
    const own = page.locator('.message--own:not(.message--pending)', { hasText: 'Mine:' });
    await own.locator('strong').waitFor();
    expect(await own.locator('.message__text').innerHTML()).toBe('Mine: <strong>done</strong>, see <a href="http://www.example.org/" target="_blank" rel="noopener noreferrer nofollow">www.example.org</a>');
  });

  it('opened no dialog and raised no page errors', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
