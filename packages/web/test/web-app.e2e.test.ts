/**
 * The web app end to end: a real server serving the built app, real headless Chromium (the
 * system one, through playwright-core), two users in two browser contexts. Screenshots of the
 * main screens go to test-artifacts/web/. Skipped with a message when Chromium is missing,
 * except under CI=true.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import {
  PASSWORD,
  buildWebAppIfStale,
  chromiumAvailable,
  createGroup,
  eventually,
  expectFocusOn,
  focusedName,
  launchChromium,
  logIn,
  messageTexts,
  openConversation,
  screenshot,
  sendMessage,
  signUp,
} from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
const GROUP = 'Launch plans';

describe.skipIf(!available)('web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alicePage: Page;
  let bobPage: Page;
  const pageErrors: string[] = [];

  const newPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    return page;
  };

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    aliceContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    bobContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    alicePage = await newPage(aliceContext);
    bobPage = await newPage(bobContext);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the app at / with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('signs two users up and shows clear field errors', async () => {
    await alicePage.goto(server.url);
    await screenshot(alicePage, '01-sign-in');
    await signUp(alicePage, server.url, alice);
    await screenshot(alicePage, '02-empty-conversation-list');

    await bobPage.goto(server.url);
    await bobPage.getByLabel('Username').fill(alice);
    await bobPage.getByLabel('Password').fill(PASSWORD);
    await bobPage.getByRole('button', { name: 'Sign up', exact: true }).click();
    await bobPage.getByText('That username is taken. Pick another one.').waitFor();
    expect(await bobPage.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');

    await bobPage.getByLabel('Username').fill(bob);
    await bobPage.getByLabel('Password').fill('short');
    await bobPage.getByRole('button', { name: 'Sign up', exact: true }).click();
    await bobPage.getByText('Use at least 8 characters.').waitFor();
    await bobPage.getByLabel('Password').fill('wrong password');
    await bobPage.getByRole('button', { name: 'Log in', exact: true }).click();
    await bobPage.getByText('Wrong username or password.').waitFor();
    await screenshot(bobPage, '03-sign-in-errors');

    await signUp(bobPage, server.url, bob);
  });

  it('creates a group, exchanges messages both ways with typing indicator and read receipt', async () => {
    await createGroup(alicePage, GROUP, [bob]);
    await sendMessage(alicePage, 'Hi Bob! Ready for the launch?');
    await eventually('alice sees her message confirmed', async () => (await alicePage.locator('.message:not(.message--pending) .message__text').allTextContents()).includes('Hi Bob! Ready for the launch?'));

    // Bob was online: the conversation appears live, with an unread badge and a preview.
    const bobList = bobPage.getByRole('navigation', { name: 'Conversation list' });
    await bobList.getByRole('link', { name: new RegExp(GROUP) }).waitFor();
    await bobList.getByLabel('1 unread').waitFor();
    expect(await bobList.textContent()).toContain(`${alice}: Hi Bob! Ready for the launch?`);
    await screenshot(bobPage, '04-conversation-list-unread');

    await openConversation(bobPage, GROUP);
    await eventually('bob sees alice’s message', async () => (await messageTexts(bobPage)).includes('Hi Bob! Ready for the launch?'));
    await alicePage.getByText(`Seen by ${bob}`).waitFor();

    // Typing: Bob types, Alice sees the indicator; Bob sends and it goes away.
    await bobPage.getByLabel('Message', { exact: true }).pressSequentially('Almost', { delay: 30 });
    await alicePage.getByText(`${bob} is typing…`).waitFor();
    await screenshot(alicePage, '05-typing-indicator');
    await bobPage.getByLabel('Message', { exact: true }).press('Shift+Enter');
    await bobPage.getByLabel('Message', { exact: true }).pressSequentially('ready!');
    await bobPage.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually('alice gets bob’s two-line reply', async () => (await messageTexts(alicePage)).includes('Almost\nready!'));
    await alicePage.getByText(`${bob} is typing…`).waitFor({ state: 'detached' });
    await bobPage.getByText(`Seen by ${alice}`).waitFor();
    expect(await alicePage.locator('.message--own .message__text').allTextContents()).toEqual(['Hi Bob! Ready for the launch?']);
    await screenshot(alicePage, '06-conversation');
    await screenshot(bobPage, '07-conversation-read-receipt');
  });

  it('edits and deletes own messages, and the other side sees the markers', async () => {
    await sendMessage(alicePage, 'Launch is at 9');
    await eventually('bob gets the message', async () => (await messageTexts(bobPage)).includes('Launch is at 9'));
    const own = alicePage.locator('.message--own', { hasText: 'Launch is at 9' });
    await own.hover();
    await own.getByRole('button', { name: 'Edit', exact: true }).click();
    await alicePage.getByLabel('Edit text').fill('Launch is at 10');
    await alicePage.getByLabel('Edit text').press('Enter');
    await eventually('bob sees the edit', async () => (await bobPage.locator('.message', { hasText: 'Launch is at 10' }).textContent())?.includes('(edited)') ?? false);

    await sendMessage(alicePage, 'Oops, wrong chat');
    await eventually('bob gets the second message', async () => (await messageTexts(bobPage)).includes('Oops, wrong chat'));
    const oops = alicePage.locator('.message--own', { hasText: 'Oops, wrong chat' });
    await oops.hover();
    await oops.getByRole('button', { name: 'Delete', exact: true }).click();
    await alicePage.getByRole('button', { name: 'Yes, delete' }).click();
    await bobPage.locator('.message', { hasText: 'This message was deleted' }).waitFor();
    expect(await messageTexts(bobPage)).not.toContain('Oops, wrong chat');
    await screenshot(bobPage, '08-edited-and-deleted');
  });

  it('renders a <script> message as text, without running it', async () => {
    const payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold?</b>';
    await sendMessage(alicePage, payload);
    await eventually('bob gets the payload', async () => (await messageTexts(bobPage)).includes(payload));
    expect(await bobPage.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await bobPage.locator('.messages script, .messages img, .messages b').count()).toBe(0);
    expect(await alicePage.evaluate('typeof window.__pwned')).toBe('undefined');
  });

  it('keeps the conversation and its history across a reload', async () => {
    const before = await messageTexts(bobPage);
    expect(before.length).toBeGreaterThanOrEqual(4);
    await bobPage.reload();
    await bobPage.getByRole('heading', { name: GROUP, level: 2 }).waitFor();
    await eventually('history is back', async () => (await messageTexts(bobPage)).length === before.length);
    expect(await messageTexts(bobPage)).toEqual(before);
  });

  it('delivers a message sent while the other side was offline exactly once when it is back', async () => {
    await bobContext.setOffline(true);
    await bobPage.getByText('Connection lost. Reconnecting…').waitFor();
    await screenshot(bobPage, '09-reconnecting-banner');
    await sendMessage(alicePage, 'Sent while you were offline');
    await sendMessage(alicePage, 'And one more');
    await eventually('alice’s sends are acknowledged', async () => (await alicePage.locator('.message--pending').count()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await messageTexts(bobPage)).not.toContain('Sent while you were offline');

    await bobContext.setOffline(false);
    await eventually('bob catches up', async () => (await messageTexts(bobPage)).includes('And one more'), 20_000);
    await bobPage.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const texts = await messageTexts(bobPage);
    expect(texts.filter((t) => t === 'Sent while you were offline')).toHaveLength(1);
    expect(texts.filter((t) => t === 'And one more')).toHaveLength(1);
    expect(texts.indexOf('Sent while you were offline')).toBe(texts.indexOf('And one more') - 1);
    const seqs = await bobPage.locator('.messages li[data-seq]').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('shows a rename, an edit and a delete made while the other side was offline, without a reload', async () => {
    const renamed = `${GROUP}, moved`;
    await bobContext.setOffline(true);
    await bobPage.getByText('Connection lost. Reconnecting…').waitFor();
    // Alice owns the group: she renames it from the header, by keyboard.
    const rename = alicePage.getByRole('button', { name: `Rename ${GROUP}` });
    await rename.click();
    const title = alicePage.getByRole('form', { name: 'Rename conversation' }).getByLabel('Title');
    await eventually('the form takes focus', async () => (await focusedName(alicePage)) === 'Title');
    await title.fill(renamed);
    await title.press('Enter');
    await alicePage.getByRole('heading', { name: renamed, level: 2 }).waitFor();
    await eventually('focus is back on Rename', async () => (await focusedName(alicePage)) === `Rename ${renamed}`);
    const own = alicePage.locator('.message--own', { hasText: 'And one more' });
    await own.hover();
    await own.getByRole('button', { name: 'Edit', exact: true }).click();
    await alicePage.getByLabel('Edit text').fill('And one more, edited offline');
    await alicePage.getByLabel('Edit text').press('Enter');
    await alicePage.locator('.message', { hasText: 'And one more, edited offline' }).waitFor();
    const deletedBefore = await bobPage.locator('.message', { hasText: 'This message was deleted' }).count();
    const gone = alicePage.locator('.message--own', { hasText: 'Sent while you were offline' });
    await gone.hover();
    await gone.getByRole('button', { name: 'Delete', exact: true }).click();
    await alicePage.getByRole('button', { name: 'Yes, delete' }).click();
    await eventually('alice sees her delete', async () => !(await messageTexts(alicePage)).includes('Sent while you were offline'));

    // Bob is not an owner: no Rename for him.
    expect(await bobPage.getByRole('button', { name: /^Rename/ }).count()).toBe(0);
    await bobContext.setOffline(false);
    await bobPage.getByRole('heading', { name: renamed, level: 2 }).waitFor({ timeout: 20_000 });
    await eventually('bob sees the edit', async () => (await messageTexts(bobPage)).includes('And one more, edited offline'));
    await eventually('bob sees the delete', async () => !(await messageTexts(bobPage)).includes('Sent while you were offline'));
    expect(await bobPage.locator('.message', { hasText: 'This message was deleted' }).count()).toBe(deletedBefore + 1);
    // The conversation list shows the new title too.
    await bobPage.getByRole('navigation', { name: 'Conversation list' }).getByText(renamed).first().waitFor();
    await screenshot(alicePage, '10-renamed');

    // Back to the old name (the later tests look for it); Escape leaves the form unchanged.
    await alicePage.getByRole('button', { name: `Rename ${renamed}` }).click();
    await title.press('Escape');
    await alicePage.getByRole('button', { name: `Rename ${renamed}` }).click();
    await title.fill(GROUP);
    await title.press('Enter');
    await bobPage.getByRole('heading', { name: GROUP, level: 2 }).waitFor();
  });

  it('keeps the same account in sync across two tabs', async () => {
    const secondTab = await newPage(aliceContext);
    await secondTab.goto(`${server.url}/${new URL(alicePage.url()).hash}`);
    await secondTab.getByRole('heading', { name: GROUP, level: 2 }).waitFor();
    await sendMessage(secondTab, 'From my other tab');
    await eventually('the first tab shows it as alice’s own', async () => (await alicePage.locator('.message--own .message__text').allTextContents()).includes('From my other tab'));
    await sendMessage(bobPage, 'Seen in both tabs?');
    await eventually('both tabs get bob’s message', async () => (await messageTexts(alicePage)).includes('Seen in both tabs?') && (await messageTexts(secondTab)).includes('Seen in both tabs?'));
    await secondTab.close();
  });

  // The longest scenario of the file (a direct message, then the People panel: statuses, the
  // directory picker, adding and removing): about 8 s alone, and more on a loaded CI machine.
  it('starts a direct message and manages members', { timeout: 60_000 }, async () => {
    await alicePage.getByRole('button', { name: 'New conversation' }).click();
    await alicePage.getByText('Direct message', { exact: true }).click();
    await alicePage.getByLabel('Members').fill(bob);
    await screenshot(alicePage, '10-new-conversation');
    await alicePage.getByRole('button', { name: 'Create', exact: true }).click();
    await alicePage.getByRole('heading', { name: bob, level: 2 }).waitFor();
    await sendMessage(alicePage, 'Private note');
    await bobPage.getByRole('navigation', { name: 'Conversation list' }).getByRole('link', { name: new RegExp(alice) }).waitFor();
    // Most recent activity first.
    const names = await bobPage.locator('.conversation-item__name').allTextContents();
    expect(names).toEqual([alice, GROUP]);

    const carol = new PneumaticClient({ baseUrl: server.url });
    await carol.register(`carol_${suffix}`, PASSWORD);
    const carolStatus = 'Reviewing the launch checklist all week, back on Monday: write to me for anything urgent';
    await carol.updateProfile({ status_text: carolStatus });
    const erin = new PneumaticClient({ baseUrl: server.url });
    await erin.register(`erin_${suffix}`, PASSWORD);
    // Bob's status, set on another device of his: the panel reads it when it opens.
    const bobElsewhere = new PneumaticClient({ baseUrl: server.url });
    await bobElsewhere.login(bob, PASSWORD);
    await bobElsewhere.updateProfile({ status_text: 'Packing for the launch' });
    bobElsewhere.close();

    await openConversation(alicePage, GROUP);
    await alicePage.getByRole('button', { name: 'People' }).click();
    const panel = alicePage.getByRole('complementary', { name: /^People/ });
    const memberItem = (username: string) => panel.locator('.members__item').filter({ hasText: username });
    await memberItem(bob).locator('.user-status').getByText('Packing for the launch').waitFor();
    expect(await memberItem(alice).locator('.user-status').count()).toBe(0);

    // The directory lists bob as a member already, not to be picked.
    const field = panel.getByRole('combobox', { name: 'Add member' });
    const found = panel.getByRole('listbox', { name: 'People found' });
    await field.pressSequentially('bo');
    const bobOption = found.getByRole('option', { name: new RegExp(`@${bob}`) });
    await bobOption.waitFor();
    expect(await bobOption.getAttribute('aria-disabled')).toBe('true');
    expect(await bobOption.textContent()).toContain('already a member');
    await field.press('ArrowDown');
    expect(await field.getAttribute('aria-activedescendant')).toBeNull();

    // A prefix, then the person picked from the list by keyboard, then Add.
    await field.fill('');
    await field.pressSequentially('caro');
    const carolOption = found.getByRole('option', { name: new RegExp(`@carol_${suffix}`) });
    await carolOption.waitFor();
    await field.press('ArrowDown');
    expect(await field.getAttribute('aria-activedescendant')).toBe(await carolOption.getAttribute('id'));
    await field.press('Enter');
    await panel.getByRole('list', { name: 'People picked' }).getByText(`carol_${suffix}`).waitFor();
    expect(await field.inputValue()).toBe('');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await panel.getByText(`Added carol_${suffix}.`).waitFor();
    await bobPage.getByText('3 members').waitFor();
    expect(await panel.getByRole('list', { name: 'People picked' }).count()).toBe(0);

    // The new member's status: muted, cut to one line, the whole of it in the tooltip.
    const carolStatusText = memberItem(`carol_${suffix}`).locator('.user-status');
    await carolStatusText.waitFor();
    expect(await carolStatusText.getAttribute('title')).toBe(carolStatus);
    expect(await carolStatusText.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

    // A whole username typed and Enter: found by `GET /users?username=` whatever the directory lists.
    await field.fill(`@erin_${suffix}`);
    await field.press('Enter');
    await panel.getByText(`Added erin_${suffix}.`).waitFor();
    await bobPage.getByText('4 members').waitFor();
    await field.fill(`erin_${suffix}`);
    await field.press('Enter');
    await panel.getByText(`erin_${suffix} is already a member.`).waitFor();
    await field.fill('');
    await screenshot(alicePage, '11-members-panel');
    const group = (await carol.listConversations()).conversations.find((c) => c.title === GROUP);
    expect(group?.members.map((m) => m.username).sort()).toEqual([alice, bob, `carol_${suffix}`, `erin_${suffix}`].sort());

    await bobPage.getByRole('button', { name: 'People' }).click();
    // Bob sees the statuses too (his own included); Escape backs out of leaving, not out of the panel.
    await bobPage.locator('.members__item').filter({ hasText: `carol_${suffix}` }).locator('.user-status').waitFor();
    await bobPage.locator('.members__item').filter({ hasText: bob }).getByText('Packing for the launch').waitFor();
    await bobPage.getByRole('button', { name: 'Leave conversation' }).click();
    await expectFocusOn(bobPage, 'Yes, leave');
    await bobPage.keyboard.press('Escape');
    await expectFocusOn(bobPage, 'Leave conversation');
    expect(await bobPage.getByRole('complementary', { name: /^People/ }).count()).toBe(1);
    await bobPage.getByRole('button', { name: 'Leave conversation' }).click();
    await bobPage.getByRole('group', { name: 'Confirm leaving' }).getByRole('button', { name: 'Yes, leave' }).click();
    await eventually('the group leaves bob’s list', async () => !(await bobPage.locator('.conversation-item__name').allTextContents()).includes(GROUP));
    await alicePage.getByText('3 members').waitFor();
    carol.close();
    erin.close();
  });

  it('scrolls back through older pages with no gap and no duplicate', async () => {
    const dave = new PneumaticClient({ baseUrl: server.url });
    await dave.register(`dave_${suffix}`, PASSWORD);
    const conversation = await dave.createConversation({ title: 'Long history', member_ids: [(await dave.findUsers(bob))[0]!.id] });
    for (let i = 1; i <= 120; i++) await dave.postConversationMessage(conversation.id, { message_id: crypto.randomUUID(), content: `History ${i}` });
    dave.close();

    // A fresh page: the history comes from the server, page by page, not from live events.
    await bobPage.reload();
    await bobPage.getByRole('button', { name: 'New conversation' }).waitFor();
    await openConversation(bobPage, 'Long history');
    await eventually('the latest page is shown', async () => (await messageTexts(bobPage)).at(-1) === 'History 120');
    const firstPage = await messageTexts(bobPage);
    expect(firstPage.length).toBeLessThan(120);
    await bobPage.getByText('Today', { exact: true }).first().waitFor();
    await eventually(
      'all 120 loaded by scrolling up',
      async () => {
        await bobPage.locator('.messages').evaluate((el) => el.scrollTo({ top: 0 }));
        return (await messageTexts(bobPage)).length === 120;
      },
      15_000,
    );
    await bobPage.getByText('This is the beginning of the conversation.').waitFor();
    expect(await messageTexts(bobPage)).toEqual(Array.from({ length: 120 }, (_, i) => `History ${i + 1}`));
  });

  it('fits a 360 px wide screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await newPage(phone);
    await logIn(page, server.url, alice);
    await screenshot(page, '12-mobile-list');
    await openConversation(page, bob);
    await page.getByLabel('Message', { exact: true }).waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await screenshot(page, '13-mobile-conversation');
    await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    await phone.close();
  });

  it('raised no page errors and no CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
