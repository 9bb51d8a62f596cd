/**
 * Mentions and pins in Chromium, with two browser contexts: `@` autocomplete in the composer
 * and in a message's edit box (an ARIA combobox: arrows, Enter, Escape; in the edit box Escape
 * closes the list, not the edit) inserts the username; the mentioned user sees the
 * unread-mention badge in the list and the mention highlighted as theirs; `@all` refused by the
 * server's policy shows why; a pin from one context appears live in the other's Pinned panel
 * and beside the message, and the panel jumps to it; a 51st pin shows why it is refused. axe
 * finds no serious or critical violation, in light and dark, with the list open, the badge and
 * a mention of you shown, or the panel open.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, expectFocusOn, launchChromium, openConversation, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
// Digits only: the letters typed after "@" must match no suffix.
const suffix = Math.random().toString().slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
const carol = `carol_${suffix}`;

describe.skipIf(!available)('mentions and pins in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };
  const composer = (page: Page) => page.getByRole('combobox', { name: 'Message' });
  const listbox = (page: Page) => page.getByRole('listbox', { name: 'Members to mention' });
  const messageWith = (page: Page, text: string) => page.locator('.messages .message').filter({ hasText: text });
  const pinsPanel = (page: Page) => page.getByRole('complementary', { name: /Pinned messages/ });

  beforeAll(async () => {
    buildWebAppIfStale();
    // Only owners and admins may mention everyone once a conversation has more than one member: bob's @all is refused.
    server = await startServer({ env: { RATE_LIMITS: 'off', MENTION_ALL_MAX_MEMBERS: '1' } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('autocompletes a member, and the mentioned user sees the badge and the highlight', { timeout: 90_000 }, async () => {
    const alicePage = await newPage();
    const bobPage = await newPage();
    const carolPage = await newPage();
    await signUp(bobPage, server.url, bob);
    await signUp(carolPage, server.url, carol);
    await signUp(alicePage, server.url, alice);
    await createGroup(alicePage, 'Mentions', [bob, carol]);

    // "@" and letters open the list of matching members (not yourself); it is the field's combobox list.
    await composer(alicePage).pressSequentially('Hi @');
    await listbox(alicePage).waitFor();
    await expect.poll(() => listbox(alicePage).getByRole('option').allTextContents()).toEqual([`@${bob}`, `@${carol}`, '@allnotifies everyone here']);
    await composer(alicePage).pressSequentially('b');
    await expect.poll(() => listbox(alicePage).getByRole('option').allTextContents()).toEqual([`@${bob}`]);
    expect(await composer(alicePage).getAttribute('aria-expanded')).toBe('true');
    expect(await composer(alicePage).getAttribute('aria-activedescendant')).toBe(await listbox(alicePage).getByRole('option').first().getAttribute('id'));
    expect(await auditScreen(alicePage, 'mentions-autocomplete')).toEqual([]);

    // Escape closes it, and it stays closed while typing on; a new "@" opens it again.
    await alicePage.keyboard.press('Escape');
    await listbox(alicePage).waitFor({ state: 'detached' });
    expect(await composer(alicePage).getAttribute('aria-expanded')).toBe('false');
    await composer(alicePage).press('Backspace');
    expect(await listbox(alicePage).count()).toBe(0);
    await composer(alicePage).press('Backspace');
    await composer(alicePage).pressSequentially('@c');
    await expect.poll(() => listbox(alicePage).getByRole('option').allTextContents()).toEqual([`@${carol}`]);
    // Arrows move the active option; Enter inserts it (and sends nothing).
    await composer(alicePage).press('Backspace');
    await composer(alicePage).press('ArrowDown');
    await expect.poll(() => listbox(alicePage).getByRole('option', { selected: true }).textContent()).toBe(`@${carol}`);
    await composer(alicePage).press('ArrowUp');
    await composer(alicePage).press('Enter');
    await listbox(alicePage).waitFor({ state: 'detached' });
    expect(await composer(alicePage).inputValue()).toBe(`Hi @${bob} `);
    await composer(alicePage).pressSequentially('please review');
    await composer(alicePage).press('Enter');
    await messageWith(alicePage, 'please review').locator('.mention').waitFor();
    // For alice it is a mention of someone else.
    expect(await messageWith(alicePage, 'please review').locator('.mention--me').count()).toBe(0);

    // Bob, who has not opened the conversation: a badge with his unread mentions, named in words.
    const bobItem = bobPage.getByRole('navigation', { name: 'Conversation list' }).getByRole('link', { name: /Mentions/ });
    await bobItem.locator('.badge--mention').filter({ hasText: '@1' }).waitFor();
    expect(await bobItem.locator('.badge--mention .visually-hidden').textContent()).toBe('1 unread mention');
    expect(await auditScreen(bobPage, 'mentions-badge')).toEqual([]);
    // Carol got the message but no mention.
    await carolPage.getByRole('navigation', { name: 'Conversation list' }).getByRole('link', { name: /Mentions/ }).locator('.badge').first().waitFor();
    expect(await carolPage.locator('.badge--mention').count()).toBe(0);

    // Opened, the mention is his (stronger style) and the badge goes once read.
    await openConversation(bobPage, 'Mentions');
    expect(await messageWith(bobPage, 'please review').locator('.mention--me').textContent()).toBe(`@${bob}`);
    await bobItem.locator('.badge--mention').waitFor({ state: 'detached' });
    expect(await auditScreen(bobPage, 'mentions-highlight')).toEqual([]);

    // @all beyond the server's policy (bob is no owner): the send fails with the reason.
    await sendMessage(bobPage, '@all lunch?');
    await bobPage.getByRole('alert').filter({ hasText: 'only an owner or admin may mention everyone' }).waitFor();
    // An owner may.
    await sendMessage(alicePage, '@all standup');
    await messageWith(bobPage, 'standup').locator('.mention--me').waitFor();
  });

  it('autocompletes a member in the edit box too, where Escape closes the list and not the edit', { timeout: 60_000 }, async () => {
    const [alicePage, bobPage] = [contexts[0]!.pages()[0]!, contexts[1]!.pages()[0]!];
    const editBox = alicePage.getByRole('combobox', { name: 'Edit text' });
    await sendMessage(alicePage, 'Who reviews this?');
    await messageWith(alicePage, 'Who reviews this?').getByRole('button', { name: 'Edit', exact: true }).click();
    await editBox.press('End');
    await editBox.pressSequentially(' @bo');
    await expect.poll(() => listbox(alicePage).getByRole('option').allTextContents()).toEqual([`@${bob}`]);
    expect(await editBox.getAttribute('aria-expanded')).toBe('true');
    // The list opens under the field.
    const [field, list] = await Promise.all([editBox.boundingBox(), listbox(alicePage).boundingBox()]);
    expect(list!.y).toBeGreaterThanOrEqual(field!.y + field!.height - 1);
    expect(await auditScreen(alicePage, 'mentions-edit-autocomplete')).toEqual([]);

    // Escape closes the list only; the edit box stays, with its text.
    await editBox.press('Escape');
    await listbox(alicePage).waitFor({ state: 'detached' });
    expect(await editBox.inputValue()).toBe('Who reviews this? @bo');
    // A new "@" opens it again; Enter inserts the member (and does not save).
    for (let i = 0; i < 3; i++) await editBox.press('Backspace');
    await editBox.pressSequentially('@bo');
    await listbox(alicePage).waitFor();
    await editBox.press('Enter');
    await listbox(alicePage).waitFor({ state: 'detached' });
    expect(await editBox.inputValue()).toBe(`Who reviews this? @${bob} `);

    // Enter now saves: the mention is highlighted, and bob sees it as his.
    await editBox.press('Enter');
    await editBox.waitFor({ state: 'detached' });
    expect(await messageWith(alicePage, 'Who reviews this?').locator('.mention').textContent()).toBe(`@${bob}`);
    await messageWith(bobPage, 'Who reviews this?').locator('.mention--me').filter({ hasText: `@${bob}` }).waitFor();
  });

  it('pins from one context and the other sees it live in its Pinned panel', { timeout: 90_000 }, async () => {
    const [alicePage, bobPage] = [contexts[0]!.pages()[0]!, contexts[1]!.pages()[0]!];
    await sendMessage(alicePage, 'Release checklist');
    await messageWith(bobPage, 'Release checklist').waitFor();

    // Alice opens the (empty) panel: focus goes to its heading.
    await alicePage.getByRole('button', { name: 'Pinned', exact: true }).click();
    await pinsPanel(alicePage).getByText('Nothing is pinned yet').waitFor();
    await expectFocusOn(alicePage, 'Pinned messages (0)');

    // Bob pins from the keyboard.
    await messageWith(bobPage, 'Release checklist').getByRole('button', { name: 'Pin message' }).focus();
    await bobPage.keyboard.press('Enter');
    await messageWith(bobPage, 'Release checklist').getByRole('button', { name: 'Unpin message' }).waitFor();
    await messageWith(bobPage, 'Release checklist').locator('.message__pinned').waitFor();

    // Alice sees it at once: in her open panel, its count in the header, and beside the message.
    await pinsPanel(alicePage).getByRole('button', { name: /^You .*Release checklist$/ }).waitFor();
    await pinsPanel(alicePage).getByText(`Pinned by ${bob}`).waitFor();
    await alicePage.getByRole('button', { name: 'Pinned (1)' }).waitFor();
    await messageWith(alicePage, 'Release checklist').locator('.message__pinned').waitFor();
    expect(await auditScreen(alicePage, 'pins-panel')).toEqual([]);

    // Choosing it moves focus to the message in the history.
    await pinsPanel(alicePage).getByRole('button', { name: /^You .*Release checklist$/ }).click();
    expect(await alicePage.evaluate<boolean>(`document.activeElement?.classList.contains('message--flash') ?? false`)).toBe(true);

    // Unpinned from alice's panel: gone for bob too.
    await pinsPanel(alicePage).getByRole('button', { name: /^Unpin message/ }).click();
    await pinsPanel(alicePage).getByText('Nothing is pinned yet').waitFor();
    await messageWith(bobPage, 'Release checklist').getByRole('button', { name: 'Pin message' }).waitFor();
    expect(await messageWith(bobPage, 'Release checklist').locator('.message__pinned').count()).toBe(0);

    // Escape closes the panel and focus returns to its button.
    await pinsPanel(alicePage).getByRole('button', { name: 'Close' }).focus();
    await alicePage.keyboard.press('Escape');
    await pinsPanel(alicePage).waitFor({ state: 'detached' });
    await expectFocusOn(alicePage, 'Pinned');
  });

  it('shows why a pin is refused when the conversation has the most pins it can have', { timeout: 90_000 }, async () => {
    const bobPage = contexts[1]!.pages()[0]!;
    // Alice fills the conversation's 50 pins over HTTP.
    const api = new PneumaticClient({ baseUrl: server.url });
    await api.login(alice, PASSWORD);
    const { conversations } = await api.listConversations();
    const conversationId = conversations.find((c) => c.title === 'Mentions')!.id;
    for (let i = 0; i < 50; i++) {
      const message = await api.send(conversationId, `Pinned ${i}`);
      await api.pin(conversationId, message.message_id);
    }
    api.close();
    await bobPage.getByRole('button', { name: 'Pinned (50)' }).waitFor();

    await sendMessage(bobPage, 'One pin too many');
    await messageWith(bobPage, 'One pin too many').getByRole('button', { name: 'Pin message' }).click();
    await messageWith(bobPage, 'One pin too many').getByRole('alert').filter({ hasText: 'the most pins it can have' }).waitFor();
    expect(await messageWith(bobPage, 'One pin too many').locator('.message__pinned').count()).toBe(0);
  });
});
