/**
 * The main thread's side of the webhook thread (webhook.worker.ts): started once any webhook
 * exists (store/sqlite/background-worker.ts), told which conversations changed (coalesced: one
 * message per turn of the event loop, however many changes it committed), its log lines and
 * outcome counts written to the process's.
 */
import { BackgroundWorker } from '../store/sqlite/background-worker.js';
import type { WebhookLog } from './webhook-engine.js';
import type { FromWebhookThread, ToWebhookThread, WebhookThreadData } from './webhook-thread.protocol.js';

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
  private readonly thread: BackgroundWorker<ToWebhookThread, FromWebhookThread>;
  private woken = new Set<string>();

  constructor(private readonly deps: WebhookThreadDeps) {
    this.thread = new BackgroundWorker({
      fromUrl: import.meta.url,
      name: 'webhook.worker',
      workerData: deps.data,
      what: 'webhook thread',
      pollMs: deps.data.settings.pollMs,
      stopWaitMs: STOP_WAIT_MS,
      shouldStart: deps.shouldStart,
      receive: (message) => this.receive(message),
      log: deps.log,
    });
  }

  wake(conversationId: string): void {
    if (!this.thread.running) return;
    if (this.woken.size === 0) {
      setImmediate(() => {
        const conversations = [...this.woken];
        this.woken.clear();
        this.thread.post({ type: 'wake', conversations });
      });
    }
    this.woken.add(conversationId);
  }

  stop(): Promise<void> {
    return this.thread.stop();
  }

  private receive(message: FromWebhookThread): void {
    switch (message.type) {
      case 'log':
        this.deps.log[message.level](message.object, message.message);
        return;
      case 'outcomes':
        if (message.delivered > 0) this.deps.countOutcome?.('delivered', message.delivered);
        if (message.failed > 0) this.deps.countOutcome?.('failed', message.failed);
    }
  }
}
