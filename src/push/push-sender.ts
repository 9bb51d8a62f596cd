/**
 * Sends due deliveries (docs/architecture.md, "The push queue"): at most PUSH_CONCURRENCY
 * requests in flight, at most PUSH_CONCURRENCY_PER_ORIGIN of them to one push service, so a
 * service that hangs (until PUSH_TIMEOUT_MS) or fails holds a few slots and slows nothing else.
 *
 * Outcomes are settled in batches every SETTLE_EVERY_MS, one transaction each, rather than one
 * write per push: on SQLite each commit of the main connection is an fsync taken from the
 * writer's sends. The price: a crash repeats the pushes answered in the last batch's window,
 * with the same payload id, which the service worker drops (docs/API.md, "Web Push").
 */
import type { DeliveryOutcome, DueDelivery, OriginCapacity, PushQueueRepository } from '../domain/ports/push-repository.js';
import { payloadOf, topicOf } from '../domain/push/push-payload.js';
import { outcomeOf } from '../domain/push/push-retry.policy.js';
import type { PushRequestInput } from './push-transport.js';
import type { PushAttempt } from '../domain/push/push-retry.policy.js';

/** What the sender logs (pino's shape). */
export interface PushLog {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface PushSenderDeps {
  queue: Pick<PushQueueRepository, 'claimDue' | 'settle'>;
  send(input: PushRequestInput, signal: AbortSignal): Promise<PushAttempt>;
  authorization(origin: string): string;
  log: PushLog;
  countOutcome?(kind: DeliveryOutcome['kind']): void;
  concurrency: number;
  perOrigin: number;
  timeoutMs: number;
  ttlSeconds: number;
  /** PUSH_COLLAPSE_SECONDS in ms: after a push of a conversation, the next to the same subscription waits this long. */
  collapseMs: number;
  now?: () => number;
}

export const SETTLE_EVERY_MS = 20;
/**
 * A claim lasts twice the request's timeout and this much more, so only a dead (or stalled)
 * process's claims run out; then the push is sent again, as a repeat if it had been delivered.
 */
export const LEASE_MARGIN_MS = 5_000;

type Settled = { delivery: DueDelivery; outcome: DeliveryOutcome };

export class PushSender {
  private readonly now: () => number;
  private readonly perOriginInFlight = new Map<string, number>();
  private readonly active = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private inFlight = 0;
  private filling = false;
  private refill = false;
  private stopped = false;
  private settled: Settled[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PushSenderDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Looks for due deliveries now (coalesced: one claim at a time). */
  kick(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    void this.fill();
  }

  private async fill(): Promise<void> {
    this.filling = true;
    try {
      do {
        this.refill = false;
        const free = this.deps.concurrency - this.inFlight;
        if (free <= 0) break;
        const now = this.now();
        const claimed = await this.deps.queue.claimDue(free, now, now + 2 * this.deps.timeoutMs + LEASE_MARGIN_MS, this.capacity());
        for (const delivery of claimed) this.start(delivery);
      } while (this.refill && !this.stopped);
    } catch (error) {
      this.deps.log.error({ err: error }, 'push: could not claim due deliveries; trying again at the next poll');
    } finally {
      this.filling = false;
    }
  }

  private capacity(): OriginCapacity {
    const { perOrigin } = this.deps;
    const full = [...this.perOriginInFlight].filter(([, n]) => n >= perOrigin).map(([origin]) => origin);
    return { full, of: (origin) => perOrigin - (this.perOriginInFlight.get(origin) ?? 0) };
  }

  private start(delivery: DueDelivery): void {
    this.inFlight++;
    this.perOriginInFlight.set(delivery.origin, (this.perOriginInFlight.get(delivery.origin) ?? 0) + 1);
    const task = this.deliver(delivery)
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'push: a delivery failed unexpectedly; it is retried when its lease ends'))
      .finally(() => {
        this.inFlight--;
        const left = (this.perOriginInFlight.get(delivery.origin) ?? 1) - 1;
        if (left === 0) this.perOriginInFlight.delete(delivery.origin);
        else this.perOriginInFlight.set(delivery.origin, left);
        this.active.delete(task);
        // The freed slot is refilled after the outcome is recorded (flush): one claim per batch of
        // outcomes rather than one per push, each claim being a write. A delivery that failed
        // unexpectedly recorded nothing, so it refills now.
        if (!this.flushTimer) this.kick();
      });
    this.active.add(task);
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const ttlMs = this.deps.ttlSeconds * 1000;
    const started = this.now();
    let outcome: DeliveryOutcome;
    if (delivery.message === null) outcome = { kind: 'dropped', error: 'the message was deleted' };
    else if (delivery.expires_at !== null && Date.parse(delivery.expires_at) <= started) outcome = { kind: 'gone' };
    else if (started > delivery.queued_at + ttlMs) outcome = { kind: 'dropped', error: 'older than its TTL' };
    else {
      const payload = JSON.stringify(payloadOf({ ...delivery, message: delivery.message }));
      const attempt = await this.deps.send(
        {
          endpoint: delivery.endpoint,
          p256dh: delivery.p256dh,
          auth: delivery.auth,
          payload,
          ttlSeconds: this.deps.ttlSeconds,
          urgency: delivery.urgent ? 'high' : 'normal',
          topic: topicOf(delivery.conversation_id),
          authorization: this.deps.authorization(delivery.origin),
        },
        this.abort.signal,
      );
      outcome = outcomeOf(attempt, { attempts: delivery.attempts, queued_at: delivery.queued_at, ttlMs, now: this.now() });
    }
    this.report(delivery, outcome);
    this.settled.push({ delivery, outcome });
    this.flushTimer ??= setTimeout(() => void this.flush(), SETTLE_EVERY_MS);
  }

  private report(d: DueDelivery, outcome: DeliveryOutcome): void {
    this.deps.countOutcome?.(outcome.kind);
    const where = { delivery: d.id, subscription: d.subscription_id, origin: d.origin, attempts: d.attempts };
    if (outcome.kind === 'dropped') this.deps.log.warn({ ...where, reason: outcome.error }, 'push: dropped a push');
    else if (outcome.kind === 'gone') this.deps.log.info(where, 'push: the subscription is gone (404/410 or expired); removed it');
    else if (outcome.kind === 'retry') this.deps.log.debug({ ...where, reason: outcome.error, at: new Date(outcome.at).toISOString() }, 'push: will retry');
  }

  /** Writes the outcomes gathered so far; one write at a time. */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.settled;
    this.settled = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        const now = this.now();
        await this.deps.queue.settle(batch, now, now + this.deps.collapseMs);
      } catch (error) {
        this.deps.log.error({ err: error, deliveries: batch.length }, 'push: could not record outcomes; those pushes are retried when their leases end');
      }
      this.kick();
    });
    return this.flushing;
  }

  /** Aborts requests in flight (they are retried later, possibly as repeats), records every outcome, and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled([...this.active]);
    await this.flush();
  }
}
