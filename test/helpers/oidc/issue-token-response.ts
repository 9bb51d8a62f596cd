/**
 * Gets a real token response out of a provider by running a whole authorization code flow with
 * PKCE against it over HTTP (as a relying party would, but without openid-client, so that the raw
 * body comes back untouched). The tampering cases hand such a response to the Pneumatic server
 * in place of the one it asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { loginAt } from './login-driver.js';
import type { ClientMetadata } from './memory-store.js';
import type { TokenResponse } from './token-tampering.js';

export interface TokenRequest {
  issuer: string;
  client: ClientMetadata;
  accountId: string;
  /** The `nonce` of the authorization request, echoed in the ID token; a fresh random one by default. */
  nonce?: string;
  scope?: string;
}

export async function issueTokenResponse(request: TokenRequest): Promise<TokenResponse> {
  const { client } = request;
  const discovery = (await (await fetch(`${request.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const redirectUri = client.redirect_uris[0];
  if (!redirectUri || !discovery.authorization_endpoint || !discovery.token_endpoint) throw new Error('client without redirect URI, or provider without endpoints');
  const verifier = randomBytes(32).toString('base64url');
  const authorization = new URL(discovery.authorization_endpoint);
  authorization.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    scope: request.scope ?? 'openid profile email',
    redirect_uri: redirectUri,
    state: randomBytes(16).toString('base64url'),
    nonce: request.nonce ?? randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(await loginAt(authorization.href, request.accountId));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`the provider answered without a code: ${callback.search}`);

  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  // client_secret_basic: id and secret form-urlencoded, then Base64 (RFC 6749 §2.3.1).
  if (client.client_secret === undefined) body.set('client_id', client.client_id);
  else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  const response = await fetch(discovery.token_endpoint, { method: 'POST', headers, body });
  const tokens = (await response.json()) as TokenResponse;
  if (response.status !== 200 || typeof tokens.id_token !== 'string') throw new Error(`token request refused: ${response.status} ${JSON.stringify(tokens)}`);
  return tokens;
}
