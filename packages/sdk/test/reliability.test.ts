/**
 * Reliable delivery under failure: 500 messages while the sender's and the receiver's sockets
 * are cut from the server side, and while the server process is killed and restarted on the
 * same database; catch-up after 1,000 missed messages.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';
import { spawnServer, type ServerProcess } from '../../../test/helpers/server-process.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../../../test/helpers/tcp-proxy.js';
import type { PneumaticClient } from '../src/client.js';
import type { Session } from '../src/session/session.js';
import type { SessionState } from '../src/session/session-events.js';
import { collectMessages, expectExactly, registeredClient, storedMessages, waitUntil } from './helpers.js';

const BURST = 500;
const MISSED = 1000;
const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 300 };
const contents = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pair(baseUrl: string) {
  const alice = await registeredClient(baseUrl, 'alice');
  const bob = await registeredClient(baseUrl, 'bob');
  cleanups.push(() => alice.close(), () => bob.close());
  const conversation = await alice.createConversation({ title: 'burst', member_ids: [bob.user!.id] });
  return { alice, bob, conversation };
}

async function live(client: PneumaticClient): Promise<{ session: Session; states: SessionState[] }> {
  const session = await client.connect({ backoff: FAST_RECONNECT, ackTimeoutMs: 5000 });
  const states: SessionState[] = [];
  session.on('state', (s) => states.push(s.state));
  return { session, states };
}

describe('a burst of 500 messages survives lost connections', () => {
  let server: TestServer;
  afterAll(() => server?.close());

  it('delivers every message to the other client exactly once and in order, and stores each once, when sockets are cut from the server side mid-burst', async () => {
    server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off' } });
    const { alice, bob, conversation } = await pair(server.url);
    const a = await live(alice);
    const b = await live(bob);
    const bobGot = collectMessages(b.session, conversation.id);
    const aliceGot = collectMessages(a.session, conversation.id);
    const cut = (userId: string) => {
      const connections = [...(server.app.pneumatic.registry.forUser(userId) ?? [])];
      expect(connections.length).toBeGreaterThan(0);
      for (const connection of connections) connection.socket.terminate();
    };

    const sends = contents(BURST).map((content) => a.session.send(conversation.id, content));
    await waitUntil(() => bobGot.length >= 100, 'the first 100 messages');
    cut(alice.user!.id);
    await waitUntil(() => bobGot.length >= 250, '250 messages');
    cut(bob.user!.id);
    await waitUntil(() => bobGot.length >= 400, '400 messages');
    cut(alice.user!.id);
    cut(bob.user!.id);

    const acked = await Promise.all(sends);
    expect(acked.map((m) => m.content)).toEqual(contents(BURST));
    await waitUntil(() => bobGot.length >= BURST && aliceGot.length >= BURST, 'all messages on both sides');
    await new Promise((r) => setTimeout(r, 300)); // nothing extra may trail in
    expect(expectExactly(bobGot, contents(BURST))).toBeNull();
    expect(expectExactly(aliceGot, contents(BURST))).toBeNull();
    expect(expectExactly(await storedMessages(alice, conversation.id), contents(BURST))).toBeNull();
    expect(bobGot.map((m) => m.message_id)).toEqual(acked.map((m) => m.message_id));
    // Both really went through a reconnect with catch-up.
    expect(a.states).toEqual(expect.arrayContaining(['reconnecting', 'syncing', 'live']));
    expect(b.states).toEqual(expect.arrayContaining(['reconnecting', 'syncing', 'live']));
  });
});

describe('a burst of 500 messages survives a server restart', () => {
  let database: TestDatabase;
  let processes: ServerProcess[] = [];
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await database?.drop();
  });

  it('delivers every message exactly once, in order, and stores each once, when the server process is killed and restarted on the same database', async () => {
    database = await createTestDatabase('sqlite');
    const env = { DATABASE_URL: database.url, RATE_LIMITS: 'off', LOG_LEVEL: 'error' };
    const first = await spawnServer(env);
    processes.push(first);
    const { alice, bob, conversation } = await pair(first.url);
    const a = await live(alice);
    const b = await live(bob);
    const bobGot = collectMessages(b.session, conversation.id);

    const sends = contents(BURST).map((content) => a.session.send(conversation.id, content));
    await waitUntil(() => bobGot.length >= 150, 'the first 150 messages');
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    await waitUntil(() => a.session.connectionState === 'reconnecting' && b.session.connectionState === 'reconnecting', 'both notice');
    const second = await spawnServer(env, { port: first.port });
    processes = [second];

    const acked = await Promise.all(sends);
    expect(acked.map((m) => m.content)).toEqual(contents(BURST));
    await waitUntil(() => bobGot.length >= BURST, 'all messages at bob', 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(expectExactly(bobGot, contents(BURST))).toBeNull();
    expect(expectExactly(await storedMessages(alice, conversation.id), contents(BURST))).toBeNull();
    expect(b.states).toEqual(expect.arrayContaining(['reconnecting', 'syncing', 'live']));
  }, 90_000);
});

describe('catch-up', () => {
  let server: TestServer;
  let proxy: TcpProxy;
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('delivers 1,000 messages missed while disconnected exactly once and in seq order, before newer live events', async () => {
    server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off' } });
    proxy = await startTcpProxy('127.0.0.1', Number(new URL(server.url).port));
    const { alice, conversation } = await pair(server.url);
    // Bob reaches the server through a proxy the test can cut.
    const { PneumaticClient } = await import('../src/client.js');
    const bobDirect = (await pair(server.url)).bob;
    await alice.addMember(conversation.id, bobDirect.user!.id);
    const bob = new PneumaticClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, token: bobDirect.token!, user: bobDirect.user! });
    cleanups.push(() => bob.close());
    const b = await live(bob);
    const bobGot = collectMessages(b.session, conversation.id);

    await alice.send(conversation.id, 'before');
    await waitUntil(() => bobGot.length === 1, 'the first message live');

    proxy.cut();
    await waitUntil(() => b.session.connectionState === 'reconnecting', 'bob notices');
    const missed = contents(MISSED, 'missed');
    for (let i = 0; i < MISSED; i += 100) {
      await Promise.all(missed.slice(i, i + 100).map((content) => alice.send(conversation.id, content)));
    }
    expect(bobGot.length).toBe(1);

    // Newer messages keep coming while bob catches up: they must wait behind the history.
    const liveOnes = contents(50, 'live');
    const syncing = new Promise<number>((resolve) => {
      const off = b.session.on('state', (s) => {
        if (s.state !== 'syncing') return;
        off();
        resolve(bobGot.length);
      });
    });
    proxy.restore();
    const receivedWhenSyncStarted = await syncing;
    const newer = Promise.all(liveOnes.map((content) => alice.send(conversation.id, content)));
    await newer;
    await waitUntil(() => bobGot.length >= 1 + MISSED + liveOnes.length, 'history and live messages', 30_000);
    await new Promise((r) => setTimeout(r, 300));

    expect(receivedWhenSyncStarted).toBe(1);
    expect(expectExactly(bobGot, ['before', ...missed, ...liveOnes])).toBeNull();
    expect(b.session.cursors()[conversation.id]).toBe(1 + MISSED + liveOnes.length);
    expect(b.session.state.unreadCount(conversation.id)).toBe(1 + MISSED + liveOnes.length);
  }, 150_000);

  it('resumes a later session from saved cursors', async () => {
    const { alice, bob, conversation } = await pair(server.url);
    const first = await bob.connect();
    const seen = collectMessages(first, conversation.id);
    await alice.send(conversation.id, 'seen');
    await waitUntil(() => seen.length === 1, 'seen');
    const saved = first.cursors();
    first.close();
    for (let i = 0; i < 5; i++) await alice.send(conversation.id, `offline ${i}`);
    const second = await bob.connect({ cursors: saved });
    const got = collectMessages(second, conversation.id);
    // connect() resolves once caught up; the events were emitted before it resolved.
    expect(second.state.messages(conversation.id).map((m) => m.content)).toEqual(contents(5, 'offline '));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });
});
