/**
 * Single sign-on with OpenID Connect, the good paths (/work/notes/sso-api.md): a first login makes
 * an account named after the identity and the next logs into it; an existing account is never
 * taken over by name or e-mail; a logged-in person links an identity, logs in with it and unlinks
 * it. Against a real OpenID provider (test/helpers/oidc/); the refusals are in sso-bad-cases.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Api, expectProblem, registerUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { expectRefused, exchangeLoginCode, loginCodeOf, redirectOf, ssoCallback, ssoLogin, ssoWorld, startSso, visitCallback } from '../helpers/oidc/pneumatic-sso.js';
import { loginAt } from '../helpers/oidc/index.js';

const corp = (username: string, name: string, email = `${username}@corp.example`) => ({ preferred_username: username, name, email, email_verified: true });

for (const dialect of enabledDialects()) {
  describe(`single sign-on [${dialect}]`, () => {
    const t = ssoWorld(dialect, {
      jdoe: corp('jdoe', 'Jane Doe'),
      clash: corp('clash', 'Clash Second'),
      'same-mail': corp('samemail', 'Same Mail', 'shared@corp.example'),
      linker: corp('linker', 'Linker At Corp'),
      taken: corp('taken', 'Taken Identity'),
      'mail-holder': corp('mailholder', 'Mail Holder', 'shared@corp.example'),
    });

    it('GET /login-options lists the provider by id and name beside the password login', async () => {
      const { body } = await new Api(t.server.url).get('/login-options');
      expect(body).toMatchObject({ password_login: true, providers: [{ id: 'corp', name: 'Corp' }] });
    });

    it('POST /auth/oidc/corp/authorize answers the provider URL (code flow, PKCE S256) and a short-lived HttpOnly binding cookie', async () => {
      const response = await new Api(t.server.url).post('/auth/oidc/corp/authorize', {});
      expect(response.status).toBe(200);
      const url = new URL(response.body.authorization_url);
      expect(url.origin).toBe(t.provider.issuer);
      for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)).toMatch(/^[\w-]{22,}$/);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'pneumatic', code_challenge_method: 'S256', redirect_uri: `${t.server.url}/auth/oidc/corp/callback` });
      expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith('pneumatic_sso='))!;
      expect(cookie).toMatch(/^pneumatic_sso=[\w-]{22,};/);
      for (const attribute of [/;\s*HttpOnly/i, /;\s*SameSite=Lax/i, /;\s*Path=\/auth\/oidc(;|$)/i, /;\s*Max-Age=600(;|$)/i]) expect(cookie).toMatch(attribute);
      expect(cookie).not.toMatch(/;\s*Secure/i);
    });

    it('makes an account on the first login (username from preferred_username, display name from name), and logs into it the next time', async () => {
      const first = await ssoLogin(t.server, 'jdoe');
      expect(first.user).toMatchObject({ username: 'jdoe', display_name: 'Jane Doe' });
      const me = await new Api(t.server.url, first.token).get('/users/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: first.user.id, username: 'jdoe' });
      const second = await ssoLogin(t.server, 'jdoe');
      expect(second.user.id).toBe(first.user.id);
      expect(second.token).not.toBe(first.token);
    });

    it('sends the browser to return_to with the login code in the fragment', async () => {
      const started = await startSso(t.server, { return_to: '/somewhere?x=1' });
      const landed = await visitCallback(await loginAt(started.authorizationUrl, 'jdoe'), started.cookie);
      const { path, fragment } = redirectOf(t.server, landed);
      expect(path).toBe('/somewhere?x=1');
      expect(fragment).toMatch(/^#\/sso\/pnl_[\w-]+$/);
      expect(landed.headers.get('cache-control')).toMatch(/no-store/);
    });

    it('refuses a return_to that leaves the server (another origin, or a protocol-relative //host)', async () => {
      for (const return_to of ['//evil.example/', 'https://evil.example/', 'javascript:alert(1)']) {
        const response = await new Api(t.server.url).post('/auth/oidc/corp/authorize', { return_to });
        expect(response.status, return_to).toBe(400);
        expectProblem(response, 400);
      }
    });

    it('never logs into an existing account by username: a clash makes clash2, and the owner of clash keeps their account', async () => {
      const owner = await new Api(t.server.url).post('/users', { username: 'clash', password: 'correct horse battery' });
      expect(owner.status).toBe(201);
      const sso = await ssoLogin(t.server, 'clash');
      expect(sso.user.username).toBe('clash2');
      expect(sso.user.id).not.toBe(owner.body.user.id);
      expect((await new Api(t.server.url).post('/sessions', { username: 'clash', password: 'correct horse battery' })).status).toBe(201);
    });

    it('never links by e-mail, even verified: another identity with an e-mail an account already has logs into a new account', async () => {
      const owner = await registerUser(t.server.url, 'mailowner');
      expect(redirectOf(t.server, await ssoCallback(t.server, 'mail-holder', { link: true, token: owner.token })).fragment).toBe('#/sso-linked/corp');
      const sso = await ssoLogin(t.server, 'same-mail');
      expect(sso.user.id).not.toBe(owner.user.id);
      expect(sso.user.username).toBe('samemail');
    });

    it('links an identity to a logged-in person, lists it, and logs them in with it', async () => {
      const person = await registerUser(t.server.url, 'linkee');
      const linked = await ssoCallback(t.server, 'linker', { link: true, token: person.token });
      expect(redirectOf(t.server, linked)).toEqual({ path: '/', fragment: '#/sso-linked/corp' });
      const { body } = await person.api.get('/users/me/identities');
      // last_login_at: null until the identity is used to log in; has_password: a password account.
      expect(body.has_password).toBe(true);
      expect(body.identities).toEqual([{ provider: 'corp', provider_name: 'Corp', email: 'linker@corp.example', linked_at: expect.any(String), last_login_at: null }]);
      expect(Date.now() - Date.parse(body.identities[0].linked_at)).toBeLessThan(60_000);
      const sso = await ssoLogin(t.server, 'linker');
      expect(sso.user.id).toBe(person.user.id);
      const [used] = (await person.api.get('/users/me/identities')).body.identities;
      expect(Date.parse(used.last_login_at)).toBeGreaterThanOrEqual(Date.parse(used.linked_at));
    });

    it('refuses to link without a token (401), and an identity linked to someone else (409 identity_taken)', async () => {
      expectProblem(await new Api(t.server.url).post('/auth/oidc/corp/authorize', { link: true }), 401);
      const holder = await ssoLogin(t.server, 'taken');
      const other = await registerUser(t.server.url, 'latecomer');
      expectRefused(await ssoCallback(t.server, 'taken', { link: true, token: other.token }), 409, 'identity_taken');
      expect((await other.api.get('/users/me/identities')).body.identities).toEqual([]);
      expect((await ssoLogin(t.server, 'taken')).user.id).toBe(holder.user.id);
    });

    it('unlinks with DELETE /users/me/identities/corp (204, then 404); the identity then no longer logs into that account', async () => {
      const person = await registerUser(t.server.url, 'unlink');
      t.provider.setAccount('to-unlink', corp('tounlink', 'To Unlink'));
      expect(redirectOf(t.server, await ssoCallback(t.server, 'to-unlink', { link: true, token: person.token })).fragment).toBe('#/sso-linked/corp');
      expect((await person.api.delete('/users/me/identities/corp')).status).toBe(204);
      expect((await person.api.get('/users/me/identities')).body.identities).toEqual([]);
      expectProblem(await person.api.delete('/users/me/identities/corp'), 404, 'not_found');
      const after = await ssoLogin(t.server, 'to-unlink');
      expect(after.user.id).not.toBe(person.user.id);
    });

    it('keeps the only identity of an account made by single sign-on (409 last_login_method)', async () => {
      t.provider.setAccount('sso-only', corp('ssoonly', 'Sso Only'));
      const sso = await ssoLogin(t.server, 'sso-only');
      const api = new Api(t.server.url, sso.token);
      expectProblem(await api.delete('/users/me/identities/corp'), 409, 'last_login_method');
      const listed = (await api.get('/users/me/identities')).body;
      expect(listed.identities).toHaveLength(1);
      // It has no password: none logs into it, and the list says so (the web app hides "Change password").
      expect(listed.has_password).toBe(false);
      expectProblem(await new Api(t.server.url).post('/sessions', { username: 'ssoonly', password: 'correct horse battery' }), 401, 'invalid_credentials');
    });

    it('trades a login code once (POST /sessions/sso 201, then 400 invalid_login_code), and refuses an unknown one', async () => {
      const code = loginCodeOf(t.server, await ssoCallback(t.server, 'jdoe'));
      expect((await exchangeLoginCode(t.server, code)).status).toBe(201);
      expectProblem(await exchangeLoginCode(t.server, code), 400, 'invalid_login_code');
      expectProblem(await exchangeLoginCode(t.server, 'pnl_unknown'), 400, 'invalid_login_code');
    });
  });

  describe(`single sign-on as a public client (no OIDC_CORP_CLIENT_SECRET) [${dialect}]`, () => {
    const t = ssoWorld(dialect, { jdoe: corp('jdoe', 'Jane Doe') }, {}, { publicClient: true });

    it('logs in with PKCE alone', async () => {
      expect((await ssoLogin(t.server, 'jdoe')).user.username).toBe('jdoe');
    });
  });
}
