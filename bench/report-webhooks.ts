/**
 * The report's webhook parts: the webhook-deliveries table (this build and REF, median
 * (min–max) over rounds, the ratio paired by round), and the note on `--webhooks N` under the
 * main table (what the sink received, and whether this build's deliveries kept up with its sends).
 */
import { spread } from './lib/stats.js';
import type { TargetKind } from './lib/targets.js';
import type { WebhookSinkTotals } from './lib/webhook-sink.js';
import type { BenchReport, Runs } from './report.js';
import { errorOf, failedCell, num, ok, ratioDigits, spreadCell, type Cell } from './report-cells.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { WebhookDeliveriesResult } from './workloads/webhook-deliveries.js';

/** --webhooks N: how many subscriptions this build's messaging conversations had, and what the sink got. */
export interface MessagingWebhooksInfo {
  perConversation: number;
  sink: WebhookSinkTotals;
}

type Result = WebhookDeliveriesResult;

function roundsOf(runs: Runs<Result>, kind: TargetKind): (Result | undefined)[] {
  return (runs[kind] ?? []).map((r) => ok(r));
}

function cell(runs: Runs<Result>, kind: TargetKind, value: (r: Result) => Cell, digits: number): string {
  const s = spread(roundsOf(runs, kind).map((r) => (r ? value(r) : null)));
  if (s) return spreadCell(s, digits);
  const error = (runs[kind] ?? []).map((r) => errorOf(r)).find((e) => e !== undefined);
  return error ? failedCell(error) : '–';
}

/** This build over REF, paired by round. */
function pairedRatio(runs: Runs<Result>, value: (r: Result) => Cell): string {
  const ours = roundsOf(runs, 'pneumatic');
  const theirs = roundsOf(runs, 'ref');
  const paired = ours.map((a, i) => {
    const x = a ? value(a) : null;
    const b = theirs[i];
    const y = b ? value(b) : null;
    return typeof x === 'number' && typeof y === 'number' && y !== 0 ? x / y : null;
  });
  return spreadCell(spread(paired), ratioDigits, '×');
}

/** Sums a count over a target's rounds, "n of m" against what the sends called for. */
function countCell(runs: Runs<Result>, kind: TargetKind, value: (r: Result) => number, expected?: (r: Result) => number): string {
  const rounds = roundsOf(runs, kind).filter((r): r is Result => r !== undefined);
  if (rounds.length === 0) return '–';
  const total = rounds.reduce((n, r) => n + value(r), 0);
  if (!expected) return `${num(total)}${total > 0 ? ' ⚠' : ''}`;
  const wanted = rounds.reduce((n, r) => n + expected(r), 0);
  return `${num(total)} of ${num(wanted)}${total < wanted ? ' ⚠' : ''}`;
}

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderWebhookDeliveries(report: BenchReport): string[] {
  if (!report.options.workloads.includes('webhook-deliveries')) return [];
  const runs = report.webhookDeliveries ?? {};
  const kinds = (['pneumatic', 'ref'] as const).filter((k) => runs[k] !== undefined);
  const first = kinds.flatMap((k) => roundsOf(runs, k)).find((r) => r !== undefined);
  if (!first) {
    const error = kinds.flatMap((k) => runs[k] ?? []).map((r) => errorOf(r)).find((e) => e !== undefined);
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : 'not run';
    return ['', `Webhook deliveries: ${why}`];
  }
  const o = first.options;
  const titles = kinds.map((k) => (k === 'ref' ? `Pneumatic at ${report.compare?.commit.slice(0, 7) ?? 'REF'}` : report.compare ? 'Pneumatic (this build)' : 'Pneumatic'));
  const withRatio = kinds.length === 2;
  const row = (figure: string, value: (r: Result) => Cell, digits = 0) => [figure, ...kinds.map((k) => cell(runs, k, value, digits)), ...(withRatio ? [pairedRatio(runs, value)] : [])];
  const countRow = (figure: string, value: (r: Result) => number, expected?: (r: Result) => number) => [figure, ...kinds.map((k) => countCell(runs, k, value, expected)), ...(withRatio ? ['–'] : [])];
  const rows = [
    row('deliveries per second (first send to last delivery)', (r) => r.deliveriesPerSecond),
    row('sends per second (HTTP, the send phase alone)', (r) => r.sendsPerSecond),
    row('last delivery after the last send answered (ms)', (r) => r.tailMs),
    row('delivery delay p50 (ms)', (r) => r.delay.p50, 1),
    row('delivery delay p99 (ms)', (r) => r.delay.p99, 1),
    row('delivery delay max (ms)', (r) => r.delay.max, 1),
    countRow('events delivered (unique webhook-ids), all rounds', (r) => r.sink.unique, (r) => r.sent),
    countRow('repeated webhook-ids', (r) => r.sink.repeats),
    countRow('deliveries out of order (per webhook and conversation)', (r) => r.sink.outOfOrder),
    countRow('sends that failed', (r) => r.sendErrors),
    row('server CPU (cores)', (r) => r.serverCpu, 2),
    row('runner CPU: the sink (cores)', (r) => r.runnerCpu, 2),
  ];
  const rounds = Math.max(...kinds.map((k) => (runs[k] ?? []).length));
  return [
    '',
    `| Webhook deliveries: ${num(o.messages)} messages over ${o.conversations} conversations, one webhook each, one loopback receiver | ${titles.join(' | ')} |${withRatio ? ' this build / REF |' : ''}`,
    `|---|${titles.map(() => '---:').join('|')}|${withRatio ? '---:|' : ''}`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `One user owns the conversations, each with one webhook (message.created) to a receiver in the runner that answers 204 at once. The load generator sends the messages over HTTP, round-robin over the conversations, ${o.sendConcurrency} in flight; deliveries per second count from the first send until the receiver has every event. ` +
      `Delay: arrival at the receiver minus the event's created_at (one clock). Each of ${rounds} round${rounds === 1 ? '' : 's'} makes its own user, conversations, webhooks and receiver, after ${num(o.warmupMessages)} untimed messages; a fresh server per target, with the server's default webhook and egress settings (WEBHOOK_CONCURRENCY, WEBHOOK_CONCURRENCY_PER_ENDPOINT, EGRESS_MAX_SOCKETS_PER_ORIGIN: one receiver is one origin) unless BENCH_SERVER_ENV sets them. Median (min–max) over rounds.`,
  ];
}

