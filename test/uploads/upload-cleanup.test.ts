/**
 * The uploads' clean-up job: orphans after UPLOAD_ORPHAN_HOURS, files of deleted messages (at
 * once, by the nudge of the delete), uploads a crash left pending or half deleted, temporary
 * files of crashes; and never an upload a message still attaches.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadDirOf } from '../../src/files/open-files.js';
import { createConversation, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { filesUnder, uploaded } from '../helpers/uploads.js';

const ORPHAN_SECONDS = 1;

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of enabledDialects()) {
  describe(`upload clean-up [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    const parts = () => server.app.pneumatic;
    const stored = () => filesUnder(uploadDirOf(server.config));
    const runCleanup = () => parts().files.cleanup.runOnce();
    beforeAll(async () => {
      // The interval is long: each test runs the job itself, or relies on a delete's nudge.
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', UPLOAD_ORPHAN_HOURS: String(ORPHAN_SECONDS / 3600), UPLOAD_CLEANUP_INTERVAL_MS: '3600000' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    it('deletes an upload no message attached once UPLOAD_ORPHAN_HOURS have passed, and not before', async () => {
      const orphan = await uploaded(alice.api, 'forgotten', 'f.txt');
      await runCleanup();
      expect((await alice.api.get(`/uploads/${orphan.id}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, ORPHAN_SECONDS * 1000 + 200));
      await runCleanup();
      expect((await alice.api.get(`/uploads/${orphan.id}`)).status).toBe(404);
      expect(stored().filter((f) => f.includes(orphan.id))).toEqual([]);
      expect(await parts().store.uploads.usedBytes(alice.user.id)).toBe(0);
    });

    it('keeps an attached upload however old, and deletes it right after the last message attaching it is deleted', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'shared twice', 's.txt');
      const send = async () => (await alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'f', attachments: [file.id] })).body.message_id as string;
      const [first, second] = [await send(), await send()];
      await new Promise((r) => setTimeout(r, ORPHAN_SECONDS * 1000 + 200));
      await runCleanup();
      expect((await bob.api.get(`/uploads/${file.id}`)).status).toBe(200);
      expect((await alice.api.delete(`/messages/${first}`)).status).toBe(204);
      await runCleanup();
      expect((await bob.api.get(`/uploads/${file.id}`)).status).toBe(200);
      // The second delete's nudge runs the job: no explicit run, and the interval is an hour.
      expect((await alice.api.delete(`/messages/${second}`)).status).toBe(204);
      await eventually(() => !stored().some((f) => f.includes(file.id)));
      expect((await alice.api.get(`/uploads/${file.id}`)).status).toBe(404);
    });

    it('finishes what a crash left: a pending upload older than an hour with its bytes, a half-done deletion, an old temporary file', async () => {
      const { store, files } = parts();
      const pending = randomUUID();
      const hoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
      await store.uploads.createPending({ id: pending, owner_id: alice.user.id, filename: 'cut.bin', created_at: hoursAgo });
      await files.files.put(`uploads/${pending}`, Readable.from([Buffer.from('half')]), 'application/octet-stream');
      const fresh = randomUUID();
      await store.uploads.createPending({ id: fresh, owner_id: alice.user.id, filename: 'live.bin', created_at: new Date().toISOString() });
      const halfDeleted = await uploaded(alice.api, 'half deleted', 'h.txt');
      await store.uploads.claimForDeletion({ id: halfDeleted.id, status: 'ready' }, new Date(Date.now() + 1000).toISOString(), hoursAgo);
      const tmp = join(uploadDirOf(server.config), 'tmp');
      mkdirSync(tmp, { recursive: true });
      writeFileSync(join(tmp, 'crashed-upload'), 'x');
      utimesSync(join(tmp, 'crashed-upload'), new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
      writeFileSync(join(tmp, 'in-flight'), 'y');
      await runCleanup();
      expect(await store.uploads.find(pending)).toBeNull();
      expect(await files.files.get(`uploads/${pending}`)).toBeNull();
      expect(await store.uploads.find(halfDeleted.id)).toBeNull();
      expect(stored().filter((f) => f.includes(halfDeleted.id))).toEqual([]);
      expect((await store.uploads.find(fresh))?.status).toBe('pending');
      expect(stored()).not.toContain('tmp/crashed-upload');
      expect(stored()).toContain('tmp/in-flight');
    });

    // PostgreSQL only: two in-process servers on one SQLite file share one thread, so one's
    // synchronous wait for the write lock stalls the other (separate processes do not); SQLite's
    // single writer serializes the claims anyway.
    it.runIf(dialect === 'postgres')('is safe with two servers on one database cleaning up at once: each orphan deleted once, none twice, no error', async () => {
      const twin = await startServer({ dialect, database: server.database, env: { RATE_LIMITS: 'off', UPLOAD_DIR: uploadDirOf(server.config), UPLOAD_ORPHAN_HOURS: String(ORPHAN_SECONDS / 3600), UPLOAD_CLEANUP_INTERVAL_MS: '3600000' } });
      try {
        const orphans = await Promise.all(Array.from({ length: 30 }, (_, i) => uploaded(alice.api, `orphan ${i}`, `${i}.txt`)));
        await new Promise((r) => setTimeout(r, ORPHAN_SECONDS * 1000 + 200));
        const [here, there] = await Promise.all([runCleanup(), twin.app.pneumatic.files.cleanup.runOnce()]);
        expect(here + there).toBeGreaterThanOrEqual(orphans.length);
        for (const orphan of orphans) expect(await parts().store.uploads.find(orphan.id)).toBeNull();
        expect(stored().filter((f) => orphans.some((o) => f.includes(o.id)))).toEqual([]);
      } finally {
        await twin.close();
      }
    });

    it('never claims an upload a message attaches: the claim backs off and the upload stays readable', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'kept', 'k.txt');
      await alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'k', attachments: [file.id] });
      const claimed = await parts().store.uploads.claimForDeletion({ id: file.id, status: 'ready' }, new Date(Date.now() + 3_600_000).toISOString(), new Date().toISOString());
      expect(claimed).toBe(false);
      expect((await bob.api.get(`/uploads/${file.id}`)).status).toBe(200);
    });
  });
}
