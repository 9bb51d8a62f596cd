/**
 * Replies and threads in Chromium: a thread opened beside the conversation gets a reply posted
 * from a second browser context live (and the root's "1 reply" shows in both), the reply stays
 * out of the conversation's own list, the open thread is marked read; a quoted reply shows the
 * quoted sender and excerpt; the panel is keyboard reachable (Escape closes it and focus
 * returns), full screen on a phone, and axe finds no serious or critical violation with it open.
 * A followed thread's summary shows its unread replies ("1 new"), on every device of the user,
 * until the thread is read on one of them. The panel's Follow toggle unfollows a thread (no "new"
 * marker for later replies, and GET /threads leaves it out, also after a reload) and follows it
 * again.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { seriousViolations } from './a11y-helpers.js';
import { buildWebAppIfStale, chromiumAvailable, createGroup, expectFocusOn, launchChromium, logIn, messageTexts, openConversation, screenshot, sendMessage, signUp, tabTo } from './helpers.js';

/** The thread roots GET /threads lists for the page's login (its token is in localStorage). */
function followedOnServer(page: Page): Promise<string[]> {
  // A string, evaluated in the page: this file is compiled without DOM types.
  return page.evaluate<string[]>(`(async () => {
    const { token } = JSON.parse(localStorage.getItem('pneumatic.auth'));
    const response = await fetch('/threads', { headers: { authorization: 'Bearer ' + token } });
    return (await response.json()).threads.map((thread) => thread.root.content);
  })()`);
}

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;

