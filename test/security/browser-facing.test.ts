/**
 * What a browser relies on: CORS only for exactly the listed origins, security headers on every
 * response (success, refusal, unknown route, framework errors), pages whose policies let them
 * load over plain HTTP on any name the server answers to, and JSON parsing that cannot pollute
 * Object.prototype in the server process.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, loginAgain, registerUser, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const LISTED = ['https://app.example.com', 'https://admin.example.com:8443'];
const LOOKALIKES = [
  'https://app.example.com.evil.com',
  'https://evilapp.example.com',
  'https://evil.app.example.com',
  'http://app.example.com',
  'https://app.example.com:8443',
  'https://app.example.com/',
  'https://app.example.co',
  'https://APP.EXAMPLE.COM',
  'https://app.example.com.',
  'https://app.example.com@evil.com',
  'https://admin.example.com',
  'https://admin.example.com:8443.evil.com',
  'https://app.example.com,https://evil.com',
  'null',
  '*',
];

/** Headers a browser-facing response must carry, whatever its status. */
function missingSecurityHeaders(headers: Headers): string[] {
  const missing: string[] = [];
  if (headers.get('x-content-type-options') !== 'nosniff') missing.push('x-content-type-options');
  const csp = headers.get('content-security-policy') ?? '';
  if (!csp) missing.push('content-security-policy');
  if (!headers.get('referrer-policy')) missing.push('referrer-policy');
  if (!/frame-ancestors/.test(csp) && !/^(DENY|SAMEORIGIN)$/i.test(headers.get('x-frame-options') ?? '')) missing.push('frame-ancestors or x-frame-options');
  return missing;
}

