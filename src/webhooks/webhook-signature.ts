/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com/, "Signature scheme"): an
 * HMAC-SHA256, keyed with the base64 bytes after `whsec_`, over `{webhook-id}.{webhook-timestamp}.{body}`,
 * sent as `v1,{base64}`; several (a rotated secret's overlap) are separated by spaces, and a
 * receiver accepts the request when any one verifies. Signed here with node:crypto (native,
 * and on the delivery path); the tests verify with the scheme's own library.
 */
import { createHmac } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '@pneumatic/protocol';

const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, 'base64');
    // Secrets are few (one or two per webhook); the map is only a cache of their decoding.
    if (keys.size > 10_000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The `webhook-signature` header's value for this id, timestamp (seconds) and exact body. */
export function webhookSignature(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`).join(' ');
}
