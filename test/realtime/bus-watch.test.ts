/**
 * The gateway tells the event bus which users this process serves (watchUser) from the upgrade,
 * before the socket opens, until the socket's TCP connection closes: during the handshake the TCP
 * socket's close ends the watch, once the socket is open the connection's close does. Every
 * watch taken is ended exactly once, however the socket goes.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { EventBus } from '../../src/bus/event-bus.js';
import { LocalEventBus } from '../../src/bus/local-event-bus.js';
import { loadConfig } from '../../src/config/config.js';
import type { TypedApp } from '../../src/http/route-context.js';
import { registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { TestSocket } from '../helpers/ws-client.js';

/** A one-process bus that counts the watches it holds per user. */
function countingBus(): { bus: EventBus; holds: Map<string, number> } {
  const holds = new Map<string, number>();
  const bus: EventBus = new LocalEventBus();
  bus.watchUser = async (userId) => {
    holds.set(userId, (holds.get(userId) ?? 0) + 1);
  };
  bus.unwatchUser = (userId) => {
    holds.set(userId, (holds.get(userId) ?? 0) - 1);
  };
  return { bus, holds };
}

/** Resolves once `probe` holds, checking each few milliseconds; fails after 5 s. */
async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const dialect of enabledDialects()) {
  describe(`GET /ws and the bus watch [${dialect}]`, () => {
    let app: TypedApp;
    let database: TestDatabase;
    let wsUrl: string;
    let url: string;
    const { bus, holds } = countingBus();
    let alice: TestUser;
    const held = () => holds.get(alice.user.id) ?? 0;
    const open = () => app.pneumatic.registry.forUser(alice.user.id)?.size ?? 0;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PASSWORD_HASH_COST: 'test', DATABASE_URL: database.url });
      app = await buildApp(config, { bus });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      url = `http://127.0.0.1:${port}`;
      wsUrl = `ws://127.0.0.1:${port}`;
      alice = await registerUser(url, 'watch');
    });
    afterAll(async () => {
      await app.close();
      await database.drop();
    });

    it('holds one watch per open socket of the user, and ends each when its socket closes', async () => {
      const first = await TestSocket.open(wsUrl, { token: alice.token });
      const second = await TestSocket.open(wsUrl, { token: alice.token });
      expect(held()).toBe(2);
      first.close();
      await first.waitForClose();
      await until(() => open() === 1, 'the server to drop the first socket');
      expect(held()).toBe(1);
      second.close();
      await second.waitForClose();
      await until(() => open() === 0, 'the server to drop the second socket');
      expect(held()).toBe(0);
    });

    it('ends the watch once when the client cuts the TCP connection without a close frame', async () => {
      const socket = await TestSocket.open(wsUrl, { token: alice.token });
      expect(held()).toBe(1);
      socket.ws.terminate();
      await until(() => open() === 0, 'the server to drop the socket');
      expect(held()).toBe(0);
    });

    it('ends the watch once when the server closes the socket (logout)', async () => {
      const socket = await TestSocket.open(wsUrl, { token: alice.token });
      expect(held()).toBe(1);
      const token = alice.token;
      const response = await fetch(`${url}/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(204);
      await socket.waitForClose();
      await until(() => open() === 0, 'the server to drop the socket');
      expect(held()).toBe(0);
    });
  });
}
