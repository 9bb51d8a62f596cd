import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAgain, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';

const SESSION_REVOKED = 4401;

for (const dialect of enabledDialects()) {
  describe(`logout closes sockets [${dialect}]`, () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];
    const open = async (token: string, tokenInQuery = false) => {
      const socket = await TestSocket.open(server.wsUrl, { token, tokenInQuery });
      sockets.push(socket);
      return socket;
    };
    beforeAll(async () => {
      server = await startServer({ dialect });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await server.close();
    });

    it("DELETE /sessions/current closes every socket of that token with 4401 and leaves the user's other sessions open", async () => {
      const alice: TestUser = await registerUser(server.url, 'alice');
      const bob = await registerUser(server.url, 'bob');
      const otherToken = await loginAgain(alice);
      const [a1, a2, a3, other1, other2, bobSocket] = await Promise.all([
        open(alice.token),
        open(alice.token, true),
        open(alice.token),
        open(otherToken),
        open(otherToken, true),
        open(bob.token),
      ]);
      expect((await alice.api.delete('/sessions/current')).status).toBe(204);
      for (const socket of [a1, a2, a3]) expect((await socket.waitForClose()).code).toBe(SESSION_REVOKED);
      for (const socket of [other1, other2, bobSocket]) {
        await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
        expect(socket.closed).toBeNull();
      }
      expect((await alice.api.get('/users/me')).status).toBe(401);
      expect((await alice.api.as(otherToken).get('/users/me')).status).toBe(200);
    });

    it('the revoked token can no longer open a socket (401), in the header or the query', async () => {
      const alice = await registerUser(server.url, 'alice');
      expect((await alice.api.delete('/sessions/current')).status).toBe(204);
      expect(await upgradeStatus(server.wsUrl, { token: alice.token })).toBe(401);
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, tokenInQuery: true })).toBe(401);
      expect(await upgradeStatus(server.wsUrl, { token: alice.token, path: `/ws/${alice.user.id}` })).toBe(401);
    });

    it('DELETE /sessions?all=true closes every socket of every session of the user with 4401, and no one else\'s', async () => {
      const alice = await registerUser(server.url, 'alice');
      const bob = await registerUser(server.url, 'bob');
      const second = await loginAgain(alice);
      const third = await loginAgain(alice);
      const mine = await Promise.all([open(alice.token), open(alice.token, true), open(second), open(second), open(third)]);
      const bobSocket = await open(bob.token);
      expect((await alice.api.as(second).delete('/sessions?all=true')).status).toBe(204);
      for (const socket of mine) expect((await socket.waitForClose()).code).toBe(SESSION_REVOKED);
      await bobSocket.request({ type: 'ping' }, (f) => f.type === 'pong');
      for (const token of [alice.token, second, third]) {
        expect(await upgradeStatus(server.wsUrl, { token })).toBe(401);
        expect((await alice.api.as(token).get('/users/me')).status).toBe(401);
      }
      const fresh = await loginAgain(alice);
      const socket = await open(fresh);
      await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
    });

    it('a closed socket gets no further events', async () => {
      const alice = await registerUser(server.url, 'alice');
      const bob = await registerUser(server.url, 'bob');
      const socket = await open(alice.token);
      await alice.api.delete('/sessions/current');
      expect((await socket.waitForClose()).code).toBe(SESSION_REVOKED);
      const seen = socket.frames.length;
      await bob.api.post('/conversations', { title: 't', member_ids: [alice.user.id] });
      await new Promise((r) => setTimeout(r, 200));
      expect(socket.frames.length).toBe(seen);
    });
  });
}
