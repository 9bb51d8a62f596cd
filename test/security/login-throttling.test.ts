/**
 * Issue 13, defect 6 ("anyone can lock any account"): failed logins are limited per username and
 * client IP together; the per-username limit only holds the username for a growing, short time,
 * and never for an IP that has logged in to it before. Client IPs are simulated with
 * X-Forwarded-For on a server with TRUST_PROXY=on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, registerUser, type ApiResponse, type TestUser } from '../helpers/api-client.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function login(server: TestServer, user: TestUser, ip: string, password = user.password): Promise<ApiResponse> {
  return new Api(server.url).post('/sessions', { username: user.user.username, password }, { headers: { 'x-forwarded-for': ip } });
}

function retryAfter(response: ApiResponse): number {
  expect(response.status).toBe(429);
  expect(response.body.code).toBe('rate_limited');
  const value = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(value) && value >= 1).toBe(true);
  return value;
}

/** Logs in until it works, waiting as long as each 429's Retry-After says; resolves with the total wait in seconds. */
async function loginWaiting(server: TestServer, user: TestUser, ip: string): Promise<number> {
  let waited = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await login(server, user, ip);
    if (response.status === 201) return waited;
    const seconds = retryAfter(response);
    waited += seconds;
    await sleep(seconds * 1000 + 100);
  }
  throw new Error('the owner could not log in');
}

const variants: { name: string; dialect: Dialect; env: Record<string, string> }[] = [
  ...enabledDialects().map((dialect) => ({ name: dialect, dialect, env: {} })),
  ...(process.env.PNEUMATIC_TEST_REDIS === 'up' ? [{ name: 'sqlite, limits in Redis', dialect: 'sqlite' as Dialect, env: { REDIS_URL } }] : []),
];

for (const variant of variants) {
  // Concurrent: each test has its own users and servers, and most of its time is spent in holds.
  describe.concurrent(`login throttling [${variant.name}]`, () => {
    const servers: TestServer[] = [];
    const serve = async (env: Record<string, string> = {}) => {
      const prefix = { REDIS_KEY_PREFIX: `test-${randomUUID()}:` };
      const server = await startServer({ dialect: variant.dialect, env: { TRUST_PROXY: 'on', ...prefix, ...variant.env, ...env } });
      servers.push(server);
      return server;
    };
    let server: TestServer;
    beforeAll(async () => {
      // A short longest hold, so the owner from a new network waits seconds, not the default 30.
      server = await serve({ RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS: '3' });
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
    });

    it('regression (issue 13, defect 6): anyone can lock any account — after 30 wrong passwords from an attacker, the owner still logs in', async () => {
      const owner = await registerUser(server.url, 'owner');
      expect((await login(server, owner, '198.51.100.7')).status).toBe(201);
      for (let i = 0; i < 30; i++) {
        const response = await login(server, owner, '203.0.113.66', `wrong password ${i}`);
        if (response.status !== 401) retryAfter(response);
      }
      // From the network the owner logged in from before: at once.
      expect((await login(server, owner, '198.51.100.7')).status).toBe(201);
      // From a network never seen: at most a short wait.
      expect(await loginWaiting(server, owner, '192.0.2.44')).toBeLessThanOrEqual(server.config.RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS);
    });

    it('refuses a username and client IP pair after RATE_LIMIT_LOGIN_FAILURES_PER_CLIENT failures, for the rest of 15 minutes, even with the right password', async () => {
      const pairs = await serve({ RATE_LIMIT_LOGIN_FAILURES_PER_CLIENT: '10', RATE_LIMIT_LOGIN_THROTTLE_AFTER: '1000' });
      const owner = await registerUser(pairs.url, 'owner');
      // The username counts ignoring case, as login matches it.
      const cased = (i: number) => ({ ...owner, user: { ...owner.user, username: i % 2 ? owner.user.username.toUpperCase() : owner.user.username } });
      for (let i = 0; i < 10; i++) expect((await login(pairs, cased(i), '203.0.113.5', 'wrong password')).status).toBe(401);
      const refused = await login(pairs, owner, '203.0.113.5', 'wrong password');
      expect(retryAfter(refused)).toBeGreaterThan(14 * 60);
      expect(retryAfter(refused)).toBeLessThanOrEqual(15 * 60);
      retryAfter(await login(pairs, owner, '203.0.113.5'));
      // Other users from that address, and this user from elsewhere, are unaffected.
      const other = await registerUser(pairs.url, 'other');
      expect((await login(pairs, other, '203.0.113.5')).status).toBe(201);
      expect((await login(pairs, owner, '203.0.113.6')).status).toBe(201);
    });

    it('holds a username after RATE_LIMIT_LOGIN_THROTTLE_AFTER failures from any addresses for growing times (1 s, 2 s, ...), capped, without holding a known address', async () => {
      const growing = await serve({ RATE_LIMIT_LOGIN_THROTTLE_AFTER: '2', RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS: '2' });
      const owner = await registerUser(growing.url, 'owner');
      expect((await login(growing, owner, '198.51.100.1')).status).toBe(201);
      let address = 0;
      const fromNewAddress = (password = 'wrong password') => login(growing, owner, `203.0.113.${++address}`, password);
      expect((await fromNewAddress()).status).toBe(401);
      expect((await fromNewAddress()).status).toBe(401);
      const holds: number[] = [];
      for (let round = 0; round < 3; round++) {
        expect((await fromNewAddress()).status).toBe(401);
        const held = await fromNewAddress();
        holds.push(retryAfter(held));
        // Even the right password is not checked during the hold, from an unknown address...
        retryAfter(await fromNewAddress(owner.password));
        // ...while the address the owner used before is not held.
        expect((await login(growing, owner, '198.51.100.1')).status).toBe(201);
        await sleep(holds.at(-1)! * 1000 + 150);
      }
      expect(holds).toEqual([1, 2, 2]);
    });
  });
}
