/**
 * Following a background job from the runner (retention-jobs.ts): a reading of how many
 * messages it has done so far, taken every second from the moment it was started until it is
 * finished or the cap has passed. The readings give its rate (done / time) and the spread of its
 * per-second rate; a job stopped by the cap also gives the time it would take for a million.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { round, spread, type Spread } from '../lib/stats.js';

export interface JobReading {
  done: number;
  /** Finished, by the job's own account or because `done` reached the total. */
  finished: boolean;
  /** The job's status where it reports one (message removals: running, done, failed). */
  status?: string;
}

export interface JobProgress {
  total: number;
  done: number;
  finished: boolean;
  status: string | null;
  /** Whether the cap stopped the measurement before the job finished. */
  capped: boolean;
  capSeconds: number;
  /** From just before the request that started the job to the first reading that saw it finished (or the last reading). */
  seconds: number;
  /** done / seconds. */
  perSecond: number;
  /** Median (min–max) of the rate between consecutive readings (one a second). */
  perSecondSpread: Spread | null;
  /** At `perSecond`: how long a million messages would take. */
  secondsPerMillion: number | null;
  /** [ms since the start, done] per reading. */
  readings: [number, number][];
}

export class JobWatch {
  private readonly readings: [number, number][] = [];
  private last: JobReading = { done: 0, finished: false };
  private endedAtMs: number | null = null;
  /** Resolves once the job finished or the cap passed; a failed reading rejects it. */
  readonly ended: Promise<void>;

  /** `startedAtMs`: just before the request that started the job; readings from then on. */
  constructor(
    private readonly read: () => Promise<JobReading>,
    private readonly total: number,
    readonly startedAtMs: number,
    private readonly capMs: number,
    private readonly intervalMs = 1000,
  ) {
    this.ended = this.poll();
    // Awaited only once the load beside it stops: a failed reading must not go unhandled meanwhile.
    this.ended.catch(() => undefined);
  }

  /** Finished, or past the cap: the load beside it may stop. */
  get over(): boolean {
    return this.endedAtMs !== null;
  }

  /** When it ended (the reading that saw it finished, or the last before the cap); now while it runs. */
  get endMs(): number {
    return this.endedAtMs ?? Date.now();
  }

  private async poll(): Promise<void> {
    try {
      for (let tick = 1; ; tick++) {
        // On the second from the start, whatever a reading took.
        await sleep(Math.max(0, this.startedAtMs + tick * this.intervalMs - Date.now()));
        this.last = await this.read();
        const at = Date.now();
        this.readings.push([at - this.startedAtMs, this.last.done]);
        if (this.last.finished || at - this.startedAtMs >= this.capMs) return;
      }
    } finally {
      this.endedAtMs = this.startedAtMs + (this.readings.at(-1)?.[0] ?? 0);
    }
  }

  result(): JobProgress {
    const seconds = (this.endMs - this.startedAtMs) / 1000;
    const rates = this.readings.map(([ms, done], i) => {
      const [prevMs, prevDone] = i === 0 ? [0, 0] : this.readings[i - 1]!;
      return ms > prevMs ? ((done - prevDone) * 1000) / (ms - prevMs) : null;
    });
    const perSecond = seconds > 0 ? this.last.done / seconds : 0;
    return {
      total: this.total,
      done: this.last.done,
      finished: this.last.finished,
      status: this.last.status ?? null,
      capped: !this.last.finished,
      capSeconds: this.capMs / 1000,
      seconds: round(seconds, 1),
      perSecond: round(perSecond, 1),
      // The last interval of a finished job is partly idle: not a rate of the job's.
      perSecondSpread: spread(this.last.finished ? rates.slice(0, -1) : rates),
      secondsPerMillion: perSecond > 0 ? round(1_000_000 / perSecond, 0) : null,
      readings: this.readings,
    };
  }
}
