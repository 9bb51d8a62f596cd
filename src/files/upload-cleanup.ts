/**
 * The clean-up job of uploads (docs/API.md, "Files and images", Clean-up): deletes uploads no
 * message attached within UPLOAD_ORPHAN_HOURS, uploads whose messages were all deleted, uploads
 * a crash cut off (still pending after PENDING_STALE_MS), and the temporary files of such
 * crashes. Every process runs it: an upload is first claimed (`deleting`, store/repositories/
 * upload.repository.ts), so only uploads no send can attach any more are deleted, and a
 * deletion a crash interrupted is found again (`deleting`) and finished.
 */
import type { FileStorage } from '../domain/ports/file-storage.js';
import type { UploadRepository } from '../domain/ports/upload-repository.js';
import { storageKeys } from '../domain/uploads/storage-keys.js';
import { PeriodicJob } from '../domain/jobs/periodic-job.js';

/** An upload still pending after this long was cut off by a crash (a live one sends at least every UPLOAD_IDLE_TIMEOUT_MS). */
export const PENDING_STALE_MS = 3_600_000;
const BATCH = 100;

export interface UploadCleanupOptions {
  orphanHours: number;
  intervalMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class UploadCleanup {
  private readonly schedule: PeriodicJob;

  constructor(
    private readonly uploads: UploadRepository,
    private readonly files: FileStorage,
    private readonly options: UploadCleanupOptions,
  ) {
    this.schedule = new PeriodicJob(() => this.logged(), { name: 'upload clean-up', intervalMs: options.intervalMs, runAtStart: false, log: options.log });
  }

  start(): void {
    this.schedule.start();
  }

  /** Runs soon (a deleted message released its files), or after the run under way. */
  nudge(): void {
    this.schedule.nudge();
  }

  stop(): Promise<void> {
    return this.schedule.stop();
  }

  private async logged(): Promise<void> {
    const deleted = await this.runOnce();
    if (deleted > 0) this.options.log.info({ deleted }, 'uploads cleaned up');
  }

  /** One pass over everything there is to delete; resolves with how many uploads it deleted. */
  async runOnce(now = Date.now()): Promise<number> {
    const orphanCutoff = new Date(now - this.options.orphanHours * 3_600_000).toISOString();
    const pendingCutoff = new Date(now - PENDING_STALE_MS).toISOString();
    let deleted = 0;
    for (;;) {
      const candidates = await this.uploads.cleanupCandidates(orphanCutoff, pendingCutoff, BATCH);
      let progress = 0;
      for (const candidate of candidates) {
        if (!(await this.uploads.claimForDeletion(candidate, orphanCutoff, pendingCutoff))) continue;
        const keys = storageKeys(candidate.id);
        await Promise.all([keys.original, keys.cleaned, keys.thumbnail].map((key) => this.files.delete(key)));
        await this.uploads.remove(candidate.id);
        progress += 1;
      }
      deleted += progress;
      if (candidates.length < BATCH || progress === 0) break;
    }
    await this.files.sweepTemporary?.(PENDING_STALE_MS);
    return deleted;
  }
}
