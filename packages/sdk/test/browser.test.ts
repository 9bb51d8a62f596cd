/**
 * The SDK in a real headless Chromium page: bundled for the browser with esbuild (without `ws`),
 * served from its own origin, two clients exchange a message through the real server using the
 * browser's native fetch and WebSocket, and uploads go through XMLHttpRequest. Chromium (Debian's) is driven with playwright-core.
 * Skipped with a message when /usr/bin/chromium is missing, except under CI=true.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../../src/store/store.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import type { Message, User } from '../src/types.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`\n⚠ Browser suite skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

describe.skipIf(!available)('the SDK in headless Chromium', () => {
  let server: TestServer;
  let pageServer: Server;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const consoleLines: string[] = [];
  let bundleInputs: string[] = [];

  /** Waits until the page's module script has put the SDK on `window`. */
  async function sdkLoaded(p: Page, what: string): Promise<void> {
    try {
      await p.waitForFunction('window.sdkReady === true', undefined, { timeout: 10_000 });
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}\n${consoleLines.join('\n')}`, { cause: error });
    }
  }

  beforeAll(async () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'silent' });
    bundleInputs = Object.keys(bundle.metafile.inputs);
    const script = bundle.outputFiles[0]!.text;
    const html = `<!doctype html><meta charset="utf-8"><title>sdk</title><script type="module">import * as sdk from './sdk.js'; window.sdk = sdk; window.sdkReady = true;</script>`;
    pageServer = createServer((req, res) => {
      if (req.url === '/sdk.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    const address = pageServer.address();
    const pageOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    server = await startServer({ dialect: 'sqlite', env: { CORS_ORIGINS: pageOrigin } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(`${pageOrigin}/`);
    await sdkLoaded(page, 'the SDK did not load in the page');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => pageServer?.close(r));
    await server?.close();
  });

  it('bundles for the browser without the ws package', () => {
    expect(bundleInputs.some((p) => p.includes('packages/sdk/src/client.ts'))).toBe(true);
    expect(bundleInputs.filter((p) => p.includes('node_modules'))).toEqual([]);
  });

  it('lets two clients in the page exchange a message over native fetch and WebSocket', async () => {
    const result = await page!.evaluate<{ sent: Message; received: Message[]; nativeSocket: boolean; stored: string[]; outbox: number }>(`(async () => {
      const { PneumaticClient, LocalStorageOutboxStore } = window.sdk;
      const base = ${JSON.stringify(server.url)};
      const name = (p) => p + '_' + crypto.randomUUID().slice(0, 8);
      const alice = new PneumaticClient({ baseUrl: base, outboxStore: new LocalStorageOutboxStore('test.outbox') });
      const bob = new PneumaticClient({ baseUrl: base });
      await alice.register(name('alice'), 'correct horse battery');
      await bob.register(name('bob'), 'correct horse battery');
      const conversation = await alice.createConversation({ title: 'in the browser', member_ids: [bob.user.id] });
      const [aliceSession, bobSession] = await Promise.all([alice.connect(), bob.connect()]);
      const received = [];
      const got = new Promise((resolve) => bobSession.on('message', (m) => { received.push(m); resolve(); }));
      const sent = await aliceSession.send(conversation.id, 'hello from Chromium');
      await Promise.race([got, new Promise((_, reject) => setTimeout(() => reject(new Error('bob got nothing')), 5000))]);
      const stored = (await bob.listMessages(conversation.id)).messages.map((m) => m.content);
      const outbox = JSON.parse(localStorage.getItem('test.outbox') ?? '[]').length;
      alice.close(); bob.close();
      return { sent, received, nativeSocket: typeof WebSocket === 'function', stored, outbox };
    })()`);
    expect(result.nativeSocket).toBe(true);
    expect(result.sent).toMatchObject({ content: 'hello from Chromium', seq: 1 });
    expect(result.received).toEqual([result.sent]);
    expect(result.stored).toEqual(['hello from Chromium']);
    expect(result.outbox).toBe(0);
  });

  it('uploads through XMLHttpRequest with rising progress to loaded === total, attaches it, and cancels another with code aborted', async () => {
    const result = await page!.evaluate<{ calls: Array<{ loaded: number; total: number }>; upload: { size: number; filename: string; sha256: string }; expected: string; attached: number; downloaded: string; aborted: string }>(`(async () => {
      const { PneumaticClient } = window.sdk;
      const c = new PneumaticClient({ baseUrl: ${JSON.stringify(server.url)} });
      await c.register('xhr_' + crypto.randomUUID().slice(0, 8), 'correct horse battery');
      const bytes = new Uint8Array(65536 * 48);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const hex = async (data) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map((b) => b.toString(16).padStart(2, '0')).join('');
      const calls = [];
      const upload = await c.upload(new File([bytes], 'from the browser.bin'), { onProgress: (p) => calls.push(p) });
      const conversation = await c.createConversation({ title: 'files', member_ids: [] });
      const sent = await c.send(conversation.id, '', { attachments: [upload.id] });
      const downloaded = await hex(await (await fetch(c.resolveUrl(sent.attachments[0].url))).arrayBuffer());
      const controller = new AbortController();
      const cancelled = c.upload(new Blob([new Uint8Array(20 * 1024 * 1024)]), { filename: 'big.bin', signal: controller.signal });
      setTimeout(() => controller.abort(), 0);
      const aborted = await cancelled.then(() => 'resolved', (e) => e.code);
      c.close();
      return { calls, upload, expected: await hex(bytes), attached: sent.attachments.length, downloaded, aborted };
    })()`);
    expect(result.upload).toMatchObject({ size: 65536 * 48, filename: 'from the browser.bin', sha256: result.expected });
    expect(result.calls.length).toBeGreaterThan(0);
    for (let i = 1; i < result.calls.length; i++) expect(result.calls[i]!.loaded).toBeGreaterThan(result.calls[i - 1]!.loaded);
    expect(result.calls.at(-1)).toEqual({ loaded: 65536 * 48, total: 65536 * 48 });
    expect(result.attached).toBe(1);
    expect(result.downloaded).toBe(result.expected);
    expect(result.aborted).toBe('aborted');
    const rows = () => (server.app.pneumatic.store as SqlStore).opened.db.selectFrom('uploads').select('filename').execute();
    await expect.poll(async () => (await rows()).map((r) => r.filename), { timeout: 5000 }).toEqual(['from the browser.bin']);
  });

  it('keeps an unacknowledged send in localStorage across a reload and sends it from the next page', async () => {
    const setup = await page!.evaluate<{ token: string; user: User; conversationId: string; messageId: string }>(`(async () => {
      const { PneumaticClient } = window.sdk;
      const c = new PneumaticClient({ baseUrl: ${JSON.stringify(server.url)} });
      await c.register('reload_' + crypto.randomUUID().slice(0, 8), 'correct horse battery');
      const conversation = await c.createConversation({ title: 'reload', member_ids: [] });
      const messageId = crypto.randomUUID();
      // What a page closed before the ack leaves behind.
      localStorage.setItem('reload.outbox', JSON.stringify([{ message_id: messageId, conversation_id: conversation.id, content: 'survived the reload', user_id: c.user.id, created_at: Date.now(), deadline_at: null }]));
      return { token: c.token, user: c.user, conversationId: conversation.id, messageId };
    })()`);
    await page!.reload();
    await sdkLoaded(page!, 'the page did not reload');
    const after = await page!.evaluate<{ stored: Message[]; left: number }>(`(async () => {
      const { PneumaticClient, LocalStorageOutboxStore } = window.sdk;
      const c = new PneumaticClient({ baseUrl: ${JSON.stringify(server.url)}, token: ${JSON.stringify(setup.token)}, outboxStore: new LocalStorageOutboxStore('reload.outbox') });
      const sent = new Promise((resolve) => c.outbox.on('sent', resolve));
      await c.connect();
      await sent;
      const stored = (await c.listMessages(${JSON.stringify(setup.conversationId)})).messages;
      c.close();
      return { stored, left: JSON.parse(localStorage.getItem('reload.outbox')).length };
    })()`);
    expect(after.stored.map((m) => [m.message_id, m.content])).toEqual([[setup.messageId, 'survived the reload']]);
    expect(after.left).toBe(0);
  });
});
