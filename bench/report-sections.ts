/**
 * The report's tables after the main one, each with its note: Pneumatic against itself (the
 * other database, N workers against 1) and the change feed (POST /sync, Pneumatic only).
 */
import type { Measurement } from './workloads/comparisons.js';
import type { SyncCase } from './workloads/sync.js';
import type { BenchReport } from './report.js';
import { errorOf, failedCell, num, ok, rateCell, ratio } from './report-cells.js';

/** Markdown lines (a blank line first), or none when neither comparison ran. */
export function renderComparisons(comparisons: BenchReport['comparisons']): string[] {
  const rows: string[][] = [];
  const rate = (x: Measurement | undefined) => {
    const error = errorOf(x);
    return rateCell(ok(x)) ?? (error ? failedCell(error) : '–');
  };
  const add = (title: string, a: Measurement | undefined, b: Measurement | undefined) => {
    const ra = ok(a);
    const rb = ok(b);
    rows.push([title, 'sustainable send rate (msg/s)', rate(a), rate(b), ratio(rb?.sustainableRate, ra?.sustainableRate)]);
    rows.push(['', 'delivery p99 at half rate (ms)', num(ra?.atHalf?.delivery.p99, 1), num(rb?.atHalf?.delivery.p99, 1), ratio(rb?.atHalf?.delivery.p99, ra?.atHalf?.delivery.p99)]);
    rows.push(['', 'server CPU at that rate (cores)', num(ra?.atSustainable?.serverCpu, 2), num(rb?.atSustainable?.serverCpu, 2), ratio(rb?.atSustainable?.serverCpu, ra?.atSustainable?.serverCpu)]);
    rows.push(['', 'machine CPU at that rate (cores)', num(ra?.atSustainable?.machineCpu, 2), num(rb?.atSustainable?.machineCpu, 2), ratio(rb?.atSustainable?.machineCpu, ra?.atSustainable?.machineCpu)]);
  };
  const d = comparisons.databases;
  if (d) add('A: SQLite, B: PostgreSQL (1 process, pinned)', d.sqlite, d.postgres);
  const w = comparisons.workers;
  if (w) add(`A: 1 worker, B: ${w.workers} workers (Redis, nothing pinned)`, w.one, w.many);
  if (rows.length === 0) return [];
  return [
    '',
    '| Pneumatic against itself (small groups) | Figure | A | B | B / A |',
    '|---|---|---:|---:|---:|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    'Machine CPU: cores busy on the whole machine during the step (server, load generator, PostgreSQL, Redis and anything else running).',
  ];
}

/** Markdown lines (a blank line first), or none when the change feed was not selected. */
export function renderSync(report: BenchReport): string[] {
  const rows = syncRows(report);
  if (rows.length === 0) return [];
  const conversations = ok(report.sync.pneumatic)?.conversations;
  return [
    '',
    `| Change feed: POST /sync, one user in ${conversations === undefined ? 'N' : num(conversations)} conversations | Figure | Pneumatic | raw ws (limit) |`,
    '|---|---|---:|---:|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    'Each call lists every conversation with the same positions and is independent of the others; one untimed call first, then the timed ones in sequence over one keep-alive connection, each until its whole body arrived. Sent with `Accept-Encoding: gzip, deflate, br, zstd` (as a browser); the size is the body as it arrived. Server CPU: the server\'s process tree, 10 ms clock ticks over all timed calls.',
  ];
}

function syncRows(report: BenchReport): string[][] {
  const pair = report.sync;
  if (!report.options.workloads.includes('sync')) return [];
  const error = errorOf(pair.pneumatic);
  const s = ok(pair.pneumatic);
  const raw = 'no equivalent (no change feed)';
  if (!s) {
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : '–';
    return [['POST /sync', 'latency (ms)', why, raw]];
  }
  const rows: string[][] = [];
  const add = (title: string, c: SyncCase, expected: number) => {
    const l = c.latency;
    const kib = (bytes: number) => num(bytes / 1024, 1);
    const encoding = c.contentEncoding === 'identity' ? 'uncompressed' : c.contentEncoding;
    rows.push([title, `latency min / p50 / p90 / max over ${c.repetitions} calls (ms)`, `${num(l.min, 1)} / ${num(l.p50, 1)} / ${num(l.p90, 1)} / ${num(l.max, 1)}`, raw]);
    rows.push(['', 'first call (untimed warm-up) (ms)', num(c.firstCallMs, 1), '–']);
    rows.push(['', `events returned (expected ${num(expected)})`, num(c.events), '–']);
    rows.push(['', `response size as it arrived (KiB, ${encoding})`, kib(c.wireBytes), '–']);
    if (c.contentEncoding === 'identity') rows.push(['', 'the same gzipped (KiB, computed by the benchmark, not sent)', kib(c.gzipBytes), '–']);
    else rows.push(['', 'decoded size (KiB)', kib(c.decodedBytes), '–']);
    rows.push(['', 'server CPU per call (ms)', num(c.serverCpuMsPerCall, 1), '–']);
  };
  add(`${num(s.changesPerConversation)} changes per conversation`, s.changed, s.expectedEvents);
  add('nothing changed (positions at the heads)', s.unchanged, 0);
  return rows;
}
