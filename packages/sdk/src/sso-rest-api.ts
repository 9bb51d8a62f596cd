/**
 * The REST routes of single sign-on (docs/API.md, "Single sign-on"): starting an OpenID Connect
 * login or link, exchanging the login code the browser comes back with, and the identities linked
 * to your account. A base of RestApi, kept apart so each file has one area of the API.
 */
import { InvitesRestApi } from './invites-rest-api.js';
import type { AuthResult, LinkedIdentities, SsoStart, SsoStartOptions } from './types.js';

const enc = encodeURIComponent;

export class SsoRestApi extends InvitesRestApi {
  /**
   * `POST /auth/oidc/{provider}/authorize`: the provider's page to send the browser to. The answer
   * also sets a short-lived cookie that the callback checks, so call it from a page on the
   * server's origin (the request goes with `credentials: 'same-origin'`). Anonymous unless `link`.
   * Refusals: `provider_not_found` (404), `provider_unavailable` (503), `unauthorized` (401, `link` without a login).
   */
  startSso(provider: string, options: SsoStartOptions = {}): Promise<SsoStart> {
    const body: { return_to?: string; link?: boolean } = {};
    if (options.returnTo !== undefined) body.return_to = options.returnTo;
    if (options.link) body.link = true;
    return this.http.request('POST', `/auth/oidc/${enc(provider)}/authorize`, { body, anonymous: !options.link, credentials: 'same-origin' });
  }

  /**
   * `POST /sessions/sso`: exchanges the login code of `#/sso/<login_code>` (single use, 60 s) for a
   * token, as `createSession` does a password. `invalid_login_code` (400) when unknown, expired or
   * used. Does not change the client's token; see `PneumaticClient.loginWithSsoCode`.
   */
  createSsoSession(loginCode: string): Promise<AuthResult> {
    return this.http.request('POST', '/sessions/sso', { body: { login_code: loginCode }, anonymous: true });
  }

  /**
   * `GET /users/me/identities`: the providers linked to your account, with the e-mail each gave,
   * and `has_password` (false for an account made by single sign-on: it has no password to change).
   */
  listIdentities(): Promise<LinkedIdentities> {
    return this.http.request('GET', '/users/me/identities');
  }

  /**
   * `DELETE /users/me/identities/{provider}`: that provider no longer logs you in. Refusals:
   * `not_found` (404), `last_login_method` (409: an account without a password keeps its last identity).
   */
  unlinkIdentity(provider: string): Promise<void> {
    return this.http.request('DELETE', `/users/me/identities/${enc(provider)}`);
  }
}
