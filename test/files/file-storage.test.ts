/**
 * The FileStorage contract (src/domain/ports/file-storage.ts), run alike on both backends: local
 * disk in a temporary directory, and S3 against s3rver on loopback. "Nothing left behind" is
 * checked in the store itself (test/helpers/file-storage-subjects.ts), not only through the port.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStorage } from '../../src/domain/ports/file-storage.js';
import { LocalFileStorage } from '../../src/files/local-file-storage.js';
import { S3FileStorage } from '../../src/files/s3-file-storage.js';
import { type FileStorageSubject, listKeys, localSubject, s3Client, s3Subject } from '../helpers/file-storage-subjects.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const MiB = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** `size` random bytes made chunk by chunk as they are read, hashed on the way (never whole in memory). */
function randomBody(size: number): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let made = 0;
  const body = new Readable({
    read() {
      if (made >= size) return void this.push(null);
      const chunk = randomBytes(Math.min(CHUNK_BYTES, size - made));
      made += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { body, sha256: () => hash.digest('hex') };
}

/** A client cut off mid-upload: `bytes` bytes, then (once `beforeFailing` resolves) an error. */
function failingBody(bytes: number, beforeFailing: () => Promise<void> = async () => undefined): Readable {
  let sent = 0;
  let failing = false;
  return new Readable({
    read() {
      if (sent < bytes) {
        const chunk = randomBytes(Math.min(CHUNK_BYTES, bytes - sent));
        sent += chunk.length;
        this.push(chunk);
      } else if (!failing) {
        failing = true;
        void beforeFailing().then(
          () => this.destroy(new Error('client went away')),
          (error: unknown) => this.destroy(error as Error),
        );
      }
    },
  });
}

async function digestOf(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Compared by length and digest: vitest's deep equality walks a Buffer byte by byte, seconds per MiB. */
function fingerprint(bytes: Buffer): { bytes: number; sha256: string } {
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function bytesOf(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('expected a stream, got null');
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const newKey = () => `uploads/${randomUUID()}`;

describe.each([
  { name: 'local disk', start: localSubject },
  { name: 'S3 (s3rver)', start: s3Subject },
])('FileStorage on $name', ({ start }) => {
  let subject: FileStorageSubject;
  let storage: FileStorage;
  beforeAll(async () => {
    subject = await start();
    storage = subject.storage;
  });
  afterAll(() => subject?.stop());

  it.each([
    { label: '1 byte', size: 1 },
    { label: '1 MiB', size: MiB },
    { label: '20 MiB (several S3 parts: the multipart path)', size: 20 * MiB },
  ])('returns the same bytes it was given: $label', async ({ size }) => {
    const key = newKey();
    const { body, sha256 } = randomBody(size);
    await storage.put(key, body, 'application/octet-stream');
    const sent = sha256();
    expect(await storage.size(key)).toBe(size);
    expect(await digestOf((await storage.get(key))!)).toEqual({ sha256: sent, bytes: size });
    expect(await subject.storedKeys()).toContain(key);
    expect(await subject.leftovers()).toEqual([]);
  });

  it('reads byte ranges with inclusive ends: the first byte, a middle stretch and the last byte', async () => {
    const key = newKey();
    const data = randomBytes(MiB + 17);
    await storage.put(key, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), 'image/png');
    expect(await bytesOf(await storage.get(key, { start: 0, end: 0 }))).toEqual(data.subarray(0, 1));
    expect(fingerprint(await bytesOf(await storage.get(key, { start: 1000, end: 500_999 })))).toEqual(fingerprint(data.subarray(1000, 501_000)));
    expect(await bytesOf(await storage.get(key, { start: data.length - 1, end: data.length - 1 }))).toEqual(data.subarray(data.length - 1));
    expect(fingerprint(await bytesOf(await storage.get(key)))).toEqual(fingerprint(data));
  });

  it('refuses a range whose end comes before its start', async () => {
    await expect(storage.get(newKey(), { start: 10, end: 9 })).rejects.toThrow(RangeError);
  });

  it('answers null for the bytes and the size of a key never written', async () => {
    const key = newKey();
    expect(await storage.get(key)).toBeNull();
    expect(await storage.get(key, { start: 0, end: 9 })).toBeNull();
    expect(await storage.size(key)).toBeNull();
  });

  it('answers null for a key once deleted, and deleting it again is no error', async () => {
    const key = newKey();
    await storage.put(key, Readable.from([Buffer.from('to be deleted')]), 'text/plain');
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    expect(await storage.size(key)).toBeNull();
    expect(await subject.storedKeys()).not.toContain(key);
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete(newKey())).resolves.toBeUndefined();
  });

  it('rejects a put whose body fails after 3 MiB and leaves nothing under the key or behind', async () => {
    const key = newKey();
    const body = failingBody(3 * MiB);
    await expect(storage.put(key, body, 'application/octet-stream')).rejects.toThrow('client went away');
    expect(body.destroyed).toBe(true);
    expect(await storage.get(key)).toBeNull();
    expect(await storage.size(key)).toBeNull();
    expect(await subject.storedKeys()).not.toContain(key);
    expect(await subject.leftovers()).toEqual([]);
  });

  it('rejects a put whose body fails after 10 MiB, its multipart upload begun, and aborts that upload', async () => {
    const key = newKey();
    // The body fails only once the S3 store holds a multipart upload for it, so the abort is needed.
    const body = failingBody(10 * MiB, () => subject.multipartStarted());
    await expect(storage.put(key, body, 'application/octet-stream')).rejects.toThrow('client went away');
    expect(await storage.get(key)).toBeNull();
    expect(await subject.storedKeys()).not.toContain(key);
    expect(await subject.leftovers()).toEqual([]);
  });

  it('keeps the objects of other keys when one put fails', async () => {
    const kept = newKey();
    await storage.put(kept, Readable.from([Buffer.from('kept')]), 'text/plain');
    await expect(storage.put(newKey(), failingBody(MiB), 'text/plain')).rejects.toThrow('client went away');
    expect((await bytesOf(await storage.get(kept))).toString()).toBe('kept');
  });
});

describe('LocalFileStorage', () => {
  let base: string;
  let storage: LocalFileStorage;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'pneumatic-files-'));
    storage = new LocalFileStorage(path.join(base, 'files'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('sweeps temporary files older than the limit and keeps fresher ones', async () => {
    const tmp = path.join(base, 'files', 'tmp');
    const stale = path.join(tmp, 'crashed-upload.part');
    const fresh = path.join(tmp, 'upload-in-progress.part');
    await writeFile(stale, 'left by a crash');
    await writeFile(fresh, 'still being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    expect(await storage.sweepTemporary(60 * 60 * 1000)).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it.each(['uploads/../../escape', '../escape', 'uploads/..', '/etc/passwd', 'uploads\\x', 'uploads/a\0b', 'tmp/x', 'uploads//x', './uploads/x', ''])(
    'refuses the key %j for every operation, writing nothing',
    async (key) => {
      await expect(storage.put(key, Readable.from([Buffer.from('x')]), 'text/plain')).rejects.toThrow(/refused key/);
      await expect(storage.get(key)).rejects.toThrow(/refused key/);
      await expect(storage.size(key)).rejects.toThrow(/refused key/);
      await expect(storage.delete(key)).rejects.toThrow(/refused key/);
      expect(existsSync(path.join(base, 'escape'))).toBe(false);
    },
  );

  it('answers null, not a stream, for a key that names a directory', async () => {
    await storage.put('uploads/inside', Readable.from([Buffer.from('x')]), 'text/plain');
    expect(await storage.get('uploads')).toBeNull();
    expect(await storage.size('uploads')).toBeNull();
  });
});

describe('S3FileStorage', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(() => server?.stop());

  it('stores every key under its prefix, adding the separating slash', async () => {
    const storage = new S3FileStorage({ ...server, forcePathStyle: true, prefix: 'pneumatic' });
    const lister = s3Client(server);
    try {
      await storage.put('uploads/prefixed', Readable.from([Buffer.from('x')]), 'text/plain');
      expect(await listKeys(lister, server.bucket)).toEqual(['pneumatic/uploads/prefixed']);
      expect(await storage.size('uploads/prefixed')).toBe(1);
    } finally {
      await storage.close();
      lister.destroy();
    }
  });

  it('refuses half a pair of credentials', () => {
    expect(() => new S3FileStorage({ bucket: 'b', region: 'us-east-1', forcePathStyle: true, accessKeyId: 'only-this' })).toThrow(/both/);
  });
});
