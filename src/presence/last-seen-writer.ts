/**
 * Writes `users.last_seen_at` in batches, never per frame: what the tracker records (a user
 * leaving, each online user once a minute) waits up to a second and goes in one statement per
 * 500 users (PostgreSQL) or one transaction (SQLite), raised only where the stored time is older.
 * A failed write is logged and dropped: the next minute's writes, or the next leave, bring it up
 * to date.
 */
import type { PresenceRepository } from '../domain/ports/presence.js';

export interface LastSeenLog {
  warn(details: object, message: string): void;
}

export class LastSeenWriter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: PresenceRepository,
    private readonly log: LastSeenLog,
    private readonly delayMs = 1000,
  ) {}

  /** Raises the user's last-seen time to `at` (epoch ms) with the next batch. */
  record(userId: string, at: number): void {
    const known = this.pending.get(userId);
    if (known === undefined || at > known) this.pending.set(userId, at);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref();
  }

  /** Writes what is pending now; resolves once written (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size > 0) {
      this.writing = this.writing.then(() =>
        this.repository.recordLastSeen(batch).catch((error: unknown) => this.log.warn({ err: error, users: batch.size }, 'presence: could not write last_seen_at')),
      );
    }
    return this.writing;
  }
}
