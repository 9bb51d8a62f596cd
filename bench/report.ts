/** The benchmark report: one JSON document and one markdown table (Pneumatic beside the raw ws limit). */
import { cpus, totalmem } from 'node:os';
import type { TargetKind } from './lib/targets.js';
import { spread, type Spread } from './lib/stats.js';
import type { HistoryResult } from './workloads/history.js';
import type { IdleResult } from './workloads/idle.js';
import type { DatabaseComparison, Measurement, WorkerComparison } from './workloads/comparisons.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { SyncCase, SyncResult } from './workloads/sync.js';
import type { GrowthResult } from './workloads/growth.js';
import { renderGrowth } from './report-growth.js';

export type Outcome<T> = T | { error: string };

/** One measurement per target (idle connections, change feed). */
export type Pair<T> = Partial<Record<TargetKind, Outcome<T>>>;

/**
 * Interleaved repetitions per target: run i of every target belongs to round i, in which the
 * targets ran one after the other (the order alternating between rounds), so a stall of the
 * machine hits a round rather than one target's every figure.
 */
export type Runs<T> = Partial<Record<TargetKind, Outcome<T>[]>>;

/** --compare REF: the other commit measured as target "ref". */
export interface CompareInfo {
  ref: string;
  commit: string;
  label: string;
}

export interface BenchReport {
  date: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number };
  node: string;
  /** workloads: the ones selected (--only, or the default set). */
  options: { db: string; workers: number | null; quick: boolean; workloads: string[]; targets: TargetKind[]; repeat: number };
  compare?: CompareInfo;
  pinning: string;
  /** "ok", or why Pneumatic did not run (e.g. "not supported" for --workers). */
  pneumaticStatus: string;
  messaging: Record<string, Runs<MessagingResult>>;
  idle: Pair<IdleResult>;
  history: Runs<HistoryResult>;
  /** Change feed (POST /sync): Pneumatic only. */
  sync: Pair<SyncResult>;
  /** Cost as work grows: Pneumatic only. */
  growth: Pair<GrowthResult>;
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

/** "median (min–max)" of repeated figures; the median alone when there was one. */
function spreadCell(s: Spread | null, digits: number | ((v: number) => number) = 0, suffix = ''): string {
  if (!s) return '–';
  const fmt = (v: number) => num(v, typeof digits === 'number' ? digits : digits(v));
  const median = `${fmt(s.median)}${suffix}`;
  return s.n > 1 ? `${median} (${fmt(s.min)}–${fmt(s.max)})` : median;
}

/** A ratio's digits as ratio() prints them, per value (0.33 and 82 in one range). */
function ratioDigits(value: number): number {
  return value >= 10 ? 0 : value >= 1 ? 1 : 2;
}

/** The table's columns: a figure per target, then ratios between them. */
interface Column {
  kind: TargetKind;
  title: string;
}

function columnsOf(report: BenchReport): { targets: Column[]; ratios: [TargetKind, TargetKind, string][] } {
  const titles: Record<TargetKind, string> = {
    pneumatic: report.compare ? 'Pneumatic (this build)' : 'Pneumatic',
    ref: `Pneumatic at ${report.compare?.commit.slice(0, 7) ?? 'REF'}`,
    raw: 'raw ws (limit)',
  };
  const order: TargetKind[] = ['pneumatic', 'ref', 'raw'];
  const present = order.filter((kind) => report.options.targets.includes(kind));
  const ratios: [TargetKind, TargetKind, string][] = [];
  if (present.includes('pneumatic') && present.includes('raw')) ratios.push(['pneumatic', 'raw', 'Pneumatic / raw']);
  if (present.includes('pneumatic') && present.includes('ref')) ratios.push(['pneumatic', 'ref', 'this build / REF']);
  return { targets: present.map((kind) => ({ kind, title: titles[kind] })), ratios };
}

