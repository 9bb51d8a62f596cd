/**
 * Writes the progress of every lane this process walks (docs/architecture.md, "Outgoing
 * webhooks"): delivered events' log rows, cursors, leases extended or released, all lanes in
 * one transaction every `intervalMs`. A transaction per lane and page made each delivery a
 * write of its own under load; on SQLite every one of them waits for the write lock the
 * writer thread's sends hold, on the main thread. Lanes go on sending while their progress
 * waits here (their cursor is theirs while they hold the lease); one that is releasing waits
 * for the write, so its lease is let go only with its cursor.
 */
import type { AttemptRecord, ClaimedLane, WebhookQueue } from '../domain/ports/webhook-repository.js';

interface Pending {
  cursor: number;
  delivered: AttemptRecord[];
  leaseUntil: number | null;
  settled: Array<(held: boolean) => void>;
}

export class ProgressWriter {
  private pending = new Map<ClaimedLane, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly queue: WebhookQueue,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 20,
  ) {}

  /**
   * Queues the lane's progress: its cursor, the events delivered since its last write, and its
   * lease until `leaseUntil` (null releases it). Resolves once written: false when the lane's
   * lease was no longer this process's (nothing of it was written) or the write failed.
   */
  write(lane: ClaimedLane, cursor: number, delivered: readonly AttemptRecord[], leaseUntil: number | null): Promise<boolean> {
    let entry = this.pending.get(lane);
    if (!entry) {
      entry = { cursor, delivered: [], leaseUntil, settled: [] };
      this.pending.set(lane, entry);
    }
    entry.cursor = cursor;
    entry.delivered.push(...delivered);
    entry.leaseUntil = leaseUntil;
    const written = new Promise<boolean>((resolve) => entry.settled.push(resolve));
    this.schedule();
    return written;
  }

  /** Writes what is pending now (shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    if (this.pending.size > 0) await this.flush();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.pending.size > 0) this.schedule();
      });
    }, this.intervalMs);
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    let held: boolean[];
    try {
      held = await this.queue.advanceMany(batch.map(([lane, entry]) => ({ lane, cursor: entry.cursor, delivered: entry.delivered, leaseUntil: entry.leaseUntil })));
    } catch (error) {
      // Nothing was written: the lanes stop, their leases run out, and another walk repeats these deliveries under the same ids.
      this.onError(error);
      held = batch.map(() => false);
    }
    batch.forEach(([lane, entry], index) => {
      const ok = held[index] === true;
      if (ok && entry.leaseUntil !== null) lane.lease_until = entry.leaseUntil;
      for (const settle of entry.settled) settle(ok);
    });
  }
}
