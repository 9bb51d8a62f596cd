/**
 * Slow and hostile clients at the HTTP layer (issue 13, defect 2). A request must arrive whole,
 * headers and body, within HTTP_REQUEST_TIMEOUT_MS, or it is answered 408 and its connection
 * closed; a WebSocket, no longer an HTTP request, is not cut. One client address holds at most
 * HTTP_MAX_CONNECTIONS_PER_IP connections speaking HTTP: the next is answered 429 and closed
 * unread, while its other connections, other addresses and its WebSockets are served.
 *
 * Linux routes all of 127.0.0.0/8 to loopback, so connecting from 127.0.0.2 or 127.0.0.3 stands
 * for another client than the test's own fetch calls (127.0.0.1).
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { sample, scrape } from '../helpers/prometheus.js';
import { expectRawProblem, parseRawReply, rawExchange, type RawReply } from '../helpers/raw-http.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const TIMEOUT_MS = 1000;
const CAP = 6;
/** A trickling client sends one byte this often: its 100-byte body would take 20 s. */
const TRICKLE_MS = 200;
const GIVE_UP_MS = 15_000;
const CAPPED_CLIENT = '127.0.0.2';
const SLOW_CLIENT = '127.0.0.3';

interface Trickled extends RawReply {
  bytesSent: number;
  closedByServer: boolean;
}

/** Sends `head` at once, then `rest` one byte every TRICKLE_MS, until the server closes the connection (or GIVE_UP_MS). */
function trickle(url: string, head: string, rest: string, localAddress: string): Promise<Trickled> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    let text = '';
    let sent = 0;
    let closedByServer = true;
    const drip = setInterval(() => {
      if (sent < rest.length && socket.writable) socket.write(rest[sent++]!);
    }, TRICKLE_MS);
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, GIVE_UP_MS);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ ...parseRawReply(text), bytesSent: sent, closedByServer });
    });
    socket.write(head);
  });
}

/** An open connection from `localAddress` that has sent nothing yet. */
function openIdle(url: string, localAddress: string): Promise<Socket & { received: () => string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.once('error', reject);
    socket.once('connect', () => resolve(Object.assign(socket, { received: () => text })));
  });
}

/** Sends one GET on an open keep-alive connection and resolves with the status of its answer. */
function getOn(socket: Socket & { received: () => string }, path: string): Promise<number> {
  const before = socket.received().length;
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const reply = socket.received().slice(before);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1];
      if (status && reply.includes('\r\n\r\n')) {
        clearInterval(poll);
        resolve(Number(status));
      } else if (Date.now() - started > 5000) {
        clearInterval(poll);
        reject(new Error(`no answer to GET ${path}; got ${JSON.stringify(reply)}`));
      }
    }, 20);
  });
}

const openFds = async (url: string) => (await scrape(url)).get('pneumatic_process_open_fds') ?? Number.NaN;

