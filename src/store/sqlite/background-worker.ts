/**
 * A worker thread doing a process's background work (the push thread, the webhook thread):
 * started once `shouldStart` says there is work (asked every `pollMs` until then: a server with
 * nothing of the kind never pays for a thread, its start or its memory), started again a second
 * after it dies (their queues are in the database, so nothing is lost), and stopped by asking it
 * to finish (`{ type: 'stop' }`, answered `{ type: 'stopped' }`) within `stopWaitMs`.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './module-worker.js';

const RESTART_DELAY_MS = 1_000;

export interface BackgroundWorkerOptions<From> {
  /** The caller's `import.meta.url` and the worker module's name beside it (module-worker.ts). */
  fromUrl: string;
  name: string;
  workerData: unknown;
  /** What the thread is, in log lines ("push thread"). */
  what: string;
  pollMs: number;
  stopWaitMs: number;
  shouldStart(): Promise<boolean>;
  /** Every message but `stopped`. */
  receive(message: From): void;
  log: { error(obj: object, msg: string): void };
}

export class BackgroundWorker<To extends object, From extends { type: string }> {
  private worker: Worker | null = null;
  private stopping = false;
  private stopped: (() => void) | null = null;
  private checking = false;
  private lastCheck = 0;
  private readonly idlePoll: NodeJS.Timeout;

  constructor(private readonly options: BackgroundWorkerOptions<From>) {
    this.idlePoll = setInterval(() => this.startIfWork(), options.pollMs);
    this.idlePoll.unref();
    this.startIfWork();
  }

  get running(): boolean {
    return this.worker !== null && !this.stopping;
  }

  /** When it last asked whether to start (epoch ms). */
  get lastLooked(): number {
    return this.lastCheck;
  }

  post(message: To): void {
    this.worker?.postMessage(message);
  }

  /** Looks for work now (unless a look is under way), and starts the thread if there is some. */
  startIfWork(): void {
    if (this.worker || this.stopping || this.checking) return;
    this.checking = true;
    this.lastCheck = Date.now();
    this.options
      .shouldStart()
      .then(
        (work) => {
          if (!work || this.worker || this.stopping) return;
          clearInterval(this.idlePoll);
          this.worker = this.start();
        },
        (error: unknown) => this.options.log.error({ err: error }, `could not look for work for the ${this.options.what}; looking again at the next poll`),
      )
      .finally(() => (this.checking = false));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.idlePoll);
    const worker = this.worker;
    if (!worker) return;
    const done = new Promise<void>((resolve) => {
      this.stopped = resolve;
      setTimeout(resolve, this.options.stopWaitMs).unref();
    });
    worker.postMessage({ type: 'stop' });
    await done;
    await worker.terminate();
  }

  private start(): Worker {
    const { what } = this.options;
    const worker = startModuleWorker(this.options.fromUrl, this.options.name, { workerData: this.options.workerData });
    worker.on('message', (message: From) => {
      if (message.type === 'stopped') this.stopped?.();
      else this.options.receive(message);
    });
    worker.on('error', (error) => this.options.log.error({ err: error }, `the ${what} failed`));
    worker.on('exit', (code) => {
      if (this.stopping) return this.stopped?.();
      this.options.log.error({ code }, `the ${what} exited; starting it again in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => {
        if (!this.stopping) this.worker = this.start();
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  }
}
