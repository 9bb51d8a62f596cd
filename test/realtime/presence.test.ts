/**
 * Presence on one process (docs/API.md, "Presence"): frames to users sharing a conversation,
 * online → away → offline, coalescing, GET /presence and its visibility rule, and `viewing`.
 * Three processes with one killed: test/integration/presence-processes.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, TestSocket, type Frame } from '../helpers/ws-client.js';

const presenceOf = (userId: string, status?: string) => (f: Frame) => f.type === 'presence' && f.user_id === userId && (status === undefined || f.status === status);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const dialect of enabledDialects()) {
  describe(`presence [${dialect}]`, () => {
    let server: TestServer;
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      // Away after a second without activity; at most one frame per user per second.
      server = await startServer({ dialect, env: { PRESENCE_AWAY_SECONDS: '1', PRESENCE_COALESCE_SECONDS: '1' } });
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    /** Alice and Bob share a conversation; Carol shares none with either. */
    const trio = async () => {
      const [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
      const conversation = await createConversation(alice!, [bob!]);
      return { alice: alice!, bob: bob!, carol: carol!, conversation };
    };

    it('tells users who share a conversation: online, away after PRESENCE_AWAY_SECONDS without activity, offline on close', async () => {
      const { alice, bob, carol } = await trio();
      const [bobSocket, carolSocket] = await Promise.all([pool.open(bob), pool.open(carol)]);
      const connectedAt = Date.now();
      const aliceSocket = await TestSocket.open(server.wsUrl, { token: alice.token });
      aliceSocket.send({ type: 'activity', state: 'active', viewing: null });
      const online = await bobSocket.waitFor(presenceOf(alice.user.id, 'online'));
      expect(online).toEqual({ type: 'presence', user_id: alice.user.id, status: 'online', last_seen_at: expect.any(String) });
      aliceSocket.send({ type: 'activity', state: 'idle', viewing: null });
      const idleSince = Date.now();
      const away = await bobSocket.waitFor(presenceOf(alice.user.id, 'away'), 5000);
      // Away a second after the last activity, give or take a tick and the coalescing window
      // (generous bounds: the machine may be busy), last seen at that activity.
      expect(Date.now() - idleSince).toBeLessThan(4000);
      expect(Date.parse(away.last_seen_at)).toBeGreaterThanOrEqual(connectedAt);
      expect(Date.parse(away.last_seen_at)).toBeLessThanOrEqual(Date.now() - 900);
      const closedAt = Date.now();
      aliceSocket.close();
      const offline = await bobSocket.waitFor(presenceOf(alice.user.id, 'offline'), 5000);
      expect(Date.now() - closedAt).toBeLessThan(4000);
      expect(offline.last_seen_at).toBe(away.last_seen_at);
      // Carol shares nothing with Alice: not one frame about her.
      await carolSocket.expectNone(presenceOf(alice.user.id), 200);
      expect(carolSocket.frames.filter(presenceOf(alice.user.id))).toEqual([]);
    });

    it('counts a client that never reports activity (v1) as online for as long as it is connected', async () => {
      const { alice, bob } = await trio();
      const bobSocket = await pool.open(bob);
      const aliceSocket = await pool.open(alice);
      await bobSocket.waitFor(presenceOf(alice.user.id, 'online'));
      await bobSocket.expectNone(presenceOf(alice.user.id, 'away'), 2500);
      const answer = await bob.api.get(`/presence?user_ids=${alice.user.id}`);
      expect(answer.body.presence).toMatchObject([{ user_id: alice.user.id, status: 'online' }]);
      aliceSocket.close();
      await bobSocket.waitFor(presenceOf(alice.user.id, 'offline'), 5000);
    });

    it('sends nothing for a flap within the window that ends where it started (a reload)', async () => {
      const { alice, bob } = await trio();
      const bobSocket = await pool.open(bob);
      const first = await TestSocket.open(server.wsUrl, { token: alice.token });
      await bobSocket.waitFor(presenceOf(alice.user.id, 'online'));
      first.close();
      await first.waitForClose();
      const second = await pool.open(alice);
      await bobSocket.expectNone(presenceOf(alice.user.id, 'offline'), 1800);
      expect(bobSocket.frames.filter(presenceOf(alice.user.id))).toHaveLength(1);
      second.close();
    });

    it('holds a change within the window and sends the latest status once it ends', async () => {
      const { alice, bob } = await trio();
      const bobSocket = await pool.open(bob);
      const aliceSocket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const online = await bobSocket.waitFor(presenceOf(alice.user.id, 'online'));
      const onlineAt = Date.now();
      aliceSocket.close();
      await bobSocket.waitFor(presenceOf(alice.user.id, 'offline'), 5000);
      // Not before the window (1 s) since the online frame ended.
      expect(Date.now() - onlineAt).toBeGreaterThanOrEqual(900);
      expect(bobSocket.frames.filter(presenceOf(alice.user.id))).toEqual([online, expect.objectContaining({ status: 'offline' })]);
    });

    describe('GET /presence', () => {
      it('lists only the caller and users who share a conversation, in the order asked; unknown ids and outsiders are left out alike', async () => {
        const { alice, bob, carol } = await trio();
        const aliceSocket = await pool.open(alice);
        const ids = [carol.user.id, randomUUID(), alice.user.id.toUpperCase(), bob.user.id, alice.user.id];
        const answer = await bob.api.get(`/presence?user_ids=${ids.join(',')}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          presence: [
            { user_id: alice.user.id, status: 'online', last_seen_at: expect.any(String) },
            { user_id: bob.user.id, status: 'offline', last_seen_at: null },
          ],
        });
        const carolAnswer = await carol.api.get(`/presence?user_ids=${alice.user.id},${bob.user.id},${randomUUID()}`);
        expect(carolAnswer.body).toEqual({ presence: [] });
        aliceSocket.close();
      });

      it('gives an offline user the time they were last online, also after the server forgot them', async () => {
        const { alice, bob } = await trio();
        const aliceSocket = await TestSocket.open(server.wsUrl, { token: alice.token });
        await sleep(100);
        aliceSocket.close();
        await aliceSocket.waitForClose();
        await sleep(1500);
        const answer = await bob.api.get(`/presence?user_ids=${alice.user.id}`);
        expect(answer.body.presence).toEqual([{ user_id: alice.user.id, status: 'offline', last_seen_at: expect.any(String) }]);
        expect(Date.now() - Date.parse(answer.body.presence[0].last_seen_at)).toBeLessThan(5000);
        // Written to users.last_seen_at as she left (batched, within a second), for after a restart.
        const stored = await server.app.pneumatic.store.presence.lastSeen([alice.user.id]);
        expect(stored.get(alice.user.id)).toBe(Date.parse(answer.body.presence[0].last_seen_at));
      });

      it.each([
        ['no user_ids', ''],
        ['an empty list', '?user_ids='],
        ['a malformed id', '?user_ids=not-a-uuid'],
        ['a trailing comma', `?user_ids=${randomUUID()},`],
        ['101 ids', `?user_ids=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`],
      ])('refuses %s with 400 invalid_request', async (_name, query) => {
        const { bob } = await trio();
        const answer = await bob.api.get(`/presence${query}`);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'invalid_request', errors: [{ pointer: '/user_ids' }] });
      });

      it('accepts 100 ids', async () => {
        const { bob } = await trio();
        const answer = await bob.api.get(`/presence?user_ids=${Array.from({ length: 100 }, () => randomUUID()).join(',')}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ presence: [] });
      });
    });

    describe('the activity frame', () => {
      it('records the conversation a device views, for the push dispatcher, and forgets it when the device closes or looks elsewhere', async () => {
        const { alice, bob, conversation } = await trio();
        const aliceSocket = await TestSocket.open(server.wsUrl, { token: alice.token });
        const viewers = () => server.app.pneumatic.presence.directory.viewersOf(conversation.id, [alice.user.id, bob.user.id]);
        aliceSocket.send({ type: 'activity', state: 'active', viewing: conversation.id.toUpperCase() });
        await expect.poll(viewers).toEqual(new Set([alice.user.id]));
        aliceSocket.send({ type: 'activity', state: 'idle', viewing: null });
        await expect.poll(viewers).toEqual(new Set());
        aliceSocket.send({ type: 'activity', state: 'active', viewing: conversation.id });
        await expect.poll(viewers).toEqual(new Set([alice.user.id]));
        aliceSocket.close();
        await expect.poll(viewers).toEqual(new Set());
        expect(aliceSocket.frames.filter((f) => f.type === 'error')).toEqual([]);
      });

      it('refuses a conversation the user is not a member of (403 not_member) or that does not exist (404), and keeps nothing of the frame', async () => {
        const { bob, carol, conversation } = await trio();
        const carolSocket = await pool.open(carol);
        const refused = await carolSocket.request({ type: 'activity', state: 'active', viewing: conversation.id }, (f) => f.type === 'error');
        expect(refused).toMatchObject({ type: 'error', code: 'not_member', ref: null });
        const unknown = await carolSocket.request({ type: 'activity', state: 'active', viewing: randomUUID() }, (f) => f.type === 'error');
        expect(unknown).toMatchObject({ type: 'error', code: 'not_found' });
        const viewers = await server.app.pneumatic.presence.directory.viewersOf(conversation.id, [carol.user.id, bob.user.id]);
        expect(viewers).toEqual(new Set());
      });

      it.each([
        ['no state', { type: 'activity', viewing: null }, '/state'],
        ['an unknown state', { type: 'activity', state: 'busy', viewing: null }, '/state'],
        ['no viewing', { type: 'activity', state: 'active' }, '/viewing'],
        ['a viewing that is not a UUID', { type: 'activity', state: 'active', viewing: 'inbox' }, '/viewing'],
      ])('refuses %s with invalid_request naming the field', async (_name, frame, pointer) => {
        const { bob } = await trio();
        const socket = await pool.open(bob);
        const refused = await socket.request(frame, (f) => f.type === 'error');
        expect(refused).toMatchObject({ code: 'invalid_request' });
        expect(refused.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      });
    });
  });
}
