/**
 * The main thread's side of the webhook thread (webhook.worker.ts): starts it once any webhook
 * exists (a server with none never pays for a thread), tells it which conversations changed
 * (coalesced: one message per turn of the event loop, however many changes it committed), and
 * writes its log lines and outcome counts to the process's. A thread that dies is started
 * again: the queue is the change feed, and what it had leased is taken again when the leases end.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../store/sqlite/module-worker.js';
import type { WebhookLog } from './webhook-engine.js';
import type { FromWebhookThread, ToWebhookThread, WebhookThreadData } from './webhook-thread.protocol.js';

const RESTART_DELAY_MS = 1_000;
/** How long stopping waits for deliveries in flight to be written (they end at WEBHOOK_TIMEOUT_MS). */
const STOP_WAIT_MS = 15_000;

export interface WebhookThreadDeps {
  data: WebhookThreadData;
  /** Whether any webhook exists, asked every poll until so: then the thread starts. */
  shouldStart(): Promise<boolean>;
  log: WebhookLog;
  countOutcome?(outcome: 'delivered' | 'failed', count: number): void;
}

export class WebhookThread {
  private worker: Worker | null = null;
  private woken = new Set<string>();
  private stopping = false;
  private stopped: (() => void) | null = null;
  private checking = false;
  private readonly idlePoll: NodeJS.Timeout;

  constructor(private readonly deps: WebhookThreadDeps) {
    this.idlePoll = setInterval(() => this.startIfWork(), deps.data.settings.pollMs);
    this.idlePoll.unref();
    this.startIfWork();
  }

  wake(conversationId: string): void {
    if (this.stopping || !this.worker) return;
    if (this.woken.size === 0) {
      setImmediate(() => {
        const conversations = [...this.woken];
        this.woken.clear();
        this.post({ type: 'wake', conversations });
      });
    }
    this.woken.add(conversationId);
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
    this.deps
      .shouldStart()
      .then(
        (work) => {
          if (!work || this.worker || this.stopping) return;
          clearInterval(this.idlePoll);
          this.worker = this.start();
        },
        (error: unknown) => this.deps.log.error({ err: error }, 'webhooks: could not look for webhooks; looking again at the next poll'),
      )
      .finally(() => (this.checking = false));
  }

  private start(): Worker {
    const worker = startModuleWorker(import.meta.url, 'webhook.worker', { workerData: this.deps.data });
    worker.on('message', (message: FromWebhookThread) => this.receive(message));
    worker.on('error', (error) => this.deps.log.error({ err: error }, 'webhooks: the webhook thread failed'));
    worker.on('exit', (code) => {
      if (this.stopping) return this.stopped?.();
      this.deps.log.error({ code }, `webhooks: the webhook thread exited; starting it again in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => {
        if (!this.stopping) this.worker = this.start();
      }, RESTART_DELAY_MS).unref();
    });
    return worker;
  }

  private post(message: ToWebhookThread): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromWebhookThread): void {
    switch (message.type) {
      case 'log':
        this.deps.log[message.level](message.object, message.message);
        return;
      case 'outcomes':
        if (message.delivered > 0) this.deps.countOutcome?.('delivered', message.delivered);
        if (message.failed > 0) this.deps.countOutcome?.('failed', message.failed);
        return;
      case 'stopped':
        this.stopped?.();
    }
  }
}
