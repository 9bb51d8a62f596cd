/**
 * Files and images in Chromium, two people in two browser contexts: an image pasted into the
 * composer uploads with a progress bar (the upload slowed by Chromium's network emulation so it
 * can be seen), is sent, and shows for the other person as a thumbnail of its known size that
 * opens a lightbox with the full image (focus in, Escape out, focus back). A file chosen with the
 * attach button arrives as a card with its name, type and size that downloads the same bytes;
 * files dropped on the conversation attach too. A running upload can be cancelled (the server keeps nothing), and a file over the server's
 * limit is refused before any upload. Axe finds no serious violation, light or dark, with chips,
 * attachments and the lightbox on screen. Links that expired while the page held them (a
 * 10-second lifetime here) are renewed with GET /uploads/{id}, once, for the full image and a
 * download.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PneumaticClient } from '@pneumatic/client';
import type { SqlStore } from '../../../src/store/store.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { imageBytes } from '../../../test/uploads/image-samples.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, eventually, expectFocusOn, launchChromium, openConversation, screenshot, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const alice = `alice_${suffix}`;
const bob = `bob_${suffix}`;
const KIB = 1024;
const UPLOAD_MAX_BYTES = 1024 * KIB;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Pastes a 360×240 PNG of random pixels (so it barely compresses: a few hundred KB) into the
 * composer, as a screenshot pasted from the clipboard arrives: a paste event whose DataTransfer
 * holds one File. Evaluated as a string: this file is compiled without DOM types.
 */
