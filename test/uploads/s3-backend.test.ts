/**
 * The upload behaviours of the other test/uploads suites again, through the real HTTP server
 * with uploads stored in S3 (s3rver on loopback, test/helpers/s3-server.ts) instead of on local
 * disk: round trips, the size limit, thumbnails and EXIF stripping, ranges, who may read an
 * attachment, the clean-up job, and a client that goes away mid-upload. What the bucket holds is
 * read from the bucket itself (ListObjectsV2, not through the server), and what an unfinished
 * multipart upload left from s3rver's own directory of them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDirOf } from '../../src/files/open-files.js';
import type { SqlStore } from '../../src/store/store.js';
import { createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { listKeys, s3Client } from '../helpers/file-storage-subjects.js';
import { rawUpload } from '../helpers/raw-upload.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { download, filesUnder, sha256, upload, uploaded } from '../helpers/uploads.js';
import { imageBytes } from './image-samples.js';

const MIB = 1024 * 1024;
/** Past S3FileStorage's 8 MiB part: a file at the limit goes up as a multipart upload of three parts. */
const LIMIT = 21 * MIB;
/** About 1.1 s: an upload no message attaches is an orphan after waiting ORPHAN_WAIT_MS. */
const ORPHAN_HOURS = 0.0003;
const ORPHAN_WAIT_MS = ORPHAN_HOURS * 3_600_000 + 300;

