/** Named budgets; each implementation (memory, Redis) counts per key within the budget. */
export type RateBudget =
  | 'messages'
  | 'logins'
  | 'login_failures'
  | 'username_login_failures'
  | 'login_throttle'
  | 'known_logins'
  | 'registrations'
  | 'searches'
  | 'uploads'
  | 'profile_changes';

export interface RateLimiter {
  /** Spends one unit of `budget` for `key`; throws AppError rate_limited when none is left. */
  consume(budget: RateBudget, key: string): Promise<void>;
  /** Whether `key` still has budget, without spending any; throws AppError rate_limited when not. */
  check(budget: RateBudget, key: string): Promise<void>;
  /** Forgets what `key` spent (e.g. failed logins after a success). */
  reset(budget: RateBudget, key: string): Promise<void>;
  /** Counts one unit for `key` without ever refusing; resolves with the units counted in the window. */
  record(budget: RateBudget, key: string): Promise<number>;
  /** The units `key` has counted in the current window (0 when none). */
  spent(budget: RateBudget, key: string): Promise<number>;
  /** Refuses `key` in `budget` (check and consume throw rate_limited) for `seconds`. */
  block(budget: RateBudget, key: string, seconds: number): Promise<void>;
}
