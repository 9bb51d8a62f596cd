/**
 * Credentials and sessions: argon2id at OWASP parameters in the stored hash, login failures that
 * take the same time whether or not the user exists, tokens stored only as hashes, tokens that
 * expire, "log out everywhere", and no token or password ever written to the log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Api, loginAgain, registerUser, registerUsers, sendMessage, createConversation } from '../helpers/api-client.js';
import { loadConfig } from '../../src/config/config.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';

/** Runs a query against the server's own database, while it runs. */
async function query<T = Record<string, unknown>>(server: TestServer, text: string, params: unknown[] = []): Promise<T[]> {
  if (server.database.path) {
    const db = new SQLite(server.database.path);
    try {
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      if (!statement.reader) {
        statement.run(...params);
        return [];
      }
      return statement.all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

for (const dialect of enabledDialects()) {
  describe(`password hashing at the default cost [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      // The test helper defaults to the cheap cost; owasp is the server's own default (checked below).
      server = await startServer({ dialect, env: { PASSWORD_HASH_COST: 'owasp', RATE_LIMITS: 'off' } });
    });
    afterAll(() => server.close());

    it('uses owasp when PASSWORD_HASH_COST is not set', () => {
      expect(loadConfig({}).PASSWORD_HASH_COST).toBe('owasp');
    });

    it('stores an argon2id hash with m=19456, t=2, p=1 and a per-user salt, never the password', async () => {
      const [a, b] = await registerUsers(server.url, 'hash', 'hash');
      const rows = await query<{ id: string; password_hash: string }>(server, 'select id, password_hash from users');
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/);
        expect(row.password_hash).not.toContain(a.password);
      }
      // Same password, different salts.
      expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
      expect(a.password).toBe(b.password);
      console.log(`[credentials ${dialect}] stored hash: ${rows[0]!.password_hash.split('$').slice(0, 4).join('$')}$…`);
    });
  });

  describe(`tokens at rest and their lifetime [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { SESSION_TTL_SECONDS: '60', RATE_LIMITS: 'off' } });
    });
    afterAll(() => server.close());

    it('stores no usable token: no stored value equals a token, none works as a bearer token, none is in the file', async () => {
      const users = await registerUsers(server.url, 'rest', 'rest', 'rest');
      const tokens = [...users.map((u) => u.token), await loginAgain(users[0]), await loginAgain(users[1])];
      const stored: string[] = [];
      for (const table of ['sessions', 'users']) {
        for (const row of await query(server, `select * from ${table}`)) {
          for (const value of Object.values(row)) if (value !== null) stored.push(value instanceof Date ? value.toISOString() : String(value));
        }
      }
      for (const token of tokens) expect(stored.some((v) => v.includes(token))).toBe(false);
      const refused: number[] = [];
      for (const value of new Set(stored)) refused.push((await new Api(server.url, value).get('/users/me')).status);
      expect(refused.every((s) => s === 401)).toBe(true);
      if (server.database.path) {
        // The raw bytes too, main file and write-ahead log.
        for (const file of [server.database.path, `${server.database.path}-wal`].filter(existsSync)) {
          const bytes = readFileSync(file).toString('latin1');
          for (const token of tokens) expect(bytes.includes(token)).toBe(false);
        }
      }
      console.log(`[credentials ${dialect}] ${tokens.length} tokens issued; ${stored.length} stored values checked, all ${refused.length} distinct values refused with 401`);
    });

    it('gives each session an expires_at SESSION_TTL_SECONDS after its creation, and refuses it (HTTP and socket) once past', async () => {
      const user = await registerUser(server.url, 'ttl');
      const [session] = await query<{ id: string; created_at: string | Date; expires_at: string | Date }>(server, 'select id, created_at, expires_at from sessions where user_id = $1', [user.user.id]);
      const ttl = (new Date(session!.expires_at).getTime() - new Date(session!.created_at).getTime()) / 1000;
      console.log(`[credentials ${dialect}] SESSION_TTL_SECONDS=60: expires_at - created_at = ${ttl} s`);
      expect(ttl).toBe(60);
      expect((await user.api.get('/users/me')).status).toBe(200);
      // The server runs in this process: move its clock (Date only, timers stay real) instead of waiting a minute.
      const created = new Date(session!.created_at).getTime();
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(created + 59_000);
        expect((await user.api.get('/users/me')).status).toBe(200);
        vi.setSystemTime(created + 61_000);
        const response = await user.api.get('/users/me');
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('unauthorized');
        expect(await upgradeStatus(server.wsUrl, { token: user.token })).toBe(401);
        expect(await upgradeStatus(server.wsUrl, { token: user.token, tokenInQuery: true })).toBe(401);
        // A fresh login works again.
        expect((await new Api(server.url, await loginAgain(user)).get('/users/me')).status).toBe(200);
      } finally {
        vi.useRealTimers();
      }
    });

    it('DELETE /sessions?all=true removes every session of the user from the database and no one else\'s', async () => {
      const [user, other] = await registerUsers(server.url, 'all', 'keep');
      const tokens = [user.token, await loginAgain(user), await loginAgain(user)];
      const count = async (id: string) => (await query(server, 'select id from sessions where user_id = $1', [id])).length;
      expect(await count(user.user.id)).toBe(3);
      expect((await new Api(server.url, tokens[1]!).delete('/sessions?all=true')).status).toBe(204);
      expect(await count(user.user.id)).toBe(0);
      for (const token of tokens) expect((await new Api(server.url, token).get('/users/me')).status).toBe(401);
      expect(await count(other.user.id)).toBe(1);
      expect((await other.api.get('/users/me')).status).toBe(200);
    });
  });
}

