/**
 * Single sign-on refusals (/work/notes/sso-api.md, "Routes"): a state carried to another browser,
 * replayed, or paired with another flow's code; ID tokens that fail validation (wrong nonce,
 * issuer or audience, swapped in by a man in the middle of the token request); a person who
 * cancels at the provider; login codes used twice or late; providers that may not create
 * accounts; PASSWORD_LOGIN=off. On every refusal the callback answers problem+json with its code
 * and no redirect, so no login code comes out and nobody is logged in.
 *
 * A state is single use whatever its callback's outcome: the server takes it before checking the
 * cookie, so once a state was seen with the wrong cookie (it has leaked, and its code with it) the
 * flow is dead for its owner too. The spec lists "already used state" without saying what uses
 * one; we hold it to fail closed.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, registerUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { cancelAt, loginAt, startOidcProvider, type TestOidcProvider } from '../helpers/oidc/index.js';
import { CLIENT, exchangeLoginCode, expectRefused, loginCodeOf, redirectOf, ssoCallback, ssoWorld, startSso, visitCallback } from '../helpers/oidc/pneumatic-sso.js';
import type { TestServer } from '../helpers/server.js';

const person = (username: string) => ({ preferred_username: username, name: username.toUpperCase(), email: `${username}@corp.example`, email_verified: true });
/** `jdoe` is only ever refused in the first suite, so "no account jdoe" shows that nothing got through. */
const ACCOUNTS = { jdoe: person('jdoe'), replayer: person('replayer'), late: person('late') };

/** "`detail` says which": here, that the provider refused the code, by its OAuth error (RFC 6749 §5.2). */
const CODE_REFUSED = /invalid_grant/;

