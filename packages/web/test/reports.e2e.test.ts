/**
 * Reports and conversation moderation in Chromium against a real server with ADMIN_USERNAMES
 * (docs/API.md, "Reports", "Conversation roles"). Set up through the API: an owner's group with
 * Bob (who posts the messages), Carol (a plain member) and Dave (made the group's admin).
 * Carol reports Bob's message from its menu: the reason is required, the dialog closes with
 * Escape, and sending says the admins have it, again on a second report of the same message
 * (the server's 200). The server admin finds it in Administration → Reports, oldest first, with
 * reporter, sender, text and reason, resolves it with a note: it leaves the open queue and is
 * listed under Resolved with the note. Dave deletes another of Bob's messages with the ordinary
 * Delete (DELETE /messages/{id}, not the admin route): gone in Carol's page too.
 * axe finds no serious or critical violation with the dialog open, nor on the Reports screen.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserWorld } from './browser-world.js';
import { auditScreen } from './a11y-helpers.js';
import { chromiumAvailable, eventually, expectFocusOn, logIn, messageTexts, openConversation, sendMessage } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
/** The name ADMIN_USERNAMES lists: each test server has a database of its own. */
const ADMIN = 'chief_admin';
const REPORTED = "Reported to the server's admins.";
const SPAM = 'Cheap watches, DM me';
const RUDE = 'Nobody asked you, Carol';
const OLDER = 'Off-topic again';
const REASON = 'Selling watches in our group again';
const NOTE = 'Warned Bob in a direct message';

