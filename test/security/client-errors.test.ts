/**
 * Requests that fail below the routes (issue 13, defects 4 and 5). Whatever Node's HTTP parser
 * refuses, and a request cut off for being too slow, is answered like every other refusal:
 * problem+json with a code and the security headers, and the connection is closed. Clients
 * that break off a request or run out of time are counted in pneumatic_http_client_errors_total
 * and never logged as errors: anyone can cause them, by the thousand.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { sample } from '../helpers/prometheus.js';
import { expectRawProblem, rawExchange } from '../helpers/raw-http.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const TIMEOUT_MS = 1000;
const HOST = 'Host: 127.0.0.1';
const signUp = (headers: string) => `POST /users HTTP/1.1\r\n${HOST}\r\nContent-Type: application/json\r\n${headers}\r\n\r\n`;

/** The four requests of the issue, and the other refusals a client can get before any route runs. */
const ROWS: { description: string; request: string; status: number; code: string }[] = [
  { description: 'a malformed header line', request: `GET /healthz HTTP/1.1\r\n${HOST}\r\nthis is not a header\r\n\r\n`, status: 400, code: 'invalid_request' },
  { description: 'a raw 0xff byte in the path', request: `GET /\xff HTTP/1.1\r\n${HOST}\r\n\r\n`, status: 400, code: 'invalid_request' },
  { description: 'a 20 KB header', request: `GET /healthz HTTP/1.1\r\n${HOST}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, code: 'headers_too_large' },
  { description: 'both Content-Length and Transfer-Encoding', request: `${signUp('Content-Length: 5\r\nTransfer-Encoding: chunked')}0\r\n\r\n`, status: 400, code: 'invalid_request' },
  { description: 'chunk extensions over 16 KiB', request: `${signUp('Transfer-Encoding: chunked')}1;${'e'.repeat(20_000)}\r\n{\r\n0\r\n\r\n`, status: 413, code: 'payload_too_large' },
  { description: 'a body that stops coming before HTTP_REQUEST_TIMEOUT_MS', request: `${signUp('Content-Length: 100')}{"username":`, status: 408, code: 'request_timeout' },
  { description: 'an HTTP/1.1 request without Host', request: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400, code: 'invalid_request' },
  { description: 'an expectation other than 100-continue', request: `GET /healthz HTTP/1.1\r\n${HOST}\r\nExpect: tea\r\n\r\n`, status: 417, code: 'invalid_request' },
  { description: 'CONNECT, as to a proxy', request: `CONNECT 127.0.0.1:80 HTTP/1.1\r\n${HOST}\r\n\r\n`, status: 405, code: 'method_not_allowed' },
];

/** Opens a connection, sends a request with half its body, and ends it (FIN) or resets it (RST) mid-body. */
function abortMidBody(url: string, path: string, token: string | null, how: 'end' | 'reset'): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    // Read (and drop) the answer, so the server's close is seen.
    socket.resume();
    const auth = token ? `Authorization: Bearer ${token}\r\n` : '';
    socket.write(`POST ${path} HTTP/1.1\r\n${HOST}\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"content":`, () => {
      // Give the server time to start reading the body, so the abort lands mid-body.
      setTimeout(() => (how === 'end' ? socket.end() : socket.resetAndDestroy()), 50);
    });
  });
}

/** Polls until `read` returns at least `target` (counters move a moment after the client sees the close). */
async function reach(read: () => Promise<number>, target: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value < target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** Log lines at warn or above, lines with a stack, and anything else that is not a JSON log line but names an error. */
function loudLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .filter((line) => {
      if (!line.startsWith('{')) return /error/i.test(line);
      const entry = JSON.parse(line) as { level?: number };
      return (entry.level ?? 0) >= 40 || line.includes('"stack"');
    });
}

describe('requests that fail below the routes', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let alice: TestUser;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await spawnServer({ DATABASE_URL: database.url, HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'info' });
    alice = await registerUser(server.url, 'aborter');
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  for (const row of ROWS) {
    it(`regression (issue 13, defect 4): ${row.description} is answered ${row.status} problem+json with a code and the security headers, and the connection closed`, async () => {
      const reply = await rawExchange(server.url, row.request, { timeoutMs: 10_000 });
      expect(reply.closedByServer).toBe(true);
      expectRawProblem(reply, row.status, row.code);
    });
  }

  it('answers a Content-Length over BODY_MAX_BYTES with 413 problem+json and the security headers, unread, and closes the connection', async () => {
    const reply = await rawExchange(server.url, signUp('Content-Length: 10000000'));
    expect(reply.closedByServer).toBe(true);
    expectRawProblem(reply, 413, 'payload_too_large');
  });

  it('regression (issue 13, defect 5): clients that break off a body or run out of time are counted by reason and never logged at warn or above, nor with a stack', async () => {
    const series = (reason: string) => `pneumatic_http_client_errors_total{reason="${reason}"}`;
    const abortedBefore = await sample(server.url, series('aborted'));
    const timeoutBefore = await sample(server.url, series('timeout'));
    const logFrom = server.output().length;

    const aborts: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      aborts.push(abortMidBody(server.url, '/users', null, i % 2 === 0 ? 'end' : 'reset'));
      aborts.push(abortMidBody(server.url, '/messages', alice.token, i % 2 === 0 ? 'end' : 'reset'));
    }
    await Promise.all(aborts);
    const timeouts = await Promise.all(Array.from({ length: 3 }, () => rawExchange(server.url, `${signUp('Content-Length: 100')}{"a":`, { timeoutMs: 10_000 })));
    for (const reply of timeouts) expectRawProblem(reply, 408, 'request_timeout');

    const aborted = (await reach(() => sample(server.url, series('aborted')), abortedBefore + 20)) - abortedBefore;
    const timedOut = (await reach(() => sample(server.url, series('timeout')), timeoutBefore + 3)) - timeoutBefore;
    console.log(`[client-errors] 20 aborted bodies and 3 timeouts counted as aborted ${aborted}, timeout ${timedOut}`);
    expect({ aborted, timedOut }).toEqual({ aborted: 20, timedOut: 3 });
    expect(loudLines(server.output().slice(logFrom))).toEqual([]);
    // The server is none the worse.
    expect((await alice.api.get('/users/me')).status).toBe(200);
  });
});
