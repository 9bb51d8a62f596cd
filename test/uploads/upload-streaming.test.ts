/**
 * Uploads are streamed: a client that stops sending halfway is cut off after
 * UPLOAD_IDLE_TIMEOUT_MS (408) and one that goes away is let go, and neither leaves anything
 * behind; a slow upload may take longer than HTTP_REQUEST_TIMEOUT_MS while it keeps sending; and
 * the server's memory stays flat while 20 clients each upload 20 MiB at once (its RSS measured
 * from /proc, in a process of its own).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDirOf } from '../../src/files/open-files.js';
import type { SqlStore } from '../../src/store/store.js';
import { registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { rawUpload, uploadEnvelope } from '../helpers/raw-upload.js';
import { filesUnder, sha256 } from '../helpers/uploads.js';

describe('streamed uploads', () => {
  let server: TestServer;
  let alice: TestUser;
  const uploadRows = async () => (server.app.pneumatic.store as SqlStore).opened.db.selectFrom('uploads').select(['id', 'status']).execute();
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', UPLOAD_IDLE_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500', UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) } });
    alice = await registerUser(server.url, 'alice');
  });
  afterAll(() => server.close());

  it('cuts off a client that stops sending halfway with 408 after UPLOAD_IDLE_TIMEOUT_MS, keeping nothing', async () => {
    const { socket, reply } = await rawUpload(server.url, alice.token, 1024 * 1024);
    socket.write(randomBytes(300 * 1024));
    const answer = await reply;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"request_timeout"');
    await expect.poll(uploadRows, { timeout: 5000 }).toEqual([]);
    expect(filesUnder(uploadDirOf(server.config))).toEqual([]);
  });

  it('lets go of a client that disconnects halfway, keeping nothing', async () => {
    const { socket } = await rawUpload(server.url, alice.token, 1024 * 1024);
    socket.write(randomBytes(200 * 1024), () => socket.destroy());
    await expect.poll(uploadRows, { timeout: 5000 }).toEqual([]);
    await expect.poll(() => filesUnder(uploadDirOf(server.config)), { timeout: 5000 }).toEqual([]);
  });

  it('answers an upload refused mid-body 413 with Connection: close, and closes: unread bytes never precede another request', async () => {
    const { socket, reply } = await rawUpload(server.url, alice.token, 4 * 1024 * 1024);
    socket.write(randomBytes(3 * 1024 * 1024));
    const answer = await reply;
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"code":"file_too_large"');
  });

  it('accepts a slow upload that takes longer than HTTP_REQUEST_TIMEOUT_MS while it keeps sending', async () => {
    const chunks = Array.from({ length: 8 }, () => randomBytes(16 * 1024));
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const { socket, reply } = await rawUpload(server.url, alice.token, size);
    for (const chunk of chunks) {
      socket.write(chunk);
      await new Promise((r) => setTimeout(r, 300));
    }
    socket.write(uploadEnvelope(size).tail);
    const answer = await Promise.race([reply, new Promise<string>((r) => setTimeout(() => r(''), 3000)).then(() => { socket.destroy(); return reply; })]);
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toContain(`"sha256":"${sha256(Buffer.concat(chunks))}"`);
  });
});

describe('server memory during 20 concurrent 20 MiB uploads', () => {
  let database: TestDatabase;
  let uploadDir: string;
  let server: ServerProcess;
  let token: string;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    uploadDir = mkdtempSync(join(tmpdir(), 'pneumatic-uploads-rss-'));
    server = await spawnServer({ DATABASE_URL: database.url, UPLOAD_DIR: uploadDir, RATE_LIMITS: 'off', UPLOAD_QUOTA_BYTES: String(2 ** 40) });
    token = (await registerUser(server.url, 'bulk')).token;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024;
  const send = async (bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'big.bin');
    const response = await fetch(`${server.url}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: response.status, body: (await response.json()) as { sha256: string } };
  };

  it('stays within 160 MiB of its resting size while 400 MiB arrive, every upload stored intact', async () => {
    const bytes = randomBytes(20 * 1024 * 1024);
    expect((await send(bytes)).status).toBe(201); // warm: the multipart and storage paths are loaded
    const resting = rss();
    let peak = resting;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    const results = await Promise.all(Array.from({ length: 20 }, () => send(bytes)));
    clearInterval(sampler);
    peak = Math.max(peak, rss());
    console.log(`[uploads rss] resting ${(resting / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB during 20 × 20 MiB`);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.sha256))).toEqual(new Set([sha256(bytes)]));
    expect(peak - resting).toBeLessThan(160 * 2 ** 20);
  }, 120_000);
});