describe.skipIf(!available)('replies and threads in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };
  const panel = (page: Page) => page.getByRole('complementary', { name: 'Thread' });
  const threadTexts = (page: Page) => panel(page).locator('.message__text').allTextContents();
  const summary = (page: Page, count: string) => page.locator('.messages').getByRole('button', { name: new RegExp(`^${count} · last reply`) });

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a reply from a second context live in the open thread, and the count under its root', { timeout: 90_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    await signUp(alicePage, server.url, alice);
    await signUp(bobPage, server.url, bob);
    await createGroup(alicePage, 'Threads', [bob]);
    await sendMessage(alicePage, 'Ship it?');
    await openConversation(bobPage, 'Threads');
    await bobPage.locator('.messages').getByText('Ship it?').waitFor();

    // Alice opens the thread of her own message from the keyboard: focus starts in its composer.
    await alicePage.getByRole('button', { name: 'Reply in thread to yourself' }).focus();
    await alicePage.keyboard.press('Enter');
    await panel(alicePage).waitFor();
    await expectFocusOn(alicePage, 'Reply in thread');
    expect(await threadTexts(alicePage)).toEqual(['Ship it?']);
    await screenshot(alicePage, 'thread-panel-empty');
    expect(await seriousViolations(alicePage)).toEqual([]);

    // Bob replies in the thread from his context; alice's open panel shows it live and marks it read.
    const markedRead = alicePage.waitForRequest((request) => request.url().includes('/thread/read') && request.method() === 'POST');
    await bobPage.getByRole('button', { name: `Reply in thread to ${alice}` }).click();
    await panel(bobPage).waitFor();
    await bobPage.getByLabel('Reply in thread', { exact: true }).fill('Ship it!');
    await bobPage.getByLabel('Reply in thread', { exact: true }).press('Enter');
    await panel(alicePage).getByText('Ship it!').waitFor();
    expect(await threadTexts(alicePage)).toEqual(['Ship it?', 'Ship it!']);
    await markedRead;
    // The root shows the count in both contexts; the reply stays out of the conversation's list.
    await summary(alicePage, '1 reply').waitFor();
    await summary(bobPage, '1 reply').waitFor();
    expect(await messageTexts(alicePage)).toEqual(['Ship it?']);
    expect(await messageTexts(bobPage)).toEqual(['Ship it?']);
    await screenshot(alicePage, 'thread-panel-reply');
    expect(await seriousViolations(alicePage)).toEqual([]);

    // Escape closes it and focus goes back to the button that opened it.
    await alicePage.keyboard.press('Escape');
    await panel(alicePage).waitFor({ state: 'detached' });
    await expectFocusOn(alicePage, 'Reply in thread to yourself');

    // The summary reopens it, from the keyboard; Shift+Tab reaches its close button.
    await summary(alicePage, '1 reply').focus();
    await alicePage.keyboard.press('Enter');
    await panel(alicePage).getByText('Ship it!').waitFor();
    await tabTo(alicePage, 'Close thread', { backwards: true });
    await alicePage.keyboard.press('Enter');
    await panel(alicePage).waitFor({ state: 'detached' });
  });

  it('marks a followed thread\'s summary "1 new" on each of your devices until one of them opens it', { timeout: 90_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    const [a, b] = [`${alice}u`, `${bob}u`];
    await signUp(alicePage, server.url, a);
    await signUp(bobPage, server.url, b);
    await createGroup(alicePage, 'Unread threads', [b]);
    await sendMessage(alicePage, 'Deploy today?');
    await openConversation(bobPage, 'Unread threads');

    // Bob replies in alice's thread while her panel is closed: she follows it (her root), so it is new to her.
    await bobPage.getByRole('button', { name: `Reply in thread to ${a}` }).click();
    await bobPage.getByLabel('Reply in thread', { exact: true }).fill('After lunch');
    await bobPage.getByLabel('Reply in thread', { exact: true }).press('Enter');
    const unread = (page: Page) => page.locator('.messages').getByRole('button', { name: /^1 reply, 1 new · last reply/ });
    await unread(alicePage).waitFor();
    expect(await unread(alicePage).locator('.thread-summary__new').textContent()).toBe('1 new');
    // Bob's own reply is not new to him.
    await summary(bobPage, '1 reply').waitFor();

    // Alice's second device learns it from GET /threads when it starts.
    const otherPage = await newPage();
    await logIn(otherPage, server.url, a);
    await openConversation(otherPage, 'Unread threads');
    await unread(otherPage).waitFor();
    await screenshot(alicePage, 'thread-summary-unread');
    expect(await seriousViolations(alicePage)).toEqual([]);

    // From the keyboard: Shift+Tab from the composer reaches the summary, Enter opens the thread and reads it.
    const name = (await unread(alicePage).getAttribute('aria-label')) ?? '';
    await alicePage.getByLabel('Message', { exact: true }).focus();
    await tabTo(alicePage, name, { backwards: true });
    await alicePage.keyboard.press('Enter');
    await panel(alicePage).getByText('After lunch').waitFor();
    await alicePage.keyboard.press('Escape');
    await panel(alicePage).waitFor({ state: 'detached' });
    await summary(alicePage, '1 reply').waitFor();
    expect(await unread(alicePage).count()).toBe(0);
    // Her other device hears the thread.read frame.
    await summary(otherPage, '1 reply').waitFor();
    expect(await unread(otherPage).count()).toBe(0);
  });

  it('unfollows a thread from its panel (later replies are not new, even after a reload) and follows it again', { timeout: 90_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    const [a, b] = [`${alice}f`, `${bob}f`];
    await signUp(alicePage, server.url, a);
    await signUp(bobPage, server.url, b);
    await createGroup(alicePage, 'Follows', [b]);
    await sendMessage(alicePage, 'Retro notes?');
    await openConversation(bobPage, 'Follows');
    await bobPage.getByRole('button', { name: `Reply in thread to ${a}` }).click();
    const bobReplies = async (text: string) => {
      await bobPage.getByLabel('Reply in thread', { exact: true }).fill(text);
      await bobPage.getByLabel('Reply in thread', { exact: true }).press('Enter');
    };
    // "Follow thread", pressed: "Following thread" (the name holds the visible text).
    const follow = panel(alicePage).getByRole('button', { name: /^Follow(ing)? thread$/ });

    // Her root: she follows it from bob's first reply, which is new to her.
    await bobReplies('Tomorrow');
    await summary(alicePage, '1 reply, 1 new').waitFor();
    expect(await followedOnServer(alicePage)).toEqual(['Retro notes?']);

    // She opens it: the toggle is pressed; from the keyboard (Shift+Tab from the thread's composer), she unfollows.
    await summary(alicePage, '1 reply, 1 new').click();
    await panel(alicePage).getByText('Tomorrow').waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');
    expect(await follow.textContent()).toBe('Following thread');
    await tabTo(alicePage, 'Following thread', { backwards: true });
    await alicePage.keyboard.press('Enter');
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
    expect(await follow.textContent()).toBe('Follow thread');
    await expect.poll(() => followedOnServer(alicePage)).toEqual([]);
    await screenshot(alicePage, 'thread-panel-unfollowed');
    expect(await seriousViolations(alicePage)).toEqual([]);
    await alicePage.keyboard.press('Escape');
    await panel(alicePage).waitFor({ state: 'detached' });

    // Bob's next reply is not new to her: no marker under the root.
    await bobReplies('Or Friday');
    await summary(alicePage, '2 replies').waitFor();
    expect(await alicePage.locator('.thread-summary__new').count()).toBe(0);

    // After a reload the unfollow stands (GET /threads leaves it out): no marker, the toggle not pressed.
    await alicePage.reload();
    await alicePage.getByRole('heading', { name: 'Follows', level: 2 }).waitFor();
    await summary(alicePage, '2 replies').waitFor();
    expect(await alicePage.locator('.thread-summary__new').count()).toBe(0);
    await summary(alicePage, '2 replies').click();
    await panel(alicePage).getByText('Or Friday').waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('false');

    // She follows it again: pressed, listed by the server, and so after another reload.
    await follow.click();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    expect(await follow.textContent()).toBe('Following thread');
    await expect.poll(() => followedOnServer(alicePage)).toEqual(['Retro notes?']);
    await alicePage.reload();
    await alicePage.getByRole('heading', { name: 'Follows', level: 2 }).waitFor();
    await summary(alicePage, '2 replies').click();
    await panel(alicePage).getByText('Or Friday').waitFor();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    // Followed again, bob's next reply is new to her once the panel is closed.
    await follow.focus();
    await alicePage.keyboard.press('Escape');
    await panel(alicePage).waitFor({ state: 'detached' });
    await bobReplies('Friday it is');
    await summary(alicePage, '3 replies, 1 new').waitFor();
  });

  it('quotes a message in a reply: a quote bar with cancel above the composer, the quote above the reply', { timeout: 60_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    const [a, b] = [`${alice}q`, `${bob}q`];
    await signUp(alicePage, server.url, a);
    await signUp(bobPage, server.url, b);
    await createGroup(alicePage, 'Quotes', [b]);
    await sendMessage(alicePage, 'Lunch at noon?\nSecond line');
    await openConversation(bobPage, 'Quotes');
    await bobPage.locator('.messages').getByText('Lunch at noon?').waitFor();

    // Reply, then cancel: the bar goes and focus is in the composer.
    await bobPage.getByRole('button', { name: `Reply to ${a}`, exact: true }).click();
    const bar = bobPage.locator('.quote-bar');
    await bar.getByText(`Replying to ${a}`).waitFor();
    await bar.getByRole('button', { name: 'Cancel reply' }).click();
    await bar.waitFor({ state: 'detached' });
    await expectFocusOn(bobPage, 'Message');

    await bobPage.getByRole('button', { name: `Reply to ${a}`, exact: true }).click();
    await expectFocusOn(bobPage, 'Message');
    await bar.getByText('Lunch at noon?').waitFor();
    await bobPage.keyboard.type('Yes!');
    await bobPage.keyboard.press('Enter');
    await bar.waitFor({ state: 'detached' });

    // Alice sees the reply with the quote: who said it, and the first line only.
    const reply = alicePage.locator('.message').filter({ hasText: 'Yes!' });
    await reply.waitFor();
    const quote = reply.getByRole('blockquote');
    expect(await quote.getAttribute('aria-label')).toBe('Reply to You');
    expect(await quote.locator('.quote__sender').textContent()).toBe('You');
    expect(await quote.locator('.quote__text').textContent()).toBe('Lunch at noon?');
    await screenshot(alicePage, 'quoted-reply');
    expect(await seriousViolations(alicePage)).toEqual([]);

    // A quoted message deleted later shows as deleted in the quote.
    await alicePage.locator('.message').filter({ hasText: 'Lunch at noon?' }).first().getByRole('button', { name: 'Delete' }).click();
    await alicePage.getByRole('button', { name: 'Yes, delete' }).click();
    await bobPage.locator('.message').filter({ hasText: 'Yes!' }).getByText('deleted message').waitFor();
  });

  it('is a full-screen view on a phone', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await signUp(page, server.url, `${alice}p`);
    await createGroup(page, 'Phone', [bob]);
    await sendMessage(page, 'Thread me');
    await page.getByRole('button', { name: 'Reply in thread to yourself' }).click();
    await panel(page).waitFor();
    const box = await panel(page).boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(380);
    await screenshot(page, 'thread-panel-phone');
    await page.getByRole('button', { name: 'Close thread' }).click();
    await panel(page).waitFor({ state: 'detached' });
  });
});
