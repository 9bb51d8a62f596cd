/**
 * Heartbeat: the server pings every WS_HEARTBEAT_MS and terminates a peer that did not answer the
 * previous ping, so dead peers (a client whose library does not answer pings, a peer that stopped
 * reading) are dropped after at most two intervals and stop counting against the caps.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const HEARTBEAT_MS = 1000;

/** A socket whose library does not answer pings (ws 8: autoPong false). */
function openMute(wsUrl: string, token: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; at: number }>; pings: () => number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/ws`, { autoPong: false, headers: { authorization: `Bearer ${token}` } });
    let pings = 0;
    ws.on('ping', () => pings++);
    ws.on('error', () => {});
    const closed = new Promise<{ code: number; at: number }>((r) => ws.once('close', (code) => r({ code, at: Date.now() })));
    ws.once('open', () => resolve({ ws, closed, pings: () => pings }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
  });
}

async function openConnections(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('pneumatic_ws_connections '));
  return Number(line?.split(' ')[1] ?? NaN);
}

for (const dialect of enabledDialects()) {
  describe(`WebSocket heartbeat [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { WS_HEARTBEAT_MS: String(HEARTBEAT_MS), WS_MAX_CONNECTIONS_PER_USER: '2' } });
      alice = await registerUser(server.url, 'heartbeat');
    });
    afterAll(() => server.close());

    it('terminates a client that does not answer pings within two intervals, and keeps one that does', async () => {
      const healthy = await TestSocket.open(server.wsUrl, { token: alice.token });
      const mute = await openMute(server.wsUrl, alice.token);
      const openedAt = Date.now();
      const { code, at } = await Promise.race([
        mute.closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the mute client was never dropped')), 6 * HEARTBEAT_MS)),
      ]);
      const after = at - openedAt;
      console.log(`[heartbeat] WS_HEARTBEAT_MS=${HEARTBEAT_MS}: mute client terminated after ${after} ms (${mute.pings()} pings unanswered), close code ${code}`);
      // Between one and two intervals after opening, with slack for a busy machine.
      expect(after).toBeGreaterThanOrEqual(HEARTBEAT_MS - 100);
      expect(after).toBeLessThanOrEqual(2 * HEARTBEAT_MS + 1500);
      expect(mute.pings()).toBeGreaterThanOrEqual(1);
      // Terminated, not closed politely: the peer is presumed dead.
      expect(code).toBe(1006);
      // The answering client lives on past several intervals.
      await new Promise((r) => setTimeout(r, 3 * HEARTBEAT_MS));
      expect(healthy.closed).toBeNull();
      expect(await healthy.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
      healthy.close();
    }, 20_000);

    it('frees the dropped peer from the registry and from the per-user cap', async () => {
      const bob = await registerUser(server.url, 'heartcap');
      const before = await openConnections(server.url);
      const mutes = [await openMute(server.wsUrl, bob.token), await openMute(server.wsUrl, bob.token)];
      expect(await openConnections(server.url)).toBe(before + 2);
      await Promise.all(mutes.map((m) => m.closed));
      await new Promise((r) => setTimeout(r, 100));
      expect(await openConnections(server.url)).toBe(before);
      // Both slots of the cap are free again.
      const a = await TestSocket.open(server.wsUrl, { token: bob.token });
      const b = await TestSocket.open(server.wsUrl, { token: bob.token });
      a.close();
      b.close();
    }, 20_000);

    it('drops a peer that stopped reading altogether (TCP paused: pings go unanswered)', async () => {
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const raw = (socket.ws as unknown as { _socket: import('node:net').Socket })._socket;
      const before = await openConnections(server.url);
      raw.pause();
      const deadline = Date.now() + 6 * HEARTBEAT_MS;
      let now = before;
      while (Date.now() < deadline && now >= before) {
        await new Promise((r) => setTimeout(r, 200));
        now = await openConnections(server.url);
      }
      console.log(`[heartbeat] paused peer: server connections ${before} → ${now}`);
      expect(now).toBe(before - 1);
      socket.ws.terminate();
    }, 20_000);

    it('counts any frame as a sign of life: a client that sends frames but never pongs is kept', async () => {
      const mute = await openMute(server.wsUrl, alice.token);
      let closed = false;
      void mute.closed.then(() => (closed = true));
      const timer = setInterval(() => mute.ws.send(JSON.stringify({ type: 'ping' })), HEARTBEAT_MS / 4);
      await new Promise((r) => setTimeout(r, 4 * HEARTBEAT_MS));
      clearInterval(timer);
      expect(closed).toBe(false);
      mute.ws.terminate();
    }, 20_000);
  });
}
