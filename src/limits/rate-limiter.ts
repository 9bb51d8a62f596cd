/** Rate limits on the RateLimiter port, counted in memory (one process) by rate-limiter-flexible. */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import type { RateBudget, RateLimiter } from '../domain/ports/rate-limiter.js';

export interface BudgetSpec {
  points: number;
  durationSeconds: number;
}

/** Failed logins are counted over 15 minutes (OWASP's usual window for login throttling). */
const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
/** How long a successful login makes its client IP "known" for that username (under the 24.8-day timer limit). */
const KNOWN_LOGIN_SECONDS = 7 * 86400;
/** For budgets that only count (record/spent) and never refuse by themselves. */
const UNCAPPED = 1_000_000_000;
const PROFILE_CHANGES_PER_MINUTE = 30;

export function budgetsFromConfig(config: Config): Record<RateBudget, BudgetSpec> {
  return {
    messages: { points: config.RATE_LIMIT_MESSAGES_PER_MINUTE, durationSeconds: 60 },
    logins: { points: config.RATE_LIMIT_LOGINS_PER_MINUTE, durationSeconds: 60 },
    login_failures: { points: config.RATE_LIMIT_LOGIN_FAILURES_PER_CLIENT, durationSeconds: LOGIN_FAILURE_WINDOW_SECONDS },
    username_login_failures: { points: UNCAPPED, durationSeconds: LOGIN_FAILURE_WINDOW_SECONDS },
    // Only ever blocked (for a growing time), never consumed.
    login_throttle: { points: 1, durationSeconds: config.RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS },
    known_logins: { points: UNCAPPED, durationSeconds: KNOWN_LOGIN_SECONDS },
    registrations: { points: config.RATE_LIMIT_REGISTRATIONS_PER_HOUR, durationSeconds: 3600 },
    searches: { points: config.RATE_LIMIT_SEARCHES_PER_MINUTE, durationSeconds: 60 },
    uploads: { points: config.RATE_LIMIT_UPLOADS_PER_MINUTE, durationSeconds: 60 },
    // A fixed part of the contract (docs/API.md, "Profiles"): each change writes an event in every conversation of the user.
    profile_changes: { points: PROFILE_CHANGES_PER_MINUTE, durationSeconds: 60 },
  };
}

/** One limiter per budget, made by `make`. */
export function limitersFor(budgets: Record<RateBudget, BudgetSpec>, make: (name: RateBudget, spec: BudgetSpec) => RateLimiterAbstract): Record<RateBudget, RateLimiterAbstract> {
  return Object.fromEntries(Object.entries(budgets).map(([name, spec]) => [name, make(name as RateBudget, spec)])) as Record<RateBudget, RateLimiterAbstract>;
}

function rateLimited(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/** Adapts rate-limiter-flexible limiters (memory now, Redis for several processes) to the port. */
export class FlexibleRateLimiter implements RateLimiter {
  constructor(private readonly limiters: Record<RateBudget, RateLimiterAbstract>) {}

  static inMemory(budgets: Record<RateBudget, BudgetSpec>): FlexibleRateLimiter {
    return new FlexibleRateLimiter(limitersFor(budgets, (_name, b) => new RateLimiterMemory({ points: b.points, duration: b.durationSeconds })));
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

  async record(budget: RateBudget, key: string): Promise<number> {
    return (await this.limiters[budget].penalty(key, 1)).consumedPoints;
  }

  async spent(budget: RateBudget, key: string): Promise<number> {
    return (await this.limiters[budget].get(key))?.consumedPoints ?? 0;
  }

  async block(budget: RateBudget, key: string, seconds: number): Promise<void> {
    await this.limiters[budget].block(key, seconds);
  }
}

/** RATE_LIMITS=off: every budget is unlimited. */
export const unlimited: RateLimiter = {
  consume: async () => {},
  check: async () => {},
  reset: async () => {},
  record: async () => 0,
  spent: async () => 0,
  block: async () => {},
};
