/**
 * The message removal worker (src/domain/admin/message-removal-worker.ts) over in-memory fakes:
 * batches up to the total and an audit entry at the end; a failing job retried after each lease
 * and given up as failed after five attempts in a row; a worker that stops mid-job gives the lease
 * up; one whose lease was taken over stops writing.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageRemovalWorker, REMOVAL_MAX_FAILURES } from '../../../src/domain/admin/message-removal-worker.js';
import type { RemovableMessage } from '../../../src/domain/ports/message-removal-repository.js';
import { InMemoryAuditLog } from '../fakes/in-memory-blocks-and-audit.js';
import { InMemoryMessageRemovals } from '../fakes/in-memory-message-removals.js';

const quiet = { info: () => {}, warn: () => {} };
const ADMIN = randomUUID();
const USER = randomUUID();

function world(messageCount: number) {
  const removals = new InMemoryMessageRemovals();
  for (let i = 0; i < messageCount; i++) {
    removals.messages.push({ message_id: randomUUID(), conversation_id: 'c', created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), has_attachments: false });
  }
  const auditLog = new InMemoryAuditLog();
  const deletes: { adminId: string; ids: string[] }[] = [];
  /** Set to make every batch fail, or to run something before a batch (a takeover). */
  const hooks: { fail: boolean; beforeBatch?: () => Promise<void> } = { fail: false };
  const messages = {
    deleteBatchAsAdmin: async (adminId: string, batch: readonly RemovableMessage[]) => {
      await hooks.beforeBatch?.();
      if (hooks.fail) throw new Error('database on fire');
      deletes.push({ adminId, ids: batch.map((m) => m.message_id) });
      for (const m of batch) removals.deleted.add(m.message_id);
      return batch.length;
    },
  };
  return { removals, auditLog, deletes, hooks, messages };
}

const workers: MessageRemovalWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

function worker(w: ReturnType<typeof world>, options: { pollIntervalMs?: number; leaseMs?: number; batchSize?: number } = {}): MessageRemovalWorker {
  const made = new MessageRemovalWorker({ removals: w.removals, messages: w.messages, auditLog: w.auditLog, pollIntervalMs: options.pollIntervalMs ?? 5, leaseMs: options.leaseMs ?? 1000, batchSize: options.batchSize ?? 10, log: quiet });
  workers.push(made);
  return made;
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

const start = (w: ReturnType<typeof world>) => {
  const now = new Date().toISOString();
  return w.removals.create({ id: randomUUID(), user_id: USER, requested_by: ADMIN, from: null, to: null, bound_at: now, created_at: now });
};

describe('MessageRemovalWorker', () => {
  it('deletes in batches, oldest first, as the admin who asked, up to the total; then done and audited', async () => {
    const w = world(25);
    const job = await start(w);
    worker(w).start();
    await until(async () => (await w.removals.findById(job.id))!.status === 'done', 'done');
    expect(await w.removals.findById(job.id)).toMatchObject({ removed: 25, total: 25, finished_at: expect.any(String) });
    expect(w.deletes.map((d) => d.ids.length)).toEqual([10, 10, 5]);
    expect(w.deletes.flatMap((d) => d.ids)).toEqual(w.removals.messages.map((m) => m.message_id));
    expect(w.deletes.every((d) => d.adminId === ADMIN)).toBe(true);
    expect(w.auditLog.entries).toEqual([
      expect.objectContaining({ action: 'messages.removal_finished', actor_id: ADMIN, target_type: 'user', target_id: USER, after: { removal_id: job.id, status: 'done', removed: 25 }, request_id: null }),
    ]);
    expect(w.removals.holderOf(job.id)).toBeNull();
  });

  it(`retries a failing job after each lease and gives it up as failed after ${REMOVAL_MAX_FAILURES} attempts in a row`, async () => {
    const w = world(5);
    w.hooks.fail = true;
    const job = await start(w);
    worker(w, { leaseMs: 10 }).start();
    await until(async () => (await w.removals.findById(job.id))!.status === 'failed', 'failed');
    const failed = await w.removals.findById(job.id);
    expect(failed).toMatchObject({ status: 'failed', removed: 0, finished_at: expect.any(String), error: expect.stringContaining('failed attempts') });
    // What the admin reads names no driver and no SQL.
    expect(failed!.error).not.toContain('fire');
    expect(w.removals.jobs.get(job.id)!.failures).toBe(REMOVAL_MAX_FAILURES);
    expect(w.auditLog.entries).toEqual([expect.objectContaining({ action: 'messages.removal_finished', after: { removal_id: job.id, status: 'failed', removed: 0 } })]);
  });

  it('gives the lease up when stopped mid-job, and another worker finishes from the cursor', async () => {
    const w = world(30);
    const job = await start(w);
    const first = worker(w);
    let stopping: Promise<void> | null = null;
    w.hooks.beforeBatch = async () => {
      // Stopped during its second batch: that batch completes, then the lease is given up.
      if (w.deletes.length === 1) stopping ??= first.stop();
    };
    first.start();
    await until(() => stopping !== null, 'the stop');
    await stopping;
    w.hooks.beforeBatch = undefined;
    expect(w.removals.holderOf(job.id)).toBeNull();
    expect(await w.removals.findById(job.id)).toMatchObject({ status: 'running', removed: 20 });
    worker(w).start();
    await until(async () => (await w.removals.findById(job.id))!.status === 'done', 'done');
    expect(await w.removals.findById(job.id)).toMatchObject({ removed: 30, total: 30 });
    expect(w.deletes.flatMap((d) => d.ids)).toEqual(w.removals.messages.map((m) => m.message_id));
  });

  it('stops writing once its lease was taken over by another process', async () => {
    const w = world(30);
    const job = await start(w);
    w.hooks.beforeBatch = async () => {
      // Another process took the job over (this one's lease ran out unnoticed).
      if (w.deletes.length === 1) Object.assign(w.removals.jobs.get(job.id)!, { holder: 'someone-else' });
    };
    worker(w, { pollIntervalMs: 3_600_000 }).start();
    await until(() => w.deletes.length === 2, 'the second batch');
    await sleep(20);
    // Its second batch's progress was not recorded, and it went no further.
    expect(w.deletes).toHaveLength(2);
    expect(await w.removals.findById(job.id)).toMatchObject({ status: 'running', removed: 10 });
    expect(w.removals.holderOf(job.id)).toBe('someone-else');
  });
});
