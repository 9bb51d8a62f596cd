/**
 * Registration and invites (docs/API.md, "Registration and invites"): REGISTRATION=open signs up
 * anyone (v1); `invite` needs a live invite code and counts its uses exactly, also when many
 * sign-ups race for the last one; an expired, used-up, revoked or unknown code is refused;
 * `closed` refuses every sign-up and every new invite. GET /login-options tells clients which.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const signUp = (server: TestServer, invite?: string, username = `u${randomUUID().slice(0, 12)}`) =>
  new Api(server.url).post('/users', { username, password: 'correct horse battery', ...(invite === undefined ? {} : { invite }) });

/** Moves every invite's expiry into the past, straight in the database (expiries are at least a minute). */
async function expireInvites(server: TestServer): Promise<void> {
  const past = new Date(Date.now() - 1000).toISOString();
  if (server.database.path) {
    const db = new Database(server.database.path);
    db.prepare('update invites set expires_at = ?').run(past);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  await client.query('update invites set expires_at = $1', [past]);
  await client.end();
}

for (const dialect of enabledDialects()) {
  describe(`REGISTRATION=invite [${dialect}]`, () => {
    let server: TestServer;
    let host: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', REGISTRATION: 'invite' } });
      host = await firstUser(server);
    });
    afterAll(() => server.close());

    /** Nobody can sign up without an invite, so the first person signs up on an open server over the same database. */
    async function firstUser(invitational: TestServer): Promise<TestUser> {
      const open = await startServer({ dialect, env: { RATE_LIMITS: 'off' }, database: invitational.database });
      try {
        const user = await registerUser(open.url, 'host');
        return { ...user, api: new Api(invitational.url, user.token) };
      } finally {
        await open.close();
      }
    }

    it('tells clients the policy, and refuses a sign-up without a code or with an unknown one', async () => {
      expect((await new Api(server.url).get('/login-options')).body).toEqual({ registration: 'invite', password_login: true, providers: [] });
      expectProblem(await signUp(server), 403, 'invite_required');
      expectProblem(await signUp(server, 'pni_nothing'), 403, 'invalid_invite');
    });

    it('makes an invite whose code is shown once, signs up with it up to max_uses, and lists it with its uses', async () => {
      const created = await host.api.post('/invites', { max_uses: 2, expires_in_seconds: 3600 });
      expect(created.status).toBe(201);
      const { invite, code, path } = created.body;
      expect(code).toMatch(/^pni_[A-Za-z0-9_-]{43}$/);
      expect(path).toBe(`/#/invite/${code}`);
      expect(invite).toMatchObject({ created_by: host.user.id, max_uses: 2, uses: 0 });
      expect(Date.parse(invite.expires_at) - Date.parse(invite.created_at)).toBe(3_600_000);

      expect((await signUp(server, code)).status).toBe(201);
      expect((await signUp(server, ` ${code} `)).status).toBe(201);
      expectProblem(await signUp(server, code), 403, 'invalid_invite');
      const listed = (await host.api.get('/invites')).body.invites;
      expect(listed).toContainEqual({ ...invite, uses: 2 });
      expect(JSON.stringify(listed)).not.toContain(code.slice(4));
    });

    it('gives the use back when the sign-up fails (a taken username)', async () => {
      const { code } = (await host.api.post('/invites', {})).body;
      expectProblem(await signUp(server, code, host.user.username), 409, 'username_taken');
      expect((await signUp(server, code)).status).toBe(201);
    });

    it('admits exactly max_uses of 20 concurrent sign-ups with one code', async () => {
      const { code, invite } = (await host.api.post('/invites', { max_uses: 5 })).body;
      const answers = await Promise.all(Array.from({ length: 20 }, () => signUp(server, code)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
      for (const refused of answers.filter((a) => a.status !== 201)) expectProblem(refused, 403, 'invalid_invite');
      expect((await host.api.get('/invites')).body.invites.find((i: { id: string }) => i.id === invite.id).uses).toBe(5);
    });

    it('refuses a revoked code, and only its maker revokes it', async () => {
      const other = (await signUp(server, (await host.api.post('/invites', {})).body.code)).body;
      const { code, invite } = (await host.api.post('/invites', {})).body;
      expectProblem(await new Api(server.url, other.token).delete(`/invites/${invite.id}`), 404, 'not_found');
      expect((await host.api.delete(`/invites/${invite.id}`)).status).toBe(204);
      expectProblem(await signUp(server, code), 403, 'invalid_invite');
      expectProblem(await host.api.delete(`/invites/${invite.id}`), 404, 'not_found');
    });

    it('refuses bad invite requests with 400', async () => {
      expectProblem(await host.api.post('/invites', { max_uses: 0 }), 400, 'invalid_request');
      expectProblem(await host.api.post('/invites', { max_uses: 1001 }), 400, 'invalid_request');
      expectProblem(await host.api.post('/invites', { expires_in_seconds: 59 }), 400, 'invalid_request');
      expectProblem(await host.api.post('/invites', { expires_in_seconds: 31 * 86400 }), 400, 'invalid_request');
      expectProblem(await host.api.post('/invites', { uses: 3 }), 400, 'invalid_request');
    });

    it('refuses an expired code, and no longer lists it', async () => {
      const { code } = (await host.api.post('/invites', { max_uses: 3 })).body;
      await expireInvites(server);
      const refused = await signUp(server, code);
      expectProblem(refused, 403, 'invalid_invite');
      expect(refused.body.detail).toMatch(/expired/);
      expect((await host.api.get('/invites')).body.invites).toEqual([]);
    });
  });

  describe(`REGISTRATION=closed and open [${dialect}]`, () => {
    it('closed: refuses every sign-up and every new invite; logging in still works', async () => {
      const closed = await startServer({ dialect, env: { RATE_LIMITS: 'off', REGISTRATION: 'closed' } });
      try {
        expect((await new Api(closed.url).get('/login-options')).body.registration).toBe('closed');
        expectProblem(await signUp(closed), 403, 'registration_closed');
        expectProblem(await signUp(closed, 'pni_x'), 403, 'registration_closed');
        // An account made before (or with npm run account) logs in, and cannot invite.
        const open = await startServer({ dialect, env: { RATE_LIMITS: 'off' }, database: closed.database });
        const earlier = await registerUser(open.url, 'earlier');
        await open.close();
        const login = await new Api(closed.url).post('/sessions', { username: earlier.user.username, password: earlier.password });
        expect(login.status).toBe(201);
        expectProblem(await new Api(closed.url, login.body.token).post('/invites', {}), 403, 'registration_closed');
      } finally {
        await closed.close();
      }
    });

    it('open: anyone signs up (v1), and a code given is checked and counted', async () => {
      const open = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      try {
        expect((await new Api(open.url).get('/login-options')).body).toEqual({ registration: 'open', password_login: true, providers: [] });
        const host = await registerUser(open.url, 'openhost');
        const { code, invite } = (await host.api.post('/invites', {})).body;
        expect((await signUp(open, code)).status).toBe(201);
        expectProblem(await signUp(open, code), 403, 'invalid_invite');
        expect((await host.api.get('/invites')).body.invites.find((i: { id: string }) => i.id === invite.id).uses).toBe(1);
        expect((await signUp(open)).status).toBe(201);
      } finally {
        await open.close();
      }
    });
  });
}
