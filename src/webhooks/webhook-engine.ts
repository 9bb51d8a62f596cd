/**
 * Delivers the webhook queue in one process (docs/architecture.md, "Outgoing webhooks").
 *
 * A lane (webhook × conversation) is leased, then walked: each event after its cursor that the
 * webhook subscribed to is sent and waited for before the next, so a receiver sees a
 * conversation's events in event_seq order; events of other types only move the cursor. The
 * lane's progress (the log rows, the cursor, the lease extended or released) is written at most
 * every 20 ms while it sends and at the end of each page of events, so a crash repeats at most
 * that much, under the same webhook-ids; a failure schedules the lane's head for a retry and
 * releases the lane. At most `concurrency`
 * lanes are in flight, and at most `perEndpoint` of one webhook, so a slow receiver holds its
 * own slots and nobody else's.
 *
 * Woken soon after a local change to a conversation that has lanes, and by a poll every
 * `pollMs` (changes committed by other processes, lanes to open or close, work a crash left,
 * redeliveries asked for through the API).
 */
import type { ConversationEvent } from '@pneumatic/protocol';
import type { ChangeFeedRepository } from '../domain/ports/change-feed-repository.js';
import type { AttemptRecord, ClaimedLane, ClaimedRedelivery, WebhookQueue, WebhookTarget } from '../domain/ports/webhook-repository.js';
import { webhookDeliveryId } from '../domain/webhooks/delivery-id.js';
import { afterFailure, type WebhookRetrySettings } from '../domain/webhooks/webhook-retry.policy.js';
import { ProgressWriter } from './progress-writer.js';
import type { SendWebhook } from './webhook-sender.js';

export interface WebhookEngineSettings {
  concurrency: number;
  perEndpoint: number;
  timeoutMs: number;
  pollMs: number;
  retry: WebhookRetrySettings;
  logRetentionMs: number;
}

export interface WebhookLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WebhookEngineDeps {
  settings: WebhookEngineSettings;
  queue: WebhookQueue;
  feed: Pick<ChangeFeedRepository, 'eventsAfter'>;
  send: SendWebhook;
  log: WebhookLog;
  /** Signs upload links in a body, as every JSON answer's are. */
  signUrls?: (json: string) => string;
  /** Counts outcomes for /metrics. */
  countOutcome?: (outcome: 'delivered' | 'failed') => void;
}

/** Events read per page of a lane. */
const PAGE = 50;
/** A woken engine waits this long, so a burst of sends is one round. */
const WAKE_DELAY_MS = 10;
const PRUNE_EVERY_MS = 3_600_000;
/** Lanes' progress is written (for all of them at once) this often while they send. */
const PROGRESS_MS = 20;

export function webhookBody(webhookId: string, event: ConversationEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.created_at, webhook_id: webhookId, data: event });
}

export class WebhookEngine {
  private readonly lanes = new Set<Promise<void>>();
  private readonly perWebhook = new Map<string, number>();
  private pollTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDue = 0;
  private rounds: Promise<void> | null = null;
  private roundAgain = false;
  private stopped = false;
  /** Conversations that have lanes (from the last poll): a change elsewhere wakes nothing. */
  private covered = new Set<string>();
  private wakes = 0;
  private lastPrune = 0;

  private readonly writer: ProgressWriter;

  constructor(private readonly deps: WebhookEngineDeps) {
    this.writer = new ProgressWriter(deps.queue, (error) => deps.log.error({ err: error }, 'writing webhook progress failed; those deliveries are repeated when their leases end'), PROGRESS_MS);
  }

  start(): void {
    this.pollTimer = setInterval(() => void this.poll(), this.deps.settings.pollMs);
    this.pollTimer.unref();
    void this.poll();
  }

  /** A change to `conversationId` committed here: its lanes are looked at soon. */
  wake(conversationId: string): void {
    if (this.stopped || !this.covered.has(conversationId)) return;
    this.wakes++;
    this.wakeSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.rounds;
    await Promise.allSettled([...this.lanes]);
    await this.writer.close();
  }

