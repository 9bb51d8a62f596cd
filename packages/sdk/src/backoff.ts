/** Exponential backoff with full jitter and a bounded maximum delay. */
export interface BackoffOptions {
  /** First delay ceiling, ms. Default 250. */
  initialDelayMs?: number;
  /** No delay exceeds this, ms. Default 10,000. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay that is randomized, 0 to 1. Default 1 ("full jitter"). */
  jitter?: number;
}

/**
 * The delay before retry number `attempt` (0-based): `min(max, initial * factor^attempt)`, of
 * which a `jitter` fraction is random so that many clients cut at once do not return in step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 1));
  const ceiling = Math.min(max, initial * Math.pow(factor, Math.max(0, attempt)));
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}

/** Counts attempts and hands out the next delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  next(): number {
    return backoffDelay(this.attempt++, this.options);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
