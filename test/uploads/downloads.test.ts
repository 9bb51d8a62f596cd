/**
 * GET /uploads/{id}/content and /thumbnail: signed links (valid, expired, tampered, swapped),
 * the headers that keep a served file from acting as a page of the origin, ETag, and ranges.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlSigner } from '../../src/files/signed-urls.js';
import { registerUsers, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { download, sha256, uploaded } from '../helpers/uploads.js';
import { imageBytes } from './image-samples.js';

const SECRET = 'a test key of at least thirty-two characters';

describe('upload downloads', () => {
  let server: TestServer;
  let alice: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', UPLOAD_URL_SECRET: SECRET, UPLOAD_URL_TTL_SECONDS: '600' } });
    [alice] = await registerUsers(server.url, 'alice');
  });
  afterAll(() => server.close());

  const problemCode = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, { headers });
    return `${response.status} ${((await response.json()) as { code: string }).code}`;
  };

  describe('signed links', () => {
    it('serve the bytes without a token until they expire, valid for at least UPLOAD_URL_TTL_SECONDS', async () => {
      const file = await uploaded(alice.api, 'hello', 'h.txt');
      const url = new URL(file.url, server.url);
      const expires = Number(url.searchParams.get('expires'));
      const now = Math.floor(Date.now() / 1000);
      expect(expires).toBeGreaterThanOrEqual(now + 600 - 2);
      expect(expires).toBeLessThanOrEqual(now + 600 + 150 + 2);
      expect((await download(server.url, file.url)).bytes.toString()).toBe('hello');
      // The same upload read again within the window has the same link (browsers reuse their cache).
      expect((await alice.api.get(`/uploads/${file.id}`)).body.url).toBe(file.url);
    });

    it('refuse an expired link with 403 url_expired', async () => {
      const file = await uploaded(alice.api, 'old', 'o.txt');
      const past = new UrlSigner(SECRET, 600, () => Date.now() - 3_600_000);
      expect(await problemCode(past.url(file.id, 'content'))).toBe('403 url_expired');
    });

    it('refuse a tampered signature, expiry or id, and a thumbnail link used for the file, with 403 invalid_signature', async () => {
      const [file, other] = [await uploaded(alice.api, 'one', '1.txt'), await uploaded(alice.api, 'two', '2.txt')];
      const url = new URL(file.url, server.url);
      const expires = url.searchParams.get('expires')!;
      const signature = url.searchParams.get('signature')!;
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      expect(await problemCode(`/uploads/${file.id}/content?expires=${expires}&signature=${flipped}`)).toBe('403 invalid_signature');
      expect(await problemCode(`/uploads/${file.id}/content?expires=${Number(expires) + 1}&signature=${signature}`)).toBe('403 invalid_signature');
      expect(await problemCode(`/uploads/${other.id}/content?expires=${expires}&signature=${signature}`)).toBe('403 invalid_signature');
      expect(await problemCode(`/uploads/${file.id}/content?expires=${expires}&signature=`)).toBe('403 invalid_signature');
      expect(await problemCode(`/uploads/${file.id}/content?expires=soon&signature=${signature}`)).toBe('403 invalid_signature');
      const thumbnailSigned = new UrlSigner(SECRET, 600).url(file.id, 'thumbnail').replace('/thumbnail?', '/content?');
      expect(await problemCode(thumbnailSigned)).toBe('403 invalid_signature');
    });

    it('answer 401 with neither a link nor a token, and 401 for a bad token even with a valid link', async () => {
      const file = await uploaded(alice.api, 'x', 'x.txt');
      expect(await problemCode(`/uploads/${file.id}/content`)).toBe('401 unauthorized');
      expect(await problemCode(file.url, { authorization: 'Bearer not-a-real-token' })).toBe('401 unauthorized');
    });
  });

  describe('headers', () => {
    it('serve an inline image type inline, anything else as an attachment, sandboxed, nosniff, with the filename', async () => {
      const png = await uploaded(alice.api, await imageBytes('png', 10, 10), 'ünïcode chart.png');
      const text = await uploaded(alice.api, '<b>hi</b>', 'page.html');
      const image = await download(server.url, png.url);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="[^"]*chart\.png"; filename\*=UTF-8''%C3%BCn%C3%AFcode%20chart\.png$/);
      const file = await download(server.url, text.url);
      expect(file.headers.get('content-type')).toBe('application/octet-stream');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="?page\.html"?$/);
      for (const got of [image, file]) {
        expect(got.headers.get('x-content-type-options')).toBe('nosniff');
        expect(got.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
        expect(got.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        expect(got.headers.get('accept-ranges')).toBe('bytes');
      }
    });

    it('answer If-None-Match with the ETag 304', async () => {
      const file = await uploaded(alice.api, 'cached', 'c.txt');
      const first = await download(server.url, file.url);
      expect(first.headers.get('etag')).toBe(`"${sha256('cached')}"`);
      const again = await fetch(`${server.url}${file.url}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
      expect(again.status).toBe(304);
    });
  });

  describe('ranges', () => {
    it('serve one range as 206 with Content-Range, several as the whole file, and one outside the file as 416', async () => {
      const bytes = randomBytes(4096);
      const file = await uploaded(alice.api, bytes, 'r.bin');
      const range = async (value: string) => download(server.url, file.url, { range: value });
      const middle = await range('bytes=100-199');
      expect(middle.status).toBe(206);
      expect(middle.headers.get('content-range')).toBe('bytes 100-199/4096');
      expect(middle.bytes.equals(bytes.subarray(100, 200))).toBe(true);
      const last = await range('bytes=-1');
      expect(last.status).toBe(206);
      expect(last.bytes.equals(bytes.subarray(4095))).toBe(true);
      const open = await range('bytes=4000-');
      expect(open.bytes.equals(bytes.subarray(4000))).toBe(true);
      const several = await range('bytes=0-0,10-10');
      expect(several.status).toBe(200);
      expect(several.bytes.equals(bytes)).toBe(true);
      const outside = await range('bytes=5000-6000');
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe('bytes */4096');
      expect(JSON.parse(outside.bytes.toString())).toMatchObject({ status: 416, code: 'range_not_satisfiable' });
    });
  });
});
