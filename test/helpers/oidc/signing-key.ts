/**
 * ID token signing keys. Each provider gets a fresh RSA key by default; two providers given the
 * same key sign with the same `kid`, so an ID token from one verifies against the other's JWKS.
 * That is what makes the wrong-issuer case sharp: the signature is good and only `iss` is wrong.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

/** A private JWK (RS256) as oidc-provider's `jwks` configuration takes it. */
export type SigningJwk = Record<string, unknown> & { kid: string };

export function createSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // RS256 because it is what every relying party accepts by default (OIDC Core §15.1).
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
