/**
 * A browser's PushSubscription (its `toJSON()`: endpoint, expirationTime, keys) checked beyond
 * its schema: the endpoint is an https URL of a push service on a public address, `p256dh` is
 * an uncompressed point on P-256 (RFC 8291, section 3.1) and `auth` 16 bytes (section 3.2).
 * A refusal is 400 invalid_push_subscription naming the field, never echoing the value.
 */
import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import type { PushSubscriptionInput } from '@pneumatic/protocol';
import { AppError } from '../errors.js';
import { bareHost, isLoopbackAddress, isPushableAddress } from './endpoint-address.js';

export interface ValidSubscription {
  endpoint: string;
  origin: string;
  /** base64url without padding, as browsers write them. */
  p256dh: string;
  auth: string;
  expires_at: string | null;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function refuse(pointer: string, detail: string): never {
  throw new AppError('invalid_push_subscription', `${pointer.slice(1).replace('/', '.')} ${detail}.`, { errors: [{ pointer, detail }] });
}

function decoded(value: string, pointer: string): Buffer {
  if (!BASE64.test(value)) refuse(pointer, 'must be base64url');
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}

function checkedEndpoint(raw: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('/endpoint', 'must be an absolute https:// URL');
  }
  if (url.username !== '' || url.password !== '') refuse('/endpoint', 'must not carry credentials');
  const host = bareHost(url);
  const loopback = host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));
  if (url.protocol === 'http:' && allowInsecure && loopback) return url;
  if (url.protocol !== 'https:') refuse('/endpoint', 'must be an https:// URL');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPushableAddress(host, allowInsecure))) {
    refuse('/endpoint', 'must be on a public address (a push service)');
  }
  return url;
}

/** The subscription as stored, or an AppError naming the first field at fault. */
export function validSubscription(input: PushSubscriptionInput, options: { allowInsecureEndpoints: boolean; now: number }): ValidSubscription {
  const url = checkedEndpoint(input.endpoint, options.allowInsecureEndpoints);
  const key = decoded(input.keys.p256dh, '/keys/p256dh');
  if (key.length !== 65 || key[0] !== 0x04) refuse('/keys/p256dh', 'must be an uncompressed P-256 public key (65 bytes)');
  try {
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: key.subarray(1, 33).toString('base64url'), y: key.subarray(33).toString('base64url') }, format: 'jwk' });
  } catch {
    refuse('/keys/p256dh', 'is not a point on the P-256 curve');
  }
  const auth = decoded(input.keys.auth, '/keys/auth');
  if (auth.length !== 16) refuse('/keys/auth', 'must be 16 bytes');
  const expiration = input.expirationTime ?? null;
  if (expiration !== null && expiration <= options.now) refuse('/expirationTime', 'is in the past');
  return {
    endpoint: url.href,
    origin: url.origin,
    p256dh: key.toString('base64url'),
    auth: auth.toString('base64url'),
    expires_at: expiration === null ? null : new Date(expiration).toISOString(),
  };
}
