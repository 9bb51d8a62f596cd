/**
 * Files and images (docs/API.md, "Files and images"): receiving an upload, and who may read one.
 *
 * An upload is recorded `pending` before its first byte is stored, streamed through a ByteMeter
 * (size, SHA-256, the sniffed head, the limits) to storage, then inspected: its type from its
 * bytes, and for an image its size, a thumbnail, and a copy without metadata when it has some.
 * Only then is it `ready`: visible to its owner and attachable. Whatever fails on the way (the
 * client, a limit, storage) removes what was stored; a crash leaves a pending row the clean-up
 * job removes with its bytes (upload-cleanup.ts).
 */
import { randomUUID } from 'node:crypto';
import { finished, Readable } from 'node:stream';
import { INLINE_IMAGE_TYPES, type Upload } from '@pneumatic/protocol';
import { attachmentOf } from './attachments.js';
import { nowIso } from './clock.js';
import { AppError, notFound } from './errors.js';
import type { FileInspector, ImageFacts } from './ports/file-inspector.js';
import type { FileStorage } from './ports/file-storage.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Store } from './ports/repositories.js';
import type { UploadFacts, UploadRecord } from './ports/upload-repository.js';
import { ByteMeter } from './uploads/byte-meter.js';
import { displayFilename } from './uploads/display-filename.js';
import { storageKeys, type UploadVariant } from './uploads/storage-keys.js';

/**
 * Larger images are not decoded (no size, no thumbnail, served as uploaded): decoding reads the
 * whole file into memory, and UPLOAD_MAX_BYTES may be set far above any photo.
 */
export const IMAGE_MAX_BYTES = 64 * 1024 * 1024;

export interface UploadServiceDeps {
  store: Store;
  files: FileStorage;
  inspector: FileInspector;
  limiter: RateLimiter;
  maxBytes: number;
  quotaBytes: number;
  /** A client silent this long mid-upload is cut off. */
  idleTimeoutMs: number;
}

/** Who asks for an upload's bytes: a signed link (checked by the transport), or a user with a token. */
export type Reader = { kind: 'signed' } | { kind: 'user'; userId: string };

export interface Download {
  upload: UploadRecord;
  key: string;
  contentType: string;
  size: number;
}

