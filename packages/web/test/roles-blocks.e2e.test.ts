/**
 * Conversation roles and blocking in Chromium against a real server (docs/API.md, "Conversation
 * roles", "Blocking"). The owner makes a member an admin from the member menu: the badge shows on
 * both their pages, the admin may now rename and remove plain members but not the owner, and the
 * only owner stepping down is told why not. The owner blocks a member from the member menu: their
 * message arrives folded, starting a direct message with the owner is refused in words, Settings
 * lists them, and Unblock there lifts the block (the direct message then starts).
 * axe finds no serious or critical violation on the people panel with a menu open, nor on Settings.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserWorld } from './browser-world.js';
import { auditScreen } from './a11y-helpers.js';
import { chromiumAvailable, createGroup, eventually, expectFocusOn, messageTexts, openConversation, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);

describe.skipIf(!available)('conversation roles and blocking in Chromium', () => {
  let world: BrowserWorld;
  let ownerPage: Page;
  let bobPage: Page;
  let carolPage: Page;
  const owner = `owner_${suffix}`;
  const bob = `bob_${suffix}`;
  const carol = `carol_${suffix}`;
  const title = `Roles ${suffix}`;

  const panel = (page: Page): Locator => page.locator('#members-panel');
  const row = (page: Page, username: string): Locator => panel(page).getByRole('listitem').filter({ hasText: username });
  const badge = (page: Page, username: string, text: string): Locator => row(page, username).locator('.tag', { hasText: new RegExp(`^${text}$`) });
  /** Opens `username`'s member menu in the people panel and returns it. */
  const openMenu = async (page: Page, username: string): Promise<Locator> => {
    await row(page, username).getByRole('button', { name: `Actions for @${username}` }).click();
    const menu = panel(page).getByRole('group', { name: `Actions for @${username}` });
    await menu.waitFor();
    return menu;
  };
  const openPeople = async (page: Page) => {
    await page.getByRole('button', { name: 'People', exact: true }).click();
    await panel(page).waitFor();
  };
  const openSettings = async (page: Page) => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Blocked users', level: 3 }).waitFor();
  };
  /** Starts a direct message with `username` from the New conversation screen. */
  const startDirect = async (page: Page, username: string) => {
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByText('Direct message', { exact: true }).click();
    await page.getByLabel('Members').fill(username);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
  };

  beforeAll(async () => {
    world = await BrowserWorld.start();
    bobPage = await world.newPage();
    await signUp(bobPage, world.url, bob);
    carolPage = await world.newPage();
    await signUp(carolPage, world.url, carol);
    ownerPage = await world.newPage();
    await signUp(ownerPage, world.url, owner);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('makes a member an admin from the member menu: the badge shows for both, and the admin may rename and remove members only', { timeout: 90_000 }, async () => {
    await createGroup(ownerPage, title, [bob, carol]);
    await openPeople(ownerPage);
    await badge(ownerPage, owner, 'owner').waitFor();
    expect(await row(ownerPage, bob).locator('.tag').count()).toBe(0);

    const menu = await openMenu(ownerPage, bob);
    expect(await menu.getByRole('button').allTextContents()).toEqual(['Make owner', 'Make admin', 'Remove', 'Block']);
    await menu.getByRole('button', { name: 'Make admin' }).click();
    await badge(ownerPage, bob, 'admin').waitFor();
    await row(ownerPage, bob).getByRole('status').getByText(`@${bob} is now an admin.`).waitFor();
    // The menu closed, and focus went back to the button that opened it.
    expect(await menu.count()).toBe(0);
    await expectFocusOn(ownerPage, `Actions for @${bob}`);

    // Bob's page learns of it from the member.updated event.
    await bobPage.goto(world.url);
    await openConversation(bobPage, title);
    await bobPage.getByRole('button', { name: `Rename ${title}` }).waitFor();
    await openPeople(bobPage);
    await badge(bobPage, bob, 'admin').waitFor();
    await badge(bobPage, owner, 'owner').waitFor();
    // An admin changes no roles and removes plain members, not owners.
    expect(await (await openMenu(bobPage, owner)).getByRole('button').allTextContents()).toEqual(['Block']);
    expect(await (await openMenu(bobPage, carol)).getByRole('button').allTextContents()).toEqual(['Remove', 'Block']);
    // Bob, now an admin, has nothing to do on his own row.
    expect(await row(bobPage, bob).getByRole('button', { name: `Actions for @${bob}` }).count()).toBe(0);
    expect(await auditScreen(bobPage, 'roles-member-menu')).toEqual([]);

    // The only owner cannot step down: told why, in words, in the menu.
    const own = await openMenu(ownerPage, owner);
    await own.getByRole('button', { name: 'Step down to member' }).click();
    await own.getByRole('alert').getByText('You are the only owner: make someone else an owner first, then you can step down.').waitFor();
    await own.getByRole('button', { name: 'Step down to admin' }).focus();
    await ownerPage.keyboard.press('Escape');
    // Escape closed the menu only, not the people panel around it.
    expect(await own.count()).toBe(0);
    await panel(ownerPage).waitFor();
    await badge(ownerPage, owner, 'owner').waitFor();
  });

  it('blocks from the member menu: messages fold, a direct message is refused, Settings lists them until unblocked', { timeout: 90_000 }, async () => {
    const menu = await openMenu(ownerPage, carol);
    await menu.getByRole('button', { name: `Block @${carol}` }).click();
    const question = menu.getByRole('group', { name: `Confirm blocking @${carol}` });
    await question.getByText('Conversations you share keep working.', { exact: false }).waitFor();
    await question.getByRole('button', { name: 'Yes, block' }).click();
    await badge(ownerPage, carol, 'blocked').waitFor();
    await row(ownerPage, carol).getByRole('status').getByText(`@${carol} is blocked.`).waitFor();

    // The shared conversation keeps working; the owner sees the message folded until shown.
    await carolPage.goto(world.url);
    await openConversation(carolPage, title);
    await sendMessage(carolPage, 'Hello from carol');
    await ownerPage.getByText('Message from a blocked user', { exact: false }).waitFor();
    expect(await messageTexts(ownerPage)).not.toContain('Hello from carol');
    await ownerPage.getByRole('button', { name: 'Show the message from a blocked user' }).click();
    await eventually('the shown message is there', async () => (await messageTexts(ownerPage)).includes('Hello from carol'));

    // Carol cannot start a direct message with the owner, and is told so under Members.
    await startDirect(carolPage, owner);
    await carolPage.getByText('Someone who has blocked you cannot be put in a conversation by you.', { exact: false }).waitFor();
    await carolPage.getByRole('heading', { name: 'Start a conversation', level: 2 }).waitFor();

    await openSettings(ownerPage);
    const blocked = ownerPage.getByRole('list', { name: 'Blocked users' });
    await blocked.getByRole('listitem').filter({ hasText: carol }).waitFor();
    expect(await blocked.getByRole('listitem').count()).toBe(1);
    expect(await auditScreen(ownerPage, 'roles-blocked-users')).toEqual([]);
    await blocked.getByRole('button', { name: `Unblock @${carol}` }).click();
    await ownerPage.getByText('You have not blocked anyone.').waitFor();
    await ownerPage.getByRole('status').getByText(`@${carol} is unblocked.`).waitFor();

    // Unblocked: the same direct message now starts.
    // The refusal left focus in Members, whose directory list now covers Create: Enter sends the form.
    await carolPage.getByLabel('Members').press('Enter');
    await carolPage.getByRole('heading', { name: owner, level: 2 }).waitFor();
  });
});
