import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'correct horse battery';

let nameCounter = 0;
/** A fresh valid username (letters, digits, underscore), unique within the run. */
function freshName(prefix = 'u'): string {
  return `${prefix}_${randomUUID().slice(0, 8)}${++nameCounter}`.slice(0, 32);
}

for (const dialect of enabledDialects()) {
  describe(`users routes [${dialect}]`, () => {
    let server: TestServer;
    let anonymous: Api;
    let alice: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      anonymous = new Api(server.url);
      alice = await registerUser(server.url, 'alice');
    });
    afterAll(() => server.close());

    describe('POST /users', () => {
      it('returns 201 with the user and a token that authenticates', async () => {
        const username = freshName('New.User-');
        const response = await anonymous.post('/users', { username, password: PASSWORD });
        expect(response.status).toBe(201);
        expect(Object.keys(response.body).sort()).toEqual(['token', 'user']);
        expect(Object.keys(response.body.user).sort()).toEqual(['avatar_url', 'created_at', 'deactivated', 'display_name', 'id', 'is_bot', 'status_text', 'username']);
        expect(response.body.user.id).toMatch(UUID);
        expect(response.body.user.username).toBe(username);
        expect(response.body.user.created_at).toMatch(ISO_MS);
        expect(typeof response.body.token).toBe('string');
        expect(response.body.token.length).toBeGreaterThan(16);
        const me = await anonymous.as(response.body.token).get('/users/me');
        expect(me.status).toBe(200);
        expect(me.body).toEqual(response.body.user);
      });

      it('never returns the password or its hash', async () => {
        const password = `secret-${randomUUID()}`;
        const response = await anonymous.post('/users', { username: freshName(), password });
        expect(response.status).toBe(201);
        const text = JSON.stringify(response.body);
        expect(text).not.toContain(password);
        expect(text).not.toMatch(/password|hash/i);
      });

      it('returns 409 username_taken when the username is taken', async () => {
        const username = freshName();
        expect((await anonymous.post('/users', { username, password: PASSWORD })).status).toBe(201);
        expectProblem(await anonymous.post('/users', { username, password: 'another password' }), 409, 'username_taken');
      });

      it('returns 409 username_taken when the username differs only in case', async () => {
        const username = freshName('MiXeD');
        expect((await anonymous.post('/users', { username, password: PASSWORD })).status).toBe(201);
        expectProblem(await anonymous.post('/users', { username: username.toUpperCase(), password: PASSWORD }), 409, 'username_taken');
        expectProblem(await anonymous.post('/users', { username: username.toLowerCase(), password: PASSWORD }), 409, 'username_taken');
      });

      it('accepts usernames of exactly 3 and 32 characters and passwords of exactly 8', async () => {
        const three = randomUUID().replace(/-/g, '').slice(0, 3);
        expect((await anonymous.post('/users', { username: three, password: '12345678' })).status).toBe(201);
        const long = `x${randomUUID().replace(/-/g, '')}`.slice(0, 32);
        expect(long).toHaveLength(32);
        expect((await anonymous.post('/users', { username: long, password: PASSWORD })).status).toBe(201);
      });

      const invalidBodies: [string, unknown, string][] = [
        ['the username is shorter than 3 characters', { username: 'ab', password: PASSWORD }, 'username'],
        ['the username is longer than 32 characters', { username: 'a'.repeat(33), password: PASSWORD }, 'username'],
        ['the username has a space', { username: 'has space', password: PASSWORD }, 'username'],
        ['the username has a non-ASCII letter', { username: 'jürgen', password: PASSWORD }, 'username'],
        ['the username has a slash', { username: 'a/b/c', password: PASSWORD }, 'username'],
        ['the username ends with a newline', { username: 'abcdef\n', password: PASSWORD }, 'username'],
        ['the password is shorter than 8 characters', { username: 'valid_name', password: '1234567' }, 'password'],
        ['the password is longer than 1024 characters', { username: 'valid_name', password: 'p'.repeat(1025) }, 'password'],
        ['the username is a number', { username: 12345, password: PASSWORD }, 'username'],
        ['the password is a number', { username: 'valid_name', password: 12345678 }, 'password'],
        ['the username is null', { username: null, password: PASSWORD }, 'username'],
        ['the password is null', { username: 'valid_name', password: null }, 'password'],
        ['the username is missing', { password: PASSWORD }, 'username'],
        ['the password is missing', { username: 'valid_name' }, 'password'],
        ['the username is an array', { username: ['valid_name'], password: PASSWORD }, 'username'],
      ];
      for (const [when, body, field] of invalidBodies) {
        it(`returns 400 invalid_request naming ${field} when ${when}`, async () => {
          const response = await anonymous.post('/users', body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain(field);
        });
      }

      it('does not echo the rejected password in the error', async () => {
        const response = await anonymous.post('/users', { username: 'valid_name', password: 'sh0rt!' });
        expectProblem(response, 400, 'invalid_request');
        expect(JSON.stringify(response.body)).not.toContain('sh0rt!');
      });

      it('returns 400 when the body is a JSON array, a string or null', async () => {
        for (const rawBody of ['[]', '"alice"', 'null']) {
          const response = await anonymous.request('POST', '/users', { rawBody, headers: { 'content-type': 'application/json' } });
          expectProblem(response, 400);
        }
      });

      it('returns 400 when the body is not JSON', async () => {
        const response = await anonymous.request('POST', '/users', { rawBody: '{"username": ', headers: { 'content-type': 'application/json' } });
        expectProblem(response, 400);
      });

      it('does not create the user when the request is refused', async () => {
        const username = freshName();
        expectProblem(await anonymous.post('/users', { username, password: 'short' }), 400);
        const found = await alice.api.get(`/users?username=${username}`);
        expect(found.status).toBe(200);
        expect(found.body.users).toEqual([]);
      });
    });

    describe('GET /users/me', () => {
      it('returns 200 with the caller', async () => {
        const response = await alice.api.get('/users/me');
        expect(response.status).toBe(200);
        expect(response.body).toEqual(alice.user);
        // The caller's server role is not on the user: GET /users/me/role (docs/API.md, "Administration").
        expect((await alice.api.get('/users/me/role')).body).toEqual({ role: 'member' });
      });
    });

    describe('GET /users/{id}', () => {
      it('returns 200 with the user', async () => {
        const bob = await registerUser(server.url, 'bob');
        const response = await alice.api.get(`/users/${bob.user.id}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(bob.user);
      });

      it('returns 404 when no user has this id', async () => {
        expectProblem(await alice.api.get(`/users/${randomUUID()}`), 404);
      });

      it('returns 400 invalid_request when the id is not a UUID', async () => {
        for (const id of ['not-a-uuid', '123', `${randomUUID()}x`]) {
          expectProblem(await alice.api.get(`/users/${id}`), 400, 'invalid_request');
        }
      });
    });

    describe('GET /users?username=', () => {
      it('returns the user whose username matches exactly', async () => {
        const response = await alice.api.get(`/users?username=${encodeURIComponent(alice.user.username)}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ users: [alice.user] });
      });

      it('matches ignoring case', async () => {
        const upper = await alice.api.get(`/users?username=${encodeURIComponent(alice.user.username.toUpperCase())}`);
        expect(upper.status).toBe(200);
        expect(upper.body).toEqual({ users: [alice.user] });
      });

      it('returns an empty list when no username matches', async () => {
        const response = await alice.api.get(`/users?username=${freshName('nobody')}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ users: [] });
      });

      it('does not match prefixes, substrings or wildcards', async () => {
        for (const probe of [alice.user.username.slice(0, -1), alice.user.username.slice(1), `${alice.user.username.slice(0, -1)}_`, `${alice.user.username.slice(0, 3)}%`]) {
          const response = await alice.api.get(`/users?username=${encodeURIComponent(probe)}`);
          expect(response.status).toBe(200);
          expect(response.body).toEqual({ users: [] });
        }
      });

      it('returns 400 when the username parameter is missing', async () => {
        expectProblem(await alice.api.get('/users'), 400, 'invalid_request');
      });
    });

    describe('authentication', () => {
      const routes = (): [string, string][] => [
        ['GET', '/users/me'],
        ['GET', `/users/${alice.user.id}`],
        ['GET', `/users?username=${alice.user.username}`],
      ];

      it('returns 401 unauthorized problem+json without a token', async () => {
        for (const [method, path] of routes()) {
          const response = await anonymous.request(method, path);
          expectProblem(response, 401, 'unauthorized');
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        }
      });

      it('returns 401 unauthorized with an unknown token', async () => {
        for (const [method, path] of routes()) {
          expectProblem(await anonymous.as('not-a-real-token').request(method, path), 401, 'unauthorized');
          expectProblem(await anonymous.as(`${alice.token}x`).request(method, path), 401, 'unauthorized');
        }
      });

      it('returns 401 when the Authorization scheme is not Bearer', async () => {
        const response = await anonymous.get('/users/me', { headers: { authorization: `Basic ${alice.token}` } });
        expectProblem(response, 401, 'unauthorized');
      });

      it('accepts the Bearer scheme in any case (RFC 7235 §2.1)', async () => {
        const response = await anonymous.get('/users/me', { headers: { authorization: `bearer ${alice.token}` } });
        expect(response.status).toBe(200);
        expect(response.body.id).toBe(alice.user.id);
      });
    });
  });
}
