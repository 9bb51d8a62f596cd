/**
 * The storage health tracker: episodes of failing writes, one log line at each end, the count
 * by reason, and what /readyz is told, with and without a probe write that settles it.
 */
import { describe, expect, it } from 'vitest';
import type { StorageAdvisor } from '../../../src/store/health/storage-advice.js';
import { FAILURE_WINDOW_MS, StorageHealth, type WriteProbe } from '../../../src/store/health/storage-health.js';
import type { StorageFailureReason } from '../../../src/store/sql-errors.js';

const driverError = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

function harness() {
  let now = 1_000_000;
  const lines: { level: 'error' | 'info'; fields: object; message: string }[] = [];
  const counted: StorageFailureReason[] = [];
  const advise: StorageAdvisor = (reason) => ({ reason, message: `fix the ${reason}` });
  const health = new StorageHealth({
    advise,
    log: { error: (fields, message) => lines.push({ level: 'error', fields, message }), info: (fields, message) => lines.push({ level: 'info', fields, message }) },
    countFailure: (reason) => counted.push(reason),
    now: () => now,
  });
  return { health, lines, counted, advance: (ms: number) => (now += ms) };
}

function probe(outcome: 'passes' | Error, proves = true): WriteProbe & { runs: number } {
  const p = {
    runs: 0,
    run: async () => {
      p.runs++;
      if (outcome !== 'passes') throw outcome;
    },
    proves: () => proves,
  };
  return p;
}

describe('StorageHealth', () => {
  it('logs one error line for many failures of one episode, counts each, and one info line when a write commits', () => {
    const { health, lines, counted, advance } = harness();
    for (let i = 0; i < 100; i++) {
      health.failed(driverError('SQLITE_FULL'));
      advance(10);
    }
    health.succeeded();
    health.succeeded();
    expect(counted).toEqual(Array(100).fill('disk_full'));
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'fix the disk_full'],
      ['info', 'database writes work again (disk_full: 100 failed operations over 1 s)'],
    ]);
    expect(lines[0]!.fields).toEqual({ reason: 'disk_full', code: 'SQLITE_FULL', error: 'failed with SQLITE_FULL' });
  });

  it('ignores lock timeouts and errors that are not about the storage', () => {
    const { health, lines, counted } = harness();
    health.failed(driverError('SQLITE_BUSY'));
    health.failed(driverError('SQLITE_CONSTRAINT_UNIQUE'));
    health.failed(new Error('no code'));
    expect(health.failing).toBeNull();
    expect([lines, counted]).toEqual([[], []]);
  });

  it('counts an error once, however many layers report it', () => {
    const { health, counted } = harness();
    const error = driverError('25006');
    health.failed(error);
    health.failed(error);
    expect(counted).toEqual(['read_only']);
  });

  it('logs a new line when the cause changes within an episode', () => {
    const { health, lines } = harness();
    health.failed(driverError('ECONNRESET'));
    health.failed(driverError('25006'));
    health.failed(driverError('25006'));
    expect(health.failing).toBe('read_only');
    expect(lines.map((l) => l.message)).toEqual(['fix the unreachable', 'fix the read_only']);
  });

  it('logs a reason again only a minute after its last line, so a flapping condition does not flood the log', () => {
    const { health, lines, advance } = harness();
    // 100 failures, each followed by a commit, a second apart: lines at 0 s and 60 s only.
    for (let i = 0; i < 100; i++) {
      health.failed(driverError('53300'));
      health.succeeded();
      advance(1000);
    }
    expect(lines.map((l) => l.level)).toEqual(['error', 'info', 'error', 'info']);
  });

  it('tells /readyz the reason while an episode is open, and nothing once a probe write passes', async () => {
    const { health, lines, advance } = harness();
    expect(await health.check(probe('passes'))).toBeNull();
    health.failed(driverError('SQLITE_IOERR_WRITE'));
    expect(await health.check(probe(driverError('SQLITE_IOERR_WRITE')))).toBe('io_error');
    advance(1000);
    const passing = probe('passes');
    expect(await health.check(passing)).toBeNull();
    expect(passing.runs).toBe(1);
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
  });

  it('probes at most once a second', async () => {
    const { health, advance } = harness();
    health.failed(driverError('SQLITE_FULL'));
    const failing = probe(driverError('SQLITE_FULL'));
    for (let i = 0; i < 5; i++) expect(await health.check(failing)).toBe('disk_full');
    expect(failing.runs).toBe(1);
    advance(1000);
    await health.check(failing);
    expect(failing.runs).toBe(2);
  });

  it('where the probe cannot rule the failure out, reports it until the failures are older than the window', async () => {
    const { health, advance, lines } = harness();
    health.failed(driverError('53100'));
    const writesNothing = probe('passes', false);
    expect(await health.check(writesNothing)).toBe('disk_full');
    advance(FAILURE_WINDOW_MS);
    expect(await health.check(writesNothing)).toBeNull();
    // Still the same episode: the next real failure is not a new line, a commit ends it.
    health.failed(driverError('53100'));
    expect(await health.check(writesNothing)).toBe('disk_full');
    health.succeeded();
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
  });
});
