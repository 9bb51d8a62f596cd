/**
 * Password and sessions (docs/API.md, "Password and sessions"): the caller's login sessions are
 * listed with client, approximate network and last use; one is revoked (401 at once, its sockets
 * close with 4401); a password change needs the current password and logs out every other
 * session (their sockets close with 4401) while the calling one and API tokens keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, loginAgain, registerUser, registerUsers } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

async function loginWith(server: TestServer, username: string, password: string, userAgent: string): Promise<string> {
  const response = await new Api(server.url).post('/sessions', { username, password }, { headers: { 'user-agent': userAgent } });
  expect(response.status).toBe(201);
  return response.body.token;
}

for (const dialect of enabledDialects()) {
  describe(`password and sessions [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
    });
    afterAll(() => server.close());

    it('lists the caller’s login sessions with client, approximate network and last use, the current one marked; not API tokens, not others’', async () => {
      const [kim, lee] = await registerUsers(server.url, 'kim', 'lee');
      const laptop = await loginWith(server, kim.user.username, kim.password, FIREFOX);
      const phone = await loginWith(server, kim.user.username, kim.password, IPHONE);
      await kim.api.post('/tokens', { name: 'ci', scopes: ['messages:read'] });
      await loginAgain(lee);

      const listed = await kim.api.as(laptop).get('/sessions');
      expect(listed.status).toBe(200);
      const sessions: Record<string, any>[] = listed.body.sessions;
      expect(sessions).toHaveLength(3);
      const current = sessions.filter((s) => s.current);
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({ client: 'Firefox 133 on Linux', ip: '127.0.0.0/24' });
      expect(sessions.map((s) => s.client)).toContain('Safari 18 on iOS');
      for (const session of sessions) {
        expect(Object.keys(session).sort()).toEqual(['client', 'created_at', 'current', 'expires_at', 'id', 'ip', 'last_used_at']);
        expect(Date.parse(session.last_used_at)).toBeGreaterThanOrEqual(Date.parse(session.created_at));
      }
      // Most recently used first: the phone logged in after the laptop.
      const phoneEntry = (await kim.api.as(phone).get('/sessions')).body.sessions.find((s: { current: boolean }) => s.current);
      expect(sessions.findIndex((s) => s.id === phoneEntry.id)).toBeLessThan(sessions.findIndex((s) => s.current));
    });

    it('revokes one session: it answers 401 at once and its sockets close with 4401; the others keep working', async () => {
      const mia = await registerUser(server.url, 'mia');
      const other = await loginAgain(mia);
      const socket = await TestSocket.open(server.wsUrl, { token: other });
      const keep = await TestSocket.open(server.wsUrl, { token: mia.token });
      try {
        const otherId = (await mia.api.as(other).get('/sessions')).body.sessions.find((s: { current: boolean }) => s.current).id;
        expect((await mia.api.delete(`/sessions/${otherId}`)).status).toBe(204);
        expect((await socket.waitForClose()).code).toBe(4401);
        expectProblem(await mia.api.as(other).get('/users/me'), 401, 'unauthorized');
        expect((await mia.api.get('/users/me')).status).toBe(200);
        await keep.expectNone(() => false, 200);
        expect(keep.closed).toBeNull();
        expectProblem(await mia.api.delete(`/sessions/${otherId}`), 404, 'not_found');
      } finally {
        keep.ws.close();
      }
    });

    it('never revokes another user’s session or an API token through DELETE /sessions/{id}', async () => {
      const [ned, ola] = await registerUsers(server.url, 'ned', 'ola');
      const olaSession = (await ola.api.get('/sessions')).body.sessions[0].id;
      expectProblem(await ned.api.delete(`/sessions/${olaSession}`), 404, 'not_found');
      expect((await ola.api.get('/users/me')).status).toBe(200);
      const token = (await ned.api.post('/tokens', { name: 't', scopes: ['messages:read'] })).body;
      expectProblem(await ned.api.delete(`/sessions/${token.token.id}`), 404, 'not_found');
      expect((await ned.api.as(token.secret).get('/users/me')).status).toBe(200);
      expectProblem(await ned.api.delete('/sessions/not-a-uuid'), 400, 'invalid_request');
    });

    it('changes the password: the current one is required; every other session is logged out (sockets 4401); this one and API tokens stay', async () => {
      const pia = await registerUser(server.url, 'pia');
      const second = await loginAgain(pia);
      const third = await loginAgain(pia);
      const token = (await pia.api.post('/tokens', { name: 'bot', scopes: ['messages:read'] })).body.secret;
      const sockets = await Promise.all([second, third].map((t) => TestSocket.open(server.wsUrl, { token: t })));
      const mine = await TestSocket.open(server.wsUrl, { token: pia.token });
      try {
        expectProblem(await pia.api.post('/users/me/password', { current_password: 'wrong password', new_password: 'a new long password' }), 403, 'wrong_password');
        expect((await pia.api.as(second).get('/users/me')).status).toBe(200);
        expectProblem(await pia.api.post('/users/me/password', { current_password: pia.password, new_password: 'short' }), 400, 'invalid_request');
        expectProblem(await pia.api.post('/users/me/password', { current_password: pia.password }), 400, 'invalid_request');

        expect((await pia.api.post('/users/me/password', { current_password: pia.password, new_password: 'a new long password' })).status).toBe(204);
        for (const socket of sockets) expect((await socket.waitForClose()).code).toBe(4401);
        for (const revoked of [second, third]) expectProblem(await pia.api.as(revoked).get('/users/me'), 401, 'unauthorized');
        expect((await pia.api.get('/users/me')).status).toBe(200);
        expect((await pia.api.as(token).get('/users/me')).status).toBe(200);
        expect(mine.closed).toBeNull();
        expect((await pia.api.get('/sessions')).body.sessions).toHaveLength(1);

        expectProblem(await pia.api.as(null).post('/sessions', { username: pia.user.username, password: pia.password }), 401, 'invalid_credentials');
        expect((await pia.api.as(null).post('/sessions', { username: pia.user.username, password: 'a new long password' })).status).toBe(201);
      } finally {
        mine.ws.close();
      }
    });

    it('refuses a password change to a bot and to a token without account:manage', async () => {
      const quinn = await registerUser(server.url, 'quinn');
      const bot = (await quinn.api.post('/bots', { username: `bot${Date.now()}`.slice(0, 20) })).body;
      const botToken = (await quinn.api.post(`/bots/${bot.user.id}/tokens`, { name: 'b', scopes: ['account:manage'] })).body.secret;
      expectProblem(await quinn.api.as(botToken).post('/users/me/password', { current_password: 'x', new_password: 'a new long password' }), 403, 'forbidden');
      const readOnly = (await quinn.api.post('/tokens', { name: 'r', scopes: ['messages:read'] })).body.secret;
      expectProblem(await quinn.api.as(readOnly).post('/users/me/password', { current_password: quinn.password, new_password: 'a new long password' }), 403, 'insufficient_scope');
      expectProblem(await quinn.api.as(readOnly).get('/sessions'), 403, 'insufficient_scope');
    });
  });
}
