/**
 * Retention, message removals and your data's download in Chromium against a real server with
 * ADMIN_USERNAMES (docs/API.md, "Retention", "Removing a user's messages", "Your data"). Set up
 * through the API: the owner's group with Bob and Carol. The admin sets the server-wide period in
 * Administration → Retention (checked before it is sent, asked first when it deletes, audited),
 * and back to "keep forever". The owner gives the group a period of its own from the people
 * panel; Carol reads it in words and has no form. Messages made older than the server's period
 * leave Carol's open page when the retention job deletes them, and the history then starts with
 * a note saying why, after a reload too. The admin removes Bob's messages: a window in the future
 * removes none, then all go, with the progress shown, and Carol's page shows them deleted.
 * Carol downloads her data from Settings as pneumatic-export-<username>.json.
 * axe finds no serious or critical violation on the Retention screen, the people panel, the
 * history's note and the removal dialog.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserWorld } from './browser-world.js';
import { auditScreen } from './a11y-helpers.js';
import { chromiumAvailable, eventually, expectFocusOn, logIn, messageTexts, openConversation } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
/** The name ADMIN_USERNAMES lists: each test server has a database of its own. */
const ADMIN = 'chief_admin';
const EXPIRED_NOTE = 'Older messages were deleted by the retention policy.';
const DAY_MS = 86_400_000;

