/**
 * The retention-jobs workload's table for latest.md: one column per phase (no job, the retention
 * job, the message removal), the send figures in each and, under a job, against the idle phase
 * (the issue's target: sends within 20%), then the job's own rate and time.
 */
import type { BenchReport } from './report.js';
import { errorOf, failedCell, num, ok, spreadCell } from './report-cells.js';
import type { RetentionJobsResult, RetentionPhase } from './workloads/retention-jobs.js';

/** Sends under a job within this share of idle's meet the issue's target. */
const TARGET_SHARE = 80;

/** "value (x% of idle)" under a job. */
function againstIdle(value: string, share: number | null, unit: '%' | '×'): string {
  if (share === null) return value;
  return `${value} (${unit === '%' ? `${num(share, 1)}% of idle${share < TARGET_SHARE ? ' ⚠' : ''}` : `${num(share, 2)}× idle`})`;
}

function rows(r: RetentionJobsResult): string[][] {
  const phases = r.phases;
  const row = (figure: string, cell: (p: RetentionPhase) => string) => [figure, ...phases.map(cell)];
  const job = (cell: (j: NonNullable<RetentionPhase['job']>) => string) => (p: RetentionPhase) => (p.job ? cell(p.job) : '–');
  return [
    row('sends/s achieved (acks over the steps)', (p) => againstIdle(num(p.load.sendsPerSecond), p.vsIdle?.sendsPercent ?? null, '%')),
    row("acks in each second (median (min–max); not a step's first; under a job, its seconds only)", (p) => againstIdle(spreadCell(p.load.perSecond, 0), p.vsIdle?.perSecondPercent ?? null, '%')),
    row('ack p50 (ms; median (min–max) over steps)', (p) => againstIdle(spreadCell(p.load.ackP50, 1), p.vsIdle?.ackP50Ratio ?? null, '×')),
    row('ack p99 (ms; median (min–max) over steps)', (p) => againstIdle(spreadCell(p.load.ackP99, 1), p.vsIdle?.ackP99Ratio ?? null, '×')),
    row('ack max (ms)', (p) => num(p.load.ackMax, 1)),
    row('delivery p99 (ms; median (min–max) over steps)', (p) => spreadCell(p.load.deliveryP99, 1)),
    row('steps of the load (failed, stalled)', (p) => `${p.load.steps} (${p.load.failedSteps}${p.load.failedSteps > 0 ? ' ⚠' : ''}, ${p.load.stalledSteps})`),
    row("sending, share of the phase's time (the rest: drains between steps)", (p) => `${num(p.load.sendingShare * 100)}% of ${num(p.load.wallSeconds)} s`),
    row('server CPU (cores; the job included)', (p) => num(p.load.serverCpu, 2)),
    row('server CPU per message sent (µs; the job included)', (p) => num(p.load.cpuUsPerMessage)),
    row('machine CPU (cores)', (p) => num(p.load.machineCpu, 2)),
    row('job: messages deleted', job((j) => `${num(j.done)} of ${num(j.total)}${j.capped ? ' (capped)' : ''}`)),
    row('job: time (s, from the request that started it)', job((j) => `${num(j.seconds, 1)}${j.capped ? ` (the ${num(j.capSeconds)} s cap)` : ''}`)),
    row('job: messages/s', job((j) => num(j.perSecond))),
    row('job: messages/s in each second (median (min–max))', job((j) => spreadCell(j.perSecondSpread, 0))),
    row('job: time for 1,000,000 at that rate (s)', job((j) => num(j.secondsPerMillion))),
  ];
}

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderRetentionJobs(report: BenchReport): string[] {
  if (!report.options.workloads.includes('retention-jobs')) return [];
  const pair = report.retentionJobs ?? {};
  const r = ok(pair.pneumatic);
  if (!r) {
    const error = errorOf(pair.pneumatic);
    return ['', `Retention jobs: ${report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : 'not run'}`];
  }
  const o = r.options;
  const f = r.fixture;
  const titles = r.phases.map((p) => ({ idle: 'no job (idle)', retention: 'retention job', removal: "removal of X's messages" })[p.name]);
  const rate = {
    option: '`--retention-send-rate`',
    measured: `${o.rateFraction * 100}% of the ${num(r.sendRate.sustainable)} msg/s the messaging search found them to sustain, just before`,
    fallback: '⚠ a fallback: the messaging search found no rate they sustain, the machine being too busy',
  }[r.sendRate.source];
  const settings = Object.entries(r.serverSettings).map(([k, v]) => `${k}=${v}`).join(', ') || 'the defaults (RETENTION_BATCH_SIZE 200, RETENTION_BATCH_PAUSE_MS 5; removals 100 messages a batch)';
  const unfinished = r.phases.filter((p) => p.job?.capped).map((p) => p.name);
  return [
    '',
    `| Retention jobs on ${report.options.db}: ${num(f.expiredMessages)} expired messages, ${num(f.removalMessages)} of user X; sends at ${num(r.sendRate.rate)}/s | ${titles.join(' | ')} |`,
    `|---|${titles.map(() => '---:').join('|')}|`,
    ...rows(r).map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `One fresh server (ADMIN_USERNAMES naming the workload's admin). Seeded in bulk straight into the database (the search index included): ${num(f.expiredMessages)} messages ${o.expiredAgeDays} days old over ${o.expiredConversations} conversations in ${num(f.expiredSeedSeconds, 1)} s, and ${num(f.removalMessages)} of user X, ${o.removalAgeHours} hours old, over ${o.removalConversations} conversations of X's in ${num(f.removalSeedSeconds, 1)} s; nobody connected is in them. ` +
      `The send load: ${num(f.liveUsers)} users in ${num(f.liveConversations)} small groups (5 members, one connection each), open loop at ${num(r.sendRate.rate)} msg/s (${rate}), in back-to-back steps of ${o.stepMs / 1000} s; every send must be acked and delivered. ` +
      `Idle: ${o.idleMs / 1000} s without a job. Retention: the admin sets a server-wide period of ${o.retentionDays} days (PUT /admin/retention), which starts the job; the load runs until every expired message is gone (the sum of their conversations' expired_through_seq, read every second from the database) or ${o.retentionCapMs / 60_000} minutes. ` +
      `Removal: the admin removes all of X's messages (POST /admin/users/{X}/message-removals), its progress read every second (GET /admin/message-removals/{id}), the load running until it is done or ${o.removalCapMs / 60_000} minutes. ` +
      `Acks in each second: every whole second of a step but its first (acks then lag the sends by their latency; the step's drain takes the rest), under a job only those inside its run; the steps' figures cover whole steps, the last of which may run a few seconds past the job's end; between steps the generator waits for the last acks and deliveries, with no load (the share row). ⚠: sends under ${TARGET_SHARE}% of idle's (the issue's target is within 20%). Job settings: ${settings}.` +
      (unfinished.length > 0 ? ` Capped (not finished when measuring stopped): ${unfinished.join(', ')}.` : '') +
      (r.expiredLeft > 0 ? ` ⚠ ${num(r.expiredLeft)} expired messages were left after the retention phase, so its job still ran during the removal.` : ''),
  ];
}
