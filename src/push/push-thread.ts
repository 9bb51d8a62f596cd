/**
 * The main thread's side of the push thread (push.worker.ts): starts it once anyone has a push
 * subscription, or push work is queued (a server nobody subscribed on never starts it: a thread
 * costs its start and its memory). Not at the first message that needs a push: starting takes a
 * few hundred milliseconds of CPU, which would land on that moment's sends; a subscription is
 * found at start or by the poll, usually long before the first message that needs it. Then it
 * tells the thread of sends, answers its questions about recipients (presence and settings live
 * here), and writes its log lines and outcome counts to the process's. A thread that dies is
 * started again: the queue is in the database, so nothing is lost, and what it had claimed is
 * taken again when the claims run out.
 */
import type { Worker } from 'node:worker_threads';
import type { DeliveryOutcome } from '../domain/ports/push-repository.js';
import { startModuleWorker } from '../store/sqlite/module-worker.js';
import type { PushEngine } from './push-engine.js';
import type { PushLog } from './push-sender.js';
import type { FromPushThread, PushThreadData, ToPushThread } from './push-thread.protocol.js';
import type { RecipientDecider } from './recipient-decider.js';

const RESTART_DELAY_MS = 1_000;
/** How long stopping waits for pushes in flight to be recorded (they end at PUSH_TIMEOUT_MS, or at the abort). */
const STOP_WAIT_MS = 10_000;

/** Before the thread runs, a send looks for push work at most this often. */
const WAKE_CHECK_MS = 100;

export interface PushThreadDeps {
  data: PushThreadData;
  /** Whether anyone has subscribed or the queue holds anything, asked until so: then the thread starts. */
  shouldStart(): Promise<boolean>;
  decide: RecipientDecider;
  log: PushLog;
  countOutcome?(kind: DeliveryOutcome['kind'], count?: number): void;
}

export class PushThread implements PushEngine {
  private worker: Worker | null = null;
  private wakePending = false;
  private stopping = false;
  private stopped: (() => void) | null = null;
  private checking = false;
  private lastCheck = 0;
  private readonly idlePoll: NodeJS.Timeout;

  constructor(private readonly deps: PushThreadDeps) {
    this.idlePoll = setInterval(() => this.startIfWork(), deps.data.settings.pollMs);
    this.idlePoll.unref();
    this.startIfWork();
  }

  wakeSoon(): void {
    if (this.stopping) return;
    if (!this.worker) {
      // The message may be the first with a push; the thread, once started, drains what is queued.
      if (Date.now() - this.lastCheck >= WAKE_CHECK_MS) this.startIfWork();
      return;
    }
    // One wake per turn of the event loop, however many sends it acknowledged.
    if (this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.post({ type: 'wake' });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.idlePoll);
    const worker = this.worker;
    if (!worker) return;
    const done = new Promise<void>((resolve) => {
      this.stopped = resolve;
      setTimeout(resolve, STOP_WAIT_MS).unref();
    });
    this.post({ type: 'stop' });
    await done;
    await worker.terminate();
  }

  private startIfWork(): void {
    if (this.worker || this.stopping || this.checking) return;
    this.checking = true;
    this.lastCheck = Date.now();
    this.deps
      .shouldStart()
      .then(
        (work) => {
          if (!work || this.worker || this.stopping) return;
          clearInterval(this.idlePoll);
          this.worker = this.start();
        },
        (error: unknown) => this.deps.log.error({ err: error }, 'push: could not look for queued pushes; looking again at the next poll'),
      )
      .finally(() => (this.checking = false));
  }

  private start(): Worker {
    const worker = startModuleWorker(import.meta.url, 'push.worker', { workerData: this.deps.data });
    worker.on('message', (message: FromPushThread) => this.receive(message));
    worker.on('error', (error) => this.deps.log.error({ err: error }, 'push: the push thread failed'));
    worker.on('exit', (code) => {
      if (this.stopping) return this.stopped?.();
      this.deps.log.error({ code }, `push: the push thread exited; starting it again in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => {
        if (!this.stopping) this.worker = this.start();
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  }

  private post(message: ToPushThread): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromPushThread): void {
    switch (message.type) {
      case 'decide':
        this.deps.decide(message.messages, new Date(message.at)).then(
          (recipients) => this.post({ type: 'decided', id: message.id, recipients }),
          (error: unknown) => this.post({ type: 'decided', id: message.id, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'log':
        this.deps.log[message.level](message.object, message.message);
        return;
      case 'outcomes':
        for (const [kind, count] of Object.entries(message.counts) as Array<[DeliveryOutcome['kind'], number]>) this.deps.countOutcome?.(kind, count);
        return;
      case 'stopped':
        this.stopped?.();
    }
  }
}
