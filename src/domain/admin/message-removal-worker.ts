/**
 * The background side of message removals (docs/API.md, "Administration", Removing a user's
 * messages). Every process runs a worker: it polls for running jobs whose lease is free or
 * expired, takes one by a conditional update (store/admin/message-removal.repository.ts), and
 * deletes its messages in batches, each message an ordinary delete (its own event), the batch in
 * one short transaction and a rest as long as it took between batches, so sends never wait long
 * behind it. After each batch the progress and the cursor are stored and the lease extended; a
 * timer extends it meanwhile too. A process that crashes leaves its lease to expire and another process (or this
 * one after a restart) resumes after the cursor; a process that stops gives the lease up.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditLogRepository } from '../ports/admin-repository.js';
import type { ClaimedRemoval, MessageRemovalRepository } from '../ports/message-removal-repository.js';
import type { MessageService } from '../message.service.js';
import { PeriodicJob } from '../jobs/periodic-job.js';

/** Messages per batch: a few milliseconds of deletes before sends get the database again. */
export const REMOVAL_BATCH = 100;
/** Failed attempts in a row before a job is given up as failed (each retried after a lease). */
export const REMOVAL_MAX_FAILURES = 5;

export interface MessageRemovalWorkerOptions {
  removals: MessageRemovalRepository;
  messages: Pick<MessageService, 'deleteBatchAsAdmin'>;
  auditLog: AuditLogRepository;
  /** MESSAGE_REMOVAL_POLL_INTERVAL_MS. */
  pollIntervalMs: number;
  /** MESSAGE_REMOVAL_LEASE_MS. */
  leaseMs: number;
  batchSize?: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class MessageRemovalWorker {
  /** This process among the lease holders. */
  readonly holder = randomUUID();
  private readonly schedule: PeriodicJob;

  constructor(private readonly options: MessageRemovalWorkerOptions) {
    this.schedule = new PeriodicJob(() => this.drain(), { name: 'message removals: polling', intervalMs: options.pollIntervalMs, runAtStart: true, log: options.log });
  }

  /** Polls from now on; the first poll is at once, so jobs a restart interrupted resume. */
  start(): void {
    this.schedule.start();
  }

  /** Looks for work now (a job was just started here), or after the run under way. */
  nudge(): void {
    this.schedule.nudge();
  }

  /** Stops polling; a job under way stops after its batch and gives its lease up. */
  stop(): Promise<void> {
    return this.schedule.stop();
  }

  private get stopping(): boolean {
    return this.schedule.stopping;
  }

  /** Works on jobs one after another until none is free. */
  private async drain(): Promise<void> {
    while (!this.stopping) {
      const now = Date.now();
      const job = await this.options.removals.claim(this.holder, iso(now), iso(now + this.options.leaseMs));
      if (!job) return;
      await this.work(job);
    }
  }

  private async work(job: ClaimedRemoval): Promise<void> {
    const lease = { lost: false };
    // Extended a few times per lease, so a slow batch never lets it expire under a live holder.
    const renewal = setInterval(() => {
      this.options.removals.renew(job.removal.id, this.holder, iso(Date.now() + this.options.leaseMs)).then(
        (held) => (lease.lost ||= !held),
        (error: unknown) => this.options.log.warn({ err: error, removal: job.removal.id }, 'message removals: a lease renewal failed'),
      );
    }, Math.max(1, Math.floor(this.options.leaseMs / 3)));
    renewal.unref();
    try {
      await this.runBatches(job, lease);
    } catch (error) {
      await this.failed(job, error);
    } finally {
      clearInterval(renewal);
    }
  }

  private async runBatches(job: ClaimedRemoval, lease: { lost: boolean }): Promise<void> {
    const { removals } = this.options;
    const size = this.options.batchSize ?? REMOVAL_BATCH;
    const id = job.removal.id;
    let cursor = job.cursor;
    for (;;) {
      if (lease.lost) return;
      if (this.stopping) return removals.release(id, this.holder);
      const started = Date.now();
      const batch = await removals.nextBatch({ ...job, cursor }, size);
      const removed = batch.length === 0 ? 0 : await this.options.messages.deleteBatchAsAdmin(job.removal.requested_by, batch);
      const at = new Date().toISOString();
      if (batch.length < size) {
        const finished = await removals.finish(id, this.holder, { removed, at });
        if (finished) {
          await this.audit(job, { removal_id: id, status: 'done', removed: finished.removed });
          this.options.log.info({ removal: id, removed: finished.removed }, 'message removal done');
        }
        return;
      }
      const last = batch.at(-1)!;
      cursor = { created_at: last.created_at, message_id: last.message_id };
      if (!(await removals.advance(id, this.holder, { removed, cursor, at, leaseUntil: iso(Date.now() + this.options.leaseMs) }))) return;
      // As long a rest as the batch took: the job has at most half of this process's time, and
      // SQLite's synchronous writes on the main thread never hold sends back for long in a row.
      await sleep(Math.max(1, Date.now() - started));
    }
  }

  /** Counts the failed attempt; the job is retried once a lease has passed, or given up as failed. */
  private async failed(job: ClaimedRemoval, error: unknown): Promise<void> {
    const id = job.removal.id;
    this.options.log.warn({ err: error, removal: id }, 'message removals: a batch failed; retried after a lease');
    const now = Date.now();
    const after = await this.options.removals
      .failAttempt(id, this.holder, {
        at: iso(now),
        retryAt: iso(now + this.options.leaseMs),
        // The admin reads it: the cause (perhaps SQL) stays in the server log.
        error: `Stopped after ${REMOVAL_MAX_FAILURES} failed attempts in a row; the server log has the cause.`,
        maxFailures: REMOVAL_MAX_FAILURES,
      })
      .catch((cause: unknown) => {
        // The lease expires by itself: the job is retried then.
        this.options.log.warn({ err: cause, removal: id }, 'message removals: recording a failed attempt failed');
        return null;
      });
    if (after?.status === 'failed') await this.audit(job, { removal_id: id, status: 'failed', removed: after.removed });
  }

  /** `messages.removal_finished`, in the name of the admin who started the removal. */
  private async audit(job: ClaimedRemoval, after: Record<string, unknown>): Promise<void> {
    await this.options.auditLog.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor_id: job.removal.requested_by,
      action: 'messages.removal_finished',
      target_type: 'user',
      target_id: job.removal.user_id,
      conversation_id: null,
      before: null,
      after,
      request_id: null,
    });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
