/**
 * Presence through the SDK against a real server: `session.state.presence(userId)` from frames
 * and, on every (re)connect, from GET /presence; `session.setActivity` deduplicated, and sent
 * again on a new socket (the server forgets a device with its socket).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import type { PneumaticClient } from '../src/client.js';
import type { UserPresence } from '../src/types.js';
import { registeredClient, waitUntil } from './helpers.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

describe('presence in the SDK', () => {
  let server: TestServer;
  const cleanups: Array<() => unknown> = [];
  beforeAll(async () => {
    server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off', PRESENCE_AWAY_SECONDS: '1', PRESENCE_COALESCE_SECONDS: '1' } });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => server?.close());

  const pair = async () => {
    const alice = await registeredClient(server.url, 'alice');
    const bob = await registeredClient(server.url, 'bob');
    cleanups.push(() => alice.close(), () => bob.close());
    const conversation = await alice.createConversation({ title: 'presence', member_ids: [bob.user!.id] });
    return { alice, bob, conversation };
  };
  const viewers = (conversationId: string, client: PneumaticClient) => server.app.pneumatic.presence.directory.viewersOf(conversationId, [client.user!.id]);

  it("holds a contact's presence from frames: online, away, offline, with an event and a state change for each", async () => {
    const { alice, bob } = await pair();
    const bobSession = await bob.connect();
    const events: UserPresence[] = [];
    const changed: string[] = [];
    bobSession.on('presence', (p) => events.push(p));
    bobSession.state.changes.on('presence', (id) => changed.push(id));
    // First what GET /presence said as Bob's session went live: Alice never seen.
    await waitUntil(() => bobSession.state.presence(alice.user!.id) !== undefined, 'the answer of GET /presence');
    expect(bobSession.state.presence(alice.user!.id)).toEqual({ status: 'offline', last_seen_at: null });
    const aliceSession = await alice.connect();
    await waitUntil(() => bobSession.state.presence(alice.user!.id)?.status === 'online', 'alice online');
    aliceSession.setActivity({ state: 'idle', viewing: null });
    await waitUntil(() => bobSession.state.presence(alice.user!.id)?.status === 'away', 'alice away');
    aliceSession.close();
    await waitUntil(() => bobSession.state.presence(alice.user!.id)?.status === 'offline', 'alice offline');
    expect(events.map((e) => e.status)).toEqual(['offline', 'online', 'away', 'offline']);
    expect(changed).toEqual(Array(4).fill(alice.user!.id));
    expect(bobSession.state.presence(alice.user!.id)!.last_seen_at).toEqual(expect.any(String));
  });

  it('asks GET /presence on connect about everyone it shares a conversation with', async () => {
    const { alice, bob } = await pair();
    await alice.connect();
    // Past the window: Bob's session gets no frame for Alice, only the answer of GET /presence.
    await new Promise((r) => setTimeout(r, 1200));
    const bobSession = await bob.connect();
    await waitUntil(() => bobSession.state.presence(alice.user!.id) !== undefined, "alice's presence");
    expect(bobSession.state.presence(alice.user!.id)).toEqual({ status: 'online', last_seen_at: expect.any(String) });
    expect(await bob.getPresence([alice.user!.id, bob.user!.id])).toEqual([
      { user_id: alice.user!.id, status: 'online', last_seen_at: expect.any(String) },
      { user_id: bob.user!.id, status: 'online', last_seen_at: expect.any(String) },
    ]);
  });

  it('sends the activity report again on a new socket, so the server knows what the device views after a reconnect', async () => {
    const { alice, conversation } = await pair();
    const session = await alice.connect({ backoff: FAST_RECONNECT });
    session.setActivity({ state: 'active', viewing: conversation.id });
    await expect.poll(() => viewers(conversation.id, alice)).toEqual(new Set([alice.user!.id]));
    session.reconnect();
    await waitUntil(() => session.connectionState !== 'live', 'the reconnect to start', 2000).catch(() => {});
    await waitUntil(() => session.connectionState === 'live', 'live again');
    await expect.poll(() => viewers(conversation.id, alice)).toEqual(new Set([alice.user!.id]));
    session.setActivity({ state: 'active', viewing: null });
    await expect.poll(() => viewers(conversation.id, alice)).toEqual(new Set());
  });
});
