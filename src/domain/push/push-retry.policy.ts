/**
 * What a push service's answer means for a delivery (RFC 8030, section 6 and 8.2; docs/API.md,
 * "Web Push"): 2xx delivered; 404 or 410 the subscription is gone for good; 429, 5xx, a timeout
 * or a network failure are tried again with exponential backoff and jitter (never sooner than
 * Retry-After says), until the push is older than its TTL, when no service would keep it
 * anyway; any other answer (400, 413: the request itself is wrong) drops the push.
 */
import type { DeliveryOutcome } from '../ports/push-repository.js';

/** A push service's answer, or why there was none (`failed`: worth another try; `unsendable`: never). */
export type PushAttempt =
  | { kind: 'answered'; status: number; retryAfter: string | null }
  | { kind: 'failed'; error: string }
  | { kind: 'unsendable'; error: string };

export const RETRY_FIRST_DELAY_MS = 1000;
export const RETRY_MAX_DELAY_MS = 60 * 60 * 1000;

/** The delay before attempt `attempts + 1`: 1 s doubling up to an hour, times a random factor in [0.5, 1). */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(RETRY_FIRST_DELAY_MS * 2 ** exponent, RETRY_MAX_DELAY_MS);
  return Math.floor(ceiling * (0.5 + random() / 2));
}

/** Retry-After (RFC 9110, section 10.2.3) as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_MAX_DELAY_MS);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.min(Math.max(at - now, 0), RETRY_MAX_DELAY_MS);
}

export interface RetryContext {
  /** Attempts made so far, this one included. */
  attempts: number;
  /** When the push was queued (epoch ms): it is not retried past `queued_at + ttlMs`. */
  queued_at: number;
  ttlMs: number;
  now: number;
  random?: () => number;
}

export function outcomeOf(attempt: PushAttempt, context: RetryContext): DeliveryOutcome {
  if (attempt.kind === 'unsendable') return { kind: 'dropped', error: attempt.error };
  if (attempt.kind === 'answered') {
    const { status } = attempt;
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    if (status === 404 || status === 410) return { kind: 'gone' };
    if (status !== 429 && status < 500) return { kind: 'dropped', error: `push service refused the push with ${status}` };
  }
  const error = attempt.kind === 'answered' ? `push service answered ${attempt.status}` : attempt.error;
  const hinted = attempt.kind === 'answered' ? retryAfterMs(attempt.retryAfter, context.now) : null;
  const delay = Math.max(backoffMs(context.attempts, context.random), hinted ?? 0);
  const at = context.now + delay;
  if (at > context.queued_at + context.ttlMs) return { kind: 'dropped', error: `${error}; given up after ${context.attempts} attempts (older than its TTL)` };
  return { kind: 'retry', at, error };
}
