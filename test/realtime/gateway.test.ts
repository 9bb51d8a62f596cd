import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';

const MAX_FRAME_BYTES = 65_536;

/** A ping frame padded with JSON whitespace to exactly `bytes` bytes. */
function paddedPing(bytes: number): string {
  const frame = '{"type":"ping"}';
  return frame.slice(0, -1) + ' '.repeat(bytes - frame.length) + '}';
}

for (const dialect of enabledDialects()) {
  describe(`GET /ws upgrade [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let port: string;
    beforeAll(async () => {
      server = await startServer({ dialect });
      port = new URL(server.url).port;
      [alice, bob] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob')]);
    });
    afterAll(() => server.close());

    it('accepts the token in the Authorization header', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it('accepts the token as ?token= (browsers)', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token, tokenInQuery: true });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it('refuses an upgrade without a token with 401', async () => {
      expect(await upgradeStatus(server.wsUrl)).toBe(401);
    });

    it('refuses an upgrade with an unknown token with 401, in the header or the query', async () => {
      expect(await upgradeStatus(server.wsUrl, { token: 'not-a-real-token' })).toBe(401);
      expect(await upgradeStatus(server.wsUrl, { token: 'not-a-real-token', tokenInQuery: true })).toBe(401);
      expect(await upgradeStatus(server.wsUrl, { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).toBe(401);
    });

    it('accepts the seed path /ws/{user_id} with the token\'s own user id', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token, path: `/ws/${alice.user.id}` });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it('accepts /ws/{user_id} with the id in upper case (UUIDs compare case-insensitively)', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token, path: `/ws/${alice.user.id.toUpperCase()}` });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it('refuses /ws/{user_id} naming another user with 403', async () => {
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, path: `/ws/${bob.user.id}` })).toBe(403);
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, path: `/ws/${randomUUID()}` })).toBe(403);
    });

    it('refuses /ws/{user_id} without a token with 401', async () => {
      expect(await upgradeStatus(server.wsUrl, { path: `/ws/${alice.user.id}` })).toBe(401);
    });

    it('regression (issue 13, defect 9): refuses /ws/{user_id} with an id that is not a UUID with 400 invalid_request, as every path id (401 first without a token)', async () => {
      for (const id of ['notauuid', '123', `${alice.user.id}x`, '%20', 'null']) {
        expect({ id, status: await upgradeStatus(server.wsUrl, { token: alice.token, path: `/ws/${id}` }) }).toEqual({ id, status: 400 });
        expect({ id, status: await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true, path: `/ws/${id}` }) }).toEqual({ id, status: 400 });
        expect({ id, status: await upgradeStatus(server.wsUrl, { path: `/ws/${id}` }) }).toEqual({ id, status: 401 });
      }
      // The same answer to a plain GET, naming the field as any path id refusal does.
      const plain = await alice.api.get('/ws/notauuid');
      expectProblem(plain, 400, 'invalid_request');
      expect(plain.body.errors).toEqual([{ pointer: '/user_id', detail: 'must be a UUID' }]);
      expectProblem(await alice.api.as(null).get('/ws/notauuid'), 401, 'unauthorized');
    });

    it('accepts a request without an Origin header (native apps, servers)', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it("accepts the server's own origin", async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token, headers: { origin: `http://127.0.0.1:${port}` } });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it('refuses a foreign Origin with 403', async () => {
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, headers: { origin: 'https://evil.example' } })).toBe(403);
    });

    it('refuses lookalike origins: suffixes, prefixes, userinfo, paths, other schemes and ports, "null"', async () => {
      const lookalikes = [
        `http://127.0.0.1:${port}.evil.com`,
        `http://127.0.0.1.evil.com:${port}`,
        `http://evil.com/127.0.0.1:${port}`,
        `http://127.0.0.1:${port}@evil.com`,
        `http://127.0.0.1:${port}/`,
        `http://127.0.0.1:${port}/path`,
        `http://127.0.0.1:${Number(port) === 65535 ? 1 : Number(port) + 1}`,
        `ftp://127.0.0.1:${port}`,
        `http://127.0.0.1`,
        `evil.com`,
        'null',
        '',
      ];
      for (const origin of lookalikes) {
        expect({ origin, status: await upgradeStatus(server.wsUrl, { token: alice.token, headers: { origin } }) }).toEqual({ origin, status: 403 });
      }
    });

    it('checks the origin before the token: a foreign origin is refused with 403 even with a valid token', async () => {
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true, headers: { origin: 'https://evil.example' } })).toBe(403);
    });

    it('regression: a plain GET without an Upgrade header answers a problem+json (401 without a token, 400 with one)', async () => {
      expectProblem(await alice.api.as(null).get('/ws'), 401, 'unauthorized');
      expectProblem(await alice.api.get('/ws'), 400, 'invalid_request');
      expectProblem(await alice.api.get(`/ws/${alice.user.id}`), 400, 'invalid_request');
      expectProblem(await alice.api.get(`/ws/${bob.user.id}`), 403);
    });

    it('answers a ping frame with pong', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
      socket.close();
    });

    it('reads a frame with a leading byte order mark as the JSON after it, as it reads HTTP bodies (RFC 8259 §8.1)', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      expect(await socket.request('\uFEFF{"type":"ping"}' as never, () => true)).toEqual({ type: 'pong' });
      socket.close();
    });

    it(`processes a frame of exactly ${MAX_FRAME_BYTES} bytes`, async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const frame = paddedPing(MAX_FRAME_BYTES);
      expect(Buffer.byteLength(frame)).toBe(MAX_FRAME_BYTES);
      await socket.request(frame as never, (f) => f.type === 'pong');
      expect(socket.closed).toBeNull();
      socket.close();
    });

    it(`closes the connection with 1009 on a frame larger than ${MAX_FRAME_BYTES} bytes`, async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      socket.send(paddedPing(MAX_FRAME_BYTES + 1));
      expect((await socket.waitForClose()).code).toBe(1009);
    });

    it('regression (issue 13, defect 9): closes a socket that floods ping control frames with 1008 and a reason, not a bare cut; the user\'s other socket stays open', async () => {
      const [flooder, other] = await Promise.all([TestSocket.open(server.wsUrl, { token: alice.token }), TestSocket.open(server.wsUrl, { token: alice.token })]);
      // Far more pings at once than the server keeps unflushed pongs for (MAX_PENDING_PONGS).
      for (let i = 0; i < 5000; i++) flooder.ws.ping();
      expect(await flooder.waitForClose()).toEqual({ code: 1008, reason: 'too many pings; slow down' });
      await other.request({ type: 'ping' }, (f) => f.type === 'pong');
      expect(other.closed).toBeNull();
      other.close();
    });

    it('answers every ping control frame of a client that waits for each pong', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      for (let i = 0; i < 200; i++) {
        const pong = new Promise<Buffer>((resolve) => socket.ws.once('pong', resolve));
        socket.ws.ping(`p${i}`);
        expect((await pong).toString()).toBe(`p${i}`);
      }
      expect(socket.closed).toBeNull();
      socket.close();
    });

    it('leaves the user\'s other sockets open when one is closed for a too-large frame', async () => {
      const [big, other] = await Promise.all([TestSocket.open(server.wsUrl, { token: alice.token }), TestSocket.open(server.wsUrl, { token: alice.token })]);
      big.send(paddedPing(MAX_FRAME_BYTES + 1));
      expect((await big.waitForClose()).code).toBe(1009);
      await other.request({ type: 'ping' }, (f) => f.type === 'pong');
      other.close();
    });
  });

  describe(`GET /ws with CORS_ORIGINS [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { CORS_ORIGINS: 'https://app.example.com' } });
      alice = await registerUser(server.url, 'alice');
    });
    afterAll(() => server.close());

    it('accepts an origin listed in CORS_ORIGINS', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token, headers: { origin: 'https://app.example.com' } });
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
      socket.close();
    });

    it("still accepts the server's own origin and no origin", async () => {
      const own = await TestSocket.open(server.wsUrl, { token: alice.token, headers: { origin: server.url } });
      const none = await TestSocket.open(server.wsUrl, { token: alice.token });
      await own.request({ type: 'ping' }, (f) => f.type === 'pong');
      await none.request({ type: 'ping' }, (f) => f.type === 'pong');
      own.close();
      none.close();
    });

    it('refuses near misses of the listed origin with 403', async () => {
      const nearMisses = [
        'https://app.example.com.evil.com',
        'https://evilapp.example.com',
        'https://evil.app.example.com',
        'http://app.example.com',
        'https://app.example.com:8443',
        'https://app.example.com/',
        'https://app.example.co',
        'https://APP.EXAMPLE.COM.evil.com',
      ];
      for (const origin of nearMisses) {
        expect({ origin, status: await upgradeStatus(server.wsUrl, { token: alice.token, headers: { origin } }) }).toEqual({ origin, status: 403 });
      }
    });
  });

  describe(`GET /ws logging [${dialect}]`, () => {
    let server: TestServer;
    let log = '';
    beforeAll(async () => {
      const logStream = new PassThrough();
      logStream.on('data', (chunk: Buffer) => (log += chunk.toString()));
      server = await startServer({ dialect, env: { LOG_LEVEL: 'trace' }, logStream });
    });
    afterAll(() => server.close());

    it('never writes the token to the log, whether in the query, the header or refused', async () => {
      const alice = await registerUser(server.url, 'alice');
      const query = await TestSocket.open(server.wsUrl, { token: alice.token, tokenInQuery: true });
      const header = await TestSocket.open(server.wsUrl, { token: alice.token });
      for (const socket of [query, header]) {
        await socket.request('{"type":' as never, (f) => f.type === 'error');
        await socket.request({ type: 'join', conversation_id: randomUUID() }, (f) => f.type === 'error');
      }
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, path: `/ws/${randomUUID()}`, tokenInQuery: true })).toBe(403);
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true, headers: { origin: 'https://evil.example' } })).toBe(403);
      query.send('x'.repeat(MAX_FRAME_BYTES + 1));
      await query.waitForClose();
      await alice.api.delete('/sessions/current');
      await header.waitForClose();
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true })).toBe(401);
      expect(log.length).toBeGreaterThan(0);
      expect(log).not.toContain(alice.token);
    });
  });
}
