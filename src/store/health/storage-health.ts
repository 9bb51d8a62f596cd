/**
 * Whether the database is failing to write (disk full, read-only, too many connections...),
 * judged from the outcomes of real operations: a cheap probe cannot tell a full disk from a
 * healthy one (`BEGIN IMMEDIATE; ROLLBACK` writes nothing), while every failed write says so.
 *
 * An episode opens at the first failure whose cause is the storage's condition and closes at
 * the next write that commits. /readyz asks `check()`, which, while an episode is open, tries a
 * probe write (at most once a second) so that recovery is seen even when no client writes.
 * Each episode logs one error line that says what to fix, and one info line when it ends; the
 * per-request answers are 503s that are not logged as errors, so a full disk floods no log.
 */
import { storageFailureReason, type StorageFailureReason } from '../sql-errors.js';
import type { StorageAdvisor } from './storage-advice.js';

/** What the store reports after each database operation. */
export interface StorageOutcomes {
  /** A write committed. */
  succeeded(): void;
  /** An operation failed; errors that are not about the storage's condition are ignored. */
  failed(error: unknown): void;
}

export interface StorageHealthLog {
  error(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface StorageHealthOptions {
  advise: StorageAdvisor;
  log: StorageHealthLog;
  /** Counts each failed operation by reason: the metric pneumatic_storage_failures_total. */
  countFailure(reason: StorageFailureReason): void;
  now?: () => number;
}

/**
 * A small write that shows whether the database takes writes again. `proves(reason)` is false
 * for failures it cannot rule out: on PostgreSQL a write of nothing passes on a full disk.
 */
export interface WriteProbe {
  run(): Promise<void>;
  proves(reason: StorageFailureReason): boolean;
}

interface Episode {
  /** The reason the error's code gives; a failure with another cause starts a new line. */
  cause: StorageFailureReason;
  /** The reason as diagnosed (see StorageAdvice), reported in /readyz and the metric. */
  reason: StorageFailureReason;
  message: string;
  since: number;
  lastFailureAt: number;
  failures: number;
  /** Whether an error line was written for it, so that its end is worth a line too. */
  logged: boolean;
}

/** After its last failure, how long an episode the probe cannot rule out keeps /readyz at 503. */
export const FAILURE_WINDOW_MS = 10_000;
const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_500;
/** An episode with the same reason as one logged this recently is not logged again (flapping). */
const LOG_REPEAT_MS = 60_000;

export class StorageHealth implements StorageOutcomes {
  private episode: Episode | null = null;
  /** Errors already counted: the same error may pass the driver wrapper and a probe. */
  private readonly seen = new WeakSet<object>();
  private readonly loggedAt = new Map<StorageFailureReason, number>();
  private probing: Promise<void> | null = null;
  private probedAt = -Infinity;
  private readonly now: () => number;

  constructor(private readonly options: StorageHealthOptions) {
    this.now = options.now ?? Date.now;
  }

  succeeded(): void {
    if (this.episode) this.recover(this.episode);
  }

  failed(error: unknown): void {
    const cause = storageFailureReason(error);
    // Lock contention and timeouts are the load's doing, not the storage's condition.
    if (cause === null || cause === 'busy') return;
    if (typeof error === 'object' && error !== null) {
      if (this.seen.has(error)) return;
      this.seen.add(error);
    }
    const now = this.now();
    let episode = this.episode;
    if (!episode || episode.cause !== cause) {
      const advice = this.options.advise(cause, error);
      episode = { cause, ...advice, since: episode?.since ?? now, lastFailureAt: now, failures: episode?.failures ?? 0, logged: episode?.logged ?? false };
      this.episode = episode;
      this.report(episode, error, now);
    }
    episode.failures++;
    episode.lastFailureAt = now;
    this.options.countFailure(episode.reason);
  }

  /** The reason writes are failing, or null; while failing, probes whether they work again. */
  async check(probe: WriteProbe): Promise<StorageFailureReason | null> {
    if (!this.episode) return null;
    await this.probe(probe);
    const episode = this.episode as Episode | null;
    if (!episode) return null;
    return probe.proves(episode.cause) || this.now() - episode.lastFailureAt < FAILURE_WINDOW_MS ? episode.reason : null;
  }

  /** The current episode's reason, without probing. */
  get failing(): StorageFailureReason | null {
    return this.episode?.reason ?? null;
  }

  private probe(probe: WriteProbe): Promise<void> {
    if (this.probing) return this.probing;
    if (this.now() - this.probedAt < PROBE_INTERVAL_MS) return Promise.resolve();
    this.probedAt = this.now();
    this.probing = (async () => {
      try {
        await withTimeout(probe.run(), PROBE_TIMEOUT_MS);
        if (this.episode && probe.proves(this.episode.cause)) this.recover(this.episode);
      } catch (error) {
        this.failed(error);
      } finally {
        this.probing = null;
      }
    })();
    return this.probing;
  }

  private report(episode: Episode, error: unknown, now: number): void {
    const last = this.loggedAt.get(episode.reason);
    if (last !== undefined && now - last < LOG_REPEAT_MS) return;
    this.loggedAt.set(episode.reason, now);
    episode.logged = true;
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    this.options.log.error({ reason: episode.reason, code, error: String(message) }, episode.message);
  }

  private recover(episode: Episode): void {
    this.episode = null;
    if (!episode.logged) return;
    const seconds = Math.round((this.now() - episode.since) / 1000);
    this.options.log.info(
      { reason: episode.reason, failures: episode.failures, seconds },
      `database writes work again (${episode.reason}: ${episode.failures} failed operations over ${seconds} s)`,
    );
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('storage probe timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
