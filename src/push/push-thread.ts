/**
 * The main thread's side of the push thread (push.worker.ts): started once anyone has a push
 * subscription, or push work is queued (store/sqlite/background-worker.ts). Not at the first
 * message that needs a push: starting takes a few hundred milliseconds of CPU, which would land
 * on that moment's sends; a subscription is found at start or by the poll, usually long before
 * the first message that needs it. Then it tells the thread of sends, answers its questions
 * about recipients (presence and settings live here), and writes its log lines and outcome
 * counts to the process's. A thread that dies is started again: the queue is in the database,
 * and what it had claimed is taken again when the claims run out.
 */
import type { DeliveryOutcome } from '../domain/ports/push-repository.js';
import { BackgroundWorker } from '../store/sqlite/background-worker.js';
import type { PushEngine } from './push-engine.js';
import type { PushLog } from './push-sender.js';
import type { FromPushThread, PushThreadData, ToPushThread } from './push-thread.protocol.js';
import type { RecipientDecider } from './recipient-decider.js';

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
  private readonly thread: BackgroundWorker<ToPushThread, FromPushThread>;
  private wakePending = false;

  constructor(private readonly deps: PushThreadDeps) {
    this.thread = new BackgroundWorker({
      fromUrl: import.meta.url,
      name: 'push.worker',
      workerData: deps.data,
      what: 'push thread',
      pollMs: deps.data.settings.pollMs,
      stopWaitMs: STOP_WAIT_MS,
      shouldStart: deps.shouldStart,
      receive: (message) => this.receive(message),
      log: deps.log,
    });
  }

  wakeSoon(): void {
    if (!this.thread.running) {
      // The message may be the first with a push; the thread, once started, drains what is queued.
      if (Date.now() - this.thread.lastLooked >= WAKE_CHECK_MS) this.thread.startIfWork();
      return;
    }
    // One wake per turn of the event loop, however many sends it acknowledged.
    if (this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.thread.post({ type: 'wake' });
    });
  }

  stop(): Promise<void> {
    return this.thread.stop();
  }

  private receive(message: FromPushThread): void {
    switch (message.type) {
      case 'decide':
        this.deps.decide(message.messages, new Date(message.at)).then(
          (recipients) => this.thread.post({ type: 'decided', id: message.id, recipients }),
          (error: unknown) => this.thread.post({ type: 'decided', id: message.id, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'log':
        this.deps.log[message.level](message.object, message.message);
        return;
      case 'outcomes':
        for (const [kind, count] of Object.entries(message.counts) as Array<[DeliveryOutcome['kind'], number]>) this.deps.countOutcome?.(kind, count);
    }
  }
}
