/**
 * Caps that keep one user, one address or one burst of upgrades from exhausting the server:
 * WS_MAX_CONNECTIONS_PER_USER and WS_MAX_CONNECTIONS_PER_IP (upgrade refused with 429),
 * RATE_LIMIT_FRAMES_PER_SECOND (error frame rate_limited, per connection) and
 * WS_MAX_PENDING_UPGRADES (503). RATE_LIMITS=off lifts the connection caps.
 */
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';

/** Opens a socket, resolving with it, or with the HTTP status of a refused upgrade. */
function attempt(wsUrl: string, token: string): Promise<{ socket?: TestSocket; status?: number }> {
  return TestSocket.open(wsUrl, { token }).then(
    (socket) => ({ socket }),
    (error: { status?: number }) => ({ status: error.status ?? -1 }),
  );
}

/** The raw response of a refused upgrade, for its headers. */
function refusedResponse(wsUrl: string, token: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/ws`, { headers: { authorization: `Bearer ${token}` } });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? -1, retryAfter: res.headers['retry-after'] as string | undefined, body });
        ws.terminate();
      });
    });
    ws.once('error', () => {});
  });
}

const opened: TestSocket[] = [];
const track = (socket: TestSocket | undefined) => {
  if (socket) opened.push(socket);
  return socket;
};
afterEach(() => {
  for (const socket of opened.splice(0)) socket.ws.terminate();
});

for (const dialect of enabledDialects()) {
  describe(`WS_MAX_CONNECTIONS_PER_USER [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { WS_MAX_CONNECTIONS_PER_USER: '3' } });
    });
    afterAll(() => server.close());

    it('refuses the upgrade over the cap with 429 problem+json and Retry-After, and admits again after one closes', async () => {
      const alice = await registerUser(server.url, 'capuser');
      const sockets = [];
      for (let i = 0; i < 3; i++) sockets.push(track(await TestSocket.open(server.wsUrl, { token: alice.token }))!);
      const refused = await refusedResponse(server.wsUrl, alice.token);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 429, code: 'rate_limited' });
      // The open sockets still work.
      for (const socket of sockets) await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      sockets[0]!.close();
      await sockets[0]!.waitForClose();
      await new Promise((r) => setTimeout(r, 100));
      track(await TestSocket.open(server.wsUrl, { token: alice.token }));
      console.log('[connection-caps] per user: cap 3, 4th upgrade answered 429 with Retry-After', refused.retryAfter);
    });

    it("counts every session of the user together and leaves other users' sockets alone", async () => {
      const [bob, carol] = await registerUsers(server.url, 'capbob', 'capcarol');
      const second = await bob.api.as(null).post('/sessions', { username: bob.user.username, password: bob.password });
      const tokens = [bob.token, second.body.token as string, bob.token];
      for (const token of tokens) track(await TestSocket.open(server.wsUrl, { token }));
      expect(await upgradeStatus(server.wsUrl, { token: second.body.token })).toBe(429);
      for (let i = 0; i < 3; i++) track(await TestSocket.open(server.wsUrl, { token: carol.token }));
    });

    it('holds under a burst: of 12 concurrent upgrades for one user, at most 3 are admitted', async () => {
      const dave = await registerUser(server.url, 'capburst');
      const results = await Promise.all(Array.from({ length: 12 }, () => attempt(server.wsUrl, dave.token)));
      results.forEach((r) => track(r.socket));
      const admitted = results.filter((r) => r.socket).length;
      const statuses = results.filter((r) => r.status !== undefined).map((r) => r.status);
      console.log(`[connection-caps] burst of 12 for one user: ${admitted} admitted, refused ${JSON.stringify(statuses)}`);
      expect(admitted).toBe(3);
      expect(statuses.every((s) => s === 429)).toBe(true);
    });
  });

  describe(`WS_MAX_CONNECTIONS_PER_IP [${dialect}]`, () => {
    let server: TestServer;
    let users: readonly TestUser[];
    beforeAll(async () => {
      server = await startServer({ dialect, env: { WS_MAX_CONNECTIONS_PER_IP: '4', WS_MAX_CONNECTIONS_PER_USER: '50' } });
      users = await registerUsers(server.url, 'ipa', 'ipb', 'ipc', 'ipd', 'ipe');
    });
    afterAll(() => server.close());

    it('refuses the upgrade over the cap with 429 whoever the user is, and frees the slot on close', async () => {
      const sockets = [];
      for (let i = 0; i < 4; i++) sockets.push(track(await TestSocket.open(server.wsUrl, { token: users[i]!.token }))!);
      expect(await upgradeStatus(server.wsUrl, { token: users[4]!.token })).toBe(429);
      expect(await upgradeStatus(server.wsUrl, { token: users[0]!.token })).toBe(429);
      // Checked before the token: no database work for an address over its cap.
      expect(await upgradeStatus(server.wsUrl, { token: 'not-a-token' })).toBe(429);
      sockets[3]!.close();
      await sockets[3]!.waitForClose();
      await new Promise((r) => setTimeout(r, 100));
      track(await TestSocket.open(server.wsUrl, { token: users[4]!.token }));
      console.log('[connection-caps] per IP: cap 4, 5th upgrade answered 429 (any user, any token)');
    });

    it('holds under a burst: of 12 concurrent upgrades from one address, at most 4 are admitted', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(server.wsUrl, users[i % users.length]!.token)));
      results.forEach((r) => track(r.socket));
      const admitted = results.filter((r) => r.socket).length;
      console.log(`[connection-caps] burst of 12 from one IP: ${admitted} admitted`);
      expect(admitted).toBeLessThanOrEqual(4);
      expect(results.filter((r) => !r.socket).every((r) => r.status === 429)).toBe(true);
    });
  });

  describe(`RATE_LIMITS=off lifts the connection caps [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', WS_MAX_CONNECTIONS_PER_USER: '2', WS_MAX_CONNECTIONS_PER_IP: '2' } });
    });
    afterAll(() => server.close());

    it('admits more sockets than either cap', async () => {
      const alice = await registerUser(server.url, 'uncapped');
      for (let i = 0; i < 6; i++) track(await TestSocket.open(server.wsUrl, { token: alice.token }));
      expect(opened.every((s) => s.closed === null)).toBe(true);
    });
  });

  describe(`RATE_LIMIT_FRAMES_PER_SECOND [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMIT_FRAMES_PER_SECOND: '20' } });
    });
    afterAll(() => server.close());

    it('processes at most the budget per connection per second, refuses the rest with rate_limited, and limits each connection separately', async () => {
      const alice = await registerUser(server.url, 'frames');
      const flooder = track(await TestSocket.open(server.wsUrl, { token: alice.token }))!;
      const quiet = track(await TestSocket.open(server.wsUrl, { token: alice.token }))!;
      const burst = 60;
      for (let i = 0; i < burst; i++) flooder.send({ type: 'ping' });
      const answers = await flooder.waitForCount((f) => f.type === 'pong' || f.type === 'error', burst);
      const pongs = answers.filter((f) => f.type === 'pong').length;
      const limited = answers.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
      console.log(`[connection-caps] frames: budget 20/s, burst ${burst}: ${pongs} processed, ${limited} rate_limited`);
      // The burst may straddle a window boundary: at most two windows' worth is processed.
      expect(pongs).toBeGreaterThanOrEqual(20);
      expect(pongs).toBeLessThanOrEqual(40);
      expect(pongs + limited).toBe(burst);
      // Another connection of the same user has its own budget.
      expect(await quiet.request({ type: 'ping' }, (f) => f.type === 'pong' || f.type === 'error')).toEqual({ type: 'pong' });
      expect(flooder.closed).toBeNull();
    });

    it('does not store a message frame refused for the budget', async () => {
      const bob = await registerUser(server.url, 'framesend');
      const created = await bob.api.post('/conversations', { title: 'budget', member_ids: [] });
      const socket = track(await TestSocket.open(server.wsUrl, { token: bob.token }))!;
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        socket.send({ type: 'message', message_id: id, conversation_id: created.body.id, content: `m${i}` });
      }
      const answers = await socket.waitForCount((f) => f.type === 'ack' || f.type === 'error', 50, 20_000);
      const acked = answers.filter((f) => f.type === 'ack').length;
      const refused = answers.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
      expect(acked + refused).toBe(50);
      expect(refused).toBeGreaterThan(0);
      const history = await bob.api.get(`/conversations/${created.body.id}/messages?limit=200`);
      expect(history.body.messages).toHaveLength(acked);
      expect(history.body.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: acked }, (_, i) => i + 1));
    });
  });
}

