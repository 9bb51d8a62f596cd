/**
 * The SDK in a real headless Chromium page: bundled for the browser with esbuild (without `ws`),
 * served from its own origin, two clients exchange a message through the real server using the
 * browser's native fetch and WebSocket. Chromium is driven over the DevTools protocol directly.
 * Skipped with a message when /usr/bin/chromium is missing, except under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import type { Message, User } from '../src/types.js';

/** A DevTools protocol message (a JSON value of loose shape). */
type Json = Record<string, unknown>;
type Cdp = { id?: number; method?: string; params?: { args: Array<{ value?: unknown; description?: string }> }; error?: { message: string }; result?: unknown };

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`\n⚠ Browser suite skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

/** A minimal DevTools protocol client: one page, Runtime.evaluate with awaited promises. */
class Page {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  private sessionId = '';
  readonly consoleLines: string[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Cdp;
      if (msg.method === 'Runtime.consoleAPICalled' && msg.params) this.consoleLines.push(msg.params.args.map((a) => String(a.value ?? a.description)).join(' '));
      const waiting = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (!waiting) return;
      this.pending.delete(msg.id!);
      if (msg.error) waiting.reject(new Error(msg.error.message));
      else waiting.resolve(msg.result as Json);
    });
  }

  static async open(browserWsUrl: string, url: string): Promise<Page> {
    const ws = new WebSocket(browserWsUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const page = new Page(ws);
    const { targetId } = await page.call('Target.createTarget', { url: 'about:blank' });
    page.sessionId = (await page.call('Target.attachToTarget', { targetId, flatten: true })).sessionId as string;
    await page.call('Runtime.enable', {});
    await page.call('Page.enable', {});
    await page.call('Page.navigate', { url });
    return page;
  }

  call(method: string, params: object): Promise<Json> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, ...(this.sessionId ? { sessionId: this.sessionId } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** Evaluates an async expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(`page threw: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    return result.result.value as T;
  }

  close(): void {
    this.ws.close();
  }
}

async function launchChromium(profileDir: string): Promise<{ child: ChildProcess; wsUrl: string }> {
  const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profileDir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${output}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${output}`)));
  });
  return { child, wsUrl };
}

describe.skipIf(!available)('the SDK in headless Chromium', () => {
  let server: TestServer;
  let pageServer: Server;
  let chromium: ChildProcess | undefined;
  let page: Page | undefined;
  let profileDir: string;
  let bundleInputs: string[] = [];

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
    profileDir = mkdtempSync(join(tmpdir(), 'pneumatic-chromium-'));
    const launched = await launchChromium(profileDir);
    chromium = launched.child;
    page = await Page.open(launched.wsUrl, `${pageOrigin}/`);
    const deadline = Date.now() + 10_000;
    while (!(await page.evaluate<boolean>('window.sdkReady === true'))) {
      if (Date.now() > deadline) throw new Error(`the SDK did not load in the page: ${page.consoleLines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);

  afterAll(async () => {
    page?.close();
    if (chromium && chromium.exitCode === null) {
      const exited = new Promise((r) => chromium!.once('exit', r));
      // Its own process group: the zygote and renderers go with it.
      process.kill(-chromium.pid!, 'SIGKILL');
      await exited;
    }
    if (profileDir) rmSync(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
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
    await page!.call('Page.reload', {});
    const deadline = Date.now() + 10_000;
    while (!(await page!.evaluate<boolean>('window.sdkReady === true').catch(() => false))) {
      if (Date.now() > deadline) throw new Error('the page did not reload');
      await new Promise((r) => setTimeout(r, 50));
    }
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
