/** Turns a transport's byte counts into the `onProgress` calls the SDK promises: monotonic, clamped, one final `loaded === total`. */
import type { UploadProgress } from './upload-options.js';

export class ProgressReporter {
  private last = -1;

  constructor(
    private readonly total: number,
    private readonly listener?: (progress: UploadProgress) => void,
  ) {}

  /** `loaded` bytes of the file are out; ignored unless more than already reported. */
  report(loaded: number): void {
    const clamped = Math.min(this.total, Math.max(0, Math.floor(loaded)));
    if (clamped <= this.last) return;
    this.last = clamped;
    this.listener?.({ loaded: clamped, total: this.total });
  }

  /** Every byte is out (also for an empty file, whose only call is 0 of 0). */
  finish(): void {
    this.report(this.total);
  }
}