describe.skipIf(!available)('retention, message removals and data export in Chromium', () => {
  let world: BrowserWorld;
  let adminPage: Page;
  let ownerPage: Page;
  let carolPage: Page;
  const owner = `owner_${suffix}`;
  const bob = `bob_${suffix}`;
  const carol = `carol_${suffix}`;
  const kept = `Kept ${suffix}`;
  const expiring = `Expiring ${suffix}`;
  let expiringId = '';

  const retentionForm = (page: Page, name: string): Locator => page.getByRole('form', { name });
  const openPeople = async (page: Page) => {
    await page.getByRole('button', { name: 'People', exact: true }).click();
    await page.locator('#members-panel').waitFor();
  };
  const policy = (page: Page): Locator => page.locator('#members-panel .retention__policy');
  /** Chooses a number of days and saves; answers the question when one is asked. */
  const saveDays = async (page: Page, form: Locator, days: string, question?: string) => {
    await form.getByLabel('Delete messages older than a number of days').check();
    await form.getByLabel('Days', { exact: true }).fill(days);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    if (question === undefined) return;
    const confirm = form.getByRole('group', { name: 'Confirm the shorter retention period' });
    await confirm.getByText(question).waitFor();
    await expectFocusOn(page, 'Yes, save');
    await confirm.getByRole('button', { name: 'Yes, save' }).click();
  };
  const openAdmin = async (tab: string) => {
    await adminPage.getByRole('navigation', { name: 'Server' }).getByRole('link', { name: 'Administration' }).click();
    await adminPage.getByRole('navigation', { name: 'Administration screens' }).getByRole('link', { name: tab }).click();
    await adminPage.getByRole('heading', { name: tab, level: 3 }).waitFor();
  };

  beforeAll(async () => {
    world = await BrowserWorld.start({ env: { ADMIN_USERNAMES: ADMIN, RETENTION_INTERVAL_MS: '500', MESSAGE_REMOVAL_POLL_INTERVAL_MS: '200' } });
    const [o, b, c] = await Promise.all([world.account(owner), world.account(bob), world.account(carol), world.account(ADMIN)]);
    await o!.client.createConversation({ title: kept, member_ids: [b!.user.id, c!.user.id] });
    const group = await o!.client.createConversation({ title: expiring, member_ids: [b!.user.id, c!.user.id] });
    expiringId = group.id;
    for (const content of ['Old one', 'Old two', 'Old three', 'New one', 'New two']) await b!.client.postConversationMessage(group.id, { message_id: crypto.randomUUID(), content });
    adminPage = await world.newPage();
    await logIn(adminPage, world.url, ADMIN);
    ownerPage = await world.newPage();
    await logIn(ownerPage, world.url, owner);
    carolPage = await world.newPage();
    await logIn(carolPage, world.url, carol);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('sets the server-wide period in Administration → Retention: checked, asked first when it deletes, saved and audited', { timeout: 60_000 }, async () => {
    await openAdmin('Retention');
    expect(new URL(adminPage.url()).hash).toBe('#/admin/retention');
    await adminPage.getByText('Messages are kept forever.').waitFor();
    const form = retentionForm(adminPage, 'Server-wide retention');
    expect(await form.getByLabel('Keep messages forever').isChecked()).toBe(true);

    // Refused before it is sent, focus on the days.
    await saveDays(adminPage, form, '0');
    await form.getByText('Use 1 to 36,500 days.').waitFor();
    await expectFocusOn(adminPage, 'Days');

    // A first period deletes messages: asked first; Cancel sends nothing, focus back on Save.
    await form.getByLabel('Days', { exact: true }).fill('400');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const question = form.getByRole('group', { name: 'Confirm the shorter retention period' });
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    await expectFocusOn(adminPage, 'Save');
    expect(await adminPage.locator('.retention__now').textContent()).toBe('Now: Messages are kept forever.');
    await saveDays(adminPage, form, '400', 'Messages older than 400 days will be deleted in every conversation for good. Save?');
    await form.getByRole('status').getByText('Saved. Messages older than 400 days are deleted.').waitFor();
    await adminPage.locator('.retention__now').getByText('Messages older than 400 days are deleted.').waitFor();
    await expectFocusOn(adminPage, 'Save');
    expect(await auditScreen(adminPage, 'admin-retention')).toEqual([]);

    // Read again from the server.
    await adminPage.reload();
    await adminPage.getByRole('heading', { name: 'Retention', level: 3 }).waitFor();
    expect(await form.getByLabel('Days', { exact: true }).inputValue()).toBe('400');
    expect(await form.getByLabel('Delete messages older than a number of days').isChecked()).toBe(true);

    // Keeping messages longer deletes nothing: no question.
    await form.getByLabel('Keep messages forever').check();
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByRole('status').getByText('Saved. Messages are kept forever.').waitFor();

    await adminPage.getByRole('navigation', { name: 'Administration screens' }).getByRole('link', { name: 'Audit log' }).click();
    await eventually('both changes are in the audit log, newest first', async () => {
      const actions = await adminPage.locator('.audit__entry .audit__action').allTextContents();
      return actions.slice(0, 2).join(' | ') === 'Retention changed | Retention changed';
    });
    await adminPage.locator('.audit__entry').first().getByText('the server', { exact: false }).waitFor();
  });

  it('lets an owner give a conversation its own period in the people panel; a member reads it in words', { timeout: 60_000 }, async () => {
    await openConversation(ownerPage, kept);
    await openPeople(ownerPage);
    await policy(ownerPage).getByText('This conversation follows the server’s retention policy.').waitFor();
    const form = retentionForm(ownerPage, 'This conversation’s retention');
    await saveDays(ownerPage, form, '7', 'Messages older than 7 days will be deleted in this conversation for good. Save?');
    await form.getByRole('status').getByText('Saved.').waitFor();
    const sevenDays = 'Messages older than 7 days are deleted (sooner if the server’s own period is shorter).';
    await policy(ownerPage).getByText(sevenDays).waitFor();
    expect(await auditScreen(ownerPage, 'conversation-retention')).toEqual([]);

    // Carol, a plain member: the policy in words (told live), no form.
    await openConversation(carolPage, kept);
    await openPeople(carolPage);
    await policy(carolPage).getByText(sevenDays).waitFor();
    expect(await carolPage.locator('#members-panel').getByLabel('Days', { exact: true }).count()).toBe(0);

    await form.getByLabel('Follow the server’s policy').check();
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await policy(ownerPage).getByText('This conversation follows the server’s retention policy.').waitFor();
    await policy(carolPage).getByText('This conversation follows the server’s retention policy.').waitFor();
    await carolPage.getByRole('button', { name: 'Close people panel' }).click();
  });

  it('drops messages retention deleted from an open page, and the history then says older ones were deleted', { timeout: 90_000 }, async () => {
    await openConversation(carolPage, expiring);
    await eventually('Carol has the whole history', async () => (await messageTexts(carolPage)).join(' | ') === 'Old one | Old two | Old three | New one | New two');
    await carolPage.getByText('This is the beginning of the conversation.').waitFor();

    // Bob's first three messages become 40 days old; the server keeps 30 days.
    const db = new Database(world.server.database.path!);
    try {
      db.prepare('UPDATE messages SET created_at = ? WHERE conversation_id = ? AND seq <= 3').run(new Date(Date.now() - 40 * DAY_MS).toISOString(), expiringId);
    } finally {
      db.close();
    }
    await openAdmin('Retention');
    await saveDays(adminPage, retentionForm(adminPage, 'Server-wide retention'), '30', 'Messages older than 30 days will be deleted in every conversation for good. Save?');
    await adminPage.getByRole('status').getByText('Saved. Messages older than 30 days are deleted.').waitFor();

    await eventually('the expired messages leave Carol\'s open page', async () => (await messageTexts(carolPage)).join(' | ') === 'New one | New two', 30_000);
    await carolPage.getByText(EXPIRED_NOTE).waitFor();
    expect(await carolPage.getByText('This is the beginning of the conversation.').count()).toBe(0);
    expect(await auditScreen(carolPage, 'expired-history')).toEqual([]);

    // A page that loads the conversation afresh sees the same.
    await ownerPage.reload();
    await openConversation(ownerPage, expiring);
    await ownerPage.getByText(EXPIRED_NOTE).waitFor();
    expect(await messageTexts(ownerPage)).toEqual(['New one', 'New two']);
  });

  it('removes a user\'s messages from Administration → Users, with the progress shown: a window first, then all', { timeout: 90_000 }, async () => {
    await openAdmin('Users');
    const find = adminPage.getByRole('search', { name: 'Find users' });
    await find.getByLabel('Username starts with').fill(bob);
    await find.getByRole('button', { name: 'Search', exact: true }).click();
    const bobRow = adminPage.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: `@${bob}` });
    await eventually('only Bob is listed', async () => (await adminPage.getByRole('list', { name: 'Users' }).getByRole('listitem').count()) === 1);

    await bobRow.getByRole('button', { name: `Remove messages from @${bob}` }).click();
    const dialog = adminPage.getByRole('dialog', { name: `Remove messages from @${bob}` });
    await dialog.waitFor();
    expect(await auditScreen(adminPage, 'message-removal-dialog')).toEqual([]);
    // To before From: said, nothing sent.
    await dialog.getByLabel('From').fill('2099-01-02T10:00');
    await dialog.getByLabel('To').fill('2099-01-01T10:00');
    await dialog.getByRole('button', { name: 'Remove messages' }).click();
    await dialog.getByText('Pick a time after “From”.').waitFor();
    // A window in the future: nothing to remove.
    await dialog.getByLabel('To').fill('');
    const started = adminPage.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/message-removals') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Remove messages' }).click();
    expect((await started).status()).toBe(202);
    await dialog.getByRole('status').getByText('Done: there were no messages to remove.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectFocusOn(adminPage, `Remove messages from @${bob}`);

    // Everything: both of Bob's messages left in the group go, for Carol too.
    await adminPage.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Remove messages' }).click();
    await dialog.getByText('Removing all their messages.').waitFor();
    await dialog.getByRole('status').getByText(/^Done: \d+ messages removed\.$/).waitFor({ timeout: 30_000 });
    expect(await dialog.getByRole('progressbar', { name: 'Removal progress' }).count()).toBe(1);
    await eventually('Bob\'s messages show as deleted for Carol', async () => (await carolPage.locator('.message', { hasText: 'This message was deleted' }).count()) === 2, 15_000);
    expect(await messageTexts(carolPage)).not.toContain('New one');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expectFocusOn(adminPage, `Remove messages from @${bob}`);
  });

  it('downloads your data from Settings as one JSON file named after you', { timeout: 60_000 }, async () => {
    await carolPage.getByRole('link', { name: 'Settings' }).click();
    await carolPage.getByRole('heading', { name: 'Your data', level: 3 }).waitFor();
    const downloading = carolPage.waitForEvent('download');
    await carolPage.getByRole('button', { name: 'Download my data' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`pneumatic-export-${carol}.json`);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; user: { username: string }; conversations: Array<{ title: string }> };
    expect(data.format).toBe('pneumatic-user-export');
    expect(data.user.username).toBe(carol);
    expect(data.conversations.map((c) => c.title).sort()).toEqual([expiring, kept].sort());
    await carolPage.getByRole('status').getByText(`Your data is saved as pneumatic-export-${carol}.json.`).waitFor();
  });
});
