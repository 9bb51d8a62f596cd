/**
 * `client.upload()` on Node (a streamed fetch body) against a real server: progress that follows
 * the bytes sent, cancelling mid-upload (the server keeps no row and no file), the server's
 * refusals as PneumaticError codes, and sends with attachments over both transports reaching
 * another client with links that download the same bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDirOf } from '../../../src/files/open-files.js';
import type { SqlStore } from '../../../src/store/store.js';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { filesUnder } from '../../../test/helpers/uploads.js';
import type { PneumaticClient } from '../src/client.js';
import { PneumaticError, isRetryable } from '../src/errors.js';
import type { UploadProgress } from '../src/uploads/upload-options.js';
import { collectMessages, registeredClient, waitUntil } from './helpers.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const UPLOAD_MAX_BYTES = 4 * MIB;
const UPLOAD_IDLE_TIMEOUT_MS = 3000;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('uploads through the SDK (Node: streamed fetch body)', () => {
  let server: TestServer;
  let alice: PneumaticClient;
  let bob: PneumaticClient;
  const uploadRows = () => (server.app.pneumatic.store as SqlStore).opened.db.selectFrom('uploads').select(['id', 'status']).execute();
  const storedFiles = () => filesUnder(uploadDirOf(server.config)).sort();

  beforeAll(async () => {
    server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off', UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES), UPLOAD_IDLE_TIMEOUT_MS: String(UPLOAD_IDLE_TIMEOUT_MS) } });
    alice = await registeredClient(server.url, 'alice');
    bob = await registeredClient(server.url, 'bob');
  });
  afterAll(async () => {
    alice.close();
    bob.close();
    await server.close();
  });

  it('uploads bytes with progress rising chunk by chunk to a final loaded === total, and the server stores them exactly', async () => {
    const bytes = randomBytes(3 * MIB);
    const calls: UploadProgress[] = [];
    const upload = await alice.upload(bytes, { filename: 'report.bin', onProgress: (p) => calls.push(p) });
    expect(upload).toMatchObject({ filename: 'report.bin', size: bytes.length, sha256: sha256(bytes), content_type: 'application/octet-stream', attached: false });
    // Many calls, not one at the end: progress follows the chunks as they are pulled.
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.every((p) => p.total === bytes.length)).toBe(true);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.loaded).toBeGreaterThan(calls[i - 1]!.loaded);
    expect(calls.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
    expect(calls.filter((p) => p.loaded === p.total)).toHaveLength(1);
    // A Blob (a File on Node 20+) carries its own name.
    const file = new File([new Uint8Array(bytes.subarray(0, 1000))], 'notes «final».txt');
    expect(await alice.upload(file)).toMatchObject({ filename: 'notes «final».txt', size: 1000 });
    // getUpload: the same upload, with signed links.
    const fetched = await alice.getUpload(upload.id);
    expect(fetched).toMatchObject({ id: upload.id, sha256: upload.sha256 });
    expect(fetched.url).toMatch(new RegExp(`^/uploads/${upload.id}/content\\?expires=\\d+&signature=`));
  });

  it('cancels an upload through its signal mid-way: rejects with code aborted, and the server keeps no row and no file', async () => {
    const before = storedFiles();
    const rowsBefore = await uploadRows();
    const controller = new AbortController();
    const bytes = randomBytes(UPLOAD_MAX_BYTES - KIB);
    let lastLoaded = 0;
    const error = await alice
      .upload(bytes, {
        filename: 'cancelled.bin',
        signal: controller.signal,
        onProgress: ({ loaded }) => {
          lastLoaded = loaded;
          if (loaded >= MIB) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PneumaticError);
    expect((error as PneumaticError).code).toBe('aborted');
    expect(isRetryable(error)).toBe(false);
    expect(lastLoaded).toBeGreaterThanOrEqual(MIB);
    expect(lastLoaded).toBeLessThan(bytes.length);
    await expect.poll(uploadRows, { timeout: 5000 }).toEqual(rowsBefore);
    await expect.poll(storedFiles, { timeout: 5000 }).toEqual(before);
    // An already aborted signal sends nothing at all.
    const early = await alice.upload(bytes, { filename: 'never.bin', signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((early as PneumaticError).code).toBe('aborted');
  });

  it('reports the server refusing a file over UPLOAD_MAX_BYTES as file_too_large (413, not retryable), keeping nothing', async () => {
    const before = storedFiles();
    const error = await alice.upload(randomBytes(UPLOAD_MAX_BYTES + MIB), { filename: 'huge.bin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PneumaticError);
    expect((error as PneumaticError).code).toBe('file_too_large');
    expect((error as PneumaticError).status).toBe(413);
    expect(isRetryable(error)).toBe(false);
    const empty = await alice.upload(new Uint8Array(0), { filename: 'empty.bin' }).catch((e: unknown) => e);
    expect((empty as PneumaticError).code).toBe('empty_file');
    // Regression: the refusals came while their bodies were still streaming; a connection kept
    // alive after such a half-sent body fed the next request into it, which then hung until the
    // server's idle timeout (408). Each upload now has a connection of its own, so requests made
    // at once afterwards (each on a pooled connection) all answer promptly.
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 6 }, () => alice.getUpload(crypto.randomUUID()).catch((e: unknown) => e)));
    expect(answers.map((e) => (e as PneumaticError).code)).toEqual(Array(6).fill('not_found'));
    expect(Date.now() - started).toBeLessThan(UPLOAD_IDLE_TIMEOUT_MS);
    await expect.poll(storedFiles, { timeout: 5000 }).toEqual(before);
  });

  for (const transport of ['socket', 'http'] as const) {
    it(`sends attachments with empty content over ${transport === 'socket' ? 'the socket' : 'HTTP'}: the other member gets them live, and their links download the same bytes`, async () => {
      const conversation = await alice.createConversation({ title: `files over ${transport}`, member_ids: [bob.user!.id] });
      const bobSession = await bob.connect();
      const received = collectMessages(bobSession, conversation.id);
      const first = randomBytes(200 * KIB);
      const second = randomBytes(5 * KIB);
      const [a, b] = await Promise.all([alice.upload(first, { filename: 'first.bin' }), alice.upload(new Blob([second]), { filename: 'second.bin' })]);
      const aliceSession = transport === 'socket' ? await alice.connect() : null;
      const sent = await alice.send(conversation.id, '', { attachments: [a.id, b.id] });
      expect(sent.content).toBe('');
      expect(sent.attachments.map((x) => x.id)).toEqual([a.id, b.id]);
      await waitUntil(() => received.length === 1, 'bob receives the message');
      const [got] = received;
      expect(got!.message_id).toBe(sent.message_id);
      expect(got!.attachments.map((x) => [x.filename, x.size, x.sha256])).toEqual([
        ['first.bin', first.length, sha256(first)],
        ['second.bin', second.length, sha256(second)],
      ]);
      // Signed links work without a token.
      for (const [attachment, bytes] of [[got!.attachments[0]!, first], [got!.attachments[1]!, second]] as const) {
        const response = await fetch(bob.resolveUrl(attachment.url));
        expect(response.status).toBe(200);
        expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
      }
      // Attached: bob may now ask for fresh links himself.
      expect(await bob.getUpload(a.id)).toMatchObject({ id: a.id, attached: true });
      aliceSession?.close();
      bobSession.close();
    });
  }

  it('refuses a send naming an upload that is not the sender’s with upload_not_found, without retrying', async () => {
    const conversation = await alice.createConversation({ title: 'not yours', member_ids: [bob.user!.id] });
    const bobs = await bob.upload(randomBytes(100), { filename: 'bob.bin' });
    const error = await alice.send(conversation.id, 'look', { attachments: [bobs.id] }).catch((e: unknown) => e);
    expect((error as PneumaticError).code).toBe('upload_not_found');
    expect((error as PneumaticError).fieldError('/attachments')).not.toBeNull();
    expect(alice.outbox.pending()).toEqual([]);
  });
});