describe('slow and hostile HTTP clients', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await spawnServer({ DATABASE_URL: database.url, HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), HTTP_MAX_CONNECTIONS_PER_IP: String(CAP) });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const bodyHead = 'POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';

  it('regression (issue 13, defect 2): request bodies trickling in are answered 408 problem+json and closed once HTTP_REQUEST_TIMEOUT_MS has passed, and their file descriptors are freed', async () => {
    const fdsBefore = await openFds(server.url);
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: CAP - 1 }, () => trickle(server.url, bodyHead, 'x'.repeat(100), SLOW_CLIENT)));
    console.log(`[slow-clients] ${replies.length} trickling bodies, timeout ${TIMEOUT_MS} ms: closed after ${Date.now() - started} ms having sent ${replies.map((r) => r.bytesSent).join(', ')} of 100 bytes`);
    for (const reply of replies) {
      expect(reply.closedByServer, `still open after ${GIVE_UP_MS} ms`).toBe(true);
      expect(reply.bytesSent).toBeLessThan(100);
      expectRawProblem(reply, 408, 'request_timeout');
    }
    const fdsAfter = await openFds(server.url);
    console.log(`[slow-clients] open file descriptors: ${fdsBefore} before, ${fdsAfter} after`);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore + 1);
  });

  it('regression (issue 13, defect 2): request headers trickling in are answered 408 once HTTP_REQUEST_TIMEOUT_MS has passed', async () => {
    const reply = await trickle(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'y'.repeat(100)}`, SLOW_CLIENT);
    expect(reply.closedByServer, `still open after ${GIVE_UP_MS} ms`).toBe(true);
    expectRawProblem(reply, 408, 'request_timeout');
  });

  it('does not cut a WebSocket that stays open longer than HTTP_REQUEST_TIMEOUT_MS', async () => {
    const alice = await registerUser(server.url, 'slowws');
    const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
    try {
      // Past the timeout and two of Node's checks of open requests.
      await new Promise((r) => setTimeout(r, 3 * TIMEOUT_MS));
      expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
      expect(socket.closed).toBeNull();
    } finally {
      socket.close();
    }
  });

  it('regression (issue 13, defect 2): one more connection than HTTP_MAX_CONNECTIONS_PER_IP from one address is answered 429 and closed unread, while the earlier ones and other addresses are served', async () => {
    const fdsBefore = await openFds(server.url);
    const refusedBefore = await sample(server.url, 'pneumatic_http_connections_refused_total');
    const held = [];
    for (let i = 0; i < CAP; i++) held.push(await openIdle(server.url, CAPPED_CLIENT));
    try {
      // The extra connection sends a whole sign-up at once: none of it may be acted on.
      const username = `overcap_${Date.now()}`;
      const body = JSON.stringify({ username, password: 'correct horse battery' });
      const refused = await rawExchange(server.url, `POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, { localAddress: CAPPED_CLIENT });
      expect(refused.closedByServer).toBe(true);
      expectRawProblem(refused, 429, 'rate_limited');
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      // The connections already open are still served, and so is another address.
      for (const socket of held) expect(await getOn(socket, '/healthz')).toBe(200);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await sample(server.url, 'pneumatic_http_connections_refused_total')).toBe(refusedBefore + 1);
      // Closing one frees its slot.
      held.pop()!.destroy();
      const admitted = await retryUntil(async () => {
        const reply = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', { localAddress: CAPPED_CLIENT });
        return reply.status === 200 ? reply : null;
      });
      expect(admitted.status).toBe(200);
      expect((await fetch(`${server.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(201);
    } finally {
      for (const socket of held) socket.destroy();
    }
    // Every one of those connections is gone, descriptors included.
    await new Promise((r) => setTimeout(r, 200));
    const fdsAfter = await openFds(server.url);
    console.log(`[slow-clients] cap ${CAP} per address: extra connection answered 429; open file descriptors ${fdsBefore} before, ${fdsAfter} after`);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore + 1);
  });

  it('does not count WebSockets against HTTP_MAX_CONNECTIONS_PER_IP once upgraded', async () => {
    const bob = await registerUser(server.url, 'capws');
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < CAP + 2; i++) {
        const ws = new WebSocket(`${server.wsUrl}/ws`, { headers: { authorization: `Bearer ${bob.token}` }, localAddress: CAPPED_CLIENT });
        ws.on('error', () => {});
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${i + 1} refused with ${res.statusCode}`)));
        });
        sockets.push(ws);
      }
      const reply = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', { localAddress: CAPPED_CLIENT });
      expect(reply.status).toBe(200);
    } finally {
      for (const ws of sockets) ws.terminate();
    }
  });
});

describe('HTTP_MAX_CONNECTIONS_PER_IP is lifted', () => {
  const lifted: Record<string, string>[] = [{ RATE_LIMITS: 'off' }, { TRUST_PROXY: 'on' }];
  for (const env of lifted) {
    it(`with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('')}: every connection from one address is served`, async () => {
      const server = await startServer({ env: { ...env, HTTP_MAX_CONNECTIONS_PER_IP: '2' } });
      const held: (Socket & { received: () => string })[] = [];
      try {
        for (let i = 0; i < 5; i++) held.push(await openIdle(server.url, CAPPED_CLIENT));
        for (const socket of held) expect(await getOn(socket, '/healthz')).toBe(200);
      } finally {
        for (const socket of held) socket.destroy();
        await server.close();
      }
    });
  }
});

/** Polls `attempt` until it yields a value (a closed socket leaves the count a moment after the client sees it close). */
async function retryUntil<T>(attempt: () => Promise<T | null>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('never succeeded');
    await new Promise((r) => setTimeout(r, 50));
  }
}
