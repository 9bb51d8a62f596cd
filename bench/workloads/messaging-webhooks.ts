/**
 * `--webhooks N` in the messaging workloads: the conversations of this build (target
 * `pneumatic`; never REF's, so `--compare HEAD --webhooks 5` is the same code with and without
 * subscriptions) get N webhooks each, subscribed to message.created, to the runner's loopback
 * sink (lib/webhook-sink.ts). Sends are measured as usual while the server delivers.
 *
 * After each step the runner waits until the sink has the deliveries of the step's messages:
 * a backlog left behind would be delivered during the next step, or while REF is measured on
 * the same core, and charge its cost to the wrong figure. The wait is outside the step (its
 * rate, latencies and CPU are the step's own); how long it took says whether delivery kept up.
 */
import type { ConversationSpec } from '../lib/protocol.js';
import type { BenchUser } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import { activeWebhooks, subscribeConversations } from '../lib/webhook-sink.js';

/** A step's webhook deliveries (new webhook-ids at the sink). */
export interface StepWebhooks {
  /** Acknowledged messages × webhooks per conversation: the deliveries the step called for. */
  expected: number;
  /** Received by the end of the step (its drain included). */
  byStepEnd: number;
  /** Received by the end of the wait after it (more than expected when an unacknowledged send was stored). */
  delivered: number;
  /** From the step's end until the last of them arrived (0 when all were in by then). */
  tailMs: number;
}

/**
 * Subscribes a workload's conversations when --webhooks is on and the target is this build:
 * the webhooks per conversation, or 0 (none made).
 */
export async function subscribeForWorkload(target: RunningTarget, users: readonly BenchUser[], conversations: readonly ConversationSpec[], log: (text: string) => void): Promise<number> {
  const active = activeWebhooks();
  if (!active || target.kind !== 'pneumatic') return 0;
  const started = Date.now();
  if (!(await subscribeConversations(active.sink, target.baseUrl, users, conversations, active.perConversation))) {
    throw new Error('--webhooks: POST /webhooks answered 404 (this build has no webhooks)');
  }
  log(`  ${active.perConversation} webhooks on each of ${conversations.length} conversations (message.created, loopback sink) in ${Date.now() - started} ms`);
  return active.perConversation;
}

/** Starts counting a step's deliveries; after the step, call the result with its acknowledged messages. */
export function watchStepDeliveries(perConversation: number): (acked: number) => Promise<StepWebhooks> {
  const sink = activeWebhooks()!.sink;
  const before = sink.unique;
  return async (acked) => {
    const stepEnd = performance.now();
    const byStepEnd = sink.unique - before;
    const expected = acked * perConversation;
    // Stops early when nothing has arrived for 3 s: a lane waiting for a retry (5 s and more).
    await sink.waitForUnique(before + expected, 3000);
    const delivered = sink.unique - before;
    const tailMs = byStepEnd >= expected ? 0 : round(Math.max(0, sink.lastUniqueAt - stepEnd), 0);
    return { expected, byStepEnd, delivered, tailMs };
  };
}

/** "1,000 of 1,000 webhook deliveries (998 during the step, the rest 12 ms after)" for the log. */
export function describeStepWebhooks(w: StepWebhooks): string {
  const missing = w.expected - w.delivered;
  return `${w.delivered} of ${w.expected} webhook deliveries${missing > 0 ? ` (⚠ ${missing} missing)` : ''}, ${w.byStepEnd} by the step's end${w.tailMs > 0 ? `, the last ${w.tailMs} ms after it` : ''}`;
}
