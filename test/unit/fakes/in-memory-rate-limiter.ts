/**
 * The RateLimiter port as a plain counter: each budget allows `limits[budget]` units per key
 * (unlimited when not given) and never refills, so a case can exhaust one deterministically.
 */
import { AppError } from '../../../src/domain/errors.js';
import type { RateBudget, RateLimiter } from '../../../src/domain/ports/rate-limiter.js';

export class InMemoryRateLimiter implements RateLimiter {
  private readonly spent = new Map<string, number>();

  constructor(private readonly limits: Partial<Record<RateBudget, number>> = {}) {}

  async consume(budget: RateBudget, key: string): Promise<void> {
    await this.check(budget, key);
    this.spent.set(`${budget} ${key}`, this.used(budget, key) + 1);
  }

  async check(budget: RateBudget, key: string): Promise<void> {
    const limit = this.limits[budget];
    if (limit !== undefined && this.used(budget, key) >= limit) {
      throw new AppError('rate_limited', `${budget} budget of ${key} is spent.`, { retryAfterSeconds: 60 });
    }
  }

  async reset(budget: RateBudget, key: string): Promise<void> {
    this.spent.delete(`${budget} ${key}`);
  }

  /** Units of `budget` spent by `key` so far. */
  used(budget: RateBudget, key: string): number {
    return this.spent.get(`${budget} ${key}`) ?? 0;
  }
}
