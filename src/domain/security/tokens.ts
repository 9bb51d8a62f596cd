import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: the bearer token handed to the client once. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this hash is stored, so a database leak yields no usable token. A fast hash is
 * enough here: the input has 256 bits of entropy, unlike a password.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
