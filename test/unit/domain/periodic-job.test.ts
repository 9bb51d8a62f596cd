/**
 * When background jobs run (src/domain/jobs/periodic-job.ts): on the interval, at start when
 * asked, soon after a nudge; never twice at once, a nudge mid-run giving exactly one more run;
 * a failed run logged and the next one still made; nothing after stop, which waits for the run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PeriodicJob } from '../../../src/domain/jobs/periodic-job.js';

const jobs: PeriodicJob[] = [];
afterEach(async () => {
  await Promise.all(jobs.splice(0).map((job) => job.stop()));
});

function gatedJob(options: { runAtStart?: boolean; intervalMs?: number } = {}) {
  const state = { runs: 0, concurrent: 0, maxConcurrent: 0, fail: false, warnings: [] as string[] };
  let open: (() => void) | null = null;
  let gate = Promise.resolve();
  const job = new PeriodicJob(
    async () => {
      state.runs += 1;
      state.concurrent += 1;
      state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
      try {
        await gate;
        if (state.fail) throw new Error('boom');
      } finally {
        state.concurrent -= 1;
      }
    },
    { name: 'test job', intervalMs: options.intervalMs ?? 60_000, runAtStart: options.runAtStart ?? false, log: { warn: (_obj, msg) => state.warnings.push(msg) } },
  );
  jobs.push(job);
  const hold = () => {
    gate = new Promise((resolve) => (open = resolve));
  };
  const release = () => open?.();
  return { job, state, hold, release };
}

describe('PeriodicJob', () => {
  it('runs at start only when asked to', async () => {
    const eager = gatedJob({ runAtStart: true });
    const lazy = gatedJob();
    eager.job.start();
    lazy.job.start();
    await sleep(20);
    expect([eager.state.runs, lazy.state.runs]).toEqual([1, 0]);
  });

  it('runs on its interval', async () => {
    const { job, state } = gatedJob({ intervalMs: 10 });
    job.start();
    await sleep(100);
    expect(state.runs).toBeGreaterThanOrEqual(3);
  });

  it('never runs twice at once; nudges during a run make exactly one more run after it', async () => {
    const { job, state, hold, release } = gatedJob();
    hold();
    job.nudge();
    job.nudge();
    job.nudge();
    await sleep(10);
    expect(state.runs).toBe(1);
    release();
    await sleep(20);
    expect(state).toMatchObject({ runs: 2, maxConcurrent: 1 });
  });

  it('logs a failed run under its name and runs again at the next nudge', async () => {
    const { job, state } = gatedJob();
    state.fail = true;
    job.nudge();
    await sleep(10);
    expect(state.warnings).toEqual(['test job failed; retried at the next interval']);
    state.fail = false;
    job.nudge();
    await sleep(10);
    expect(state.runs).toBe(2);
  });

  it('stop waits for the run under way, says so through stopping, and no nudge runs after it', async () => {
    const { job, state, hold, release } = gatedJob({ intervalMs: 5 });
    hold();
    job.start();
    job.nudge();
    job.nudge();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    expect(job.stopping).toBe(true);
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    job.nudge();
    await sleep(20);
    expect(state.runs).toBe(1);
  });
});