export class UploadService {
  /** Images are decoded one at a time per process: what bounds the memory of thumbnails. */
  private imageWork: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: UploadServiceDeps) {}

  async receive(callerId: string, file: { filename: string; stream: Readable }): Promise<Upload> {
    await this.deps.limiter.consume('uploads', callerId);
    const room = this.deps.quotaBytes - (await this.deps.store.uploads.usedBytes(callerId));
    if (room <= 0) throw quotaExceeded(this.deps.quotaBytes);
    const limit = Math.min(this.deps.maxBytes, room);
    const id = randomUUID();
    await this.deps.store.uploads.createPending({ id, owner_id: callerId, filename: displayFilename(file.filename), created_at: nowIso() });
    try {
      const facts = await this.store(id, file.stream, limit);
      if (!(await this.deps.store.uploads.markReady(id, facts, this.deps.quotaBytes))) throw quotaExceeded(this.deps.quotaBytes);
    } catch (error) {
      await this.discard(id);
      throw error;
    }
    return toUpload((await this.deps.store.uploads.find(id))!);
  }

  /** The upload's object; 404 unless the caller may read it (its owner before attaching, or a member where it is attached). */
  async get(callerId: string, id: string): Promise<Upload> {
    if (!(await this.deps.store.uploads.readableBy(id, callerId))) throw notFound('Upload');
    const upload = await this.deps.store.uploads.find(id);
    if (!upload || upload.status !== 'ready') throw notFound('Upload');
    return toUpload(upload);
  }

  /** What a download serves, after the reader's check: 404 for anyone who may not read it, and for a thumbnail an upload has not. */
  async download(reader: Reader, id: string, variant: UploadVariant): Promise<Download> {
    // A signed link names no user: it reads what is still anyone's to read (not an upload whose messages were deleted).
    const allowed = reader.kind === 'user' ? await this.deps.store.uploads.readableBy(id, reader.userId) : await this.deps.store.uploads.reachable(id);
    if (!allowed) throw notFound('Upload');
    const upload = await this.deps.store.uploads.find(id);
    if (!upload || upload.status !== 'ready') throw notFound('Upload');
    const keys = storageKeys(id);
    if (variant === 'thumbnail') {
      if (upload.thumbnail_size === null) throw notFound('Thumbnail');
      return { upload, key: keys.thumbnail, contentType: 'image/webp', size: upload.thumbnail_size };
    }
    return { upload, key: upload.cleaned ? keys.cleaned : keys.original, contentType: upload.content_type, size: upload.size };
  }

  /** A stream of the object's bytes (or a range of them), for the transport to send; null when it is gone. */
  open(key: string): (range?: { start: number; end: number }) => Promise<Readable | null> {
    return (range) => this.deps.files.get(key, range);
  }

  /** Streams the bytes to storage and learns what they are. */
  private async store(id: string, stream: Readable, limit: number): Promise<UploadFacts> {
    const keys = storageKeys(id);
    const meter = new ByteMeter({
      limit,
      headBytes: this.deps.inspector.sniffBytes,
      idleMs: this.deps.idleTimeoutMs,
      tooLarge: () => (limit === this.deps.maxBytes ? fileTooLarge(limit) : quotaExceeded(this.deps.quotaBytes)),
      idle: () => new AppError('request_timeout', `The upload sent nothing for ${this.deps.idleTimeoutMs} ms.`),
    });
    // The client's stream failing (cut off, malformed form) is the client's doing: 400, not a
    // 500. It may fail after its last byte reached storage (a form without its closing
    // boundary), so the failure is remembered and checked once storage is done too.
    // `finished` also reports a stream the form's parser destroyed before this got to it.
    let broken: AppError | null = null;
    finished(stream, (error) => {
      if (!error) return;
      broken ??= new AppError('invalid_request', 'The file part ended early or is malformed.');
      meter.destroy(broken);
    });
    // Storage sees the meter's failure through its own read; this listener only keeps a late one from being unhandled.
    meter.on('error', () => {});
    await this.deps.files.put(keys.original, stream.pipe(meter), 'application/octet-stream');
    if (broken) throw broken;
    if (meter.bytes === 0) throw new AppError('empty_file', 'The file is empty.');
    const contentType = await this.deps.inspector.contentType(meter.head);
    const facts: UploadFacts = { content_type: contentType, size: meter.bytes, sha256: meter.sha256, width: null, height: null, thumbnail_width: null, thumbnail_height: null, thumbnail_size: null, cleaned: false };
    // An image is decoded in memory (image-processor.ts): one past IMAGE_MAX_BYTES is kept as a plain file.
    if (!(INLINE_IMAGE_TYPES as readonly string[]).includes(contentType) || meter.bytes > IMAGE_MAX_BYTES) return facts;
    const image = await this.inspectImage(keys.original, contentType);
    if (!image) return facts;
    Object.assign(facts, { width: image.width, height: image.height });
    if (image.thumbnail) {
      await this.deps.files.put(keys.thumbnail, Readable.from([Buffer.from(image.thumbnail.bytes)]), 'image/webp');
      Object.assign(facts, { thumbnail_width: image.thumbnail.width, thumbnail_height: image.thumbnail.height, thumbnail_size: image.thumbnail.bytes.length });
    }
    if (image.cleaned) {
      // Served instead of the original, which is deleted: its metadata (GPS) must not be kept.
      const cleaned = new ByteMeter({ limit: Number.MAX_SAFE_INTEGER, headBytes: 0, idleMs: null, tooLarge: () => new Error('unreachable'), idle: () => new Error('unreachable') });
      const output = image.cleaned();
      output.once('error', (error) => cleaned.destroy(error));
      await this.deps.files.put(keys.cleaned, output.pipe(cleaned), contentType);
      await this.deps.files.delete(keys.original);
      Object.assign(facts, { size: cleaned.bytes, sha256: cleaned.sha256, cleaned: true });
    }
    return facts;
  }

  private inspectImage(key: string, contentType: string): Promise<ImageFacts | null> {
    const open = async (): Promise<Readable> => {
      const stream = await this.deps.files.get(key);
      if (!stream) throw new Error(`upload ${key} vanished while being inspected`);
      return stream;
    };
    const task = () => this.deps.inspector.image(open, contentType);
    const result = this.imageWork.then(task, task);
    this.imageWork = result.catch(() => {});
    return result;
  }

  /** Removes whatever an upload stored, then its row; best effort (the clean-up job retries a pending row). */
  private async discard(id: string): Promise<void> {
    const keys = storageKeys(id);
    try {
      await Promise.all([keys.original, keys.cleaned, keys.thumbnail].map((key) => this.deps.files.delete(key)));
      await this.deps.store.uploads.remove(id);
    } catch {
      // Left pending: the clean-up job deletes it once it is older than an upload can take.
    }
  }
}

export function toUpload(upload: UploadRecord): Upload {
  return { ...attachmentOf(upload), created_at: upload.created_at, attached: upload.attached };
}

function fileTooLarge(limit: number): AppError {
  return new AppError('file_too_large', `The file is larger than the ${limit} bytes the server accepts.`);
}

function quotaExceeded(quota: number): AppError {
  return new AppError('upload_quota_exceeded', `Your uploads would take more than your ${quota} bytes of storage; delete messages with files to make room.`);
}
