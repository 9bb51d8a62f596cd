/**
 * The installable app and its service worker in Chromium, against today's server: the manifest,
 * icons and worker served with the right types and headers, the worker registered for the whole
 * app, pushes delivered to it (through the DevTools protocol, as a push service would) shown one
 * per conversation with repeats dropped, no permission asked before the user asks, and the page
 * title's unread count. What needs the server's notification settings and presence is in
 * notifications-server.e2e.test.ts.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { auditScreen } from './a11y-helpers.js';
import { PASSWORD, buildWebAppIfStale, chromiumAvailable, createGroup, eventually, launchChromium, openConversation, signUp } from './helpers.js';

const available = chromiumAvailable();
const suffix = Math.random().toString(36).slice(2, 7);
const me = `nina_${suffix}`;
const peerName = `omar_${suffix}`;

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: { conversation_id: string; message_id: string; count: number };
}

const SHOWN = `navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))`;

describe.skipIf(!available)('notifications and the installable app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let peer: PneumaticClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebAppIfStale();
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy|service ?worker/i.test(message.text())) pageErrors.push(message.text());
    });
    peer = new PneumaticClient({ baseUrl: server.url });
    await peer.register(peerName, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    peer?.close();
    await browser?.close();
    await server?.close();
  });

  it('serves the manifest, its icons and the service worker with their types, and lets the page register a worker', async () => {
    const manifest = await fetch(`${server.url}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const body = (await manifest.json()) as { name: string; short_name: string; start_url: string; display: string; theme_color: string; icons: Array<{ src: string; sizes: string; type: string }> };
    expect(body).toMatchObject({ name: 'Pneumatic', short_name: 'Pneumatic', start_url: '/', display: 'standalone' });
    expect(body.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(body.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of body.icons) {
      const response = await fetch(new URL(icon.src, server.url));
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    }

    const worker = await fetch(`${server.url}/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('service-worker-allowed')).toBe('/');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(await worker.text()).not.toMatch(/^\s*import\s|\bexport\s/m);

    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
  });

  it('registers the service worker for the whole app, and asks no permission on its own', async () => {
    await signUp(page, server.url, me);
    const registration = await page.evaluate<{ scope: string; script: string | undefined }>(
      `navigator.serviceWorker.ready.then((r) => ({ scope: r.scope, script: r.active?.scriptURL }))`,
    );
    expect(registration).toEqual({ scope: `${server.url}/`, script: `${server.url}/sw.js` });
    expect(await page.evaluate<string>('Notification.permission')).toBe('default');

    // The link the page declares is the manifest served above.
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
  });

  it('shows the settings’ notification section without asking permission, and passes axe', { timeout: 60_000 }, async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByRole('status').filter({ hasNotText: 'Checking' }).waitFor();
    // Without the server's push support (or the SDK's helpers), nothing to enable.
    const status = await section.locator('[data-push-status]').getAttribute('data-push-status');
    expect(['unavailable', 'off', 'unsupported']).toContain(status);
    expect(await page.evaluate<string>('Notification.permission')).toBe('default');
    expect(await auditScreen(page, 'settings-notifications')).toEqual([]);
  });

  it('shows one notification per conversation for pushes, drops a repeated push, and counts a burst', { timeout: 60_000 }, async () => {
    await context.grantPermissions(['notifications'], { origin: server.url });
    const cdp: CDPSession = await context.newCDPSession(page);
    const registrations = new Map<string, string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: list }) => {
      for (const r of list) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await eventually('the worker’s registration is known', () => registrations.has(`${server.url}/`));
    const push = (data: object) => cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId: registrations.get(`${server.url}/`)!, data: JSON.stringify(data) });

    const conversation = '5f0c7a52-2b1e-4c36-9d4e-6a1b2c3d4e5f';
    const message = (n: number, preview?: string) => ({
      id: `push-${n}`,
      type: 'message',
      conversation_id: conversation,
      conversation_title: 'Launch plans',
      message_id: `00000000-0000-4000-8000-00000000000${n}`,
      seq: n,
      sender: { id: 'u', username: peerName },
      ...(preview === undefined ? {} : { preview }),
      mention: false,
      sent_at: new Date().toISOString(),
    });

    await push(message(1, 'Ship it on Friday?'));
    await eventually('the first notification shows', async () => (await page.evaluate<ShownNotification[]>(SHOWN)).length === 1);
    expect(await page.evaluate<ShownNotification[]>(SHOWN)).toEqual([
      { title: 'Launch plans', body: `${peerName}: Ship it on Friday?`, tag: conversation, data: { conversation_id: conversation, message_id: message(1).message_id, count: 1 } },
    ]);

    // The server retried push 1: dropped. Then two more: one notification, counting three.
    await push(message(1, 'Ship it on Friday?'));
    await push(message(2, 'Or Monday'));
    await push(message(3));
    await eventually('the burst is counted', async () => (await page.evaluate<ShownNotification[]>(SHOWN))[0]?.data.count === 3);
    const shown = await page.evaluate<ShownNotification[]>(SHOWN);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ tag: conversation, body: `3 new messages\nNew message from ${peerName}`, data: { message_id: message(3).message_id, count: 3 } });
    await cdp.detach();
  });

  it('counts unread messages in the page title, and clears it when they are read', { timeout: 60_000 }, async () => {
    await page.goto(server.url);
    await createGroup(page, 'Title count', [peerName]);
    await page.evaluate(`location.hash = ''`);
    await page.getByText('No conversation selected').waitFor();
    expect(await page.title()).toBe('Pneumatic');

    const conversation = (await peer.listConversations()).conversations.find((c) => c.title === 'Title count')!;
    await peer.send(conversation.id, 'one');
    await peer.send(conversation.id, 'two');
    await eventually('the title counts two unread', async () => (await page.title()) === '(2) Pneumatic');

    await openConversation(page, 'Title count');
    await eventually('the title is plain again once read', async () => (await page.title()) === 'Pneumatic');
    expect(pageErrors).toEqual([]);
  });
});
