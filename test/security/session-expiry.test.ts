/**
 * Issue 13, defect 3 ("an expired token keeps its open sockets"): a socket lives no longer than
 * the token it was opened with. At expiry it is closed with 4401, as at logout, and a frame that
 * arrives between expiry and the close is not acted on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, loginAgain, registerUsers } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';

const SESSION_REVOKED = 4401;
const TTL_SECONDS = 3;

for (const dialect of enabledDialects()) {
  // Concurrent: each test has its own users, and most of its time is spent waiting for expiry.
  describe.concurrent(`session expiry closes sockets [${dialect}]`, () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];
    beforeAll(async () => {
      server = await startServer({ dialect, env: { SESSION_TTL_SECONDS: String(TTL_SECONDS) } });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await server.close();
    });

    it('regression (issue 13, defect 3): an expired token keeps its open sockets — at expiry they close with 4401 and a later send is neither acked nor stored', async () => {
      const [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
      const conversation = await createConversation(alice, [bob]);
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      sockets.push(socket);
      const before = randomUUID();
      const ack = await socket.request({ type: 'message', message_id: before, conversation_id: conversation.id, content: 'before expiry' }, (f) => f.type === 'ack');
      expect(ack.message.message_id).toBe(before);

      while ((await alice.api.get('/users/me')).status !== 401) await new Promise((r) => setTimeout(r, 50));
      const after = randomUUID();
      const seen = socket.frames.length;
      socket.send({ type: 'message', message_id: after, conversation_id: conversation.id, content: 'after expiry' });
      expect((await socket.waitForClose(3000)).code).toBe(SESSION_REVOKED);
      expect(socket.frames.slice(seen).filter((f) => f.type === 'ack')).toEqual([]);

      const history = await bob.api.as(await loginAgain(bob)).get(`/conversations/${conversation.id}/messages`);
      expect(history.status).toBe(200);
      const ids = (history.body.messages as { message_id: string }[]).map((m) => m.message_id);
      expect(ids).toContain(before);
      expect(ids).not.toContain(after);
    });

    it('idle sockets (token in the header, or ?token= on the seed path) are closed with 4401 within a second or so of expiry, and the token opens no new one', async () => {
      const [carol] = await registerUsers(server.url, 'carol');
      const opened = Date.now();
      const socket = await TestSocket.open(server.wsUrl, { token: carol.token });
      const viaQuery = await TestSocket.open(server.wsUrl, { token: carol.token, tokenInQuery: true, path: `/ws/${carol.user.id}` });
      sockets.push(socket, viaQuery);
      for (const s of [socket, viaQuery]) expect((await s.waitForClose((TTL_SECONDS + 3) * 1000)).code).toBe(SESSION_REVOKED);
      expect(Date.now() - opened).toBeLessThan((TTL_SECONDS + 2) * 1000);
      expect(await upgradeStatus(server.wsUrl, { token: carol.token })).toBe(401);
    });

    it('a socket opened with a fresh token of the same user stays open while the old one closes', async () => {
      const [dave] = await registerUsers(server.url, 'dave');
      const old = await TestSocket.open(server.wsUrl, { token: dave.token });
      sockets.push(old);
      await new Promise((r) => setTimeout(r, 1000));
      const fresh = await TestSocket.open(server.wsUrl, { token: await loginAgain(dave) });
      sockets.push(fresh);
      expect((await old.waitForClose((TTL_SECONDS + 3) * 1000)).code).toBe(SESSION_REVOKED);
      await fresh.request({ type: 'ping' }, (f) => f.type === 'pong');
      expect(fresh.closed).toBeNull();
    });
  });
}
