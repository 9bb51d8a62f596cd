/**
 * The sender's bounds (src/push/push-sender.ts) on a fake queue and a fake push service: never
 * more than PUSH_CONCURRENCY requests, never more than PUSH_CONCURRENCY_PER_ORIGIN to one
 * service, so one that hangs leaves the others their slots; outcomes reach the queue in batches.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome, DueDelivery, OriginCapacity } from '../../../src/domain/ports/push-repository.js';
import type { PushAttempt } from '../../../src/domain/push/push-retry.policy.js';
import { PushSender } from '../../../src/push/push-sender.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function due(i: number, origin: string): DueDelivery {
  return {
    id: `d${i}`, subscription_id: `s${i}`, conversation_id: `c${i}`, message_id: `m${i}`, user_id: 'u', endpoint: `${origin}/${i}`, origin, p256dh: '', auth: '',
    expires_at: null, mention: false, urgent: false, preview: true, attempts: 1, queued_at: Date.now(), lease_until: 0,
    message: { seq: 1, content: 'x', sender_id: 'a', sender_username: 'a', created_at: new Date().toISOString(), thread_root_id: null, conversation_title: 't' },
  };
}

/** A queue of due deliveries that honours the capacity it is given, as the SQL one does. */
class FakeQueue {
  readonly settled: { delivery: DueDelivery; outcome: DeliveryOutcome }[] = [];
  settleCalls = 0;
  constructor(private readonly waiting: DueDelivery[]) {}
  async claimDue(limit: number, _now: number, _lease: number, capacity: OriginCapacity): Promise<DueDelivery[]> {
    const taken = new Map<string, number>();
    const claimed: DueDelivery[] = [];
    for (const d of [...this.waiting]) {
      if (claimed.length >= limit || capacity.full.includes(d.origin) || (taken.get(d.origin) ?? 0) >= capacity.of(d.origin)) continue;
      taken.set(d.origin, (taken.get(d.origin) ?? 0) + 1);
      claimed.push(d);
      this.waiting.splice(this.waiting.indexOf(d), 1);
    }
    return claimed;
  }
  async settle(outcomes: readonly { delivery: DueDelivery; outcome: DeliveryOutcome }[]): Promise<void> {
    this.settleCalls++;
    this.settled.push(...outcomes);
  }
}

describe('PushSender', () => {
  it('keeps within its concurrency and per-service bounds, and a hanging service does not hold the others back', async () => {
    const queue = new FakeQueue([...Array.from({ length: 10 }, (_, i) => due(i, 'https://slow.example')), ...Array.from({ length: 20 }, (_, i) => due(100 + i, 'https://fast.example'))]);
    const inFlight = new Map<string, number>();
    let most = 0;
    const mostPerOrigin = new Map<string, number>();
    const hung: (() => void)[] = [];
    const sender = new PushSender({
      queue,
      send: async (input, signal) => {
        const origin = new URL(input.endpoint).origin;
        inFlight.set(origin, (inFlight.get(origin) ?? 0) + 1);
        most = Math.max(most, [...inFlight.values()].reduce((a, b) => a + b, 0));
        mostPerOrigin.set(origin, Math.max(mostPerOrigin.get(origin) ?? 0, inFlight.get(origin)!));
        const result = await new Promise<PushAttempt>((resolve) => {
          const answer = () => resolve({ kind: 'answered', status: 201, retryAfter: null });
          if (origin === 'https://slow.example') {
            hung.push(answer);
            signal.addEventListener('abort', () => resolve({ kind: 'failed', error: 'aborted' }));
          } else setTimeout(answer, 1);
        });
        inFlight.set(origin, inFlight.get(origin)! - 1);
        return result;
      },
      authorization: () => 'vapid t=x, k=y',
      log: silent,
      concurrency: 4,
      perOrigin: 2,
      timeoutMs: 10_000,
      ttlSeconds: 86_400,
      collapseMs: 0,
    });
    sender.kick();
    const deadline = Date.now() + 3000;
    while (queue.settled.filter((s) => s.delivery.origin === 'https://fast.example').length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(queue.settled.filter((s) => s.outcome.kind === 'delivered')).toHaveLength(20);
    expect(most).toBeLessThanOrEqual(4);
    expect(mostPerOrigin.get('https://slow.example')).toBe(2);
    expect(mostPerOrigin.get('https://fast.example')).toBeLessThanOrEqual(2);
    // Outcomes are written in batches, not one write per push.
    expect(queue.settleCalls).toBeLessThan(20);
    await sender.stop();
    expect(queue.settled.filter((s) => s.delivery.origin === 'https://slow.example').map((s) => s.outcome.kind)).toEqual(['retry', 'retry']);
    expect(hung).toHaveLength(2);
  });

  it('drops a delivery whose message was deleted and removes an expired subscription, without sending', async () => {
    const deleted = { ...due(1, 'https://a.example'), message: null };
    const expired = { ...due(2, 'https://a.example'), expires_at: new Date(Date.now() - 1000).toISOString() };
    const queue = new FakeQueue([deleted, expired]);
    let sent = 0;
    const sender = new PushSender({ queue, send: async () => (sent++, { kind: 'answered', status: 201, retryAfter: null }), authorization: () => '', log: silent, concurrency: 4, perOrigin: 2, timeoutMs: 1000, ttlSeconds: 60, collapseMs: 0 });
    sender.kick();
    const deadline = Date.now() + 2000;
    while (queue.settled.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await sender.stop();
    expect(sent).toBe(0);
    expect(Object.fromEntries(queue.settled.map((s) => [s.delivery.id, s.outcome.kind]))).toEqual({ d1: 'dropped', d2: 'gone' });
  });
});
