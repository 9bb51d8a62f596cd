/**
 * Regression: `logout({ all: true })` sent `DELETE /sessions/current?all=true`, and the server
 * ignores the query on that route, so only the caller's own token was revoked. "Log out
 * everywhere" must end every other token of the user: 401 on requests, sockets closed with 4401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../../test/helpers/dialects.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { TestSocket } from '../../../test/helpers/ws-client.js';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import type { SessionStateChange } from '../src/session/session-events.js';
import type { Session } from '../src/session/session.js';
import { registeredClient } from './helpers.js';

const SESSION_REVOKED = 4401;
const PASSWORD = 'correct horse battery';

for (const dialect of enabledDialects()) {
  describe(`logging out through the SDK [${dialect}]`, () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];
    const sessions: Session[] = [];
    beforeAll(async () => {
      server = await startServer({ dialect });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      for (const session of sessions) session.close();
      await server.close();
    });

    /** The user of `first` logged in a second time: a second token, with a raw socket and an SDK session on it. */
    async function secondDevice(first: PneumaticClient) {
      const second = new PneumaticClient({ baseUrl: server.url });
      await second.login(first.user!.username, PASSWORD);
      expect(second.token).not.toBe(first.token);
      const socket = await TestSocket.open(server.wsUrl, { token: second.token! });
      sockets.push(socket);
      const session = await second.connect();
      sessions.push(session);
      const closed = new Promise<SessionStateChange>((resolve) => session.on('state', (change) => change.state === 'closed' && resolve(change)));
      return { second, socket, session, closed };
    }

    /** The HTTP status `GET /users/me` answers with the client's token. */
    function status(client: PneumaticClient): Promise<number> {
      return client.me().then(
        () => 200,
        (error: unknown) => (error instanceof PneumaticError ? (error.status ?? -1) : -1),
      );
    }

    it('logout({ all: true }) revokes every token and closes their sockets with 4401', async () => {
      const first = await registeredClient(server.url, 'alice');
      const { second, socket, closed } = await secondDevice(first);
      const other = await registeredClient(server.url, 'bob');

      await first.logout({ all: true });
      expect(first.token).toBeNull();

      expect((await socket.waitForClose()).code).toBe(SESSION_REVOKED);
      expect(await closed).toMatchObject({ state: 'closed', code: SESSION_REVOKED });
      const revoked = await second.me().catch((error: unknown) => error);
      expect(revoked).toBeInstanceOf(PneumaticError);
      expect(revoked).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(await status(other)).toBe(200);
    });

    it('logout() revokes only its own token: the second one keeps working and its socket stays open', async () => {
      const first = await registeredClient(server.url, 'alice');
      const { second, socket, session } = await secondDevice(first);

      await first.logout();
      expect(first.token).toBeNull();

      await socket.request({ type: 'ping' }, (frame) => frame.type === 'pong');
      expect(socket.closed).toBeNull();
      expect(session.connectionState).toBe('live');
      expect(await status(second)).toBe(200);
    });
  });
}
