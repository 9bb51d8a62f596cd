/** Named budgets; each implementation (memory, Redis) counts per key within the budget. */
export type RateBudget = 'messages' | 'logins' | 'login_failures' | 'registrations';

export interface RateLimiter {
  /** Spends one unit of `budget` for `key`; throws AppError rate_limited when none is left. */
  consume(budget: RateBudget, key: string): Promise<void>;
  /** Whether `key` still has budget, without spending any. */
  check(budget: RateBudget, key: string): Promise<void>;
  /** Forgets what `key` spent (e.g. failed logins after a success). */
  reset(budget: RateBudget, key: string): Promise<void>;
}