describe.skipIf(!available)('reports and conversation moderation in Chromium', () => {
  let world: BrowserWorld;
  let carolPage: Page;
  let davePage: Page;
  let adminPage: Page;
  const owner = `owner_${suffix}`;
  const bob = `bob_${suffix}`;
  const carol = `carol_${suffix}`;
  const dave = `dave_${suffix}`;
  const title = `Reported ${suffix}`;
  let rudeId = '';

  const message = (page: Page, text: string): Locator => page.locator('.message', { hasText: text });
  const reportDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Report this message' });
  /** Presses the message's Report and waits for the dialog, focus in its reason. */
  const openReport = async (page: Page, text: string): Promise<Locator> => {
    await message(page, text).hover();
    await message(page, text).getByRole('button', { name: `Report the message from ${bob}` }).click();
    await reportDialog(page).waitFor();
    await expectFocusOn(page, 'Reason');
    return reportDialog(page);
  };
  /** Sends the dialog's reason and returns the server's status (201 new, 200 the earlier report). */
  const sendReport = async (page: Page, dialog: Locator): Promise<number> => {
    const answer = page.waitForResponse((r) => /\/messages\/[^/]+\/reports$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Report', exact: true }).click();
    return (await answer).status();
  };
  const openReports = (): Locator => adminPage.getByRole('list', { name: 'Open reports' });

  beforeAll(async () => {
    world = await BrowserWorld.start({ env: { ADMIN_USERNAMES: ADMIN } });
    // Through the API: the owner's group, Dave its admin, Bob's messages, and an older report
    // (by the owner) so the queue's order shows.
    const [o, b, c, d] = await Promise.all([world.account(owner), world.account(bob), world.account(carol), world.account(dave), world.account(ADMIN)]);
    const group = await o!.client.createConversation({ title, member_ids: [b!.user.id, c!.user.id, d!.user.id] });
    await o!.client.setMemberRole(group.id, d!.user.id, 'admin');
    const post = (content: string) => b!.client.postConversationMessage(group.id, { message_id: crypto.randomUUID(), content });
    const older = await post(OLDER);
    await o!.client.reportMessage(older.message_id, 'Please keep to the topic');
    await post(SPAM);
    rudeId = (await post(RUDE)).message_id;
    carolPage = await world.newPage();
    await logIn(carolPage, world.url, carol);
    davePage = await world.newPage();
    await logIn(davePage, world.url, dave);
    adminPage = await world.newPage();
    await logIn(adminPage, world.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('lets a member report another member\'s message with a reason, and says the admins have it, also the second time', { timeout: 60_000 }, async () => {
    await openConversation(carolPage, title);
    await message(carolPage, SPAM).waitFor();
    // A plain member may report, not delete, someone else's message.
    await message(carolPage, SPAM).hover();
    expect(await message(carolPage, SPAM).getByRole('button', { name: /^Delete/ }).count()).toBe(0);

    // Escape closes the dialog, focus back on Report.
    await openReport(carolPage, SPAM);
    await carolPage.keyboard.press('Escape');
    await reportDialog(carolPage).waitFor({ state: 'detached' });
    await expectFocusOn(carolPage, `Report the message from ${bob}`);

    const dialog = await openReport(carolPage, SPAM);
    await dialog.getByText(SPAM).waitFor();
    expect(await auditScreen(carolPage, 'report-dialog')).toEqual([]);
    // No reason: said, nothing sent.
    await dialog.getByRole('button', { name: 'Report', exact: true }).click();
    await dialog.getByText('Say why you report this message.').waitFor();
    await dialog.getByLabel('Reason').fill(REASON);
    expect(await sendReport(carolPage, dialog)).toBe(201);
    await reportDialog(carolPage).waitFor({ state: 'detached' });
    await message(carolPage, SPAM).getByRole('status').getByText(REPORTED).waitFor();
    await expectFocusOn(carolPage, `Report the message from ${bob}`);

    // Reporting it again answers the first report (200): the same words.
    const again = await openReport(carolPage, SPAM);
    await again.getByLabel('Reason').fill('Still selling watches');
    expect(await sendReport(carolPage, again)).toBe(200);
    await reportDialog(carolPage).waitFor({ state: 'detached' });
    await message(carolPage, SPAM).getByRole('status').getByText(REPORTED).waitFor();

    // Your own message has no Report.
    await sendMessage(carolPage, 'Thanks for sorting this out');
    const own = carolPage.locator('.message--own:not(.message--pending)', { hasText: 'Thanks for sorting this out' });
    await own.waitFor();
    expect(await own.getByRole('button', { name: /^Report/ }).count()).toBe(0);
  });

  it('shows the report to the server admin in the open queue, oldest first; resolved with a note, it leaves the queue', { timeout: 60_000 }, async () => {
    await adminPage.getByRole('navigation', { name: 'Server' }).getByRole('link', { name: 'Administration' }).click();
    await adminPage.getByRole('navigation', { name: 'Administration screens' }).getByRole('link', { name: 'Reports' }).click();
    await adminPage.getByRole('heading', { name: 'Reports', level: 3 }).waitFor();
    expect(new URL(adminPage.url()).hash).toBe('#/admin/reports');
    await eventually('both open reports are listed, oldest first, with their people', async () => {
      const titles = await openReports().locator('.report__title').allTextContents();
      return titles.join(' | ') === `Report by @${owner} | Report by @${carol}`;
    });
    const report = openReports().getByRole('listitem').filter({ hasText: REASON });
    await report.getByText(`Message from @${bob}`, { exact: false }).waitFor();
    expect(await report.locator('.report__content').textContent()).toBe(SPAM);
    expect(await report.locator('.report__reason').textContent()).toBe(`Reason: ${REASON}`);
    expect(await auditScreen(adminPage, 'admin-reports')).toEqual([]);

    await report.getByLabel('Note (optional)').fill(NOTE);
    const closing = adminPage.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/admin/reports/') && r.request().method() === 'PATCH');
    await report.getByRole('button', { name: 'Resolve', exact: true }).click();
    expect((await closing).status()).toBe(200);
    await adminPage.getByRole('status').getByText('Report resolved: it left the open queue.').waitFor();
    await eventually('only the other report is left open', async () => (await openReports().locator('.report__title').allTextContents()).join(' | ') === `Report by @${owner}`);
    // Focus moves to the report now in its place, not to the page.
    expect(await adminPage.evaluate<string>('document.activeElement?.className ?? ""')).toContain('report');

    await adminPage.getByLabel('Show').selectOption({ label: 'Resolved' });
    const resolved = adminPage.getByRole('list', { name: 'Resolved reports' }).getByRole('listitem');
    await resolved.filter({ hasText: REASON }).waitFor();
    expect(await resolved.count()).toBe(1);
    await resolved.getByText(`Resolved by @${ADMIN}`, { exact: false }).waitFor();
    expect(await resolved.locator('.report__note').textContent()).toBe(`Note: ${NOTE}`);
    expect(await resolved.getByRole('button', { name: /Resolve|Dismiss/ }).count()).toBe(0);

    await adminPage.getByLabel('Show').selectOption({ label: 'Open (oldest first)' });
    await openReports().waitFor();
    expect(await openReports().getByRole('listitem').filter({ hasText: REASON }).count()).toBe(0);
  });

  it('lets a conversation admin delete another member\'s message from its menu, with the ordinary delete; it goes for everyone', { timeout: 60_000 }, async () => {
    await openConversation(davePage, title);
    const rude = message(davePage, RUDE);
    await rude.waitFor();
    await rude.hover();
    expect(await rude.getByRole('button', { name: /^Delete \(admin\)/ }).count()).toBe(0);
    await rude.getByRole('button', { name: `Delete the message from ${bob}` }).click();
    const question = davePage.getByRole('group', { name: 'Confirm delete' });
    await question.getByText(`Delete this message from ${bob} for everyone?`).waitFor();
    await expectFocusOn(davePage, 'Yes, delete');
    // Escape backs out, focus back on the message's Delete.
    await davePage.keyboard.press('Escape');
    await expectFocusOn(davePage, `Delete the message from ${bob}`);
    await davePage.keyboard.press('Enter');
    await expectFocusOn(davePage, 'Yes, delete');

    const deleting = davePage.waitForResponse((r) => r.request().method() === 'DELETE');
    await davePage.keyboard.press('Enter');
    const answer = await deleting;
    expect(new URL(answer.url()).pathname).toBe(`/messages/${rudeId}`);
    expect(answer.status()).toBe(204);
    await message(davePage, 'This message was deleted').waitFor();
    await message(carolPage, 'This message was deleted').waitFor();
    expect(await messageTexts(carolPage)).not.toContain(RUDE);
  });
});
