/**
 * Property-based fuzzing of HTTP bodies, query strings, paths and headers (fast-check). Whatever
 * arrives, the server answers below 500 (a refusal is problem+json with a code), never crashes,
 * leaves no unhandled rejection, and a control client still receives every message.
 * FUZZ_RUNS raises the run count of each property (nightly); FUZZ_SEED replays a run.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRuns, fuzzSeed, startFuzzHarness, type FuzzHarness } from '../helpers/fuzz-harness.js';

const uuid = fc.uuid();
/** Anything JSON, weighted towards the values that break validators. */
const anything = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', 0, -1, 1.5, 1e300, -0, 2 ** 31, 2 ** 53, true, [], {}, '\u0000', '\ud800', 'x'.repeat(5000), '__proto__', 'NaN'),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer(),
  fc.double(),
);
const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: anything });

interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  anonymous?: boolean;
}

function bodyCases(h: FuzzHarness): fc.Arbitrary<FuzzRequest> {
  const c = h.conversationId;
  const routes = fc.constantFrom(
    { method: 'POST', path: '/messages' },
    { method: 'POST', path: `/conversations/${c}/messages` },
    { method: 'POST', path: '/conversations' },
    { method: 'POST', path: `/conversations/${c}/members` },
    { method: 'POST', path: `/conversations/${c}/read` },
    { method: 'PATCH', path: `/messages/${h.messageId}` },
    { method: 'POST', path: '/users' },
    { method: 'POST', path: '/sessions' },
  );
  const structured = fc.record(
    {
      message_id: maybe(uuid),
      conversation_id: maybe(fc.constant(c)),
      content: maybe(fc.string({ minLength: 1, maxLength: 100 })),
      sender_id: maybe(fc.constant(h.alice.user.id)),
      title: maybe(fc.string({ minLength: 1, maxLength: 30 })),
      member_ids: maybe(fc.array(maybe(fc.constant(h.bob.user.id)), { maxLength: 5 })),
      user_id: maybe(fc.constant(h.bob.user.id)),
      seq: maybe(fc.nat()),
      username: maybe(fc.stringMatching(/^[a-z0-9_]{3,12}$/)),
      password: maybe(fc.string({ minLength: 8, maxLength: 40 })),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: structured.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: anything.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: structured.map((v) => JSON.stringify(v)).chain((s) => fc.nat(Math.max(0, s.length)).map((n) => s.slice(0, n))) },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"a":1}}', '{"constructor":{"prototype":{"a":1}}}', '[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":' + '1'.repeat(400) + '}', '"\\ud800"', '') },
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/vnd.api+json', '') },
  );
  return fc.record({ route: routes, body, contentType, anonymous: fc.integer({ min: 0, max: 19 }).map((n) => n === 0) }).map(({ route, body, contentType, anonymous }) => ({ ...route, body, contentType, anonymous }));
}

function queryCases(h: FuzzHarness): fc.Arbitrary<FuzzRequest> {
  const c = h.conversationId;
  const key = fc.constantFrom('limit', 'before', 'after', 'username', 'all', 'token', 'x', 'limit[]', '__proto__', 'constructor');
  const value = fc.oneof(
    fc.constantFrom('', '0', '-1', '1', '200', '201', '1e2', '1.5', '0x10', '2147483648', '9'.repeat(40), 'true', 'null', '%00', '%ZZ', '%E0%A4%A', ' 1', '1 ', 'NaN', 'Infinity'),
    fc.nat().map(String),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
  );
  const query = fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
  const path = fc.constantFrom(`/conversations/${c}/messages`, '/conversations', '/users', '/users/me', `/conversations/${c}`);
  return fc.tuple(path, query).map(([p, q]) => ({ method: 'GET', path: `${p}?${q}` }));
}

function pathCases(): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.constantFrom('', '.', '..', '%2e%2e', '%00', '%ZZ', '%E0%A4%A', 'null', '-1', '0', ' ', '%20', 'a'.repeat(300), '00000000-0000-0000-0000-000000000000', '{id}', ':id'),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );
  const template = fc.constantFrom(
    (a: string) => `/conversations/${a}`,
    (a: string) => `/conversations/${a}/messages`,
    (a: string, b: string) => `/conversations/${a}/members/${b}`,
    (a: string) => `/messages/${a}`,
    (a: string) => `/users/${a}`,
    (a: string) => `/ws/${a}`,
    (a: string, b: string) => `/${a}/${b}`,
  );
  return fc.record({ template, a: segment, b: segment, method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD') }).map(({ template, a, b, method }) => ({ method, path: template(a, b) }));
}

function headerCases(h: FuzzHarness): fc.Arbitrary<FuzzRequest> {
  const visible = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 120 });
  const authorization = fc.oneof(
    fc.constant(`Bearer ${h.alice.token}`),
    fc.constantFrom('Bearer', 'Bearer ', 'bearer  x', 'Basic dXNlcjpwYXNz', `Bearer ${h.alice.token} ${h.alice.token}`, `Bearer ${h.alice.token}=`, 'Bearer ' + 'A'.repeat(4000)),
    visible.map((v) => `Bearer ${v}`),
    visible,
  );
  const headers = fc.record(
    {
      authorization,
      origin: fc.oneof(fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1'), visible),
      'content-type': fc.oneof(fc.constantFrom('application/json', 'application/json;;;', 'application/json; charset=', '*/*'), visible),
      accept: visible,
      'x-forwarded-for': visible,
      'accept-encoding': visible,
      'if-none-match': visible,
      'x-request-id': visible,
    },
    { requiredKeys: ['authorization'] },
  );
  const route = fc.constantFrom({ method: 'GET', path: '/users/me' }, { method: 'GET', path: '/conversations' }, { method: 'POST', path: '/messages' }, { method: 'GET', path: '/ws' });
  return fc.record({ route, headers, body: fc.constantFrom(undefined, '{}', JSON.stringify({ message_id: crypto.randomUUID(), conversation_id: h.conversationId, content: 'h' })) }).map(({ route, headers, body }) => ({
    ...route,
    headers,
    anonymous: true,
    ...(body !== undefined && route.method === 'POST' ? { body } : {}),
  }));
}

