/**
 * The two FileStorage backends as test subjects for test/files/file-storage.test.ts, each able to
 * list what its store really holds (not through the port), so a test can see what a failed put
 * left behind where it would be left: the local `tmp/`, or s3rver's multipart uploads and bucket.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FileStorage } from '../../src/domain/ports/file-storage.js';
import { createFileStorage } from '../../src/files/create-file-storage.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

export interface FileStorageSubject {
  storage: FileStorage;
  /** Every key the store holds, read from the store itself rather than through the port. */
  storedKeys(): Promise<string[]>;
  /** What an unfinished put has left: temporary files, or multipart uploads not completed. */
  leftovers(): Promise<string[]>;
  /** Resolves once a put in progress has begun its multipart upload (immediately on disk). */
  multipartStarted(): Promise<void>;
  stop(): Promise<void>;
}

export async function localSubject(): Promise<FileStorageSubject> {
  const base = await mkdtemp(path.join(tmpdir(), 'pneumatic-files-'));
  // Nested and absent: the backend must create it.
  const root = path.join(base, 'data', 'files');
  const storage = await createFileStorage({ uploadDir: root, s3: null });
  return {
    storage,
    storedKeys: async () =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
        .filter((key) => !key.startsWith('tmp/')),
    leftovers: () => readdir(path.join(root, 'tmp')),
    multipartStarted: async () => undefined,
    async stop() {
      await storage.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

export async function s3Subject(): Promise<FileStorageSubject> {
  const server = await startS3Server();
  const storage = await createFileStorage({
    uploadDir: '/nonexistent/unused-when-s3-is-set',
    s3: { endpoint: server.endpoint, bucket: server.bucket, region: server.region, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, forcePathStyle: true },
  });
  const lister = s3Client(server);
  return {
    storage,
    storedKeys: () => listKeys(lister, server.bucket),
    leftovers: () => readdir(server.multipartDir).catch(() => []),
    multipartStarted: () => until(async () => (await readdir(server.multipartDir).catch(() => [])).length > 0, 'a multipart upload in s3rver'),
    async stop() {
      await storage.close();
      lister.destroy();
      await server.stop();
    },
  };
}

/** A client of our own for looking into the bucket, configured as S3FileStorage configures its own. */
export function s3Client(server: S3TestServer): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
