/**
 * The OpenID Connect relying party (src/sso/ adapts a certified client library): builds
 * authorization URLs and redeems callbacks, checking the ID token (signature, issuer, audience,
 * nonce, expiry) so the domain sees only verified claims.
 */

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  /** The PKCE verifier; its S256 challenge goes in the URL. */
  codeVerifier: string;
}

export interface CallbackCheck {
  /** The callback URL as the browser requested it (with code, state, iss). */
  callbackUrl: URL;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface VerifiedClaims {
  issuer: string;
  subject: string;
  email: string | null;
  email_verified: boolean;
  preferred_username: string | null;
  name: string | null;
}

/** Why a callback was refused: the provider is unreachable, or what came back does not check out. */
export class OpenIdRefusal extends Error {
  constructor(readonly kind: 'unavailable' | 'rejected', message: string) {
    super(message);
  }
}

export interface OpenIdProviders {
  /** Throws OpenIdRefusal('unavailable') when the provider's discovery document cannot be had. */
  authorizationUrl(providerId: string, request: AuthorizationRequest): Promise<URL>;
  /** Redeems the code and verifies the ID token; throws OpenIdRefusal. */
  redeem(providerId: string, check: CallbackCheck): Promise<VerifiedClaims>;
}