/** Runs SQL on the server's database (to age a login code past its minute without waiting). */
async function sql(server: TestServer, text: string, values: unknown[]): Promise<void> {
  if (server.database.path) {
    const db = new Database(server.database.path);
    db.prepare(text.replace(/\$\d/g, '?')).run(...values);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  await client.query(text, values);
  await client.end();
}

/** No account by this name: the refused flow made none (asked by a fresh user: finding people takes a token). */
async function expectNoAccount(server: TestServer, username: string): Promise<void> {
  const { api } = await registerUser(server.url, 'probe');
  const found = await api.get(`/users?username=${username}`);
  expect(found.status).toBe(200);
  expect(found.body.users).toEqual([]);
}

for (const dialect of enabledDialects()) {
  describe(`single sign-on refusals [${dialect}]`, () => {
    const t = ssoWorld(dialect, ACCOUNTS);

    it('refuses a valid state without its cookie or with another flow\'s (400 invalid_sso_state), and the flow is spent', async () => {
      for (const thief of [null, (await startSso(t.server)).cookie]) {
        const victim = await startSso(t.server);
        const callback = await loginAt(victim.authorizationUrl, 'jdoe');
        expectRefused(await visitCallback(callback, thief), 400, 'invalid_sso_state');
        expectRefused(await visitCallback(callback, victim.cookie), 400, 'invalid_sso_state');
      }
      await expectNoAccount(t.server, 'jdoe');
    });

    it('refuses flow A\'s code presented with flow B\'s state and cookie (403 sso_failed: PKCE and the code are bound to A)', async () => {
      const a = await startSso(t.server);
      const code = new URL(await loginAt(a.authorizationUrl, 'jdoe')).searchParams.get('code')!;
      const b = await startSso(t.server);
      const bCallback = new URL(await loginAt(b.authorizationUrl, 'jdoe'));
      bCallback.searchParams.set('code', code);
      const refused = await visitCallback(bCallback.href, b.cookie);
      expectRefused(refused, 403, 'sso_failed');
      expect(refused.body.detail).toMatch(CODE_REFUSED);
      await expectNoAccount(t.server, 'jdoe');
    });

    it('refuses the same callback twice (400 invalid_sso_state), and a spent code in a fresh flow (403 sso_failed)', async () => {
      const started = await startSso(t.server);
      const callback = await loginAt(started.authorizationUrl, 'replayer');
      const code = loginCodeOf(t.server, await visitCallback(callback, started.cookie));
      expectRefused(await visitCallback(callback, started.cookie), 400, 'invalid_sso_state');
      const fresh = await startSso(t.server);
      const freshCallback = new URL(await loginAt(fresh.authorizationUrl, 'replayer'));
      freshCallback.searchParams.set('code', new URL(callback).searchParams.get('code')!);
      const refused = await visitCallback(freshCallback.href, fresh.cookie);
      expectRefused(refused, 403, 'sso_failed');
      expect(refused.body.detail).toMatch(CODE_REFUSED);
      expect((await exchangeLoginCode(t.server, code)).status).toBe(201);
    });

    describe('an ID token swapped in the token response (403 sso_failed, the detail says which check)', () => {
      let elsewhere: TestOidcProvider | undefined;
      afterAll(() => elsewhere?.close());
      it.each([
        ['for another authorization request (nonce)', /nonce/i, () => t.provider.issueTokenResponse(CLIENT.client_id, 'jdoe', { nonce: 'an-earlier-flows-nonce' })],
        ['by another provider (issuer), signed with the same key', /iss/i, async () => {
          elsewhere ??= await startOidcProvider({ clients: [{ ...CLIENT, redirect_uris: ['http://127.0.0.1:9/cb'] }], accounts: ACCOUNTS, signingKey: t.provider.signingKey });
          return elsewhere.issueTokenResponse(CLIENT.client_id, 'jdoe');
        }],
        ['for another client of the same provider (audience)', /aud/i, async () => {
          t.provider.setClient({ client_id: 'other-app', client_secret: 'other-secret', redirect_uris: ['http://127.0.0.1:9/cb'] });
          return t.provider.issueTokenResponse('other-app', 'jdoe');
        }],
      ])('issued %s', async (_case, detail, issue) => {
        const swap = t.provider.replaceNextTokenResponse(await issue());
        const refused = await ssoCallback(t.server, 'jdoe');
        expect(swap.done).toBe(true);
        expectRefused(refused, 403, 'sso_failed');
        expect(refused.body.detail).toMatch(detail);
        await expectNoAccount(t.server, 'jdoe');
      });
    });

    it('answers 403 sso_denied when the person cancels at the provider (error=access_denied)', async () => {
      const started = await startSso(t.server);
      const callback = await cancelAt(started.authorizationUrl);
      expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
      expectRefused(await visitCallback(callback, started.cookie), 403, 'sso_denied');
    });

    it('shows a browser (Accept: text/html) a page with the same status and code, which does not echo markup from the query', async () => {
      const started = await startSso(t.server);
      const callback = `${t.server.url}/auth/oidc/corp/callback?error=${encodeURIComponent('<script>alert(1)</script>')}&state=${started.state}`;
      const page = await fetch(callback, { headers: { cookie: started.cookie, accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
      expect(page.status).toBe(403);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('sso_denied');
      expect(html).not.toContain('<script>alert');
    });

    it('refuses a login code after its minute (400 invalid_login_code)', async () => {
      const code = loginCodeOf(t.server, await ssoCallback(t.server, 'late'));
      await sql(t.server, 'update sso_login_codes set expires_at = $1', [new Date(Date.now() - 1000).toISOString()]);
      expectProblem(await exchangeLoginCode(t.server, code), 400, 'invalid_login_code');
    });

    it('answers 404 provider_not_found for a provider that is not configured', async () => {
      expectProblem(await new Api(t.server.url).post('/auth/oidc/nope/authorize', {}), 404, 'provider_not_found');
      expectProblem(await new Api(t.server.url).get('/auth/oidc/nope/callback?code=x&state=y'), 404, 'provider_not_found');
    });
  });

  describe(`OIDC_CORP_CREATE_ACCOUNTS=off [${dialect}]`, () => {
    const t = ssoWorld(dialect, ACCOUNTS, { OIDC_CORP_CREATE_ACCOUNTS: 'off' });

    it('refuses an identity no account has (403 registration_closed), and logs in one that was linked', async () => {
      expectRefused(await ssoCallback(t.server, 'jdoe'), 403, 'registration_closed');
      await expectNoAccount(t.server, 'jdoe');
      const person = await registerUser(t.server.url, 'linked');
      expect(redirectOf(t.server, await ssoCallback(t.server, 'jdoe', { link: true, token: person.token })).fragment).toBe('#/sso-linked/corp');
      const session = await exchangeLoginCode(t.server, loginCodeOf(t.server, await ssoCallback(t.server, 'jdoe')));
      expect(session.body.user.id).toBe(person.user.id);
    });
  });

  describe(`PASSWORD_LOGIN=off [${dialect}]`, () => {
    const t = ssoWorld(dialect, ACCOUNTS, { PASSWORD_LOGIN: 'off' });

    it('refuses passwords on POST /sessions and POST /users (403 password_login_disabled) and says so in GET /login-options', async () => {
      const api = new Api(t.server.url);
      expectProblem(await api.post('/sessions', { username: 'jdoe', password: 'correct horse battery' }), 403, 'password_login_disabled');
      expectProblem(await api.post('/users', { username: 'jdoe', password: 'correct horse battery' }), 403, 'password_login_disabled');
      expect((await api.get('/login-options')).body).toMatchObject({ password_login: false, providers: [{ id: 'corp', name: 'Corp' }] });
      expect((await exchangeLoginCode(t.server, loginCodeOf(t.server, await ssoCallback(t.server, 'jdoe')))).status).toBe(201);
    });
  });

  describe(`a provider that cannot be reached [${dialect}]`, () => {
    // Port 9 (discard): nothing listens there on a test machine, so discovery meets a refused connection.
    const t = ssoWorld(dialect, ACCOUNTS, { OIDC_PROVIDERS: 'corp,down', OIDC_DOWN_ISSUER: 'http://127.0.0.1:9', OIDC_DOWN_CLIENT_ID: 'pneumatic' });

    it('answers 503 provider_unavailable when discovery fails', async () => {
      expectProblem(await new Api(t.server.url).post('/auth/oidc/down/authorize', {}), 503, 'provider_unavailable');
    });
  });
}
