/** Rate limits on the RateLimiter port, counted in memory (one process) by rate-limiter-flexible. */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import type { RateBudget, RateLimiter } from '../domain/ports/rate-limiter.js';

export interface BudgetSpec {
  points: number;
  durationSeconds: number;
}

export function budgetsFromConfig(config: Config): Record<RateBudget, BudgetSpec> {
  return {
    messages: { points: config.RATE_LIMIT_MESSAGES_PER_MINUTE, durationSeconds: 60 },
    logins: { points: config.RATE_LIMIT_LOGINS_PER_MINUTE, durationSeconds: 60 },
    login_failures: { points: config.RATE_LIMIT_LOGIN_FAILURES_PER_HOUR, durationSeconds: 3600 },
    registrations: { points: config.RATE_LIMIT_REGISTRATIONS_PER_HOUR, durationSeconds: 3600 },
  };
}

function rateLimited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/** Adapts rate-limiter-flexible limiters (memory now, Redis for several processes) to the port. */
export class FlexibleRateLimiter implements RateLimiter {
  constructor(private readonly limiters: Record<RateBudget, RateLimiterAbstract>) {}

  static inMemory(budgets: Record<RateBudget, BudgetSpec>): FlexibleRateLimiter {
    const make = (b: BudgetSpec) => new RateLimiterMemory({ points: b.points, duration: b.durationSeconds });
    return new FlexibleRateLimiter({
      messages: make(budgets.messages),
      logins: make(budgets.logins),
      login_failures: make(budgets.login_failures),
      registrations: make(budgets.registrations),
    });
  }

  async consume(budget: RateBudget, key: string): Promise<void> {
    try {
      await this.limiters[budget].consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
      throw error;
    }
  }

  async check(budget: RateBudget, key: string): Promise<void> {
    const limiter = this.limiters[budget];
    const state = await limiter.get(key);
    if (state && state.consumedPoints >= limiter.points) throw rateLimited(state.msBeforeNext);
  }

  async reset(budget: RateBudget, key: string): Promise<void> {
    await this.limiters[budget].delete(key);
  }
}

/** RATE_LIMITS=off: every budget is unlimited. */
export const unlimited: RateLimiter = {
  consume: async () => {},
  check: async () => {},
  reset: async () => {},
};