for (const dialect of enabledDialects()) {
  describe(`CORS on HTTP [${dialect}]`, () => {
    let server: TestServer;
    let plain: TestServer;
    let alice: TestUser;
    beforeAll(async () => {
      [server, plain] = await Promise.all([startServer({ dialect, env: { CORS_ORIGINS: LISTED.join(',') } }), startServer({ dialect })]);
      alice = await registerUser(server.url, 'cors');
    });
    afterAll(async () => {
      await server.close();
      await plain.close();
    });

    const get = (base: string, origin: string, token?: string) =>
      fetch(`${base}/users/me`, { headers: { origin, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const preflight = (base: string, origin: string) =>
      fetch(`${base}/messages`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

    it('sends Access-Control-Allow-Origin equal to a listed origin, on simple requests and preflights', async () => {
      for (const origin of LISTED) {
        const response = await get(server.url, origin, alice.token);
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('vary') ?? '').toMatch(/origin/i);
        const pre = await preflight(server.url, origin);
        expect(pre.status).toBeLessThan(300);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect((pre.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('POST');
      }
    });

    it('sends no Access-Control-Allow-Origin to lookalike, suffix, prefix and wildcard origins', async () => {
      const leaks: string[] = [];
      for (const origin of LOOKALIKES) {
        for (const response of [await get(server.url, origin, alice.token), await get(server.url, origin), await preflight(server.url, origin)]) {
          const allowed = response.headers.get('access-control-allow-origin');
          if (allowed !== null) leaks.push(`${JSON.stringify(origin)} → ${allowed}`);
        }
      }
      console.log(`[browser-facing ${dialect}] CORS: ${LISTED.length} listed origins allowed; ${LOOKALIKES.length} lookalikes × 3 requests, ${leaks.length} allowed`);
      expect(leaks).toEqual([]);
    });

    it('sends no Access-Control-Allow-Origin at all without CORS_ORIGINS (same origin only)', async () => {
      for (const origin of [...LISTED, plain.url, 'null']) {
        expect((await get(plain.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await preflight(plain.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('still answers a refused request from a listed origin with CORS headers, so the page can read the problem', async () => {
      const response = await get(server.url, LISTED[0]!);
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(LISTED[0]);
    });
  });

  describe(`security headers [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob] = await registerUsers(server.url, 'hdra', 'hdrb');
    });
    afterAll(() => server.close());

    it('are on every response: 2xx, 4xx, 404, problem responses, framework errors, documents', async () => {
      const own = await createConversation(alice, []);
      const throwaway = await loginAgain(alice);
      const cases: [string, () => Promise<Response>, number][] = [
        ['GET /', () => fetch(`${server.url}/`), 200],
        ['GET /healthz', () => fetch(`${server.url}/healthz`), 200],
        ['GET /readyz', () => fetch(`${server.url}/readyz`), 200],
        ['GET /metrics', () => fetch(`${server.url}/metrics`), 200],
        ['GET /openapi.json', () => fetch(`${server.url}/openapi.json`), 200],
        ['GET /docs', () => fetch(`${server.url}/docs`), 200],
        ['GET /users/me', () => fetch(`${server.url}/users/me`, { headers: { authorization: `Bearer ${alice.token}` } }), 200],
        ['POST /users', () => fetch(`${server.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `h${randomUUID().slice(0, 8)}`, password: 'long enough' }) }), 201],
        ['DELETE /sessions/current', () => fetch(`${server.url}/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${throwaway}` } }), 204],
        ['400 invalid body', () => fetch(`${server.url}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: '{"title":5,"member_ids":[]}' }), 400],
        ['400 invalid JSON', () => fetch(`${server.url}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: '{"title":' }), 400],
        ['400 bad path id', () => fetch(`${server.url}/conversations/nope`, { headers: { authorization: `Bearer ${alice.token}` } }), 400],
        ['400 bad percent-encoding (framework error)', () => fetch(`${server.url}/users/%E0%A4%A`, { headers: { authorization: `Bearer ${alice.token}` } }), 400],
        ['401 no token', () => fetch(`${server.url}/conversations`), 401],
        ['401 invalid credentials', () => fetch(`${server.url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'whatever12' }) }), 401],
        ['403 not a member', () => fetch(`${server.url}/conversations/${own.id}`, { headers: { authorization: `Bearer ${bob.token}` } }), 403],
        ['404 unknown route', () => fetch(`${server.url}/no/such/route`), 404],
        ['404 unknown conversation', () => fetch(`${server.url}/conversations/${randomUUID()}`, { headers: { authorization: `Bearer ${alice.token}` } }), 404],
        ['413 body too large', () => fetch(`${server.url}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x'.repeat(70_000), member_ids: [] }) }), 413],
        ['415 wrong media type', () => fetch(`${server.url}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'text/plain' }, body: 'hello' }), 415],
        ['400 GET /ws without upgrade', () => fetch(`${server.url}/ws`, { headers: { authorization: `Bearer ${alice.token}` } }), 400],
      ];
      const failures: string[] = [];
      for (const [name, call, status] of cases) {
        const response = await call();
        await response.arrayBuffer();
        if (response.status !== status) failures.push(`${name}: status ${response.status}, expected ${status}`);
        const missing = missingSecurityHeaders(response.headers);
        if (missing.length > 0) failures.push(`${name} (${response.status}): missing ${missing.join(', ')}`);
      }
      // A refused WebSocket upgrade is an HTTP response too.
      const refused = await new Promise<Record<string, string | string[] | undefined>>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/ws`);
        ws.on('error', () => {});
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.headers);
          ws.terminate();
        });
      });
      const refusedHeaders = new Headers(Object.entries(refused).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
      const missing = missingSecurityHeaders(refusedHeaders);
      if (missing.length > 0) failures.push(`refused upgrade: missing ${missing.join(', ')}`);
      console.log(`[browser-facing ${dialect}] security headers: ${cases.length + 1} responses checked, ${failures.length} failures`);
      expect(failures).toEqual([]);
    });

    it('never lets the server be framed by another site', async () => {
      const response = await fetch(`${server.url}/`);
      const csp = response.headers.get('content-security-policy') ?? '';
      const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.trim();
      expect(ancestors === "'self'" || ancestors === "'none'" || /^(DENY|SAMEORIGIN)$/i.test(response.headers.get('x-frame-options') ?? '')).toBe(true);
    });
  });

  describe(`prototype pollution through JSON [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob] = await registerUsers(server.url, 'protoa', 'protob');
    });
    afterAll(() => server.close());

    it('refuses bodies with __proto__ or constructor.prototype keys (400 invalid_json), however spelled or nested', async () => {
      const conversation = await createConversation(alice, [bob]);
      // Each would, if merged into a plain object, make a later request misbehave: an inherited
      // sender_id turns every send into 403 sender_mismatch, an inherited `all` turns a plain
      // logout into "log out everywhere", an inherited `deleted` or `role`, and so on.
      const poison = `{"sender_id":"${bob.user.id}","all":true,"polluted":true,"role":"owner","isAdmin":true}`;
      const bodies = [
        `{"message_id":"${randomUUID()}","conversation_id":"${conversation.id}","content":"x","__proto__":${poison}}`,
        `{"message_id":"${randomUUID()}","conversation_id":"${conversation.id}","content":"x","constructor":{"prototype":${poison}}}`,
        `{"message_id":"${randomUUID()}","conversation_id":"${conversation.id}","content":"x","nested":{"deeper":[{"__proto__":${poison}}]}}`,
        `{"message_id":"${randomUUID()}","conversation_id":"${conversation.id}","content":"x","\\u005f_proto__":${poison}}`,
        `{"message_id":"${randomUUID()}","conversation_id":"${conversation.id}","content":"x","__\\u0070roto__":${poison}}`,
      ];
      const answers: string[] = [];
      for (const rawBody of bodies) {
        for (const path of ['/messages', '/conversations', `/conversations/${conversation.id}/read`, '/users']) {
          const response = await alice.api.request('POST', path, { rawBody, headers: { 'content-type': 'application/json' } });
          answers.push(`${response.status} ${response.body?.code}`);
          expect({ path, rawBody, status: response.status, code: response.body?.code }).toEqual({ path, rawBody, status: 400, code: 'invalid_json' });
        }
      }
      console.log(`[browser-facing ${dialect}] prototype pollution: ${answers.length} poisoned bodies, answers ${[...new Set(answers)].join(', ')}`);
    });

    it('regression (issue 13, defect 9): refuses socket frames with __proto__ or constructor.prototype keys with invalid_json, as it refuses such HTTP bodies, and acts on none of them', async () => {
      const conversation = await createConversation(alice, [bob]);
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const ids: string[] = [];
      const send = (extra: string) => {
        const id = randomUUID();
        ids.push(id);
        return `{"type":"message","message_id":"${id}","conversation_id":"${conversation.id}","content":"poisoned",${extra}}`;
      };
      const frames = [
        '{"type":"ping","__proto__":{}}',
        '{"type":"ping","constructor":{"prototype":{}}}',
        `{"type":"join","conversation_id":"${conversation.id}","__proto__":{"polluted":true}}`,
        send('"__proto__":{"sender_id":"x"}'),
        send('"constructor":{"prototype":{"sender_id":"x"}}'),
        send('"nested":{"deeper":[{"__proto__":{"polluted":true}}]}'),
        send('"\\u005f_proto__":{"polluted":true}'),
        send('"__\\u0070roto__":{"polluted":true}'),
      ];
      const answers: string[] = [];
      for (const frame of frames) {
        // The same text as an HTTP body, where it is a frame of type message.
        if (frame.includes('"type":"message"')) {
          const http = await alice.api.request('POST', '/messages', { rawBody: frame.replace('"type":"message",', '').replace(/"message_id":"[^"]+"/, `"message_id":"${randomUUID()}"`), headers: { 'content-type': 'application/json' } });
          expect({ frame, status: http.status, code: http.body?.code }).toEqual({ frame, status: 400, code: 'invalid_json' });
        }
        const reply = await socket.request(frame as never, () => true);
        answers.push(`${reply.type} ${reply.code}`);
        expect({ frame, reply }).toEqual({ frame, reply: { type: 'error', code: 'invalid_json', detail: expect.stringMatching(/__proto__/), ref: null } });
      }
      console.log(`[browser-facing ${dialect}] prototype pollution over the socket: ${frames.length} poisoned frames, answers ${[...new Set(answers)].join(', ')}`);
      // Nothing was stored, joined or answered with a pong; the socket still works.
      expect(socket.frames.filter((f) => f.type !== 'error')).toEqual([]);
      const stored = await alice.api.get(`/conversations/${conversation.id}/messages`);
      expect(stored.body.messages).toEqual([]);
      expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
      socket.close();
    });

    it('leaves Object.prototype untouched and later requests behaving normally (HTTP and socket frames)', async () => {
      const conversation = await createConversation(alice, [bob]);
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const poison = `{"sender_id":"${bob.user.id}","all":true,"polluted":true,"type":"ping","seq":5}`;
      for (const frame of [`{"__proto__":${poison}}`, `{"type":"message","__proto__":${poison}}`, `{"constructor":{"prototype":${poison}}}`, `{"type":"join","conversation_id":"${conversation.id}","__proto__":${poison}}`]) {
        socket.send(frame);
      }
      await socket.waitForCount((f) => f.type === 'error' || f.type === 'joined' || f.type === 'pong', 4);
      // The server runs in this process: its Object.prototype is ours.
      const probe = {} as Record<string, unknown>;
      expect([probe.polluted, probe.sender_id, probe.all, probe.isAdmin, probe.role, probe.seq]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
      // A frame whose only "type" is in a __proto__ key was not taken for a ping.
      expect(socket.frames.filter((f) => f.type === 'pong')).toEqual([]);
      // Behaviour: a send without sender_id is still the caller's own (no inherited sender_id).
      const sent = await alice.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: 'after' });
      expect(sent.status).toBe(201);
      expect(sent.body.sender_id).toBe(alice.user.id);
      // A plain logout revokes only the current token (no inherited all=true).
      const other = await loginAgain(alice);
      expect((await new Api(server.url, other).delete('/sessions')).status).toBe(204);
      expect((await alice.api.get('/users/me')).status).toBe(200);
      // A plain member is still not an owner.
      const removal = await bob.api.delete(`/conversations/${conversation.id}/members/${alice.user.id}`);
      expect(removal.status).toBe(403);
      expect(removal.body.code).toBe('not_owner');
      socket.close();
    });
  });
}

/** The page's own scripts, stylesheets and icons: every src= and href= that stays on this server. */
function pageAssets(page: RawResponse, pageUrl: string): string[] {
  const html = typeof page.body === 'string' ? page.body : '';
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, pageUrl));
  return urls.filter((url) => url.origin === new URL(pageUrl).origin).map((url) => `${url.pathname}${url.search}`);
}

describe('the web app and /docs over plain HTTP on a name other than localhost', () => {
  const NAME = 'chat.example.test';
  let server: TestServer;
  let host: string;
  beforeAll(async () => {
    server = await startServer({ env: { ALLOWED_HOSTS: NAME, TRUST_PROXY: 'on' } });
    host = `${NAME}:${new URL(server.url).port}`;
  });
  afterAll(() => server.close());

  /** Each page and every asset it loads, with its status and Content-Security-Policy. */
  async function crawl(headers: Record<string, string>): Promise<{ path: string; status: number; csp: string }[]> {
    const seen: { path: string; status: number; csp: string }[] = [];
    const record = (path: string, response: RawResponse) => seen.push({ path, status: response.status, csp: String(response.headers['content-security-policy'] ?? '') });
    // The OpenAPI UI's script fetches its document from /docs/json.
    for (const page of ['/', '/docs', '/docs/', '/docs/json']) {
      const response = await rawRequest(server.url, page, headers);
      record(page, response);
      for (const asset of pageAssets(response, `http://${host}${page}`)) record(asset, await rawRequest(server.url, asset, headers));
    }
    return seen;
  }

  it('regression (issue 13, defect 8): /docs and its assets carry no upgrade-insecure-requests, so the UI loads over http on a public name', async () => {
    const responses = await crawl({ host });
    expect(responses.filter((r) => r.path.startsWith('/docs/static/')).length).toBeGreaterThanOrEqual(4);
    const problems = responses.filter((r) => r.status !== 200 || r.csp === '' || /upgrade-insecure-requests/i.test(r.csp));
    console.log(`[browser-facing] over http with Host ${NAME}: ${responses.length} pages and assets, ${problems.length} with a bad status, no CSP or upgrade-insecure-requests`);
    expect(problems).toEqual([]);
    // The rest of the UI's policy is kept: its scripts only from this origin (and its own inline hashes).
    const docs = responses.find((r) => r.path === '/docs')!;
    expect(docs.csp).toMatch(/script-src 'self'/);
    expect(docs.csp).toMatch(/object-src 'none'/);
  });

  it('sends no upgrade-insecure-requests behind a TLS proxy either (X-Forwarded-Proto: https): the pages load only relative URLs, so it would change nothing', async () => {
    const responses = await crawl({ host, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    expect(responses.filter((r) => r.status !== 200 || r.csp === '' || /upgrade-insecure-requests/i.test(r.csp))).toEqual([]);
  });
});
