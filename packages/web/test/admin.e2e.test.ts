/**
 * Administration in Chromium against a real server with ADMIN_USERNAMES (docs/API.md,
 * "Administration"): the listed account becomes an admin as it signs up and finds
 * Administration in the sidebar; a member finds none, and the area's address tells them it is
 * not theirs. The admin deletes a member's message from the message menu of a conversation where
 * they are a plain member, with "Delete (admin)" (gone in the member's open page); finds the member by a prefix of their username; deactivates them by keyboard, after
 * a confirmation (the member's open page returns to the log-in screen saying why, and logging in
 * is refused with the same words), reactivates them (they log in again); makes them an admin and
 * a member again; and reads each of these in the audit log, newest first, filtered by action.
 * axe finds no serious or critical violation on the users and the audit log, in light and dark.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserWorld } from './browser-world.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, chromiumAvailable, createGroup, eventually, expectFocusOn, messageTexts, openConversation, sendMessage, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
/** The name ADMIN_USERNAMES lists: each test server has a database of its own. */
const ADMIN = 'chief_admin';
const DEACTIVATED = 'This account was deactivated by an administrator.';

describe.skipIf(!available)('administration in Chromium', () => {
  let world: BrowserWorld;
  let adminPage: Page;
  let memberPage: Page;
  const member = `member_${suffix}`;

  const adminLink = (page: Page): Locator => page.getByRole('navigation', { name: 'Server' }).getByRole('link', { name: 'Administration' });
  const memberRow = (): Locator => adminPage.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: `@${member}` });
  const auditEntries = (): Locator => adminPage.locator('.audit__entry');
  const showAction = async (label: string) => {
    await adminPage.getByLabel('Action').selectOption({ label });
    await eventually(`only "${label}" entries are listed`, async () => {
      const actions = await auditEntries().locator('.audit__action').allTextContents();
      return actions.length > 0 && actions.every((action) => action === label);
    });
  };

  beforeAll(async () => {
    world = await BrowserWorld.start({ env: { ADMIN_USERNAMES: ADMIN } });
    memberPage = await world.newPage();
    await signUp(memberPage, world.url, member);
    adminPage = await world.newPage();
    await signUp(adminPage, world.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('shows Administration to the admin only; a member at its address is told it is not theirs', { timeout: 30_000 }, async () => {
    await adminLink(adminPage).waitFor();
    // Once the member's page knows their role (the area's address says so), there is still no way in.
    await memberPage.goto(`${world.url}/#/admin`);
    await memberPage.getByText('Administration is for this server’s administrators.').waitFor();
    expect(await adminLink(memberPage).count()).toBe(0);
    expect(await memberPage.getByRole('list', { name: 'Users' }).count()).toBe(0);
  });

  it('deletes a member\'s message from the message menu, after asking; it goes for the member too', { timeout: 60_000 }, async () => {
    const title = `Moderated ${suffix}`;
    // The member's group: an owner or admin of a conversation deletes with the ordinary Delete,
    // so "Delete (admin)" is the server admin's where they are a plain member.
    await memberPage.goto(world.url);
    await createGroup(memberPage, title, [ADMIN]);
    await sendMessage(memberPage, 'Buy cheap watches here');
    await openConversation(adminPage, title);
    await sendMessage(adminPage, 'House rules: be kind');
    await eventually('the admin gets the message', async () => (await messageTexts(adminPage)).includes('Buy cheap watches here'));

    // Their own message has Delete; only others' have the admin's.
    const own = adminPage.locator('.message--own', { hasText: 'House rules: be kind' });
    expect(await own.getByRole('button', { name: /^Delete \(admin\)/ }).count()).toBe(0);
    const spam = adminPage.locator('.message', { hasText: 'Buy cheap watches here' });
    await spam.hover();
    await spam.getByRole('button', { name: /^Delete \(admin\)/ }).click();
    const question = adminPage.getByRole('group', { name: 'Confirm delete as an administrator' });
    await question.getByText('for everyone, as an administrator?', { exact: false }).waitFor();
    await expectFocusOn(adminPage, 'Yes, delete');
    await question.getByRole('button', { name: 'Yes, delete' }).click();
    await memberPage.locator('.message', { hasText: 'This message was deleted' }).waitFor();
    expect(await messageTexts(memberPage)).not.toContain('Buy cheap watches here');
    await adminPage.locator('.message', { hasText: 'This message was deleted' }).waitFor();
  });

  it('finds the member by a prefix, deactivates them (their page says why), reactivates them, makes them admin and back', { timeout: 90_000 }, async () => {
    await adminLink(adminPage).click();
    await adminPage.getByRole('heading', { name: 'Administration', level: 2 }).waitFor();
    await adminPage.getByRole('list', { name: 'Users' }).waitFor();
    const find = adminPage.getByRole('search', { name: 'Find users' });
    await find.getByLabel('Username starts with').fill(member.slice(0, 8).toUpperCase());
    await find.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually('only the member is listed', async () => (await adminPage.getByRole('list', { name: 'Users' }).getByRole('listitem').count()) === 1 && (await memberRow().count()) === 1);
    await memberRow().getByText('Member', { exact: true }).waitFor();

    // Deactivate by keyboard: the question takes focus, Enter confirms, focus lands on Reactivate.
    await memberRow().getByRole('button', { name: `Deactivate @${member}` }).focus();
    await adminPage.keyboard.press('Enter');
    await memberRow().getByRole('group', { name: `Confirm deactivating @${member}` }).waitFor();
    await expectFocusOn(adminPage, 'Yes, deactivate');
    await adminPage.keyboard.press('Enter');
    await memberRow().getByText('Deactivated', { exact: true }).waitFor();
    await adminPage.getByRole('status').getByText(`@${member} is deactivated`, { exact: false }).waitFor();
    await expectFocusOn(adminPage, `Reactivate @${member}`);

    // The member's open page goes back to the log-in screen, saying why; logging in says the same.
    await memberPage.getByText(DEACTIVATED).waitFor();
    await memberPage.getByLabel('Username').fill(member);
    await memberPage.getByLabel('Password').fill(PASSWORD);
    const refusal = memberPage.waitForResponse((r) => new URL(r.url()).pathname === '/sessions' && r.request().method() === 'POST');
    await memberPage.getByRole('button', { name: 'Log in', exact: true }).click();
    expect((await refusal).status()).toBe(403);
    // The notice gave way on submitting: these words are the refusal's.
    await memberPage.getByText(DEACTIVATED).waitFor();
    expect(await memberPage.getByRole('button', { name: 'New conversation' }).count()).toBe(0);

    await memberRow().getByRole('button', { name: `Reactivate @${member}` }).click();
    await memberRow().getByRole('button', { name: `Deactivate @${member}` }).waitFor();
    expect(await memberRow().getByText('Deactivated', { exact: true }).count()).toBe(0);
    await memberPage.getByRole('button', { name: 'Log in', exact: true }).click();
    await memberPage.getByRole('button', { name: 'New conversation' }).waitFor();

    await memberRow().getByRole('button', { name: `Make admin @${member}` }).click();
    await memberRow().getByText('Admin', { exact: true }).waitFor();
    await adminPage.getByRole('status').getByText(`@${member} is now an admin.`).waitFor();
    await memberRow().getByRole('button', { name: `Make member @${member}` }).click();
    await memberRow().getByText('Member', { exact: true }).waitFor();
    await adminPage.getByRole('status').getByText(`@${member} is now a member.`).waitFor();
    expect(await auditScreen(adminPage, 'admin-users')).toEqual([]);
  });

  it('lists each action in the audit log, newest first, and filters by action', { timeout: 60_000 }, async () => {
    await adminPage.getByRole('navigation', { name: 'Administration screens' }).getByRole('link', { name: 'Audit log' }).click();
    await adminPage.getByRole('heading', { name: 'Audit log', level: 3 }).waitFor();
    await eventually('the entries are listed, newest first', async () => {
      const actions = await auditEntries().locator('.audit__action').allTextContents();
      return actions.slice(0, 5).join(' | ') === 'Role changed | Role changed | Account reactivated | Account deactivated | Message deleted';
    });
    const newest = auditEntries().first();
    await newest.getByText(`By @${ADMIN}`, { exact: false }).waitFor();
    await newest.getByText(`@${member}`, { exact: true }).waitFor();
    expect(await newest.getByRole('list', { name: 'Changes' }).textContent()).toBe('role: admin → member');

    await showAction('Account deactivated');
    expect(await auditEntries().count()).toBe(1);
    await auditEntries().getByText(`@${member}`, { exact: true }).waitFor();
    expect(await auditEntries().getByRole('list', { name: 'Changes' }).textContent()).toMatch(/^deactivated: none → .+/);

    await showAction('Message deleted');
    expect(await auditEntries().count()).toBe(1);
    await auditEntries().getByText(`Moderated ${suffix}`, { exact: false }).waitFor();
    await auditEntries().getByRole('list', { name: 'Changes' }).getByText(`@${member}`).waitFor();

    // The admin's own appointment (ADMIN_USERNAMES) is the server's, with no admin behind it.
    await showAction('Role changed');
    await auditEntries().last().getByText('By the server', { exact: false }).waitFor();
    expect(await auditEntries().count()).toBe(3);
    expect(await auditScreen(adminPage, 'admin-audit')).toEqual([]);
  });
});
