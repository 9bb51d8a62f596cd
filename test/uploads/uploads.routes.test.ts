/**
 * POST /uploads and GET /uploads/{id} on local disk: bytes round-trip (SHA-256 equal) at 1 byte,
 * 1 MiB and 20 MiB; the type comes from the bytes; the limit (413 at limit + 1, nothing left
 * behind); every bad input of the issue answered with its status and code, never a 500.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { uploadDirOf } from '../../src/files/open-files.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { download, filesUnder, sha256, upload, uploaded } from '../helpers/uploads.js';
import { imageBytes } from './image-samples.js';

const MIB = 1024 * 1024;
const LIMIT = 21 * MIB;

for (const dialect of enabledDialects()) {
  describe(`uploads [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    const uploadDir = () => uploadDirOf(server.config);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', UPLOAD_MAX_BYTES: String(LIMIT) } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    describe('POST /uploads', () => {
      for (const size of [1, MIB, 20 * MIB]) {
        it(`stores ${size} bytes and serves them back byte for byte (SHA-256 equal) to the uploader`, async () => {
          const bytes = randomBytes(size);
          const response = await upload(alice.api, bytes, 'data.bin');
          expect(response.status).toBe(201);
          expect(response.body).toMatchObject({ filename: 'data.bin', content_type: 'application/octet-stream', size, sha256: sha256(bytes), width: null, height: null, thumbnail_url: null, attached: false });
          const got = await download(server.url, response.body.url);
          expect(got.status).toBe(200);
          expect(sha256(got.bytes)).toBe(sha256(bytes));
          expect(got.headers.get('content-length')).toBe(String(size));
        });
      }

      it('answers 413 file_too_large one byte past UPLOAD_MAX_BYTES, and keeps no file, temporary or not', async () => {
        const before = filesUnder(uploadDir());
        const response = await upload(alice.api, randomBytes(LIMIT + 1));
        expectProblem(response, 413, 'file_too_large');
        expect(filesUnder(uploadDir())).toEqual(before);
        // Exactly at the limit is accepted.
        expect((await upload(alice.api, randomBytes(LIMIT))).status).toBe(201);
      });

      it('determines the type from the bytes: a PNG is an image whatever the client claims, HTML claiming image/png is a download', async () => {
        const png = await uploaded(alice.api, await imageBytes('png', 64, 48), 'picture.txt', { type: 'text/plain' });
        expect(png).toMatchObject({ content_type: 'image/png', width: 64, height: 48, thumbnail_width: 64, thumbnail_height: 48 });
        expect(png.thumbnail_url).toMatch(/^\/uploads\/[0-9a-f-]{36}\/thumbnail\?expires=\d+&signature=/);
        const html = await uploaded(alice.api, '<html><script>alert(1)</script></html>', 'evil.png', { type: 'image/png' });
        expect(html).toMatchObject({ content_type: 'application/octet-stream', thumbnail_url: null, width: null });
        const got = await download(server.url, html.url);
        expect(got.headers.get('content-type')).toBe('application/octet-stream');
        expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="?evil\.png"?$/);
        const svg = await uploaded(alice.api, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.svg', { type: 'image/svg+xml' });
        expect(svg.content_type).not.toMatch(/svg|html/);
        expect((await download(server.url, svg.url)).headers.get('content-disposition')).toMatch(/^attachment/);
      });

      it('keeps a corrupt image as a plain file without a thumbnail, and the server stays up', async () => {
        const png = await imageBytes('png', 32, 32);
        const corrupt = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 0x5a)]);
        const stored = await uploaded(alice.api, corrupt, 'broken.png');
        expect(stored).toMatchObject({ content_type: 'image/png', width: null, height: null, thumbnail_url: null });
        expect((await download(server.url, stored.url)).headers.get('content-disposition')).toMatch(/^inline/);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      });

      it('keeps path traversal and control characters in a filename as display text only, never as a path', async () => {
        const before = filesUnder(uploadDir());
        const stored = await uploaded(alice.api, 'x', '../../etc/pass\u0000wd\u202e\u0007.txt');
        expect(stored.filename).toBe('../../etc/passwd.txt');
        const added = filesUnder(uploadDir()).filter((f) => !before.includes(f));
        expect(added).toEqual([`uploads/${stored.id}`]);
        const got = await download(server.url, stored.url);
        expect(got.bytes.toString()).toBe('x');
      });

      it('refuses a zero-byte file with 400 empty_file and keeps nothing', async () => {
        const before = filesUnder(uploadDir());
        expectProblem(await upload(alice.api, new Uint8Array(0), 'empty.txt'), 400, 'empty_file');
        expect(filesUnder(uploadDir())).toEqual(before);
      });

      it('refuses a form without the file part (or with it under another name) with 400 invalid_request at /file', async () => {
        const wrong = await upload(alice.api, 'abc', 'a.txt', { field: 'attachment' });
        expectProblem(wrong, 400, 'invalid_request');
        expect(wrong.body.errors).toEqual([{ pointer: '/file', detail: expect.any(String) }]);
        const form = new FormData();
        form.append('note', 'no file here');
        expectProblem(await alice.api.request('POST', '/uploads', { form }), 400, 'invalid_request');
      });

      it('refuses a body that is not multipart with 415, and a malformed form with 400', async () => {
        expectProblem(await alice.api.post('/uploads', { file: 'abc' }), 415, 'unsupported_media_type');
        const malformed = await alice.api.request('POST', '/uploads', {
          rawBody: '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
        });
        expectProblem(malformed, 400, 'invalid_request');
      });

      it('is described in the OpenAPI document as a multipart form with a binary file part', async () => {
        const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
        const body = document.paths['/uploads']!.post.requestBody;
        expect(body.content['multipart/form-data'].schema).toMatchObject({ required: ['file'], properties: { file: { type: 'string', format: 'binary' } } });
        expect(Object.keys(document.paths['/uploads']!.post.responses)).toContain('201');
        expect(document.paths['/uploads/{id}/content']).toBeDefined();
      });

      it('answers 401 without a token', async () => {
        const response = await fetch(`${server.url}/uploads`, { method: 'POST', body: new FormData() });
        expect(response.status).toBe(401);
      });
    });

    describe('GET /uploads/{id}', () => {
      it("answers the uploader with the upload before it is attached, and anyone else 404, as for an id that does not exist", async () => {
        const stored = await uploaded(alice.api, 'mine', 'notes.txt');
        const got = await alice.api.get(`/uploads/${stored.id}`);
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ id: stored.id, filename: 'notes.txt', size: 4, attached: false });
        expectProblem(await bob.api.get(`/uploads/${stored.id}`), 404, 'not_found');
        expectProblem(await bob.api.get(`/uploads/${stored.id}/content`), 404, 'not_found');
        expectProblem(await bob.api.get('/uploads/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
        expectProblem(await alice.api.get('/uploads/not-a-uuid'), 400, 'invalid_request');
      });
    });
  });
}
