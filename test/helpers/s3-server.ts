/**
 * An S3-compatible server on loopback for the S3 backend's tests: s3rver, storing its buckets as
 * files in a fresh temporary directory (so a test can also look at what it stored).
 */
import { createReadStream, ReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver, { type S3rverContext } from 's3rver';

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`; clients need forcePathStyle (no per-bucket host names here). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** s3rver's storage directory: objects under `<bucket>/`, unfinished multipart uploads in `multipartDir`. */
  dir: string;
  /** Where s3rver keeps the parts of multipart uploads not yet completed, one directory each. */
  multipartDir: string;
  stop(): Promise<void>;
}

export async function startS3Server(bucket = 'pneumatic-test'): Promise<S3TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pneumatic-s3rver-'));
  const multipartDir = path.join(dir, bucket, '._S3rver_uploads');
  const server = new S3rver({
    address: '127.0.0.1',
    // Port 0: the kernel picks a free port at bind time, read back from run(); no probe-then-bind race.
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  // Ahead of s3rver's own middleware (Koa composes the list when run() starts listening).
  server.middleware.unshift(abortMultipartUpload(multipartDir, bucket), firstByteRange());
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    // s3rver's fixed credentials; it checks SigV4 signatures made with them.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    dir,
    multipartDir,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver 3.7 implements no AbortMultipartUpload (`DELETE /bucket/key?uploadId=…`): it answers 405
 * MethodNotAllowed and keeps the parts, so a put whose body failed after its first part would
 * reject with that 405 instead of the body's error. No client setting avoids it (aborting is the
 * point), so this test-only shim adds the operation as S3 defines it: 204 and the parts gone, or
 * 404 NoSuchUpload. It checks no signature. The tests still see whether our code sent the abort:
 * without it the parts stay in `multipartDir`.
 */
function abortMultipartUpload(multipartDir: string, bucket: string) {
  return async (ctx: S3rverContext, next: () => Promise<void>): Promise<void> => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
    const [, pathBucket, ...keySegments] = ctx.path.split('/');
    const key = keySegments.map(decodeURIComponent).join('/');
    const uploadDir = path.join(multipartDir, uploadId);
    const storedKey = /^[0-9a-f]{32}$/.test(uploadId) && pathBucket === bucket ? await readFile(path.join(uploadDir, 'key'), 'utf8').catch(() => null) : null;
    if (storedKey === null || storedKey !== key) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`;
      return;
    }
    await rm(uploadDir, { recursive: true, force: true });
    ctx.status = 204;
  };
}

/**
 * s3rver 3.7 reads `Range: bytes=0-0` as `bytes=0-` (it tests the end offset for truthiness) and
 * answers 206 with the whole object. S3 answers the first byte alone (RFC 9110 §14.1.2), so this
 * shim, after s3rver has answered, serves that one byte instead. Only that exact header is
 * touched: a client asking for anything else still gets s3rver's own answer.
 */
function firstByteRange() {
  return async (ctx: S3rverContext, next: () => Promise<void>): Promise<void> => {
    const asked = ctx.method === 'GET' && ctx.get('range') === 'bytes=0-0';
    await next();
    if (!asked || ctx.status !== 206 || !(ctx.body instanceof ReadStream)) return;
    const whole = ctx.body;
    const size = /\/(\d+)$/.exec(ctx.response.get('content-range'))?.[1];
    if (size === undefined) throw new Error('s3rver answered a range without Content-Range');
    ctx.body = createReadStream(whole.path, { start: 0, end: 0 });
    whole.destroy();
    ctx.set('Content-Range', `bytes 0-0/${size}`);
    ctx.length = 1;
  };
}
