import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../src/backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay and never exceeds the maximum', () => {
    const top = Array.from({ length: 12 }, (_, i) => backoffDelay(i, { initialDelayMs: 100, maxDelayMs: 1000 }, () => 1));
    expect(top).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    expect(backoffDelay(50, { initialDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(0);
    expect(backoffDelay(1e6, { maxDelayMs: 30_000 }, () => 0.999)).toBeLessThanOrEqual(30_000);
  });

  it('keeps a (1 - jitter) share of the delay fixed and randomizes the rest', () => {
    expect(backoffDelay(3, { initialDelayMs: 100, maxDelayMs: 10_000, jitter: 0.5 }, () => 0)).toBe(400);
    expect(backoffDelay(3, { initialDelayMs: 100, maxDelayMs: 10_000, jitter: 0.5 }, () => 1)).toBe(800);
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(4, { initialDelayMs: 100 })));
    expect(samples.size).toBeGreaterThan(10);
  });

  it('clamps jitter to 0..1 and treats a negative attempt as the first', () => {
    expect(backoffDelay(2, { initialDelayMs: 100, jitter: 0 }, () => 0)).toBe(400);
    expect(backoffDelay(2, { initialDelayMs: 100, jitter: -3 }, () => 0)).toBe(400);
    expect(backoffDelay(2, { initialDelayMs: 100, jitter: 7 }, () => 0)).toBe(0);
    expect(backoffDelay(-5, { initialDelayMs: 100, jitter: 0 })).toBe(100);
  });

  it('uses the factor for growth and the documented defaults (250 ms, 10 s, full jitter)', () => {
    expect(backoffDelay(2, { initialDelayMs: 10, factor: 3, jitter: 0 })).toBe(90);
    expect(backoffDelay(0, {}, () => 1)).toBe(250);
    expect(backoffDelay(0, {}, () => 0)).toBe(0);
    expect(backoffDelay(100, {}, () => 1)).toBe(10_000);
  });
});

describe('Backoff', () => {
  it('counts attempts, hands out growing delays, and starts over after reset()', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 350, jitter: 0 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 350, 350]);
    expect(backoff.attempts).toBe(4);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(100);
  });
});