for (const dialect of enabledDialects()) {
  describe(`uploads on the S3 backend [${dialect}]`, () => {
    let s3: S3TestServer;
    let bucket: S3Client;
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    const keys = () => listKeys(bucket, s3.bucket);
    /** The bucket's keys of one upload (original, cleaned copy, thumbnail), sorted. */
    const keysOf = async (id: string) => (await keys()).filter((key) => key.endsWith(`/${id}`)).sort();
    const unfinishedMultipart = () => readdir(s3.multipartDir).catch(() => [] as string[]);
    const uploadRows = () => (server.app.pneumatic.store as SqlStore).opened.db.selectFrom('uploads').select(['id', 'status']).orderBy('id').execute();
    const runCleanup = () => server.app.pneumatic.files.cleanup.runOnce();

    beforeAll(async () => {
      s3 = await startS3Server();
      bucket = s3Client(s3);
      server = await startServer({
        dialect,
        env: {
          RATE_LIMITS: 'off',
          UPLOAD_MAX_BYTES: String(LIMIT),
          UPLOAD_S3_BUCKET: s3.bucket,
          UPLOAD_S3_ENDPOINT: s3.endpoint,
          UPLOAD_S3_REGION: s3.region,
          UPLOAD_S3_ACCESS_KEY_ID: s3.accessKeyId,
          UPLOAD_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
          UPLOAD_S3_FORCE_PATH_STYLE: 'on',
          UPLOAD_ORPHAN_HOURS: String(ORPHAN_HOURS),
          // Each clean-up test runs the job itself (or relies on a delete's nudge): none runs in between.
          UPLOAD_CLEANUP_INTERVAL_MS: '3600000',
        },
      });
      [alice, bob, outsider] = await registerUsers(server.url, 'alice', 'bob', 'outsider');
    });
    afterAll(async () => {
      await server?.close();
      bucket?.destroy();
      await s3?.stop();
    });

    describe('POST /uploads', () => {
      for (const size of [1, MIB, 20 * MIB]) {
        it(`stores ${size} bytes as one object in the bucket and serves them back byte for byte (SHA-256 equal) by the signed link`, async () => {
          const bytes = randomBytes(size);
          const response = await upload(alice.api, bytes, 'data.bin');
          expect(response.status).toBe(201);
          expect(response.body).toMatchObject({ size, sha256: sha256(bytes) });
          const id = response.body.id;
          expect(await keysOf(id)).toEqual([`uploads/${id}`]);
          const got = await download(server.url, response.body.url);
          expect(got.status).toBe(200);
          expect(got.headers.get('content-length')).toBe(String(size));
          expect(sha256(got.bytes)).toBe(sha256(bytes));
          // Nothing went to the local directory the server would otherwise use.
          expect(server.app.pneumatic.files.files.kind).toBe('s3');
          expect(filesUnder(uploadDirOf(server.config))).toEqual([]);
        });
      }

      it('answers 413 file_too_large one byte past UPLOAD_MAX_BYTES once its multipart upload began, leaving no object and no unfinished multipart upload', async () => {
        const [before, rowsBefore] = [await keys(), await uploadRows()];
        // Watched while the request runs: proves the refusal had a multipart upload to abort.
        let multipartBegun = false;
        const watcher = setInterval(() => void unfinishedMultipart().then((found) => (multipartBegun ||= found.length > 0)), 5);
        const response = await upload(alice.api, randomBytes(LIMIT + 1)).finally(() => clearInterval(watcher));
        expectProblem(response, 413, 'file_too_large');
        expect(multipartBegun).toBe(true);
        expect(await unfinishedMultipart()).toEqual([]);
        expect(await keys()).toEqual(before);
        expect(await uploadRows()).toEqual(rowsBefore);
        // Exactly at the limit is accepted.
        expect((await upload(alice.api, randomBytes(LIMIT))).status).toBe(201);
      });

      for (const cut of [{ at: 256 * 1024, when: 'before any part was sent' }, { at: 10 * MIB, when: 'after its multipart upload began' }]) {
        it(`keeps nothing in the bucket of an upload whose client disconnects ${cut.when}`, async () => {
          const [before, rowsBefore] = [await keys(), await uploadRows()];
          const { socket } = await rawUpload(server.url, alice.token, 16 * MIB);
          socket.write(randomBytes(cut.at));
          if (cut.at > 8 * MIB) await expect.poll(async () => (await unfinishedMultipart()).length, { timeout: 10_000 }).toBeGreaterThan(0);
          else await expect.poll(async () => (await uploadRows()).length, { timeout: 5000 }).toBe(rowsBefore.length + 1);
          socket.destroy();
          await expect.poll(uploadRows, { timeout: 5000 }).toEqual(rowsBefore);
          await expect.poll(unfinishedMultipart, { timeout: 5000 }).toEqual([]);
          expect(await keys()).toEqual(before);
        });
      }
    });

    describe('images', () => {
      it('stores the thumbnail of an image in the bucket beside it, and serves both', async () => {
        const png = await imageBytes('png', 640, 480);
        const file = await uploaded(alice.api, png, 'photo.png');
        expect(file).toMatchObject({ content_type: 'image/png', width: 640, height: 480, thumbnail_width: 400, thumbnail_height: 300 });
        expect(await keysOf(file.id)).toEqual([`thumbnails/${file.id}`, `uploads/${file.id}`]);
        const thumbnail = await download(server.url, file.thumbnail_url!);
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
        expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });
        expect(sha256((await download(server.url, file.url)).bytes)).toBe(sha256(png));
      });

      it('serves a JPEG carrying EXIF GPS without any EXIF, and keeps only the cleaned copy in the bucket', async () => {
        const jpeg = await imageBytes('jpeg', 64, 48, { gps: true });
        expect((await sharp(jpeg).metadata()).exif).toBeDefined();
        const file = await uploaded(alice.api, jpeg, 'where-i-live.jpg');
        expect(file).toMatchObject({ content_type: 'image/jpeg', width: 64, height: 48 });
        expect(await keysOf(file.id)).toEqual([`cleaned/${file.id}`, `thumbnails/${file.id}`]);
        const got = await download(server.url, file.url);
        expect(got.status).toBe(200);
        expect(sha256(got.bytes)).toBe(file.sha256);
        const served = await sharp(got.bytes).metadata();
        expect(served).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
        expect(served.exif).toBeUndefined();
      });
    });

    describe('ranges', () => {
      it('serves single ranges as 206 from an object stored in several parts, and one outside it as 416', async () => {
        const bytes = randomBytes(9 * MIB + 17);
        const file = await uploaded(alice.api, bytes, 'r.bin');
        const range = (value: string) => download(server.url, file.url, { range: value });
        // Across the 8 MiB boundary between the first and second part.
        const across = await range(`bytes=${8 * MIB - 100}-${8 * MIB + 99}`);
        expect(across.status).toBe(206);
        expect(across.headers.get('content-range')).toBe(`bytes ${8 * MIB - 100}-${8 * MIB + 99}/${bytes.length}`);
        expect(across.bytes.equals(bytes.subarray(8 * MIB - 100, 8 * MIB + 100))).toBe(true);
        const first = await range('bytes=0-0');
        expect([first.status, first.headers.get('content-length')]).toEqual([206, '1']);
        expect(first.bytes.equals(bytes.subarray(0, 1))).toBe(true);
        const last = await range('bytes=-1');
        expect(last.status).toBe(206);
        expect(last.bytes.equals(bytes.subarray(bytes.length - 1))).toBe(true);
        const tail = await range(`bytes=${9 * MIB}-`);
        expect(tail.status).toBe(206);
        expect(tail.bytes.equals(bytes.subarray(9 * MIB))).toBe(true);
        const outside = await range(`bytes=${bytes.length}-`);
        expect(outside.status).toBe(416);
        expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      });
    });

    describe('attachments', () => {
      it('lets a member download an attached upload with a bearer token, and answers a non-member 404 even with the signed link', async () => {
        const conversation = await createConversation(alice, [bob]);
        const bytes = randomBytes(MIB);
        const file = await uploaded(alice.api, bytes, 'report.bin');
        const sent = await alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'the report', attachments: [file.id] });
        expect(sent.status).toBe(201);
        const link = sent.body.attachments[0].url as string;
        for (const path of [`/uploads/${file.id}/content`, link]) {
          const byBob = await download(server.url, path, { authorization: `Bearer ${bob.token}` });
          expect(byBob.status).toBe(200);
          expect(sha256(byBob.bytes)).toBe(sha256(bytes));
          expect((await download(server.url, path, { authorization: `Bearer ${outsider.token}` })).status).toBe(404);
        }
        expectProblem(await outsider.api.get(`/uploads/${file.id}`), 404, 'not_found');
      });
    });

    // Last: a run of the job (and a delete's nudge) also removes the earlier tests' uploads, all orphans by now.
    describe('clean-up', () => {
      it('removes an orphan, thumbnail and all, from the bucket once UPLOAD_ORPHAN_HOURS have passed, and not before', async () => {
        const orphan = await uploaded(alice.api, await imageBytes('png', 500, 500), 'orphan.png');
        const stored = [`thumbnails/${orphan.id}`, `uploads/${orphan.id}`];
        await runCleanup();
        expect(await keysOf(orphan.id)).toEqual(stored);
        await sleep(ORPHAN_WAIT_MS);
        await runCleanup();
        expect(await keysOf(orphan.id)).toEqual([]);
        expectProblem(await alice.api.get(`/uploads/${orphan.id}`), 404, 'not_found');
      });

      it("keeps an attached upload however old, and removes it from the bucket once its message is deleted", async () => {
        const conversation = await createConversation(alice, [bob]);
        const file = await uploaded(alice.api, await imageBytes('png', 500, 500), 'shared.png');
        const sent = await alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'x', attachments: [file.id] });
        expect(sent.status).toBe(201);
        await sleep(ORPHAN_WAIT_MS);
        await runCleanup();
        expect(await keysOf(file.id)).toEqual([`thumbnails/${file.id}`, `uploads/${file.id}`]);
        expect((await alice.api.delete(`/messages/${sent.body.message_id}`)).status).toBe(204);
        // The delete's nudge runs the job: no explicit run, and the interval is an hour.
        await expect.poll(() => keysOf(file.id), { timeout: 5000 }).toEqual([]);
        expectProblem(await bob.api.get(`/uploads/${file.id}`), 404, 'not_found');
      });
    });
  });
}
