/** The push payload, the Topic, the retry policy and the subscription checks: rules that need no server. */
import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PUSH_PREVIEW_MAX_CHARS } from '@pneumatic/protocol';
import type { DueDelivery } from '../../../src/domain/ports/push-repository.js';
import { isPushableAddress } from '../../../src/domain/push/endpoint-address.js';
import { payloadOf, previewOf, topicOf } from '../../../src/domain/push/push-payload.js';
import { backoffMs, outcomeOf, retryAfterMs, RETRY_MAX_DELAY_MS } from '../../../src/domain/push/push-retry.policy.js';
import { validSubscription } from '../../../src/domain/push/subscription-validation.js';
import { AppError } from '../../../src/domain/errors.js';

const delivery = (overrides: Partial<DueDelivery> = {}): DueDelivery & { message: NonNullable<DueDelivery['message']> } => ({
  id: 'd1',
  subscription_id: 's',
  conversation_id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  message_id: 'm',
  user_id: 'bob',
  endpoint: 'https://push.example/x',
  origin: 'https://push.example',
  p256dh: '',
  auth: '',
  expires_at: null,
  mention: false,
  urgent: false,
  preview: true,
  attempts: 1,
  queued_at: 0,
  lease_until: 0,
  message: { seq: 7, content: 'hello', sender_id: 'alice', sender_username: 'Alice', created_at: '2026-12-10T12:00:00.000Z', thread_root_id: null, conversation_title: '' },
  ...overrides,
} as DueDelivery & { message: NonNullable<DueDelivery['message']> });

describe('the push payload', () => {
  it('cuts the preview at PUSH_PREVIEW_MAX_CHARS characters, never inside a surrogate pair', () => {
    expect(previewOf('  short  ')).toBe('short');
    const long = previewOf('😀'.repeat(500));
    expect(Array.from(long)).toHaveLength(PUSH_PREVIEW_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('has no preview when the recipient turned them off, and a null title for an untitled conversation', () => {
    const payload = payloadOf(delivery({ preview: false }));
    expect(payload).not.toHaveProperty('preview');
    expect(payload.conversation_title).toBeNull();
    expect(payloadOf(delivery()).preview).toBe('hello');
  });

  it('stays far below 4 KB with the longest content, title and name (each cut)', () => {
    const huge = delivery();
    huge.message = { ...huge.message, content: '𝕏'.repeat(60_000), conversation_title: '𝕏'.repeat(10_000), sender_username: 'u'.repeat(64) };
    expect(Buffer.byteLength(JSON.stringify(payloadOf(huge)))).toBeLessThan(2000);
  });

  it('has a Topic of the 32 hex digits of the conversation id (base64url, at most 32 characters)', () => {
    expect(topicOf('0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0')).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
  });
});

describe('the retry policy', () => {
  const context = { attempts: 1, queued_at: 0, ttlMs: 86_400_000, now: 1000, random: () => 0.5 };
  it('calls 2xx delivered, 404 and 410 gone, other 4xx but 429 dropped', () => {
    for (const status of [200, 201, 202]) expect(outcomeOf({ kind: 'answered', status, retryAfter: null }, context).kind).toBe('delivered');
    for (const status of [404, 410]) expect(outcomeOf({ kind: 'answered', status, retryAfter: null }, context).kind).toBe('gone');
    for (const status of [400, 401, 403, 413]) expect(outcomeOf({ kind: 'answered', status, retryAfter: null }, context).kind).toBe('dropped');
    expect(outcomeOf({ kind: 'unsendable', error: 'bad key' }, context).kind).toBe('dropped');
  });

  it('retries 429, 5xx and failures with exponential backoff and jitter, no sooner than Retry-After', () => {
    expect(outcomeOf({ kind: 'answered', status: 500, retryAfter: null }, context)).toEqual({ kind: 'retry', at: 1000 + 750, error: 'push service answered 500' });
    expect(outcomeOf({ kind: 'answered', status: 429, retryAfter: '30' }, context)).toMatchObject({ kind: 'retry', at: 31_000 });
    expect(outcomeOf({ kind: 'failed', error: 'ECONNREFUSED' }, { ...context, attempts: 4 })).toMatchObject({ kind: 'retry', at: 1000 + 6000 });
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 0.999)).toBeLessThan(1000);
    expect(backoffMs(40, () => 0.999)).toBeLessThanOrEqual(RETRY_MAX_DELAY_MS);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at an hour', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1000)).toBe(60_000);
    expect(retryAfterMs('999999', 0)).toBe(RETRY_MAX_DELAY_MS);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });

  it('gives up once the next attempt would be past the TTL', () => {
    expect(outcomeOf({ kind: 'answered', status: 503, retryAfter: null }, { ...context, now: 86_399_900 })).toMatchObject({ kind: 'dropped' });
  });
});

describe('subscription checks', () => {
  const keys = () => ({ p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') });
  const check = (endpoint: string, allowInsecureEndpoints = false) => validSubscription({ endpoint, keys: keys() }, { allowInsecureEndpoints, now: 0 });

  it('keeps keys in base64url without padding, whichever base64 alphabet the client used', () => {
    const raw = createECDH('prime256v1').generateKeys();
    const valid = validSubscription({ endpoint: 'https://push.example/a', keys: { p256dh: raw.toString('base64'), auth: randomBytes(16).toString('base64') } }, { allowInsecureEndpoints: false, now: 0 });
    expect(valid.p256dh).toBe(raw.toString('base64url'));
    expect(valid.origin).toBe('https://push.example');
  });

  it('refuses special-purpose addresses, and allows loopback over http only with the test setting', () => {
    for (const endpoint of ['https://127.0.0.1/x', 'https://[::ffff:10.0.0.1]/x', 'https://169.254.169.254/x', 'https://[fe80::1]/x', 'http://127.0.0.1:9/x']) {
      expect(() => check(endpoint), endpoint).toThrow(AppError);
    }
    expect(check('http://127.0.0.1:9/x', true).origin).toBe('http://127.0.0.1:9');
    expect(check('https://203.0.114.1/x').origin).toBe('https://203.0.114.1');
    expect(isPushableAddress('8.8.8.8', false)).toBe(true);
    expect(isPushableAddress('::1', false)).toBe(false);
    expect(isPushableAddress('::1', true)).toBe(true);
  });
});
