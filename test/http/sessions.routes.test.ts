import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`sessions routes [${dialect}]`, () => {
    let server: TestServer;
    let anonymous: Api;
    beforeAll(async () => {
      server = await startServer({ dialect });
      anonymous = new Api(server.url);
    });
    afterAll(() => server.close());

    /** Logs in as `user` and returns the new token. */
    async function login(user: TestUser): Promise<string> {
      const response = await anonymous.post('/sessions', { username: user.user.username, password: user.password });
      expect(response.status).toBe(201);
      return response.body.token as string;
    }

    describe('POST /sessions', () => {
      it('returns 201 with the user and a new working token', async () => {
        const alice = await registerUser(server.url, 'alice');
        const response = await anonymous.post('/sessions', { username: alice.user.username, password: alice.password });
        expect(response.status).toBe(201);
        expect(Object.keys(response.body).sort()).toEqual(['token', 'user']);
        expect(response.body.user).toEqual(alice.user);
        expect(typeof response.body.token).toBe('string');
        expect(response.body.token).not.toBe(alice.token);
        const me = await anonymous.as(response.body.token).get('/users/me');
        expect(me.status).toBe(200);
        expect(me.body).toEqual(alice.user);
      });

      it('accepts the username in a different case', async () => {
        const alice = await registerUser(server.url, 'alice');
        const response = await anonymous.post('/sessions', { username: alice.user.username.toUpperCase(), password: alice.password });
        expect(response.status).toBe(201);
        expect(response.body.user.id).toBe(alice.user.id);
      });

      it('returns 401 invalid_credentials when the password is wrong', async () => {
        const alice = await registerUser(server.url, 'alice');
        expectProblem(await anonymous.post('/sessions', { username: alice.user.username, password: 'wrong password' }), 401, 'invalid_credentials');
      });

      it('returns 401 invalid_credentials when the user does not exist', async () => {
        expectProblem(await anonymous.post('/sessions', { username: 'nobody_here_at_all', password: 'whatever123' }), 401, 'invalid_credentials');
      });

      it('answers an unknown user and a wrong password identically', async () => {
        const alice = await registerUser(server.url, 'alice');
        const wrong = await anonymous.post('/sessions', { username: alice.user.username, password: 'wrong password' });
        const unknown = await anonymous.post('/sessions', { username: `${alice.user.username.slice(0, 28)}zzzz`, password: 'wrong password' });
        expectProblem(wrong, 401, 'invalid_credentials');
        expectProblem(unknown, 401, 'invalid_credentials');
        expect(unknown.body).toEqual(wrong.body);
        expect(unknown.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
      });

      it('returns 400 invalid_request when a field is missing, null or of the wrong type', async () => {
        for (const body of [{}, { username: 'someone_x' }, { password: 'password1' }, { username: null, password: 'password1' }, { username: 'someone_x', password: 12345678 }]) {
          expectProblem(await anonymous.post('/sessions', body), 400, 'invalid_request');
        }
      });
    });

    describe('DELETE /sessions/current', () => {
      it('returns 204 and the token gives 401 at once', async () => {
        const alice = await registerUser(server.url, 'alice');
        const response = await alice.api.delete('/sessions/current');
        expect(response.status).toBe(204);
        expect(response.body).toBe('');
        expectProblem(await alice.api.get('/users/me'), 401, 'unauthorized');
        expectProblem(await alice.api.delete('/sessions/current'), 401, 'unauthorized');
      });

      it("keeps the user's other tokens working", async () => {
        const alice = await registerUser(server.url, 'alice');
        const second = await login(alice);
        expect((await alice.api.delete('/sessions/current')).status).toBe(204);
        expectProblem(await alice.api.get('/users/me'), 401);
        const me = await anonymous.as(second).get('/users/me');
        expect(me.status).toBe(200);
        expect(me.body.id).toBe(alice.user.id);
      });

      it("does not affect other users' tokens", async () => {
        const alice = await registerUser(server.url, 'alice');
        const bob = await registerUser(server.url, 'bob');
        expect((await alice.api.delete('/sessions/current')).status).toBe(204);
        expect((await bob.api.get('/users/me')).status).toBe(200);
      });

      it('lets the user log in again afterwards', async () => {
        const alice = await registerUser(server.url, 'alice');
        expect((await alice.api.delete('/sessions/current')).status).toBe(204);
        const token = await login(alice);
        expect((await anonymous.as(token).get('/users/me')).status).toBe(200);
      });

      it('returns 401 without a token', async () => {
        expectProblem(await anonymous.delete('/sessions/current'), 401, 'unauthorized');
      });

      it('with all=true revokes every token of the user, as DELETE /sessions?all=true does', async () => {
        const alice = await registerUser(server.url, 'alice');
        const bob = await registerUser(server.url, 'bob');
        const second = await login(alice);
        expect((await alice.api.delete('/sessions/current?all=true')).status).toBe(204);
        for (const token of [alice.token, second]) expectProblem(await anonymous.as(token).get('/users/me'), 401, 'unauthorized');
        expect((await bob.api.get('/users/me')).status).toBe(200);
      });

      it('returns 400 when all is not a boolean, and revokes nothing', async () => {
        const alice = await registerUser(server.url, 'alice');
        expectProblem(await alice.api.delete('/sessions/current?all=yes'), 400, 'invalid_request');
        expect((await alice.api.get('/users/me')).status).toBe(200);
      });
    });

    describe('DELETE /sessions', () => {
      it('revokes only the current token without all=true (and with all=false)', async () => {
        for (const query of ['', '?all=false']) {
          const alice = await registerUser(server.url, 'alice');
          const second = await login(alice);
          expect((await alice.api.delete(`/sessions${query}`)).status).toBe(204);
          expectProblem(await alice.api.get('/users/me'), 401, 'unauthorized');
          expect((await anonymous.as(second).get('/users/me')).status).toBe(200);
        }
      });

      it('returns 400 when all is not a boolean, and revokes nothing', async () => {
        const alice = await registerUser(server.url, 'alice');
        expectProblem(await alice.api.delete('/sessions?all=yes'), 400, 'invalid_request');
        expect((await alice.api.get('/users/me')).status).toBe(200);
      });
    });

    describe('DELETE /sessions?all=true', () => {
      it('returns 204 and revokes every token of the user', async () => {
        const alice = await registerUser(server.url, 'alice');
        const second = await login(alice);
        const third = await login(alice);
        const response = await anonymous.as(second).delete('/sessions?all=true');
        expect(response.status).toBe(204);
        for (const token of [alice.token, second, third]) {
          expectProblem(await anonymous.as(token).get('/users/me'), 401, 'unauthorized');
        }
      });

      it("leaves other users' tokens working", async () => {
        const alice = await registerUser(server.url, 'alice');
        const bob = await registerUser(server.url, 'bob');
        expect((await alice.api.delete('/sessions?all=true')).status).toBe(204);
        expect((await bob.api.get('/users/me')).status).toBe(200);
      });

      it('still lets the user log in again', async () => {
        const alice = await registerUser(server.url, 'alice');
        expect((await alice.api.delete('/sessions?all=true')).status).toBe(204);
        const token = await login(alice);
        expect((await anonymous.as(token).get('/users/me')).status).toBe(200);
      });

      it('returns 401 without a token', async () => {
        expectProblem(await anonymous.delete('/sessions?all=true'), 401, 'unauthorized');
      });
    });
  });
}