export function renderMarkdown(report: BenchReport): string {
  const rows: string[][] = [];
  const { targets, ratios } = columnsOf(report);
  const why = (runs: Outcome<unknown>[] | Outcome<unknown> | undefined, kind: TargetKind): string => {
    if (kind !== 'raw' && report.pneumaticStatus !== 'ok') return report.pneumaticStatus;
    const list = Array.isArray(runs) ? runs : runs ? [runs] : [];
    const error = list.map((r) => errorOf(r as object)).find((e) => e !== undefined);
    return error ? `failed: ${error.split('\n')[0]?.slice(0, 60)}` : '–';
  };
  /**
   * One figure over interleaved runs: per target "median (min–max)", per ratio the median and
   * range of the ratios within each round (paired, so a stalled round moves both sides).
   */
  const repeatedRow = <T extends object>(workload: string, figure: string, runs: Runs<T>, value: (r: T) => Cell, digits = 0, decorate?: (list: T[]) => [string, string]) => {
    const cells = targets.map(({ kind }) => {
      const list = (runs[kind] ?? []).map((r) => ok(r)).filter((r): r is T => r !== undefined);
      if (list.length === 0) return why(runs[kind], kind);
      const [prefix, suffix] = decorate ? decorate(list) : ['', ''];
      return `${prefix}${spreadCell(spread(list.map(value)), digits)}${suffix}`;
    });
    const ratioCells = ratios.map(([a, b]) => {
      const as = runs[a] ?? [];
      const bs = runs[b] ?? [];
      const paired: number[] = [];
      for (let i = 0; i < Math.min(as.length, bs.length); i++) {
        const x = ok(as[i]);
        const y = ok(bs[i]);
        const vx = x ? value(x) : null;
        const vy = y ? value(y) : null;
        if (typeof vx === 'number' && typeof vy === 'number' && vy !== 0) paired.push(vx / vy);
      }
      const s = spread(paired);
      return spreadCell(s, ratioDigits, '×');
    });
    rows.push([workload, figure, ...cells, ...ratioCells]);
  };
  const singleRow = (workload: string, figure: string, pair: Pair<unknown>, value: (kind: TargetKind) => Cell | string, digits = 0) => {
    const cells = targets.map(({ kind }) => {
      const v = value(kind);
      return typeof v === 'string' ? v : v === undefined ? why(pair[kind], kind) : num(v, digits);
    });
    const ratioCells = ratios.map(([a, b]) => {
      const x = value(a);
      const y = value(b);
      return typeof x === 'string' || typeof y === 'string' ? '–' : ratio(x, y);
    });
    rows.push([workload, figure, ...cells, ...ratioCells]);
  };
  const flags = (list: { cappedAtMax: boolean; generatorSaturated: boolean }[]): [string, string] => [
    list.some((r) => r.cappedAtMax) ? '≥ ' : '',
    list.some((r) => r.generatorSaturated) ? ' ⚠' : '',
  ];

  for (const runs of Object.values(report.messaging)) {
    const any = Object.values(runs).flat().map((r) => ok(r)).find((r) => r !== undefined);
    const name = any?.title ?? '?';
    const halfRates = spread((runs.pneumatic ?? []).map((r) => ok(r)?.atHalf?.rate));
    const rateNote = halfRates ? ` (${spreadCell(halfRates)} msg/s)` : '';
    // Every server at Pneumatic's half rate (its own half rate if it was not measured there).
    const same = (r: MessagingResult) => (r.target === 'pneumatic' ? r.atHalf : (r.atPneumaticHalf ?? r.atHalf));
    repeatedRow(name, 'sustainable send rate (msg/s)', runs, (r) => r.sustainableRate, 0, flags);
    repeatedRow('', 'messages stored/s at that rate', runs, (r) => r.atSustainable?.storedPerSecond);
    repeatedRow('', 'deliveries/s at that rate', runs, (r) => r.atSustainable?.deliveriesPerSecond);
    repeatedRow('', `delivery latency p50 at Pneumatic's half rate${rateNote} (ms)`, runs, (r) => same(r)?.delivery.p50, 1);
    repeatedRow('', 'delivery latency p99 at that rate (ms)', runs, (r) => same(r)?.delivery.p99, 1);
    repeatedRow('', 'ack latency p99 at that rate (ms)', runs, (r) => same(r)?.ack.p99, 1);
    repeatedRow('', 'server CPU per message at that rate (µs)', runs, (r) => same(r)?.cpuUsPerMessage);
    repeatedRow('', 'server CPU at the sustainable rate (cores)', runs, (r) => r.atSustainable?.serverCpu, 2);
  }

  // Workloads that were not selected (--only) get no rows.
  const selected = (name: string) => report.options.workloads.includes(name);
  if (selected('idle')) {
    const idle = (kind: TargetKind) => ok(report.idle[kind]);
    const levels = Math.max(0, ...targets.map(({ kind }) => idle(kind)?.levels.length ?? 0));
    for (let i = 0; i < levels; i++) {
      const count = targets.map(({ kind }) => idle(kind)?.levels[i]?.connections).find((c) => c !== undefined) ?? 0;
      singleRow(i === 0 ? 'Idle connections' : '', `server RSS per idle connection at ${num(count)} (KiB)`, report.idle, (kind) => {
        const level = idle(kind)?.levels[i];
        return level ? level.bytesPerConnection / 1024 : undefined;
      }, 1);
    }
    if (levels === 0) singleRow('Idle connections', 'server RSS per idle connection (KiB)', report.idle, () => undefined);
    singleRow('', 'connections opened/s', report.idle, (kind) => idle(kind)?.openedPerSecond);
  }

  if (selected('history')) {
    repeatedRow('History reads (limit=50)', 'requests/s at p99 < 20 ms', report.history, (r) => r.sustainableRate, 0, flags);
    repeatedRow('', 'latency p50 at that rate (ms)', report.history, (r) => r.latency?.p50, 1);
    repeatedRow('', 'latency p99 at that rate (ms)', report.history, (r) => r.latency?.p99, 1);
  }

  const m = report.machine;
  const comparisonRows = renderComparisons(report.comparisons);
  const lines = [
    `## Pneumatic benchmark${report.options.quick ? ' (quick)' : ''}`,
    '',
    `- Date: ${report.date}`,
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM; ${report.pinning}`,
    `- Node ${report.node}; database: ${report.options.db}; workers: ${report.options.workers ?? 'default (flag not given)'}; Pneumatic: ${report.pneumaticStatus}`,
    `- Each search figure: median (min–max) of ${report.options.repeat} run${report.options.repeat === 1 ? '' : 's'} per target, the targets interleaved (order alternating between rounds); ratios are medians of the ratios within each round`,
    ...(report.compare ? [`- This build against ${report.compare.ref} (${report.compare.label}), measured in the same run`] : []),
    `- Wall time: ${Math.round(report.wallSeconds)} s (build ${Math.round(report.buildSeconds)} s, measurements ${Math.round(report.wallSeconds - report.buildSeconds)} s)`,
  ];
  if (rows.length > 0) {
    lines.push(
      '',
      `| Workload | Figure | ${[...targets.map((t) => t.title), ...ratios.map((r) => r[2])].join(' | ')} |`,
      `|---|---|${'---:|'.repeat(targets.length + ratios.length)}`,
      ...rows.map((cells) => `| ${cells.join(' | ')} |`),
      '',
      'Sustainable rate: the highest send rate at which, over one step, every expected delivery arrived, nothing was duplicated or out of order, no error occurred and delivery p99 stayed under 50 ms. ⚠: the load generator used more than 85% of its core during a step, so the figure may be the generator\'s limit, not the server\'s. ≥: the search stopped at its ceiling.',
    );
  }
  const charted = Object.keys(report.messaging);
  if (charted.length > 0) {
    // Written beside this file by the runner (charts.ts).
    lines.push('', 'Delivery latency against send rate (every step of every round; median per rate):', '', ...charted.map((w) => `![${w}: delivery latency p50 and p99 against send rate](${w}.svg)`));
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
  lines.push(...renderGrowth(report.growth.pneumatic));
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
