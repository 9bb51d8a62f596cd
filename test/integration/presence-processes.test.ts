/**
 * Presence across three server processes sharing Redis (docs/architecture.md, "Presence"):
 * frames cross processes on the bus, `viewing` is visible from any process, and the users of a
 * process that is killed (SIGKILL: nothing withdrawn) go offline for everyone within two
 * heartbeat intervals, the frame sent by a survivor. A process that shuts down (SIGTERM) lets
 * its users reconnect elsewhere without being announced offline in between.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket, type Frame } from '../helpers/ws-client.js';
import { RedisPresenceDirectory } from '../../src/presence/redis-presence-directory.js';
import { RedisClients } from '../../src/redis/redis-clients.js';

const ready = enabledDialects().includes('postgres') && process.env.PNEUMATIC_TEST_REDIS === 'up';
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const HEARTBEAT_MS = 1000;
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } } as any;
const presenceOf = (userId: string, status?: string) => (f: Frame) => f.type === 'presence' && f.user_id === userId && (status === undefined || f.status === status);

describe.skipIf(!ready)('presence across three processes', () => {
  let database: TestDatabase;
  let servers: ServerProcess[];
  let redis: RedisClients;
  /** Reads the processes' shared state, as the push dispatcher of any process would. */
  let directory: RedisPresenceDirectory;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const prefix = `test-${randomUUID()}:`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMITS: 'off',
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      PRESENCE_COALESCE_SECONDS: '1',
    };
    servers = [await spawnServer(env)];
    servers.push(...(await Promise.all([1, 2].map(() => spawnServer(env)))));
    redis = RedisClients.single(REDIS_URL, quiet);
    await redis.ready(2000);
    directory = new RedisPresenceDirectory(redis.commands, { prefix, processId: randomUUID(), windowMs: 1000, heartbeatMs: HEARTBEAT_MS, log: quiet });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all((servers ?? []).map((s) => s.stop('SIGKILL')));
    await redis?.close();
    await database?.drop();
  });

  const open = async (server: ServerProcess, user: TestUser) => {
    const socket = await TestSocket.open(server.wsUrl, { token: user.token });
    sockets.push(socket);
    return socket;
  };

  it('sends frames across processes, shares viewing, and announces the users of a killed process offline within two heartbeat intervals', async () => {
    const [s0, s1, s2] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => registerUser(s1.url, name)));
    const conversation = await createConversation(alice!, [bob!, carol!]);
    const [bobSocket, carolSocket] = [await open(s1, bob!), await open(s2, carol!)];
    const aliceSocket = await open(s0, alice!);
    aliceSocket.send({ type: 'activity', state: 'active', viewing: conversation.id });
    await Promise.all([bobSocket, carolSocket].map((socket) => socket.waitFor(presenceOf(alice!.user.id, 'online'))));
    bobSocket.send({ type: 'activity', state: 'active', viewing: conversation.id });
    await expect.poll(() => directory.viewersOf(conversation.id, [alice!.user.id, bob!.user.id, carol!.user.id])).toEqual(new Set([alice!.user.id, bob!.user.id]));
    // Past the coalescing window of the online frame, so the offline one is not held.
    await new Promise((r) => setTimeout(r, 1200));

    const killedAt = Date.now();
    expect(await s0.stop('SIGKILL')).toBe('SIGKILL');
    const frames = await Promise.all([bobSocket, carolSocket].map((socket) => socket.waitFor(presenceOf(alice!.user.id, 'offline'), 4 * HEARTBEAT_MS)));
    const elapsed = Date.now() - killedAt;
    console.log(`[presence] a killed process's user was announced offline after ${elapsed} ms (heartbeat ${HEARTBEAT_MS} ms)`);
    expect(elapsed).toBeLessThan(2 * HEARTBEAT_MS + 300);
    for (const frame of frames) expect(Date.parse(frame.last_seen_at)).toBeLessThanOrEqual(killedAt + 50);
    expect(await directory.viewersOf(conversation.id, [alice!.user.id, bob!.user.id])).toEqual(new Set([bob!.user.id]));
    const answer = await bob!.api.get(`/presence?user_ids=${alice!.user.id},${carol!.user.id}`);
    expect(answer.body.presence).toEqual([
      { user_id: alice!.user.id, status: 'offline', last_seen_at: frames[0]!.last_seen_at },
      { user_id: carol!.user.id, status: 'online', last_seen_at: expect.any(String) },
    ]);
  });

  it('lets the users of a process shutting down reconnect elsewhere unannounced, and announces those who do not', async () => {
    const [, s1, s2] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const [dave, erin, frank] = await Promise.all(['dave', 'erin', 'frank'].map((name) => registerUser(s1.url, name)));
    await createConversation(dave!, [erin!, frank!]);
    const frankSocket = await open(s1, frank!);
    const [daveSocket] = [await open(s2, dave!), await open(s2, erin!)];
    await Promise.all([dave, erin].map((user) => frankSocket.waitFor(presenceOf(user!.user.id, 'online'))));
    await new Promise((r) => setTimeout(r, 1200));

    const stopping = s2.stop('SIGTERM');
    await daveSocket.waitForClose();
    // Dave's client reconnects to another process; Erin's does not.
    await open(s1, dave!);
    await stopping;
    await frankSocket.waitFor(presenceOf(erin!.user.id, 'offline'), 4 * HEARTBEAT_MS);
    await frankSocket.expectNone(presenceOf(dave!.user.id, 'offline'), HEARTBEAT_MS);
  });
});
