/**
 * Where uploaded bytes live (docs/API.md, "Files and images"): one port, two backends
 * (src/files/: local disk by default, any S3-compatible object store). Keys are opaque
 * strings chosen by the server (`uploads/<id>`, `thumbnails/<id>`), never a client's filename.
 */
import type { Readable } from 'node:stream';

/** Inclusive byte offsets, as an HTTP Range names them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStorage {
  /** What the backend is, for logs and the health page: `local` or `s3`. */
  readonly kind: 'local' | 's3';
  /**
   * Streams `body` to `key`, never holding it whole in memory. Resolves once the object is
   * durable and readable under `key`. When `body` fails (a client cut off, a size limit) or the
   * backend does, rejects and leaves nothing under `key` and nothing temporary behind (an
   * object store's unfinished multipart upload is aborted).
   */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The object's bytes (or those of `range`), streamed; null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** The object's size in bytes, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes temporary files older than `olderThanMs` that a crash left behind (local disk; an
   * object store keeps none of its own), returning how many.
   */
  sweepTemporary?(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}
