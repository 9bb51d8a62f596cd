/**
 * Removes change-feed events older than the retention, periodically. Every process runs it;
 * runs are idempotent, so several processes compacting at once only repeat each other's work.
 */
import type { ChangeFeedRepository } from '../../domain/ports/repositories.js';

export interface CompactionOptions {
  retentionDays: number;
  intervalMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const DAY_MS = 86_400_000;

/** Starts compacting every `intervalMs`; returns a function that stops it and waits for a run in progress. */
export function startEventCompaction(feed: ChangeFeedRepository, options: CompactionOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    const cutoff = new Date(Date.now() - options.retentionDays * DAY_MS).toISOString();
    running = feed
      .compact(cutoff)
      .then((removed) => {
        if (removed > 0) options.log.info({ removed, cutoff }, 'change feed compacted');
      })
      .catch((error: unknown) => options.log.warn({ err: error }, 'change feed compaction failed; retried at the next interval'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
