/**
 * When a background job runs (the retention job, message removals, the upload clean-up): every
 * `intervalMs`, and soon after a nudge (work just arrived, such as a removal started here or a
 * message whose files were released). Never two runs at once in one process: a nudge during a
 * run asks for one more run right after it, so work that arrived mid-run is not left for the
 * next interval. A failed run is logged and tried again at the next interval or nudge.
 */
export interface PeriodicJobOptions {
  /** How the log names the job. */
  name: string;
  intervalMs: number;
  /** Runs at once on start: jobs a restart interrupted resume without waiting an interval. */
  runAtStart: boolean;
  log: { warn(obj: object, msg: string): void };
}

export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly options: PeriodicJobOptions,
  ) {}

  /** True once stop was called: a run under way checks it between batches and ends early. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.intervalMs);
    // A process with nothing else to do may exit: the job never keeps it alive.
    this.timer.unref();
    if (this.options.runAtStart) this.nudge();
  }

  /** Runs soon, or again right after the run under way. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch((error: unknown) => this.options.log.warn({ err: error }, `${this.options.name} failed; retried at the next interval`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** No more runs; resolves when the run under way (told by `stopping`) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.running;
  }
}