  private wakeSoon(): void {
    if (this.wakeTimer || this.stopped) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.round();
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  /** Wakes this process when a retry it scheduled is due, rather than at the next poll after. */
  private retryAt(at: number): void {
    if (this.stopped || (this.retryTimer && this.retryDue <= at)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryDue = at;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.round();
    }, Math.max(0, at - Date.now()));
    this.retryTimer.unref();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    try {
      if (!(await this.deps.queue.any())) return;
      this.covered = await this.deps.queue.syncLanes(now);
      await this.redeliver(now);
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = now;
        const removed = await this.deps.queue.pruneLog(now - this.deps.settings.logRetentionMs);
        if (removed > 0) this.deps.log.info({ removed }, 'webhook delivery log pruned');
      }
    } catch (error) {
      this.deps.log.warn({ err: error }, 'webhook poll failed; tried again at the next one');
    }
    this.round();
  }

  /** Claims as many due lanes as there are free slots; one round at a time. */
  private round(): void {
    if (this.stopped) return;
    if (this.rounds) {
      this.roundAgain = true;
      return;
    }
    this.rounds = (async () => {
      do {
        this.roundAgain = false;
        await this.claim();
      } while (this.roundAgain && !this.stopped);
    })()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'claiming webhook lanes failed; tried again at the next poll'))
      .finally(() => {
        this.rounds = null;
      });
  }

  private async claim(): Promise<void> {
    const { concurrency, perEndpoint, timeoutMs } = this.deps.settings;
    const free = concurrency - this.lanes.size;
    if (free <= 0) return;
    const now = Date.now();
    const full = [...this.perWebhook].filter(([, n]) => n >= perEndpoint).map(([id]) => id);
    const claimed = await this.deps.queue.claimLanes(free, now, now + leaseMs(timeoutMs), {
      full,
      of: (id) => perEndpoint - (this.perWebhook.get(id) ?? 0),
    });
    for (const lane of claimed) this.run(lane);
  }

  private run(lane: ClaimedLane): void {
    const id = lane.webhook_id;
    this.perWebhook.set(id, (this.perWebhook.get(id) ?? 0) + 1);
    const wakesAtStart = this.wakes;
    const running: Promise<void> = this.walk(lane)
      .catch((error: unknown) => this.deps.log.error({ err: error, webhook: id, conversation: lane.conversation_id }, 'a webhook lane failed; its lease ends and it is taken again'))
      .finally(() => {
        this.lanes.delete(running);
        const left = (this.perWebhook.get(id) ?? 1) - 1;
        if (left === 0) this.perWebhook.delete(id);
        else this.perWebhook.set(id, left);
        // A slot is free: another lane may take it, and a change that came while this one ran may be waiting.
        if (this.wakes !== wakesAtStart || claimedAll(this.lanes.size, this.deps.settings.concurrency)) this.wakeSoon();
      });
    this.lanes.add(running);
  }

  /** Sends the lane's events in order until it is caught up, a send fails, the lease is lost, or the engine stops. */
  private async walk(lane: ClaimedLane): Promise<void> {
    const { retry } = this.deps.settings;
    let cursor = lane.delivered_event_seq;
    let lost = false;
    const keep = (delivered: AttemptRecord[]) => {
      void this.writer.write(lane, cursor, delivered, this.leaseFromNow()).then((held) => {
        if (!held) lost = true;
      });
    };
    for (;;) {
      const page = await this.deps.feed.eventsAfter(lane.conversation_id, cursor, PAGE);
      const delivered: AttemptRecord[] = [];
      const first = page.events[0];
      if (first && first.event_seq > cursor + 1) {
        this.deps.log.warn({ webhook: lane.webhook_id, conversation: lane.conversation_id, from: cursor + 1, to: first.event_seq - 1 }, 'webhook events skipped: compacted before they were delivered (EVENT_RETENTION_DAYS)');
      }
      let lastWrite = Date.now();
      for (const event of page.events) {
        if (this.stopped || lost) break;
        if (!lane.webhook.event_types.has(event.type)) {
          cursor = event.event_seq;
          continue;
        }
        const record = await this.send(lane.webhook, event);
        if (record.ok) {
          delivered.push(record);
          cursor = event.event_seq;
          // The next event is a new head: its failures are counted from none.
          lane.attempts = 0;
          lane.head_failing_since = null;
          lane.webhook.failing_since = null;
          // Progress is queued every PROGRESS_MS while a page is sent: a crash repeats at most what was delivered since.
          if (record.at - lastWrite >= PROGRESS_MS) {
            keep(delivered.splice(0));
            lastWrite = record.at;
          }
          continue;
        }
        // The progress so far first (and the lease as it then is), then the failure.
        if (!(await this.writer.write(lane, cursor, delivered, this.leaseFromNow()))) return;
        const decision = afterFailure(record.at, lane.attempts + 1, lane.webhook.failing_since, lane.head_failing_since, retry);
        await this.deps.queue.fail(lane, cursor, { attempt: record, next_attempt_at: decision.nextAttemptAt, disable: decision.disable });
        if (decision.disable) this.deps.log.warn({ webhook: lane.webhook.id }, 'webhook disabled: every delivery failed for the disable period');
        else this.retryAt(decision.nextAttemptAt ?? Date.now());
        return;
      }
      if (lost) return;
      if (!page.has_more || this.stopped) {
        await this.writer.write(lane, cursor, delivered, null);
        return;
      }
      keep(delivered);
    }
  }

  private leaseFromNow(): number {
    return Date.now() + leaseMs(this.deps.settings.timeoutMs);
  }

  /** Deliveries asked for again through the API: one more attempt each, beside their lanes. */
  private async redeliver(now: number): Promise<void> {
    const claimed = await this.deps.queue.claimRedeliveries(this.deps.settings.concurrency, now, now + leaseMs(this.deps.settings.timeoutMs));
    await Promise.all(claimed.map((redelivery) => this.redeliverOne(redelivery)));
  }

  private async redeliverOne(redelivery: ClaimedRedelivery): Promise<void> {
    const page = await this.deps.feed.eventsAfter(redelivery.conversation_id, redelivery.event_seq - 1, 1);
    const event = page.events[0];
    if (!event || event.event_seq !== redelivery.event_seq) {
      const at = Date.now();
      const gone: AttemptRecord = {
        webhook_id: redelivery.webhook.id,
        delivery_id: redelivery.id,
        conversation_id: redelivery.conversation_id,
        event_seq: redelivery.event_seq,
        event_type: redelivery.event_type,
        ok: false,
        response_status: null,
        error: 'event_expired',
        latency_ms: 0,
        at,
      };
      await this.deps.queue.settleRedelivery(redelivery, gone);
      return;
    }
    await this.deps.queue.settleRedelivery(redelivery, await this.send(redelivery.webhook, event));
  }

  /** One attempt at the event, signed with the webhook's secrets; what became of it, for the log. */
  private async send(webhook: WebhookTarget, event: ConversationEvent): Promise<AttemptRecord> {
    const json = webhookBody(webhook.id, event);
    const body = this.deps.signUrls ? this.deps.signUrls(json) : json;
    const id = webhookDeliveryId(webhook.id, event.conversation_id, event.event_seq);
    const outcome = await this.deps.send({ url: webhook.url, secrets: webhook.secrets, id, body });
    this.deps.countOutcome?.(outcome.ok ? 'delivered' : 'failed');
    return { webhook_id: webhook.id, delivery_id: id, conversation_id: event.conversation_id, event_seq: event.event_seq, event_type: event.type, ...outcome, at: Date.now() };
  }
}

/** Long enough for a send to finish and its outcome to be written; then another process may take the lane. */
const leaseMs = (timeoutMs: number) => 2 * timeoutMs + 5_000;

const claimedAll = (inFlight: number, concurrency: number) => inFlight + 1 >= concurrency;