describe('login timing at the owasp cost', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { PASSWORD_HASH_COST: 'owasp', RATE_LIMITS: 'off' } });
  });
  afterAll(() => server.close());

  it('costs the same whether or not the user exists (median ratio within 0.5–2)', async () => {
    const user = await registerUser(server.url, 'timing');
    const api = new Api(server.url);
    const attempt = async (username: string) => {
      const started = performance.now();
      const response = await api.post('/sessions', { username, password: 'wrong password!' });
      const elapsed = performance.now() - started;
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('invalid_credentials');
      return elapsed;
    };
    // Warm both paths (the dummy hash is made on first use), then interleave so load drifts evenly.
    await attempt(user.user.username);
    await attempt('nobody_warmup');
    const existing: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 30; i++) {
      existing.push(await attempt(user.user.username));
      missing.push(await attempt(`nobody_${i}_${Date.now() % 100000}`));
    }
    const ratio = median(missing) / median(existing);
    console.log(`[credentials] login failure medians over 30 attempts each: existing user ${median(existing).toFixed(1)} ms, unknown user ${median(missing).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // And the cost is real: an argon2id verification at m=19 MiB is not free.
    expect(median(existing)).toBeGreaterThan(5);
  }, 120_000);
});

describe('credentials in the log', () => {
  let server: TestServer;
  let log = '';
  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    server = await startServer({ env: { LOG_LEVEL: 'trace', RATE_LIMITS: 'off' }, logStream });
  });
  afterAll(() => server.close());

  it('never contains a token or a password at LOG_LEVEL=trace, through registration, logins, failures, upgrades and logout', async () => {
    const [alice, bob] = await registerUsers(server.url, 'logalice', 'logbob');
    const secrets = [alice.password, alice.token, bob.token];
    const anon = new Api(server.url);
    // Logins: success, wrong password, unknown user, password of the wrong type (a 400 that must not echo it).
    const second = await loginAgain(alice);
    secrets.push(second);
    const wrong = 'Hunter2-wrong-password';
    const unusual = 'pässwörd with spaces 12345';
    secrets.push(wrong, unusual);
    expect((await anon.post('/sessions', { username: alice.user.username, password: wrong })).status).toBe(401);
    expect((await anon.post('/sessions', { username: 'nobody_here', password: unusual })).status).toBe(401);
    expect((await anon.post('/sessions', { username: alice.user.username, password: 'short' })).status).toBe(400);
    expect((await anon.post('/users', { username: 'x', password: unusual })).status).toBe(400);
    expect((await anon.request('POST', '/users', { rawBody: `{"username":"abcd","password":"${unusual}",}`, headers: { 'content-type': 'application/json' } })).status).toBe(400);
    // Requests with tokens: good, revoked, bogus, in query strings where they do not belong.
    const conversation = await createConversation(alice, [bob]);
    await sendMessage(alice, conversation.id, 'hello');
    expect((await anon.get(`/users/me?token=${alice.token}`, { token: null })).status).toBe(401);
    expect((await anon.get('/users/me', { headers: { authorization: `Bearer ${bob.token}x` } })).status).toBe(401);
    expect((await anon.get('/users/me', { headers: { authorization: `Token ${bob.token}` } })).status).toBe(401);
    // Sockets with ?token= and the header, accepted and refused.
    const query = await TestSocket.open(server.wsUrl, { token: alice.token, tokenInQuery: true });
    const header = await TestSocket.open(server.wsUrl, { token: bob.token });
    await query.request({ type: 'message', message_id: crypto.randomUUID(), conversation_id: conversation.id, content: 'hi' }, (f) => f.type === 'ack');
    expect(await upgradeStatus(server.wsUrl, { token: `${alice.token}zz`, tokenInQuery: true })).toBe(401);
    expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true, path: `/ws/${bob.user.id}` })).toBe(403);
    // Logout everywhere, then the dead token used again.
    expect((await new Api(server.url, second).delete('/sessions?all=true')).status).toBe(204);
    await query.waitForClose();
    expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true })).toBe(401);
    expect((await alice.api.get('/users/me')).status).toBe(401);
    header.close();
    await new Promise((r) => setTimeout(r, 200));

    const lines = log.split('\n').filter(Boolean).length;
    const found = secrets.filter((secret) => log.includes(secret) || log.includes(encodeURIComponent(secret)));
    console.log(`[credentials] trace log: ${lines} lines, ${log.length} bytes; searched for ${secrets.length} secrets, found ${found.length}`);
    expect(lines).toBeGreaterThan(10);
    expect(found).toEqual([]);
  }, 60_000);
});
