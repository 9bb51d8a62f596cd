/**
 * The report's main table: one row per figure, a column per target (this build, REF, the raw
 * ws limit) and a column per ratio between them, for the messaging workloads, idle connections
 * and history reads.
 */
import type { TargetKind } from './lib/targets.js';
import { spread } from './lib/stats.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { BenchReport, Outcome, Pair, Runs } from './report.js';
import { errorOf, failedCell, num, ok, ratio, ratioDigits, spreadCell, type Cell } from './report-cells.js';

/** The table's columns: a figure per target, then ratios between them. */
interface Column {
  kind: TargetKind;
  title: string;
}

type RatioColumn = [TargetKind, TargetKind, string];

function columnsOf(report: BenchReport): { targets: Column[]; ratios: RatioColumn[] } {
  const titles: Record<TargetKind, string> = {
    pneumatic: `${report.compare ? 'Pneumatic (this build)' : 'Pneumatic'}${report.webhooks ? `, ${report.webhooks.perConversation} webhooks per messaging conversation` : ''}`,
    ref: `Pneumatic at ${report.compare?.commit.slice(0, 7) ?? 'REF'}`,
    raw: 'raw ws (limit)',
  };
  const order: TargetKind[] = ['pneumatic', 'ref', 'raw'];
  const present = order.filter((kind) => report.options.targets.includes(kind));
  const ratios: RatioColumn[] = [];
  if (present.includes('pneumatic') && present.includes('raw')) ratios.push(['pneumatic', 'raw', 'Pneumatic / raw']);
  if (present.includes('pneumatic') && present.includes('ref')) ratios.push(['pneumatic', 'ref', 'this build / REF']);
  return { targets: present.map((kind) => ({ kind, title: titles[kind] })), ratios };
}

/** Marks a search figure: ≥ when a round hit the search's ceiling, ⚠ when the generator was saturated. */
const flags = (list: { cappedAtMax: boolean; generatorSaturated: boolean }[]): [string, string] => [
  list.some((r) => r.cappedAtMax) ? '≥ ' : '',
  list.some((r) => r.generatorSaturated) ? ' ⚠' : '',
];

/** The rows as they are added, each already formatted for every column. */
class TableRows {
  readonly rows: string[][] = [];

  constructor(
    private readonly report: BenchReport,
    readonly targets: Column[],
    private readonly ratios: RatioColumn[],
  ) {}

  /**
   * One figure over interleaved runs: per target "median (min–max)", per ratio the median and
   * range of the ratios within each round (paired, so a stalled round moves both sides).
   */
  repeated<T extends object>(workload: string, figure: string, runs: Runs<T>, value: (r: T) => Cell, digits = 0, decorate?: (list: T[]) => [string, string]): void {
    const cells = this.targets.map(({ kind }) => {
      const list = (runs[kind] ?? []).map((r) => ok(r)).filter((r): r is T => r !== undefined);
      if (list.length === 0) return this.why(runs[kind], kind);
      const [prefix, suffix] = decorate ? decorate(list) : ['', ''];
      return `${prefix}${spreadCell(spread(list.map(value)), digits)}${suffix}`;
    });
    const ratioCells = this.ratios.map(([a, b]) => {
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
      return spreadCell(spread(paired), ratioDigits, '×');
    });
    this.rows.push([workload, figure, ...cells, ...ratioCells]);
  }

  /** One measurement per target; `value` gives a number, a cell of its own, or undefined for "why not". */
  single(workload: string, figure: string, pair: Pair<unknown>, value: (kind: TargetKind) => Cell | string, digits = 0): void {
    const cells = this.targets.map(({ kind }) => {
      const v = value(kind);
      return typeof v === 'string' ? v : v === undefined ? this.why(pair[kind], kind) : num(v, digits);
    });
    const ratioCells = this.ratios.map(([a, b]) => {
      const x = value(a);
      const y = value(b);
      return typeof x === 'string' || typeof y === 'string' ? '–' : ratio(x, y);
    });
    this.rows.push([workload, figure, ...cells, ...ratioCells]);
  }

  /** The cell of a target without a figure: not run, failed, or nothing. */
  private why(runs: Outcome<unknown>[] | Outcome<unknown> | undefined, kind: TargetKind): string {
    if (kind !== 'raw' && this.report.pneumaticStatus !== 'ok') return this.report.pneumaticStatus;
    const list = Array.isArray(runs) ? runs : runs ? [runs] : [];
    const error = list.map((r) => errorOf(r as object)).find((e) => e !== undefined);
    return error ? failedCell(error) : '–';
  }
}