const PASTE_IMAGE = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 360;
  canvas.height = 240;
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(360, 240);
  for (let i = 0; i < pixels.data.length; i += 65536) crypto.getRandomValues(pixels.data.subarray(i, i + 65536));
  for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
  context.putImageData(pixels, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const data = new DataTransfer();
  data.items.add(new File([blob], 'screenshot.png', { type: 'image/png' }));
  const input = document.getElementById('composer-input');
  input.focus();
  input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  return blob.size;
})()`;

/** For `locator.evaluate(loadedAt, width)`: whether an <img> has loaded an image `width` pixels wide. */
const loadedAt = (element: unknown, width: number) => {
  const img = element as { complete: boolean; naturalWidth: number };
  return img.complete && img.naturalWidth === width;
};

describe.skipIf(!available)('files and images in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alicePage: Page;
  let bobPage: Page;

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };
  /** Chromium's network emulation: uploads go out at `bytesPerSecond` (-1: unthrottled). */
  const throttleUploads = async (page: Page, bytesPerSecond: number) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  };
  const uploadRows = () => (server.app.pneumatic.store as SqlStore).opened.db.selectFrom('uploads').select(['filename', 'status']).execute();
  const sendButton = (page: Page) => page.getByRole('button', { name: 'Send', exact: true });
  const chips = (page: Page) => page.getByRole('list', { name: 'Attached files' }).getByRole('listitem');

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off', UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) } });
    browser = await launchChromium();
    alicePage = await newPage();
    bobPage = await newPage();
    await signUp(alicePage, server.url, alice);
    await signUp(bobPage, server.url, bob);
    await createGroup(alicePage, 'Files', [bob]);
    await openConversation(bobPage, 'Files');
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  it('uploads a pasted image with a progress bar, sends it, and the other person sees the thumbnail and opens it in a lightbox', { timeout: 90_000 }, async () => {
    await throttleUploads(alicePage, 120 * KIB);
    const size = await alicePage.evaluate<number>(PASTE_IMAGE);
    expect(size).toBeGreaterThan(150 * KIB);
    expect(size).toBeLessThan(UPLOAD_MAX_BYTES);

    // The chip: name, size, a progress bar that moves; Send waits for it.
    const chip = chips(alicePage).filter({ hasText: 'screenshot.png' });
    const progress = chip.getByRole('progressbar', { name: 'Uploading screenshot.png' });
    await progress.waitFor();
    expect(await sendButton(alicePage).isDisabled()).toBe(true);
    await eventually('the progress bar moves', async () => Number((await progress.getAttribute('aria-valuenow').catch(() => '0')) ?? 0) > 0);
    expect(await chip.textContent()).toMatch(/KB/);
    await screenshot(alicePage, 'uploads-progress');
    await progress.waitFor({ state: 'detached', timeout: 30_000 });
    await throttleUploads(alicePage, -1);
    expect(await sendButton(alicePage).isEnabled()).toBe(true);
    expect(await auditScreen(alicePage, 'uploads-chip')).toEqual([]);

    await sendButton(alicePage).click();
    await chips(alicePage).first().waitFor({ state: 'detached' });
    await alicePage.locator('.messages img[alt="screenshot.png"]').waitFor();

    // Bob: a thumbnail whose size is reserved by its width and height, loaded from its signed link.
    const thumbnail = bobPage.locator('.messages img[alt="screenshot.png"]');
    await thumbnail.waitFor();
    expect([await thumbnail.getAttribute('width'), await thumbnail.getAttribute('height')]).toEqual(['360', '240']);
    expect(await thumbnail.getAttribute('src')).toMatch(/^\/uploads\/[0-9a-f-]+\/thumbnail\?expires=\d+&signature=/);
    await eventually('the thumbnail loads', () => thumbnail.evaluate(loadedAt, 360));

    // The lightbox: the full image, focus on Close, Escape closes it and focus returns.
    await bobPage.getByRole('button', { name: 'Open image screenshot.png' }).click();
    const dialog = bobPage.getByRole('dialog', { name: 'screenshot.png' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    await expectFocusOn(bobPage, 'Close');
    const full = dialog.locator('img');
    expect(await full.getAttribute('src')).toMatch(/\/content\?expires=\d+&signature=/);
    await eventually('the full image loads', () => full.evaluate(loadedAt, 360));
    expect(await auditScreen(bobPage, 'uploads-lightbox')).toEqual([]);
    // Tab stays inside the dialog.
    await bobPage.keyboard.press('Tab');
    await bobPage.keyboard.press('Tab');
    await expectFocusOn(bobPage, 'Close');
    await bobPage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocusOn(bobPage, 'Open image screenshot.png');
    // The Close button closes it too.
    await bobPage.getByRole('button', { name: 'Open image screenshot.png' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('sends a file chosen with the attach button: the other person sees a card with its name, type and size that downloads the same bytes', { timeout: 60_000 }, async () => {
    const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 251);
    const chooser = alicePage.waitForEvent('filechooser');
    await alicePage.getByRole('button', { name: 'Attach files', exact: true }).click();
    await (await chooser).setFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
    await chips(alicePage).filter({ hasText: 'minutes.txt' }).getByText('2.9 KB').waitFor();
    await eventually('Send is enabled once uploaded', () => sendButton(alicePage).isEnabled());
    await alicePage.getByLabel('Message', { exact: true }).fill('The minutes');
    await alicePage.getByLabel('Message', { exact: true }).press('Enter');

    const card = bobPage.getByRole('link', { name: /minutes\.txt/ });
    await card.waitFor();
    expect(await card.textContent()).toContain('TXT file · 2.9 KB');
    await bobPage.locator('.message', { hasText: 'The minutes' }).getByRole('link', { name: /minutes\.txt/ }).waitFor();
    const download = bobPage.waitForEvent('download');
    await card.click();
    const path = await (await download).path();
    expect(sha256(readFileSync(path))).toBe(sha256(bytes));
    expect(await auditScreen(bobPage, 'uploads-file-card')).toEqual([]);
  });

  it('attaches files dropped onto the conversation, outlined while they are dragged over it', { timeout: 60_000 }, async () => {
    const data = await alicePage.evaluateHandle(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
      return data;
    })()`);
    await alicePage.dispatchEvent('.messages', 'dragenter', { dataTransfer: data });
    await alicePage.locator('.drop-overlay').waitFor();
    await alicePage.dispatchEvent('.messages', 'dragover', { dataTransfer: data });
    await alicePage.dispatchEvent('.messages', 'drop', { dataTransfer: data });
    await alicePage.locator('.drop-overlay').waitFor({ state: 'detached' });
    const chip = chips(alicePage).filter({ hasText: 'dropped.txt' });
    await chip.getByRole('button', { name: 'Remove dropped.txt' }).waitFor();
    await chip.getByRole('button', { name: 'Remove dropped.txt' }).click();
    await chip.waitFor({ state: 'detached' });
  });

  it('cancels a running upload (gone from the composer, nothing kept by the server) and refuses a file over the limit before uploading', { timeout: 60_000 }, async () => {
    await throttleUploads(alicePage, 40 * KIB);
    const chooser = alicePage.waitForEvent('filechooser');
    await alicePage.getByRole('button', { name: 'Attach files', exact: true }).click();
    await (await chooser).setFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(600 * KIB, 7) });
    const chip = chips(alicePage).filter({ hasText: 'slow.bin' });
    await chip.getByRole('progressbar').waitFor();
    await eventually('the server has begun receiving it', async () => (await uploadRows()).some((r) => r.filename === 'slow.bin'));
    await chip.getByRole('button', { name: 'Cancel upload of slow.bin' }).click();
    await chip.waitFor({ state: 'detached' });
    expect(await sendButton(alicePage).isDisabled()).toBe(true);
    await eventually('the server kept nothing of it', async () => !(await uploadRows()).some((r) => r.filename === 'slow.bin'));
    await throttleUploads(alicePage, -1);

    const before = (await uploadRows()).length;
    const tooLarge = alicePage.waitForEvent('filechooser');
    await alicePage.getByRole('button', { name: 'Attach files', exact: true }).click();
    await (await tooLarge).setFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1) });
    await alicePage.getByRole('alert').filter({ hasText: '“huge.bin” is 1 MB: files can be at most 1 MB.' }).waitFor();
    expect(await chips(alicePage).count()).toBe(0);
    expect((await uploadRows()).length).toBe(before);
  });
});

