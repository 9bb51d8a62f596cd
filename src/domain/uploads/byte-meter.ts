/**
 * The pass-through every upload's bytes flow through on their way to storage: counts them,
 * hashes them (SHA-256, as the upload reports), keeps the first few for sniffing the type, and
 * cuts the stream (so storage discards what it has) when the bytes pass the limit or the client
 * goes quiet for too long. Nothing is buffered beyond the sniffed head.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface ByteMeterOptions {
  /** More bytes than this cut the stream with `tooLarge()`. */
  limit: number;
  /** Leading bytes to keep. */
  headBytes: number;
  /** No byte for this long cuts the stream with `idle()`; null: no idle cut. */
  idleMs: number | null;
  tooLarge: () => Error;
  idle: () => Error;
}

export class ByteMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ByteMeterOptions) {
    super();
    this.armIdle();
  }

  get head(): Uint8Array {
    return Buffer.concat(this.headChunks, this.headLength);
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.armIdle();
    this.bytes += chunk.length;
    if (this.bytes > this.options.limit) return callback(this.options.tooLarge());
    this.hash.update(chunk);
    if (this.headLength < this.options.headBytes) {
      const part = chunk.subarray(0, this.options.headBytes - this.headLength);
      this.headChunks.push(Buffer.from(part));
      this.headLength += part.length;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.disarmIdle();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.disarmIdle();
    callback(error);
  }

  private armIdle(): void {
    if (this.options.idleMs === null) return;
    this.disarmIdle();
    this.idleTimer = setTimeout(() => this.destroy(this.options.idle()), this.options.idleMs);
    this.idleTimer.unref();
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