const postgres = enabledDialects().includes('postgres');

// WS_MAX_PENDING_UPGRADES counts upgrades waiting on token authentication. On PostgreSQL, a lock
// held on the sessions table makes those lookups wait, so upgrades pile up deterministically.
// better-sqlite3 answers synchronously, so there is no window in which upgrades can pile up.
describe.runIf(postgres)('WS_MAX_PENDING_UPGRADES [postgres]', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect: 'postgres', env: { WS_MAX_PENDING_UPGRADES: '3', DB_POOL_MAX: '10' } });
  });
  afterAll(() => server.close());

  it('refuses upgrades beyond the pending cap with 503 while authentication is stalled, then admits the pending ones', async () => {
    const users = await registerUsers(server.url, 'pend1', 'pend2', 'pend3', 'pend4');
    const locker = new pg.Client({ connectionString: server.database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table sessions in access exclusive mode');
      const pending = users.slice(0, 3).map((u) => attempt(server.wsUrl, u.token));
      await new Promise((r) => setTimeout(r, 500));
      const over = await attempt(server.wsUrl, users[3]!.token);
      await locker.query('commit');
      const results = await Promise.all(pending);
      results.forEach((r) => track(r.socket));
      track(over.socket);
      console.log(`[connection-caps] pending upgrades: cap 3, 4th answered ${over.status}; the 3 pending then ${results.map((r) => (r.socket ? 101 : r.status)).join(',')}`);
      expect(over.status).toBe(503);
      expect(results.every((r) => r.socket)).toBe(true);
      // Once the stall clears, the slot is free again.
      track(await TestSocket.open(server.wsUrl, { token: users[3]!.token }));
    } finally {
      await locker.end();
    }
  }, 30_000);
});
