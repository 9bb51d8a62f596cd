/**
 * The OpenID Connect relying party on `openid-client` (a certified library): discovery, the
 * authorization URL with PKCE (S256), and the code exchange with the ID token's checks
 * (signature against the provider's published keys, issuer, audience, nonce, expiry). Our own
 * code only decides what to do with verified claims (domain/sso/).
 */
import * as oidc from 'openid-client';
import type { OidcProviderSettings } from '../config/sso-settings.js';
import { OpenIdRefusal, type AuthorizationRequest, type CallbackCheck, type OpenIdProviders, type VerifiedClaims } from '../domain/ports/openid-providers.js';

/** Seconds a request to a provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export class OpenIdClientProviders implements OpenIdProviders {
  /** Discovery per provider, kept once it succeeded (a failure is retried by the next request). */
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(
    private readonly providers: readonly OidcProviderSettings[],
    private readonly allowHttp: boolean,
  ) {}

  async authorizationUrl(providerId: string, request: AuthorizationRequest): Promise<URL> {
    const { settings, configuration } = await this.configured(providerId);
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: request.redirectUri,
      scope: settings.scopes,
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  async redeem(providerId: string, check: CallbackCheck): Promise<VerifiedClaims> {
    const { configuration } = await this.configured(providerId);
    // The library sends redirect_uri as the callback URL without its query: build it on the very
    // redirect URI the flow started with, whatever Host the callback arrived on.
    const current = new URL(check.redirectUri);
    current.search = check.callbackUrl.search;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: check.codeVerifier,
        expectedState: check.state,
        expectedNonce: check.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw refusal(error);
    }
    if (!claims) throw new OpenIdRefusal('rejected', 'The provider answered without an ID token.');
    const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: text(claims.email),
      email_verified: claims.email_verified === true,
      preferred_username: text(claims.preferred_username),
      name: text(claims.name),
    };
  }

  private async configured(providerId: string): Promise<{ settings: OidcProviderSettings; configuration: oidc.Configuration }> {
    const settings = this.providers.find((p) => p.id === providerId);
    if (!settings) throw new Error(`no provider ${providerId}`);
    let pending = this.configurations.get(providerId);
    if (!pending) {
      pending = this.discover(settings);
      this.configurations.set(providerId, pending);
      pending.catch(() => this.configurations.delete(providerId));
    }
    try {
      return { settings, configuration: await pending };
    } catch (error) {
      throw new OpenIdRefusal('unavailable', `The provider's discovery document could not be read: ${(error as Error).message}`);
    }
  }

  private async discover(settings: OidcProviderSettings): Promise<oidc.Configuration> {
    const authentication = settings.clientSecret === null ? oidc.None() : oidc.ClientSecretBasic(settings.clientSecret);
    const configuration = await oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, authentication, {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      ...(this.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
    return configuration;
  }
}

/** A provider we could not reach is `unavailable`; anything it answered that does not check out is `rejected`, saying why. */
function refusal(error: unknown): OpenIdRefusal {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const unreachable = (error instanceof TypeError && message === 'fetch failed') || ['TimeoutError', 'AbortError'].includes((error as Error)?.name ?? '') || ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND'].includes(cause?.code ?? '');
  return new OpenIdRefusal(unreachable ? 'unavailable' : 'rejected', reasonOf(error, message, cause));
}

/**
 * The library's own message is general ("unexpected JWT claim value encountered"); the reason is
 * a level down: the claim that failed (`unexpected JWT "aud" (audience) claim value`), or the
 * token endpoint's OAuth error (`invalid_grant: grant request is invalid`).
 */
function reasonOf(error: unknown, message: string, cause: { message?: string } | undefined): string {
  if (error instanceof oidc.ResponseBodyError) return `the token endpoint answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof oidc.AuthorizationResponseError) return `the provider answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  return cause?.message ? `${message} (${cause.message})` : message;
}
