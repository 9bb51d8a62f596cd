/**
 * A SQLite database that cannot write (issue 13, defect 1). Every write, over HTTP and the
 * socket, answers 503 `unavailable` with Retry-After rather than 500; /readyz answers 503 and
 * says why; one error line per episode tells the operator what to fix, and one info line when
 * writes work again; pneumatic_storage_failures_total counts by reason; writes recover by
 * themselves and nothing acknowledged is lost. A server on a file it may not write refuses to
 * start, naming the file.
 *
 * How each condition is made for real, on the spawned server process:
 * - the file-size limit: `prlimit --pid` lowers the process's RLIMIT_FSIZE to the WAL's size,
 *   so the next commit cannot grow it (EFBIG; Node ignores SIGXFSZ). Works as any user.
 * - a full disk: the database on a small tmpfs, filled by a file of ours (ENOSPC). Needs root
 *   to mount, so it runs only where the test can mount.
 * - a read-only file: `chattr +i` as root (root ignores permissions), else chmod 0444.
 * A read-only file while the server runs changes nothing (SQLite holds the file open, read and
 * write), and a read-only remount of a filesystem with files open for writing is refused by
 * the kernel, so those are not made here; an I/O error on a read-only filesystem is diagnosed
 * as `read_only` from the error's EROFS (src/store/health/storage-advice.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerUser } from '../helpers/api-client.js';
import { createTestDatabase } from '../helpers/databases.js';
import {
  closeWriters,
  expectEveryWriteRefused,
  expectEveryWriteWorks,
  readiness,
  setUpWriters,
  storageFailures,
  storageLogLines,
  waitUntilReady,
  type Writers,
} from '../helpers/failing-writes.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const isRoot = process.getuid?.() === 0;

/** Whether this process may mount a tmpfs (root in a namespace that allows it). */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || !isRoot) return false;
  const dir = mkdtempSync(join(tmpdir(), 'pneumatic-mount-check-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the filesystem holding `dir` with one file until the kernel says ENOSPC; returns its path. */
function fillFilesystem(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const chunk of [Buffer.alloc(1 << 20), Buffer.alloc(4096), Buffer.alloc(1)]) {
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('SQLite writes that the storage refuses', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function serverOn(path: string): Promise<{ server: ServerProcess; writers: Writers }> {
    const server = await spawnServer({ DATABASE_URL: `sqlite:${path}`, LOG_LEVEL: 'info' });
    cleanup.push(() => server.stop());
    const writers = await setUpWriters(server.url, server.wsUrl);
    cleanup.push(() => closeWriters(writers));
    return { server, writers };
  }

  it('regression (issue 13, defect 1): every write answers 503 unavailable with Retry-After while the database cannot grow, /readyz says why, and writes recover by themselves', async () => {
    const database = await createTestDatabase('sqlite');
    cleanup.push(() => database.drop());
    const path = database.path!;
    const { server, writers } = await serverOn(path);
    const pid = String(server.child.pid);
    expect((await readiness(server.url)).status).toBe(200);

    // The WAL grows with every commit (nothing is checkpointed yet): at this limit none can.
    execFileSync('prlimit', ['--pid', pid, `--fsize=${statSync(`${path}-wal`).size}:`]);
    const refused = await expectEveryWriteRefused(writers);
    expect(await readiness(server.url)).toEqual({
      status: 503,
      body: { status: 'unavailable', database: 'failing', database_reason: 'file_size_limit', bus: 'up' },
    });
    expect(await storageFailures(server.url, 'file_size_limit')).toBeGreaterThanOrEqual(6);

    execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:']);
    await waitUntilReady(server.url);
    await expectEveryWriteWorks(writers, refused);

    const lines = storageLogLines(server.output());
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'file_size_limit' });
    expect(errors[0]!.msg).toContain(`database file ${path} reached the server process's file-size limit`);
    expect(errors[0]!.msg).toContain('raise or remove the limit');
    expect(lines.filter((l) => l.level === 30 && l.msg.startsWith('database writes work again'))).toHaveLength(1);
    // The refused requests themselves are not logged as errors: the one line above says it all.
    expect(server.output()).not.toContain('request failed');
    expect(server.output()).not.toContain('frame failed');
  });

  it.runIf(canMountTmpfs())('answers 503 on a full disk, reports disk_full and where to free space, and recovers once there is space', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pneumatic-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => execFileSync('umount', [dir]));
    const { server, writers } = await serverOn(join(dir, 'chat.db'));

    const filler = fillFilesystem(dir);
    const refused = await expectEveryWriteRefused(writers);
    expect(await readiness(server.url)).toEqual({
      status: 503,
      body: { status: 'unavailable', database: 'failing', database_reason: 'disk_full', bus: 'up' },
    });
    expect(await storageFailures(server.url, 'disk_full')).toBeGreaterThanOrEqual(6);

    rmSync(filler);
    await waitUntilReady(server.url);
    await expectEveryWriteWorks(writers, refused);

    const errors = storageLogLines(server.output()).filter((l) => l.level === 50);
    expect(errors).toEqual([expect.objectContaining({ reason: 'disk_full', msg: `database disk is full: free space on the filesystem of ${dir}` })]);
  });

  it('regression (issue 13, defect 1): refuses to start on a database file it may not write, naming the file, and starts once it may', async () => {
    const database = await createTestDatabase('sqlite');
    cleanup.push(() => database.drop());
    const path = database.path!;
    const env = { DATABASE_URL: `sqlite:${path}` };
    await (await spawnServer(env)).stop();

    // Root ignores file permissions but not the immutable attribute.
    if (isRoot) execFileSync('chattr', ['+i', path]);
    else chmodSync(path, 0o444);
    const writable = () => (isRoot ? execFileSync('chattr', ['-i', path]) : chmodSync(path, 0o644));
    cleanup.push(writable);
    const refusal = await spawnServer(env).then(
      async (server) => {
        await server.stop();
        return 'it started';
      },
      (error: Error) => error.message,
    );
    expect(refusal).toContain(`Pneumatic failed to start: database file is read-only: check the permissions, owner and mount of ${path}`);

    writable();
    const server = await spawnServer(env);
    cleanup.push(() => server.stop());
    await registerUser(server.url);
    expect((await readiness(server.url)).status).toBe(200);
  });
});