describe('HTTP fuzzing', () => {
  let h: FuzzHarness;
  let cases = 0;
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const seed = fuzzSeed();

  beforeAll(async () => {
    h = await startFuzzHarness();
  });
  afterAll(() => h.close());

  const send = async (request: FuzzRequest): Promise<void> => {
    const headers: Record<string, string> = { ...request.headers };
    if (!request.anonymous) headers.authorization = `Bearer ${h.alice.token}`;
    if (request.body !== undefined && request.contentType !== undefined && request.contentType !== '') headers['content-type'] = request.contentType;
    let response: Response;
    try {
      response = await fetch(`${h.server.url}${request.path}`, { method: request.method, headers, ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD' ? { body: request.body } : {}) });
    } catch (error) {
      // The client refused to send it (e.g. a header value fetch will not encode): not a server answer.
      if (error instanceof TypeError && !/fetch failed/.test(error.message)) return;
      throw error;
    }
    const text = await response.text();
    cases++;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (cases % 250 === 0) await h.control();
    if (response.status >= 500) failures.push(`${request.method} ${request.path} → ${response.status} ${text.slice(0, 200)}`);
    if (response.status >= 400 && request.method !== 'HEAD') {
      const ok = (response.headers.get('content-type') ?? '').startsWith('application/problem+json') && typeof (JSON.parse(text) as { code?: unknown }).code === 'string';
      if (!ok) failures.push(`${request.method} ${request.path} → ${response.status} without problem+json: ${text.slice(0, 100)}`);
    }
    if (response.status >= 500) throw new Error(failures.at(-1));
  };

  const property = (name: string, arbitrary: () => fc.Arbitrary<FuzzRequest>, runs: number) =>
    it(`${name} (${fuzzRuns(runs)} runs)`, async () => {
      await fc.assert(fc.asyncProperty(arbitrary(), send), { numRuns: fuzzRuns(runs), seed, endOnFailure: true });
      expect(failures).toEqual([]);
    }, 180_000);

  property('bodies: structured, mutated, truncated and non-JSON, on every body route', () => bodyCases(h), 1500);
  property('query strings: repeated, non-decimal, huge, encoded and unknown parameters', () => queryCases(h), 1000);
  property('paths: odd ids, encodings and methods', () => pathCases(), 1000);
  property('headers: authorization, content-type, origin and others', () => headerCases(h), 500);

  it('survives raw malformed HTTP/1.1 on the socket (200 runs)', async () => {
    const line = fc.oneof(
      fc.constantFrom('GET / HTTP/1.1', 'GET /users/me HTTP/1.1', 'POST /messages HTTP/1.1', 'GET /ws HTTP/1.1', 'BREW / HTTP/1.1', 'GET / HTTP/9.9', 'GET  HTTP/1.1', ''),
      fc.string({ maxLength: 60 }),
    );
    const header = fc.oneof(
      fc.constantFrom('Host: x', 'Host: evil.com', 'Host: 127.0.0.1:1@evil.com', 'Host: localhost.evil.com', 'Host: [::1', 'Content-Length: -1', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked, identity', 'Content-Length: 5\r\nContent-Length: 6', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: x', 'Content-Type: application/json', ': empty', 'X: \u0000'),
      fc.string({ maxLength: 40 }),
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(line, fc.array(header, { maxLength: 6 }), fc.string({ maxLength: 40 }), async (start, headers, body) => {
        const raw = `${start}\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
        const reply = await new Promise<string>((resolve) => {
          const socket = connect(h.server.app.server.address() as never);
          let data = '';
          socket.on('data', (d) => (data += d.toString('latin1')));
          socket.on('error', () => resolve(data));
          socket.on('close', () => resolve(data));
          socket.setTimeout(1500, () => socket.destroy());
          socket.end(raw, 'latin1');
        });
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
        if (status) answered++;
        cases++;
        if (status >= 500 && status !== 503) throw new Error(`${JSON.stringify(raw)} → ${reply.slice(0, 200)}`);
        // Refusals below the routes too (issue 13, defect 4): problem+json with a code and the security headers.
        const head = reply.slice(0, Math.max(0, reply.indexOf('\r\n\r\n')));
        const refusalOk = /\r\ncontent-type: application\/problem\+json/i.test(head) && /\r\nx-content-type-options: nosniff/i.test(head) && /"code":"[a-z_]+"/.test(reply);
        if (status >= 400 && !refusalOk && !start.startsWith('HEAD ')) throw new Error(`${JSON.stringify(raw)} → ${status} without problem+json and the security headers: ${reply.slice(0, 300)}`);
      }),
      { numRuns: fuzzRuns(200), seed },
    );
    console.log(`[fuzz-http] raw HTTP: ${fuzzRuns(200)} runs, ${answered} answered with a status line (the rest closed by the parser)`);
  }, 120_000);

  it('is still healthy, and the control client got every control message', async () => {
    const controls = await h.verifyControl();
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
    console.log(`[fuzz-http] seed ${seed}: ${cases} cases, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${failures.length} failures, ${h.problems.length} process problems, ${controls} control messages all delivered`);
    expect(h.problems).toEqual([]);
    expect(failures).toEqual([]);
  }, 60_000);
});
