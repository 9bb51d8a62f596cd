/**
 * The RateLimiter port as a plain counter: each budget allows `limits[budget]` units per key
 * (unlimited when not given) and never refills, so a case can exhaust one deterministically.
 * A block lasts its seconds of wall-clock time.
 */
import { AppError } from '../../../src/domain/errors.js';
import type { RateBudget, RateLimiter } from '../../../src/domain/ports/rate-limiter.js';

export class InMemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly limits: Partial<Record<RateBudget, number>> = {}) {}

  async consume(budget: RateBudget, key: string): Promise<void> {
    await this.check(budget, key);
    this.counts.set(`${budget} ${key}`, this.used(budget, key) + 1);
  }

  async check(budget: RateBudget, key: string): Promise<void> {
    const limit = this.limits[budget];
    const blocked = (this.blockedUntil.get(`${budget} ${key}`) ?? 0) > Date.now();
    if (blocked || (limit !== undefined && this.used(budget, key) >= limit)) {
      throw new AppError('rate_limited', `${budget} budget of ${key} is spent.`, { retryAfterSeconds: 60 });
    }
  }

  async reset(budget: RateBudget, key: string): Promise<void> {
    this.counts.delete(`${budget} ${key}`);
    this.blockedUntil.delete(`${budget} ${key}`);
  }

  async record(budget: RateBudget, key: string): Promise<number> {
    const count = this.used(budget, key) + 1;
    this.counts.set(`${budget} ${key}`, count);
    return count;
  }

  async spent(budget: RateBudget, key: string): Promise<number> {
    return this.used(budget, key);
  }

  async block(budget: RateBudget, key: string, seconds: number): Promise<void> {
    this.blockedUntil.set(`${budget} ${key}`, Date.now() + seconds * 1000);
  }

  /** Units of `budget` counted for `key` so far. */
  used(budget: RateBudget, key: string): number {
    return this.counts.get(`${budget} ${key}`) ?? 0;
  }
}
