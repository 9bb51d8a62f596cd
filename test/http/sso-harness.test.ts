/**
 * The OpenID provider harness (test/helpers/oidc/) proven on its own, with openid-client as the
 * relying party: a code flow with PKCE yields the account's claims in the ID token; a client's
 * redirect URI can be set after start; cancelling yields `error=access_denied`; and each tampered
 * token response is one that openid-client refuses for the intended reason (iss, aud, nonce).
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelAt, CookieJar, loginAt, startOidcProvider, type TestOidcProvider } from '../helpers/oidc/index.js';

const REDIRECT_URI = 'http://127.0.0.1:9/auth/oidc/corp/callback';
const JDOE = { email: 'jdoe@corp.example', email_verified: true, preferred_username: 'jdoe', name: 'Jane Doe' };

describe('the test OpenID provider', () => {
  let provider: TestOidcProvider;
  let otherIssuer: TestOidcProvider;
  beforeAll(async () => {
    provider = await startOidcProvider({
      clients: [
        { client_id: 'pneumatic', client_secret: 'pneumatic-secret', redirect_uris: ['http://127.0.0.1:9/placeholder'] },
        { client_id: 'other-app', client_secret: 'other-secret', redirect_uris: [REDIRECT_URI] },
      ],
      accounts: { jdoe: JDOE },
    });
    // Set after start, as a suite does once the server's port is known.
    provider.setClient({ client_id: 'pneumatic', client_secret: 'pneumatic-secret', redirect_uris: [REDIRECT_URI] });
    otherIssuer = await startOidcProvider({ clients: [{ client_id: 'pneumatic', client_secret: 'pneumatic-secret', redirect_uris: [REDIRECT_URI] }], accounts: { jdoe: JDOE }, signingKey: provider.signingKey });
  });
  afterAll(async () => {
    await provider?.close();
    await otherIssuer?.close();
  });

  /** The relying party's side of a flow up to the callback URL: what the Pneumatic server will do. */
  async function startFlow() {
    const config = await client.discovery(new URL(provider.issuer), 'pneumatic', 'pneumatic-secret', undefined, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
    });
    return { config, checks, url: url.href };
  }

  it('signs jdoe in with a code flow and PKCE, and the ID token carries the profile and e-mail claims', async () => {
    const flow = await startFlow();
    const callback = await loginAt(flow.url, 'jdoe');
    expect(callback.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(flow.config, new URL(callback), flow.checks);
    expect(tokens.claims()).toMatchObject({ iss: provider.issuer, aud: 'pneumatic', sub: 'jdoe', nonce: flow.checks.expectedNonce, ...JDOE });
  });

  it('requires PKCE from a confidential client too', async () => {
    const flow = await startFlow();
    const url = new URL(flow.url);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const callback = new URL(await loginAt(url.href, 'jdoe'));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it('asks nothing the second time in the same browser', async () => {
    const jar = new CookieJar();
    await loginAt((await startFlow()).url, 'jdoe', { cookieJar: jar });
    const flow = await startFlow();
    const tokens = await client.authorizationCodeGrant(flow.config, new URL(await loginAt(flow.url, 'nobody', { cookieJar: jar })), flow.checks);
    expect(tokens.claims()?.sub).toBe('jdoe');
  });

  it('sends the person back with error=access_denied when they cancel', async () => {
    const flow = await startFlow();
    const callback = new URL(await cancelAt(flow.url));
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(flow.checks.expectedState);
  });

  describe('token tampering: the relying party gets another real token response', () => {
    it.each([
      ['issued to another client', () => provider.issueTokenResponse('other-app', 'jdoe'), /"aud"/],
      ['issued by another provider (same signing key)', () => otherIssuer.issueTokenResponse('pneumatic', 'jdoe'), /"iss"/],
      ['issued for another authorization request', () => provider.issueTokenResponse('pneumatic', 'jdoe', { nonce: 'another-nonce' }), /"nonce"/],
    ])('refused when %s', async (_name, issue, reason) => {
      const replacement = provider.replaceNextTokenResponse(await issue());
      const flow = await startFlow();
      const callback = new URL(await loginAt(flow.url, 'jdoe'));
      const error = await client.authorizationCodeGrant(flow.config, callback, flow.checks).then(() => null, (e: unknown) => e);
      expect(replacement.done).toBe(true);
      expect(error).toBeInstanceOf(Error);
      // openid-client names the claim in the cause: 'unexpected JWT "aud" (audience) claim value'.
      expect(String(((error as Error).cause as Error | undefined)?.message)).toMatch(reason);
    });
  });
});
