/**
 * Profiles, finding people and sessions (issue 21) in Chromium against a real server, with
 * several browser contexts: a display name and a picture set in Settings → Profile show on the
 * sender's messages in another member's page that is already open, and a name or picture the
 * server refuses says why; "New conversation" finds a person by a prefix of their display name
 * typed in another case and without its accent, picked by keyboard; "Where you're logged in"
 * lists both logins of an account and revoking the other one sends that page back to the login
 * screen; changing the password does the same to the other logins and keeps this one. axe finds
 * no serious or critical violation, in light and dark, on the profile, the open people list and
 * the sessions.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, eventually, launchChromium, logIn, openConversation, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);

/** For `locator.evaluate(loadedImage)`: the width of the image an <img> loaded, 0 if none. */
const loadedImage = (element: unknown) => {
  const img = element as { complete: boolean; naturalWidth: number };
  return img.complete ? img.naturalWidth : 0;
};

describe.skipIf(!available)('profiles, finding people and sessions in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const clients: PneumaticClient[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const register = async (username: string): Promise<PneumaticClient> => {
    const client = new PneumaticClient({ baseUrl: server.url });
    clients.push(client);
    await client.register(username, PASSWORD);
    return client;
  };
  const openSettings = async (page: Page) => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
  };
  const region = (page: Page, name: string): Locator => page.getByRole('region', { name });
  const loginScreen = (page: Page) => page.getByRole('button', { name: 'Log in', exact: true });

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await browser?.close();
    await server?.close();
  });

  it('shows a display name and a picture set in Settings on the sender’s messages in another member’s open page', { timeout: 90_000 }, async () => {
    const ana = `ana_${suffix}`;
    const bob = `bob_${suffix}`;
    const anaClient = await register(ana);
    const bobClient = await register(bob);
    const room = await anaClient.createConversation({ title: 'Profiles room', member_ids: [bobClient.user!.id] });
    await anaClient.send(room.id, 'Hello from Ana');
    const anaPage = await newPage();
    const bobPage = await newPage();
    await logIn(anaPage, server.url, ana);
    await logIn(bobPage, server.url, bob);
    await openConversation(bobPage, 'Profiles room');
    const anaMessage = bobPage.locator('.messages .message').filter({ hasText: 'Hello from Ana' });
    await anaMessage.locator('.message__sender').getByText(ana, { exact: true }).waitFor();

    await openSettings(anaPage);
    const profile = region(anaPage, 'Profile');
    // Refused by the server: a right-to-left override could disguise the name.
    await profile.getByLabel('Display name').fill('Ana\u202Eevil');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByText('This name cannot be used', { exact: false }).waitFor();
    expect(await profile.getByLabel('Display name').getAttribute('aria-invalid')).toBe('true');

    await profile.getByLabel('Display name').fill('Ana María López');
    await profile.getByLabel('Status').fill('On holiday until Monday');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByText('Profile saved.').waitFor();
    expect(await anaClient.me()).toMatchObject({ display_name: 'Ana María López', status_text: 'On holiday until Monday' });
    await anaMessage.locator('.message__sender').getByText('Ana María López', { exact: true }).waitFor();
    // Ana's own footer follows too.
    await anaPage.locator('.account__name').getByText('Ana María López').waitFor();

    // A file that is not an image: the server's refusal, in words.
    let chooser = anaPage.waitForEvent('filechooser');
    await profile.getByRole('button', { name: 'Upload a picture' }).click();
    await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await profile.getByRole('alert').getByText('not an image', { exact: false }).waitFor();

    const picture = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#d33' } }).png().toBuffer();
    chooser = anaPage.waitForEvent('filechooser');
    await profile.getByRole('button', { name: 'Upload a picture' }).click();
    await (await chooser).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: picture });
    await profile.getByText('Your picture is updated.').waitFor();
    const avatarUrl = (await anaClient.me()).avatar_url;
    expect(avatarUrl).toMatch(/^\/avatars\/.+\.webp$/);
    // Square, 256 px: made by the server, loaded under the page's Content-Security-Policy.
    await eventually('the settings show the picture', async () => (await profile.locator('img.avatar').evaluate(loadedImage)) === 256);
    const senderPicture = anaMessage.locator('.message__meta img.avatar');
    await eventually('bob’s page shows ana’s picture', async () => (await senderPicture.count()) === 1 && (await senderPicture.evaluate(loadedImage)) === 256);
    expect(await senderPicture.getAttribute('src')).toBe(`${server.url}${avatarUrl}`);
    expect(await auditScreen(anaPage, 'settings-profile')).toEqual([]);

    await profile.getByRole('button', { name: 'Remove picture' }).click();
    await profile.getByText('Your picture is removed', { exact: false }).waitFor();
    await eventually('bob’s page shows ana’s initials again', async () => (await anaMessage.locator('.message__meta img.avatar').count()) === 0);
    expect(await anaMessage.locator('.message__meta .avatar').textContent()).toBe('AM');
  });

  it('finds a person in “New conversation” by a prefix of their display name in another case and without accents, and starts the conversation', { timeout: 60_000 }, async () => {
    const jose = await register(`jose_${suffix}`);
    await jose.updateProfile({ display_name: 'José Ñúñez' });
    await register(`josephine_${suffix}`);
    const carol = `carol_${suffix}`;
    const page = await newPage();
    await signUp(page, server.url, carol);

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Title').fill('Trip planning');
    const members = page.getByRole('combobox', { name: 'Members' });
    await members.pressSequentially('ÑUÑ');
    const found = page.getByRole('listbox', { name: 'People found' });
    const option = found.getByRole('option', { name: new RegExp(`José Ñúñez.*@jose_${suffix}`) });
    await option.waitFor();
    await members.fill('');
    await members.pressSequentially('jOsE');
    await option.waitFor();
    expect(await found.getByRole('option', { name: new RegExp(`@josephine_${suffix}`) }).count()).toBe(1);
    expect(await members.getAttribute('aria-expanded')).toBe('true');
    expect(await auditScreen(page, 'new-conversation-people')).toEqual([]);

    // By keyboard: down to the option, Enter picks it (and does not send the form).
    await members.focus();
    for (let i = 0; i < 5 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await members.press('ArrowDown');
    expect(await members.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await members.press('Enter');
    await page.getByRole('list', { name: 'People picked' }).getByText('José Ñúñez').waitFor();
    expect(await members.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Trip planning', level: 2 }).waitFor();
    const created = (await jose.listConversations()).conversations.find((c) => c.title === 'Trip planning');
    expect(created?.members.map((m) => m.username).sort()).toEqual([carol, `jose_${suffix}`].sort());
  });

  it('lists both logins of an account, and revoking the other one sends that page to the login screen', { timeout: 60_000 }, async () => {
    const dave = `dave_${suffix}`;
    const here = await newPage();
    const elsewhere = await newPage();
    await signUp(here, server.url, dave);
    await logIn(elsewhere, server.url, dave);
    await openSettings(here);
    const sessions = region(here, 'Where you’re logged in');
    const items = sessions.getByRole('list', { name: 'Your sessions' }).getByRole('listitem');
    await eventually('both sessions are listed', async () => (await items.count()) === 2);
    const current = items.filter({ hasText: 'This device' });
    expect(await current.count()).toBe(1);
    expect(await current.getByRole('button').count()).toBe(0);
    expect(await auditScreen(here, 'settings-sessions')).toEqual([]);

    await items.filter({ hasNotText: 'This device' }).getByRole('button', { name: /^Revoke/ }).click();
    await loginScreen(elsewhere).waitFor({ timeout: 15_000 });
    await eventually('only this session is left', async () => (await items.count()) === 1);
    await sessions.getByText('Logged out', { exact: false }).waitFor();
    // This page is still logged in.
    await here.getByRole('link', { name: 'Settings' }).waitFor();
  });

  it('changes the password: a wrong current one is refused, the other login is logged out, this one stays', { timeout: 60_000 }, async () => {
    const erin = `erin_${suffix}`;
    const newPassword = 'a much longer new passphrase';
    const here = await newPage();
    const elsewhere = await newPage();
    await signUp(here, server.url, erin);
    await logIn(elsewhere, server.url, erin);
    await openSettings(here);
    const sessions = region(here, 'Where you’re logged in');
    await sessions.getByText('Changing your password logs you out everywhere else', { exact: false }).waitFor();

    await sessions.getByLabel('Current password').fill('not my password');
    await sessions.getByLabel('New password').fill(newPassword);
    await sessions.getByRole('button', { name: 'Change password' }).click();
    await sessions.getByText('That is not your current password.').waitFor();

    await sessions.getByLabel('Current password').fill(PASSWORD);
    await sessions.getByRole('button', { name: 'Change password' }).click();
    await sessions.getByText('Password changed.', { exact: false }).waitFor();
    await loginScreen(elsewhere).waitFor({ timeout: 15_000 });
    await eventually('only this session is left', async () => (await sessions.getByRole('list', { name: 'Your sessions' }).getByRole('listitem').count()) === 1);

    // Still logged in here, after a reload too; the old password no longer works, the new one does.
    await here.reload();
    await here.getByRole('button', { name: 'New conversation' }).waitFor();
    await elsewhere.getByLabel('Username').fill(erin);
    await elsewhere.getByLabel('Password').fill(PASSWORD);
    await loginScreen(elsewhere).click();
    await elsewhere.getByText('Wrong username or password.').waitFor();
    await elsewhere.getByLabel('Password').fill(newPassword);
    await loginScreen(elsewhere).click();
    await elsewhere.getByRole('button', { name: 'New conversation' }).waitFor();
  });
});
