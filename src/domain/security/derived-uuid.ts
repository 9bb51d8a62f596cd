import { createHash } from 'node:crypto';

/**
 * A UUID of version 8 (RFC 9562: custom) from the SHA-256 of `text`: the same text always gives
 * the same id, so an id can be recomputed rather than stored (a retried post's message id, a
 * webhook delivery's `webhook-id`), and different texts do not meet.
 */
export function derivedUuid(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
