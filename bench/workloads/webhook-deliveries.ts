/**
 * Webhook deliveries per second to one fast receiver on loopback (issue #20, Performance): one
 * user owns C conversations, each with one webhook (message.created) to a sink in the runner
 * that answers 204 at once (lib/webhook-sink.ts). The load generator sends E messages over
 * HTTP, spread round-robin over the conversations, as fast as the server answers with a
 * bounded number in flight; the figure is E over the time from the first send until the sink
 * has every event's delivery. Per delivery, its delay: arrival at the sink minus the event's
 * created_at. Each round makes its own user, conversations, webhooks and sink, after an
 * untimed warm-up on them (the engine opens a new webhook's lanes at its next poll).
 */
import type { PopulateResult, HttpRequestSpec } from '../lib/protocol.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { createConversations, createUsers } from '../lib/setup.js';
import { LatencyRecorder, round, type Percentiles } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import { subscribeConversations, WebhookSink, type WebhookSinkTotals } from '../lib/webhook-sink.js';
import type { BenchContext } from './context.js';

export interface WebhookDeliveriesOptions {
  conversations: number;
  messages: number;
  warmupMessages: number;
  /** Sends in flight at once (the generator's populate). */
  sendConcurrency: number;
  /** Stop waiting when no delivery has come for this long. */
  idleMs: number;
}

export function webhookDeliveriesOptions(quick: boolean): WebhookDeliveriesOptions {
  return { conversations: 10, messages: quick ? 1000 : 5000, warmupMessages: quick ? 100 : 300, sendConcurrency: 16, idleMs: 10_000 };
}

export interface WebhookDeliveriesResult {
  workload: 'webhook-deliveries';
  target: string;
  options: WebhookDeliveriesOptions;
  /** Sends answered 201, and failed. */
  sent: number;
  sendErrors: number;
  sendErrorSamples: string[];
  /** From the first send to the last answer, and sends per second over it. */
  sendMs: number;
  sendsPerSecond: number;
  /** From the first send until the last new delivery arrived. */
  elapsedMs: number;
  /** Unique deliveries (new webhook-ids) over elapsedMs: the figure. */
  deliveriesPerSecond: number;
  /** From the last send's answer to the last delivery: how far delivery lagged behind sending. */
  tailMs: number;
  /** The measured phase at the sink (the warm-up not included). */
  sink: WebhookSinkTotals;
  /** Arrival at the sink minus the event's created_at, per unique delivery (ms). */
  delay: Percentiles;
  /** Cores over the phase: the server's process tree, and the runner (the sink). */
  serverCpu: number;
  runnerCpu: number;
  setupMs: number;
}

/** E posts, round-robin over the conversations, each a new message. */
function sends(conversations: { id: string }[], token: string, count: number, label: string): HttpRequestSpec[] {
  return Array.from({ length: count }, (_, m) => ({
    path: `/conversations/${conversations[m % conversations.length]!.id}/messages`,
    token,
    body: { message_id: crypto.randomUUID(), content: `${label} ${m} `.padEnd(64, 'x') },
  }));
}

/** Subtracts counters taken before the phase from those after it. */
function phaseTotals(after: WebhookSinkTotals, before: WebhookSinkTotals): WebhookSinkTotals {
  return {
    received: after.received - before.received,
    unique: after.unique - before.unique,
    repeats: after.repeats - before.repeats,
    outOfOrder: after.outOfOrder - before.outOfOrder,
    malformed: after.malformed - before.malformed,
  };
}

export async function runWebhookDeliveries(ctx: BenchContext, target: RunningTarget, options: WebhookDeliveriesOptions): Promise<WebhookDeliveriesResult> {
  const setupStarted = Date.now();
  const sink = await WebhookSink.start();
  try {
    const [owner] = await createUsers(target.baseUrl, 1, 'wh');
    const conversations = await createConversations(target.baseUrl, [owner!], Array.from({ length: options.conversations }, () => ({ members: [0] })));
    if (!(await subscribeConversations(sink, target.baseUrl, [owner!], conversations, 1))) throw new Error('POST /webhooks answered 404: this build has no webhooks');
    const post = (requests: HttpRequestSpec[]) => ctx.generator.send<PopulateResult>({ cmd: 'populate', baseUrl: target.baseUrl, requests, concurrency: options.sendConcurrency });

    const warm = await post(sends(conversations, owner!.token, options.warmupMessages, 'warm-up'));
    if (warm.failed > 0) throw new Error(`warm-up: ${warm.failed} sends failed: ${warm.errors.join('; ')}`);
    if (!(await sink.waitForUnique(warm.ok, options.idleMs))) throw new Error(`warm-up: ${sink.unique} of ${warm.ok} deliveries arrived`);
    const setupMs = Date.now() - setupStarted;

    const requests = sends(conversations, owner!.token, options.messages, 'webhook');
    const before = sink.totals();
    sink.delays = new LatencyRecorder();
    const cpuBefore = treeCpuSeconds(target.pid);
    const runnerBefore = process.cpuUsage();
    const started = performance.now();
    const sent = await post(requests);
    const sendMs = performance.now() - started;
    await sink.waitForUnique(before.unique + sent.ok, options.idleMs);
    const elapsedMs = Math.max(sendMs, sink.lastUniqueAt - started);
    const serverCpu = round((treeCpuSeconds(target.pid) - cpuBefore) / (elapsedMs / 1000), 3);
    const runner = process.cpuUsage(runnerBefore);
    const totals = phaseTotals(sink.totals(), before);

    const result: WebhookDeliveriesResult = {
      workload: 'webhook-deliveries',
      target: target.kind,
      options,
      sent: sent.ok,
      sendErrors: sent.failed,
      sendErrorSamples: sent.errors.slice(0, 5),
      sendMs: round(sendMs, 0),
      sendsPerSecond: round(sent.ok / (sendMs / 1000), 0),
      elapsedMs: round(elapsedMs, 0),
      deliveriesPerSecond: round(totals.unique / (elapsedMs / 1000), 0),
      tailMs: round(Math.max(0, elapsedMs - sendMs), 0),
      sink: totals,
      delay: sink.delays.percentiles(),
      serverCpu,
      // The sink's work: the sends are the generator's, in its own process.
      runnerCpu: round((runner.user + runner.system) / 1000 / elapsedMs, 3),
      setupMs,
    };
    const d = result.delay;
    ctx.log(`  ${result.deliveriesPerSecond} deliveries/s (${totals.unique} of ${sent.ok} in ${(elapsedMs / 1000).toFixed(1)} s; sends ${result.sendsPerSecond}/s, last delivery ${result.tailMs} ms after the last send), delay p50 / p99 ${d.p50} / ${d.p99} ms, ${totals.repeats} repeats, ${totals.outOfOrder} out of order; server ${serverCpu} cores, runner ${result.runnerCpu}`);
    return result;
  } finally {
    await sink.close();
  }
}
