/** The benchmark report: one JSON document and one markdown table (Pneumatic beside the raw ws limit). */
import { cpus, totalmem } from 'node:os';
import type { HistoryResult } from './workloads/history.js';
import type { IdleResult } from './workloads/idle.js';
import type { DatabaseComparison, Measurement, WorkerComparison } from './workloads/comparisons.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { SyncCase, SyncResult } from './workloads/sync.js';

export interface Pair<T> {
  pneumatic?: T | { error: string };
  raw?: T | { error: string };
}

export interface BenchReport {
  date: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number };
  node: string;
  /** workloads: the ones selected (--only, or the default set). */
  options: { db: string; workers: number | null; quick: boolean; workloads: string[] };
  pinning: string;
  /** "ok", or why Pneumatic did not run (e.g. "not supported" for --workers). */
  pneumaticStatus: string;
  messaging: Record<string, Pair<MessagingResult>>;
  idle: Pair<IdleResult>;
  history: Pair<HistoryResult>;
  /** Change feed (POST /sync): Pneumatic only. */
  sync: Pair<SyncResult>;
  /** Pneumatic against itself: the other database, N workers against 1. */
  comparisons: { databases?: DatabaseComparison; workers?: WorkerComparison };
  warnings: string[];
  wallSeconds: number;
  /** Of which the build (npm run build) took this long. */
  buildSeconds: number;
}