function messagingRows(table: TableRows, report: BenchReport): void {
  for (const runs of Object.values(report.messaging)) {
    const any = Object.values(runs).flat().map((r) => ok(r)).find((r) => r !== undefined);
    const name = any?.title ?? '?';
    const halfRates = spread((runs.pneumatic ?? []).map((r) => ok(r)?.atHalf?.rate));
    const rateNote = halfRates ? ` (${spreadCell(halfRates)} msg/s)` : '';
    // Every server at Pneumatic's half rate (its own half rate if it was not measured there).
    const same = (r: MessagingResult) => (r.target === 'pneumatic' ? r.atHalf : (r.atPneumaticHalf ?? r.atHalf));
    table.repeated(name, 'sustainable send rate (msg/s)', runs, (r) => r.sustainableRate, 0, flags);
    table.repeated('', 'messages stored/s at that rate', runs, (r) => r.atSustainable?.storedPerSecond);
    table.repeated('', 'deliveries/s at that rate', runs, (r) => r.atSustainable?.deliveriesPerSecond);
    table.repeated('', `delivery latency p50 at Pneumatic's half rate${rateNote} (ms)`, runs, (r) => same(r)?.delivery.p50, 1);
    table.repeated('', 'delivery latency p99 at that rate (ms)', runs, (r) => same(r)?.delivery.p99, 1);
    table.repeated('', 'ack latency p99 at that rate (ms)', runs, (r) => same(r)?.ack.p99, 1);
    table.repeated('', 'server CPU per message at that rate (µs)', runs, (r) => same(r)?.cpuUsPerMessage);
    table.repeated('', 'server CPU at the sustainable rate (cores)', runs, (r) => r.atSustainable?.serverCpu, 2);
  }
}

function idleRows(table: TableRows, report: BenchReport): void {
  const idle = (kind: TargetKind) => ok(report.idle[kind]);
  const levels = Math.max(0, ...table.targets.map(({ kind }) => idle(kind)?.levels.length ?? 0));
  for (let i = 0; i < levels; i++) {
    const count = table.targets.map(({ kind }) => idle(kind)?.levels[i]?.connections).find((c) => c !== undefined) ?? 0;
    table.single(i === 0 ? 'Idle connections' : '', `server RSS per idle connection at ${num(count)} (KiB)`, report.idle, (kind) => {
      const level = idle(kind)?.levels[i];
      return level ? level.bytesPerConnection / 1024 : undefined;
    }, 1);
  }
  if (levels === 0) table.single('Idle connections', 'server RSS per idle connection (KiB)', report.idle, () => undefined);
  table.single('', 'connections opened/s', report.idle, (kind) => idle(kind)?.openedPerSecond);
}

function historyRows(table: TableRows, report: BenchReport): void {
  table.repeated('History reads (limit=50)', 'requests/s at p99 < 20 ms', report.history, (r) => r.sustainableRate, 0, flags);
  table.repeated('', 'latency p50 at that rate (ms)', report.history, (r) => r.latency?.p50, 1);
  table.repeated('', 'latency p99 at that rate (ms)', report.history, (r) => r.latency?.p99, 1);
}

/** The table and its note as markdown lines (a blank line first), or none when it has no rows. */
export function renderMainTable(report: BenchReport): string[] {
  const { targets, ratios } = columnsOf(report);
  const table = new TableRows(report, targets, ratios);
  messagingRows(table, report);
  // Workloads that were not selected (--only) get no rows.
  const selected = (name: string) => report.options.workloads.includes(name);
  if (selected('idle')) idleRows(table, report);
  if (selected('history')) historyRows(table, report);
  if (table.rows.length === 0) return [];
  return [
    '',
    `| Workload | Figure | ${[...targets.map((t) => t.title), ...ratios.map((r) => r[2])].join(' | ')} |`,
    `|---|---|${'---:|'.repeat(targets.length + ratios.length)}`,
    ...table.rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    'Sustainable rate: the highest send rate at which, over one step, every expected delivery arrived, nothing was duplicated or out of order, no error occurred and delivery p99 stayed under 50 ms. ⚠: the load generator used more than 85% of its core during a step, so the figure may be the generator\'s limit, not the server\'s. ≥: the search stopped at its ceiling.',
  ];
}
