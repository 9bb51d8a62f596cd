/**
 * Accessibility of the web app in Chromium: an axe-core audit of every screen in light and dark
 * colour schemes (no serious or critical violation), and the whole flow by keyboard alone.
 * Screenshots of each audited screen, light and dark, go to test-artifacts/web/a11y-*.png.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, eventually, expectFocusOn, focusedName, launchChromium, sendMessage, signUp, tabTo } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);

describe.skipIf(!available)('web app accessibility', () => {
  let server: TestServer;
  let browser: Browser;
  let peer: PneumaticClient;

  const freshPage = async (): Promise<Page> => (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    peer = new PneumaticClient({ baseUrl: server.url });
    await peer.register(`peer_${suffix}`, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    peer?.close();
    await browser?.close();
    await server?.close();
  });

  it('has no serious or critical axe violations on any screen, light or dark', { timeout: 180_000 }, async () => {
    const page = await freshPage();
    const found: string[] = [];
    await page.goto(server.url);
    await page.getByLabel('Username').waitFor();
    found.push(...(await auditScreen(page, 'sign-in')));

    await page.getByLabel('Username').fill('x');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByText('Enter a password.').waitFor();
    found.push(...(await auditScreen(page, 'sign-up-errors')));

    const me = `audit_${suffix}`;
    await signUp(page, server.url, me);
    await page.getByText('No conversations yet.', { exact: false }).waitFor();
    found.push(...(await auditScreen(page, 'empty-list')));

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByRole('heading', { name: 'Start a conversation' }).waitFor();
    found.push(...(await auditScreen(page, 'new-conversation')));

    await page.getByRole('button', { name: 'Cancel' }).click();
    await createGroup(page, 'Audit room', [`peer_${suffix}`]);
    await sendMessage(page, 'A message of mine, to be edited');
    const group = (await peer.listConversations()).conversations.find((c) => c.title === 'Audit room')!;
    await peer.postConversationMessage(group.id, { message_id: crypto.randomUUID(), content: 'And an answer from the peer' });
    // Formatted text in both kinds of bubble (your own has the accent background).
    const formatted = '**Bold**, _italic_, ~~struck~~, `code` and [a link](https://example.com)\n\n> a quote\n\n```\na code block\n```';
    await peer.postConversationMessage(group.id, { message_id: crypto.randomUUID(), content: formatted });
    await sendMessage(page, formatted);
    await page.locator('.message--own:not(.message--pending) blockquote').waitFor();
    await page.locator('.message:not(.message--own) blockquote').waitFor();
    await sendMessage(page, 'Deleted soon');
    const doomed = page.locator('.message--own', { hasText: 'Deleted soon' });
    await doomed.getByRole('button', { name: 'Delete' }).waitFor();
    await doomed.hover();
    await doomed.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('This message was deleted').waitFor();
    await eventually('the peer’s message is shown', async () => (await page.locator('.message__text').allTextContents()).includes('And an answer from the peer'));
    await page.getByLabel('Message', { exact: true }).fill('A draft');
    found.push(...(await auditScreen(page, 'conversation')));

    await page.getByRole('button', { name: 'People' }).click();
    await page.getByRole('heading', { name: /People \(2\)/ }).waitFor();
    found.push(...(await auditScreen(page, 'members-panel')));

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    found.push(...(await auditScreen(page, 'settings')));

    expect(found).toEqual([]);
    await page.context().close();
  });

  it('signs up, creates a conversation, sends, edits and deletes a message, and logs out by keyboard alone', { timeout: 60_000 }, async () => {
    const page = await freshPage();
    const me = `keys_${suffix}`;
    await page.goto(server.url);
    await page.getByLabel('Username').waitFor();

    // Sign up: Tab through the form, Enter on "Sign up".
    await tabTo(page, 'Username');
    await page.keyboard.type(me);
    await tabTo(page, 'Password');
    await page.keyboard.type(PASSWORD);
    await tabTo(page, 'Sign up');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'New conversation' }).waitFor();

    // A group: the form opens with the title focused; arrow keys switch the kind of conversation.
    await tabTo(page, 'New conversation');
    await page.keyboard.press('Enter');
    await eventually('the title has focus', async () => (await focusedName(page)) === 'Title');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowRight');
    await page.getByLabel('Title').waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowLeft');
    await page.getByLabel('Title').waitFor();
    await tabTo(page, 'Title');
    await page.keyboard.type('Keyboard only');
    await tabTo(page, 'Members');
    await page.keyboard.type(`peer_${suffix}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard only', level: 2 }).waitFor();

    // Send: the composer has focus once the conversation opens.
    await eventually('the composer has focus', async () => (await focusedName(page)) === 'Message');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    const own = page.locator('.message--own:not(.message--pending)', { hasText: 'Typed without a mouse' });
    await own.waitFor();

    // Edit: back from the composer to the message's "Edit", change the text, Enter saves.
    await tabTo(page, 'Edit', { backwards: true });
    await page.keyboard.press('Enter');
    await eventually('the edit box has focus', async () => (await focusedName(page)) === 'Edit text');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Edited without a mouse');
    await page.keyboard.press('Enter');
    await page.locator('.message--own', { hasText: 'Edited without a mouse' }).getByText('(edited)').waitFor();
    await expectFocusOn(page, 'Edit');

    // Delete: Escape backs out of the confirmation, Enter confirms it.
    await tabTo(page, 'Delete');
    await page.keyboard.press('Enter');
    await expectFocusOn(page, 'Yes, delete');
    await page.keyboard.press('Escape');
    await expectFocusOn(page, 'Edit');
    await tabTo(page, 'Delete');
    await page.keyboard.press('Enter');
    await eventually('the confirmation has focus', async () => (await focusedName(page)) === 'Yes, delete');
    await page.keyboard.press('Enter');
    await page.getByText('This message was deleted').waitFor();
    await expectFocusOn(page, 'Message');

    // The people panel opens with Enter and closes with Escape, focus back on its button.
    await tabTo(page, 'People', { backwards: true });
    await page.keyboard.press('Enter');
    await tabTo(page, 'Add member');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: /People \(/ }).waitFor({ state: 'detached' });
    await expectFocusOn(page, 'People');

    // Log out.
    await tabTo(page, 'Log out', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    await page.context().close();
  });
});
