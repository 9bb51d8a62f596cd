/**
 * The retention job (docs/API.md, "Retention"): deletes every message older than its
 * conversation's effective period, a small batch per transaction with a pause between, so sends
 * keep flowing, then announces each conversation's new expiry position once (`messages.expired`,
 * live and in the change feed). Every process runs it on a timer, but only the holder of the
 * `retention` lease works: two processes deleting the same rows would only contend.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { effectiveRetentionDays } from '@pneumatic/protocol';
import type { EventPublisher } from '../domain/ports/events.js';
import { PeriodicJob } from '../domain/jobs/periodic-job.js';
import type { JobLeaseRepository, RetentionRepository } from '../domain/ports/retention-repository.js';

const LEASE = 'retention';
/** Held this long past each renewal: a crashed holder's lease is free again after it. */
const LEASE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Conversations read per page of candidates. */
const PAGE = 200;

export interface RetentionJobOptions {
  intervalMs: number;
  batchSize: number;
  pauseMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface RetentionRun {
  conversations: number;
  deleted: number;
}

export class RetentionJob {
  /** This process, as the lease names it. */
  private readonly holder = randomUUID();
  private readonly schedule: PeriodicJob;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly leases: JobLeaseRepository,
    private readonly events: EventPublisher,
    /** Uploads whose last message went may be deleted now (the upload clean-up job). */
    private readonly attachmentsReleased: () => void,
    private readonly options: RetentionJobOptions,
  ) {
    this.schedule = new PeriodicJob(() => this.logged(), { name: 'retention run', intervalMs: options.intervalMs, runAtStart: true, log: options.log });
  }

  start(): void {
    this.schedule.start();
  }

  /** Runs soon (a period changed), or again right after the run under way. */
  nudge(): void {
    this.schedule.nudge();
  }

  stop(): Promise<void> {
    return this.schedule.stop();
  }

  private get stopping(): boolean {
    return this.schedule.stopping;
  }

  private async logged(): Promise<void> {
    const run = await this.runOnce();
    if (run && run.deleted > 0) this.options.log.info({ ...run }, 'retention deleted expired messages');
  }

  /** One pass over every conversation; null when another process holds the lease. */
  async runOnce(now = Date.now()): Promise<RetentionRun | null> {
    const run: RetentionRun = { conversations: 0, deleted: 0 };
    const serverDays = await this.retention.serverRetentionDays();
    // Without any period there is nothing to do, and no lease is written for it.
    if (serverDays === null && (await this.retention.candidates(false, null, 1)).length === 0) return run;
    if (!(await this.renewLease())) return null;
    try {
      let after: string | null = null;
      for (;;) {
        const page = await this.retention.candidates(serverDays !== null, after, PAGE);
        for (const candidate of page) {
          const days = effectiveRetentionDays(serverDays, candidate.retention_days);
          if (days === null || this.stopping) continue;
          const deleted = await this.expire(candidate.id, new Date(now - days * DAY_MS).toISOString());
          if (deleted > 0) run.conversations += 1;
          run.deleted += deleted;
        }
        if (page.length < PAGE || this.stopping) break;
        after = page[page.length - 1]!.id;
        if (!(await this.renewLease())) break;
      }
    } finally {
      await this.leases.release(LEASE, this.holder, new Date().toISOString());
    }
    return run;
  }

  /** Deletes one conversation's due messages batch by batch; announces once if any went. */
  private async expire(conversationId: string, cutoff: string): Promise<number> {
    let deleted = 0;
    let released = false;
    for (;;) {
      const started = Date.now();
      const batch = await this.retention.expireBatch(conversationId, cutoff, this.options.batchSize);
      deleted += batch.deleted;
      released ||= batch.released_attachments;
      if (batch.deleted < this.options.batchSize || this.stopping) break;
      // At least as long a rest as the batch took, so the job has at most half of this process's
      // time: SQLite's statements run on the main thread, and sends must not wait behind a run of them.
      await sleep(Math.max(this.options.pauseMs, Date.now() - started));
      // A long conversation keeps the lease alive while it is worked through.
      if (!(await this.renewLease())) break;
    }
    if (deleted === 0) return 0;
    const announced = await this.retention.announceExpiry(conversationId, cutoff, new Date().toISOString());
    if (announced) this.events.publish({ type: 'messages.expired', conversation_id: conversationId, ...announced });
    if (released) this.attachmentsReleased();
    return deleted;
  }

  private renewLease(): Promise<boolean> {
    const now = Date.now();
    return this.leases.tryAcquire(LEASE, this.holder, new Date(now).toISOString(), new Date(now + LEASE_MS).toISOString());
  }
}