export function machineInfo(): BenchReport['machine'] {
  const list = cpus();
  return { cores: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

type Cell = number | null | undefined;

function num(value: Cell, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function ratio(a: Cell, b: Cell): string {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return '–';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

function ok<T extends object>(value: T | { error: string } | undefined): T | undefined {
  return value && !('error' in value && Object.keys(value).length === 1) ? (value as T) : undefined;
}

function errorOf(value: object | undefined): string | undefined {
  return value && 'error' in value ? String((value as { error: unknown }).error) : undefined;
}

/** A sustainable rate as printed: ≥ when the search hit its ceiling, ⚠ when the generator was saturated. */
function rateCell(m: { sustainableRate: number; cappedAtMax: boolean; generatorSaturated: boolean } | undefined): string | undefined {
  return m ? `${m.cappedAtMax ? '≥ ' : ''}${num(m.sustainableRate)}${m.generatorSaturated ? ' ⚠' : ''}` : undefined;
}

export function renderMarkdown(report: BenchReport): string {
  const rows: string[][] = [];
  const missing = (pair: Pair<unknown>, side: 'pneumatic' | 'raw'): string => {
    if (side === 'pneumatic' && report.pneumaticStatus !== 'ok') return report.pneumaticStatus;
    const error = errorOf(pair[side] as object | undefined);
    return error ? `failed: ${error.split('\n')[0]?.slice(0, 60)}` : '–';
  };
  const row = (workload: string, figure: string, p: Cell | string, r: Cell | string, digits = 0, ratioOf?: [Cell, Cell]) => {
    const fmt = (v: Cell | string) => (typeof v === 'string' ? v : num(v, digits));
    rows.push([workload, figure, fmt(p), fmt(r), ratioOf ? ratio(ratioOf[0], ratioOf[1]) : typeof p === 'string' || typeof r === 'string' ? '–' : ratio(p, r)]);
  };
  const triple = (t: { p50: number | null; p99: number | null; max: number | null } | undefined) =>
    t ? `${num(t.p50, 1)} / ${num(t.p99, 1)} / ${num(t.max, 1)}` : undefined;
  const tripleRatio = (a: { p50: number | null; p99: number | null; max: number | null } | undefined, b: typeof a) =>
    a && b ? `${ratio(a.p50, b.p50)} / ${ratio(a.p99, b.p99)} / ${ratio(a.max, b.max)}` : '–';

  for (const pair of Object.values(report.messaging)) {
    const p = ok(pair.pneumatic);
    const r = ok(pair.raw);
    const name = (p ?? r)?.title ?? '?';
    row(name, 'sustainable send rate (msg/s)', rateCell(p) ?? missing(pair, 'pneumatic'), rateCell(r) ?? missing(pair, 'raw'), 0, [p?.sustainableRate, r?.sustainableRate]);
    row('', 'messages stored/s at that rate', p?.atSustainable?.storedPerSecond ?? missing(pair, 'pneumatic'), r?.atSustainable?.storedPerSecond ?? missing(pair, 'raw'));
    row('', 'deliveries/s at that rate', p?.atSustainable?.deliveriesPerSecond ?? missing(pair, 'pneumatic'), r?.atSustainable?.deliveriesPerSecond ?? missing(pair, 'raw'));
    // Latency at Pneumatic's half rate, for both servers (the raw server's own half rate if it was not measured there).
    const rawSame = r?.atPneumaticHalf ?? r?.atHalf;
    const rateNote = p?.atHalf ? ` (${num(p.atHalf.rate)} msg/s)` : '';
    rows.push(['', `ack latency p50 / p99 / max at Pneumatic's half rate${rateNote} (ms)`, triple(p?.atHalf?.ack) ?? '–', triple(rawSame?.ack) ?? '–', tripleRatio(p?.atHalf?.ack, rawSame?.ack)]);
    rows.push(['', `delivery latency p50 / p99 / max at Pneumatic's half rate${rateNote} (ms)`, triple(p?.atHalf?.delivery) ?? '–', triple(rawSame?.delivery) ?? '–', tripleRatio(p?.atHalf?.delivery, rawSame?.delivery)]);
    row('', 'server CPU at that rate (cores)', p?.atSustainable?.serverCpu ?? '–', r?.atSustainable?.serverCpu ?? '–', 2);
  }

  // Workloads that were not selected (--only) get no rows.
  const selected = (name: string) => report.options.workloads.includes(name);
  if (selected('idle')) {
    const ip = ok(report.idle.pneumatic);
    const ir = ok(report.idle.raw);
    const levels = Math.max(ip?.levels.length ?? 0, ir?.levels.length ?? 0);
    for (let i = 0; i < levels; i++) {
      const a = ip?.levels[i];
      const b = ir?.levels[i];
      const count = a?.connections ?? b?.connections ?? 0;
      row(i === 0 ? 'Idle connections' : '', `server RSS per idle connection at ${num(count)} (KiB)`, a ? a.bytesPerConnection / 1024 : missing(report.idle, 'pneumatic'), b ? b.bytesPerConnection / 1024 : missing(report.idle, 'raw'), 1);
    }
    if (levels === 0) row('Idle connections', 'server RSS per idle connection (KiB)', missing(report.idle, 'pneumatic'), missing(report.idle, 'raw'));
    row('', 'connections opened/s', ip?.openedPerSecond ?? missing(report.idle, 'pneumatic'), ir?.openedPerSecond ?? missing(report.idle, 'raw'));
  }

  if (selected('history')) {
    const hp = ok(report.history.pneumatic);
    const hr = ok(report.history.raw);
    row('History reads (limit=50)', 'requests/s at p99 < 20 ms', rateCell(hp) ?? missing(report.history, 'pneumatic'), rateCell(hr) ?? missing(report.history, 'raw'), 0, [hp?.sustainableRate, hr?.sustainableRate]);
    rows.push(['', 'latency p50 / p99 / max at that rate (ms)', triple(hp?.latency ?? undefined) ?? '–', triple(hr?.latency ?? undefined) ?? '–', tripleRatio(hp?.latency ?? undefined, hr?.latency ?? undefined)]);
  }

  const m = report.machine;
  const comparisonRows = renderComparisons(report.comparisons);
  const lines = [
    `## Pneumatic benchmark${report.options.quick ? ' (quick)' : ''}`,
    '',
    `- Date: ${report.date}`,
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM; ${report.pinning}`,
    `- Node ${report.node}; database: ${report.options.db}; workers: ${report.options.workers ?? 'default (flag not given)'}; Pneumatic: ${report.pneumaticStatus}`,
    `- Wall time: ${Math.round(report.wallSeconds)} s (build ${Math.round(report.buildSeconds)} s, measurements ${Math.round(report.wallSeconds - report.buildSeconds)} s)`,
  ];
  if (rows.length > 0) {
    lines.push(
      '',
      '| Workload | Figure | Pneumatic | raw ws (limit) | Pneumatic / raw |',
      '|---|---|---:|---:|---:|',
      ...rows.map((cells) => `| ${cells.join(' | ')} |`),
      '',
      'Sustainable rate: the highest send rate at which, over one step, every expected delivery arrived, nothing was duplicated or out of order, no error occurred and delivery p99 stayed under 50 ms. ⚠: the load generator used more than 85% of its core during a step, so the figure may be the generator\'s limit, not the server\'s. ≥: the search stopped at its ceiling.',
    );
  }
  if (comparisonRows.length > 0) {
    lines.push(
      '',
      '| Pneumatic against itself (small groups) | Figure | A | B | B / A |',
      '|---|---|---:|---:|---:|',
      ...comparisonRows.map((cells) => `| ${cells.join(' | ')} |`),
      '',
      'Machine CPU: cores busy on the whole machine during the step (server, load generator, PostgreSQL, Redis and anything else running).',
    );
  }
  const syncRows = renderSync(report);
  if (syncRows.length > 0) {
    const conversations = ok(report.sync.pneumatic)?.conversations;
    lines.push(
      '',
      `| Change feed: POST /sync, one user in ${conversations === undefined ? 'N' : num(conversations)} conversations | Figure | Pneumatic | raw ws (limit) |`,
      '|---|---|---:|---:|',
      ...syncRows.map((cells) => `| ${cells.join(' | ')} |`),
      '',
      'Each call lists every conversation with the same positions and is independent of the others; one untimed call first, then the timed ones in sequence over one keep-alive connection, each until its whole body arrived. Sent with `Accept-Encoding: gzip, deflate, br, zstd` (as a browser); the size is the body as it arrived. Server CPU: the server\'s process tree, 10 ms clock ticks over all timed calls.',
    );
  }
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}

function renderComparisons(comparisons: BenchReport['comparisons']): string[][] {
  const rows: string[][] = [];
  const rate = (x: Measurement | undefined) => {
    const error = errorOf(x);
    return rateCell(ok(x)) ?? (error ? `failed: ${error.split('\n')[0]?.slice(0, 60)}` : '–');
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
  return rows;
}

function renderSync(report: BenchReport): string[][] {
  const pair = report.sync;
  if (!report.options.workloads.includes('sync')) return [];
  const error = errorOf(pair.pneumatic);
  const s = ok(pair.pneumatic);
  const raw = 'no equivalent (no change feed)';
  if (!s) {
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? `failed: ${error.split('\n')[0]?.slice(0, 60)}` : '–';
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