describe.skipIf(!available)('expired links in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let sender: PneumaticClient;

  beforeAll(async () => {
    buildWebAppIfStale();
    // The shortest lifetime the server allows: links expire at most 12 s after they are signed.
    server = await startServer({ env: { RATE_LIMITS: 'off', UPLOAD_URL_TTL_SECONDS: '10' } });
    browser = await launchChromium();
    sender = new PneumaticClient({ baseUrl: server.url });
    await sender.register(`sender_${suffix}`, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    sender?.close();
    await browser?.close();
    await server?.close();
  });

  it('fetches fresh links once when the full image or a download is opened after its link expired', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const reader = `reader_${suffix}`;
    await signUp(page, server.url, reader);
    const readerId = (await sender.findUsers(reader))[0]!.id;
    const conversation = await sender.createConversation({ title: 'Expiring', member_ids: [readerId] });
    await openConversation(page, 'Expiring');
    const uploadResponses: Array<[string, number]> = [];
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith('/uploads/')) uploadResponses.push([path, response.status()]);
    });

    const png = await imageBytes('png', 320, 200);
    const image = await sender.upload(png, { filename: 'chart.png' });
    const notes = new Uint8Array(2048).map((_, i) => i % 256);
    const file = await sender.upload(notes, { filename: 'notes.csv' });
    await sender.send(conversation.id, 'Before they expire', { attachments: [image.id, file.id] });
    const thumbnail = page.locator('.messages img[alt="chart.png"]');
    await thumbnail.waitFor();
    await eventually('the thumbnail loads while its link is fresh', () => thumbnail.evaluate(loadedAt, 320));
    await page.waitForTimeout(13_000);

    // The full image's link has expired: 403, then GET /uploads/{id}, then the fresh link.
    await page.getByRole('button', { name: 'Open image chart.png' }).click();
    const full = page.getByRole('dialog', { name: 'chart.png' }).locator('img');
    await eventually('the full image loads from a fresh link', () => full.evaluate(loadedAt, 320), 15_000);
    const contents = uploadResponses.filter(([path]) => path === `/uploads/${image.id}/content`).map(([, status]) => status);
    expect(contents).toEqual([403, 200]);
    expect(uploadResponses.filter(([path]) => path === `/uploads/${image.id}`)).toEqual([[`/uploads/${image.id}`, 200]]);
    await page.keyboard.press('Escape');

    // The download's link has expired too: renewed before downloading, never sent expired.
    const card = page.getByRole('link', { name: /notes\.csv/ });
    const expired = await card.getAttribute('href');
    const download = page.waitForEvent('download');
    await card.click();
    const downloaded = await download;
    expect(new URL(downloaded.url()).pathname).toBe(`/uploads/${file.id}/content`);
    expect(downloaded.url()).not.toContain(expired!);
    expect(sha256(readFileSync(await downloaded.path()))).toBe(sha256(notes));
    expect(uploadResponses.filter(([path]) => path === `/uploads/${file.id}`)).toEqual([[`/uploads/${file.id}`, 200]]);
  });
});
