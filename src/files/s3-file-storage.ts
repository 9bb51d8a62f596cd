/**
 * The FileStorage port on an S3-compatible object store (AWS S3, MinIO, Garage, R2, …). Uploads
 * stream through lib-storage's multipart Upload, so memory per upload is bounded by
 * PART_SIZE_BYTES × (QUEUE_SIZE + 1) whatever the file's size.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { ByteRange, FileStorage } from '../domain/ports/file-storage.js';
import { checkByteRange } from './byte-range.js';

/** Over S3's 5 MiB minimum part; a body up to this size goes up in one PutObject. */
const PART_SIZE_BYTES = 8 * 1024 * 1024;
/** Parts in flight at once per upload: two keeps the link busy while one part is being read. */
const QUEUE_SIZE = 2;

export interface S3FileStorageOptions {
  /** Omitted for AWS itself; the base URL of any other S3-compatible service. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Both or neither; when neither, the SDK's default chain (env, profile, instance role) finds them. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`: what most self-hosted servers need. */
  forcePathStyle: boolean;
  /** Put before every key, e.g. `pneumatic/` to share a bucket; a missing final `/` is added. */
  prefix?: string;
}

export class S3FileStorage implements FileStorage {
  readonly kind = 's3';
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3FileStorageOptions) {
    if (Boolean(options.accessKeyId) !== Boolean(options.secretAccessKey)) {
      throw new Error('S3FileStorage: give both accessKeyId and secretAccessKey, or neither');
    }
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      // SDK 3.729+ defaults to WHEN_SUPPORTED: a CRC32 on every upload and a check of it on
      // every download. For a streamed body that checksum travels as a trailer in an
      // `aws-chunked` body (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER), which
      // S3-compatible servers that predate it reject or, worse, store verbatim: s3rver kept the
      // 5-byte "hello" as "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:…". WHEN_REQUIRED sends a
      // checksum only where an operation demands one (none used here). The bytes stay checked:
      // Upload sends every part as a buffer, whose SHA-256 SigV4 signs (x-amz-content-sha256)
      // and the store verifies.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.#client = new S3Client(config);
    this.#bucket = options.bucket;
    const prefix = options.prefix ?? '';
    this.#prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  /**
   * A body that fails makes lib-storage's part reader throw; Upload then sends
   * AbortMultipartUpload (leavePartsOnError is false) and only afterwards rejects done(), so a
   * rejected put has already removed its parts. Upload.abort() is not used for this: it rejects
   * done() at once while the abort request is still to be sent. A multipart abort that itself
   * fails (the store unreachable) leaves parts that the bucket's lifecycle rule
   * AbortIncompleteMultipartUpload removes; docs should advise one.
   */
  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.#bucket, Key: this.#objectKey(key), Body: body, ContentType: contentType },
      partSize: PART_SIZE_BYTES,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // When the store failed, the body is not fully read: end it, as the local backend does.
      body.destroy();
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    if (range) checkByteRange(range);
    try {
      const response = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: this.#objectKey(key),
          // RFC 9110 §14.1.2: inclusive offsets, as ByteRange has them.
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      // In Node the SDK's body is the HTTP response itself (an IncomingMessage).
      if (!(response.Body instanceof Readable)) throw new Error('S3FileStorage: GetObject returned no stream');
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const response = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(key) }));
      return response.ContentLength ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 whether or not the key existed, so an absent key is not an error here either.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(key) }));
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  #objectKey(key: string): string {
    return this.#prefix + key;
  }
}

/**
 * GetObject names a missing key NoSuchKey; HeadObject has no body to name it, so the SDK calls it
 * NotFound; some compatible servers answer a bare 404 either way. A missing bucket is a
 * misconfiguration, not a missing object, and is thrown wherever the server says so.
 */
function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
