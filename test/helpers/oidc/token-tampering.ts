/**
 * The man in the middle of the token request, for the ID-token validation cases: on demand, the
 * next response of the token endpoint is replaced by another, real, token response — one whose
 * ID token was issued for another client (wrong `aud`), by another provider (wrong `iss`), or for
 * another authorization request (wrong `nonce`). The relying party must refuse each
 * (OIDC Core §3.1.3.7).
 *
 * Why a middleware in the provider rather than an HTTP proxy in front of it: the relying party
 * only sees bytes on the token endpoint's connection, and who wrote them makes no difference to
 * it. A proxy would need to be the configured issuer itself (discovery's `issuer` must equal the
 * configured one, OIDC Discovery §4.3), with Host headers preserved so that the provider's
 * endpoint URLs point back through it; a post-processing Koa middleware (oidc-provider's
 * documented way to change a response) does the same swap without another listener.
 *
 * The real token request still reaches the provider and is answered (its code is spent), as it
 * would be behind a man in the middle.
 */
import type { Provider } from 'oidc-provider';

/** A token endpoint response body (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  id_token: string;
  expires_in?: number;
  scope?: string;
  [key: string]: unknown;
}

export interface TokenReplacement {
  /** True once a token response was replaced: a test checks it so that a refusal for another reason does not pass for this one. */
  readonly done: boolean;
}

export interface TokenTampering {
  /** Replaces the body of the next successful token response with `body` (200, JSON). */
  replaceNextTokenResponse(body: TokenResponse): TokenReplacement;
  /** Forgets a replacement that has not happened. */
  cancelReplacement(): void;
}

export function installTokenTampering(provider: Provider, tokenPath = '/token'): TokenTampering {
  let pending: { body: TokenResponse; state: { done: boolean } } | null = null;
  provider.use(async (ctx, next) => {
    await next();
    if (pending === null || ctx.method !== 'POST' || ctx.path !== tokenPath || ctx.status !== 200) return;
    ctx.body = pending.body;
    pending.state.done = true;
    pending = null;
  });
  return {
    replaceNextTokenResponse(body) {
      const state = { done: false };
      pending = { body, state };
      return state;
    },
    cancelReplacement() {
      pending = null;
    },
  };
}