/** The deliveries of this build's half-rate step, per round: "1,000 of 1,000, last 0 ms after". */
function halfRateDeliveries(runs: Runs<MessagingResult>): string {
  const rounds = (runs.pneumatic ?? []).map((r) => ok(r)?.atHalf?.webhooks);
  const text = rounds.map((w) => (w ? `${num(w.delivered)} of ${num(w.expected)}${w.delivered < w.expected ? ' ⚠' : ''}, last ${num(w.tailMs)} ms after the step` : '–'));
  return text.join('; ') || '–';
}

/** Markdown lines (a blank line first) under the main table, or none without --webhooks. */
export function renderMessagingWebhooks(report: BenchReport): string[] {
  const info = report.webhooks;
  if (!info) return [];
  const s = info.sink;
  const steps = Object.values(report.messaging).flatMap((runs) => (runs.pneumatic ?? []).flatMap((r) => ok(r)?.steps ?? []));
  const hooked = steps.map((step) => step.webhooks).filter((w) => w !== undefined);
  const short = hooked.filter((w) => w.delivered < w.expected).length;
  const tails = spread(hooked.map((w) => w.tailMs));
  return [
    '',
    `Webhooks (\`--webhooks ${info.perConversation}\`): each conversation of this build's messaging workloads had ${info.perConversation} webhook${info.perConversation === 1 ? '' : 's'} (message.created) to one loopback receiver answering 204 at once; REF's and the raw server's conversations had none, so when REF is this build's own commit (\`--compare HEAD\` on a clean tree) the ratio this build / REF is the cost of the subscriptions to the same code. ` +
      `After each of this build's steps the runner waited (outside the step) until the receiver had that step's deliveries, so no backlog runs into the next step or another target's turn. ` +
      `The receiver got ${num(s.received)} requests: ${num(s.unique)} unique webhook-ids, ${num(s.repeats)} repeated, ${num(s.outOfOrder)} out of order${s.malformed > 0 ? `, ${num(s.malformed)} malformed` : ''}. ` +
      `From a step's end (its last WebSocket delivery, or its drain's end) to its last webhook delivery: median ${num(tails?.median)} ms, at most ${num(tails?.max)} ms, over ${hooked.length} steps; ` +
      `steps short of the deliveries their acknowledged messages called for after the wait: ${short}${short > 0 ? ' ⚠' : ''}.`,
    '',
    ...Object.entries(report.messaging).map(([name, runs]) => `- ${name}, this build's half-rate step per round: ${halfRateDeliveries(runs)}`),
  ];
}
