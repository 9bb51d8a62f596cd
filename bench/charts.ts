/**
 * One chart per messaging workload: delivery latency p50 and p99 against send rate, per target,
 * from every step the searches ran (all rounds), written beside latest.md as <workload>.svg.
 * Where a curve bends up is where the server stops keeping up: the table's sustainable rate,
 * seen as a shape rather than a number.
 */
import { renderChart, type Series } from './lib/svg-chart.js';
import { spread } from './lib/stats.js';
import type { TargetKind } from './lib/targets.js';
import type { BenchReport } from './report.js';
import { DELIVERY_P99_LIMIT_MS, type MessagingResult } from './workloads/messaging.js';

const COLORS: Record<TargetKind, string> = { pneumatic: '#1f6feb', ref: '#8250df', raw: '#6e7781' };

/** Per rate, the median over every step measured at that rate (several rounds, repeats). */
function curve(samples: [number, number | null][]): [number, number][] {
  const byRate = new Map<number, number[]>();
  for (const [rate, value] of samples) if (value !== null && value > 0) (byRate.get(rate) ?? byRate.set(rate, []).get(rate)!).push(value);
  return [...byRate].map(([rate, values]): [number, number] => [rate, spread(values)!.median]).sort((a, b) => a[0] - b[0]);
}

export function latencyCharts(report: BenchReport): { workload: string; svg: string }[] {
  const names: Record<TargetKind, string> = {
    pneumatic: report.compare ? 'Pneumatic (this build)' : 'Pneumatic',
    ref: `Pneumatic at ${report.compare?.commit.slice(0, 7) ?? 'REF'}`,
    raw: 'raw ws (limit)',
  };
  const charts: { workload: string; svg: string }[] = [];
  for (const [workload, runs] of Object.entries(report.messaging)) {
    const series: Series[] = [];
    let title = workload;
    for (const kind of ['pneumatic', 'ref', 'raw'] as const) {
      const results = (runs[kind] ?? []).filter((r): r is MessagingResult => 'steps' in r);
      if (results.length === 0) continue;
      title = results[0]!.title;
      const p50: [number, number | null][] = [];
      const p99: [number, number | null][] = [];
      for (const r of results) {
        for (const s of r.steps) {
          p50.push([s.rate, s.deliveryP50]);
          p99.push([s.rate, s.deliveryP99]);
        }
        for (const at of [r.atHalf, r.atPneumaticHalf]) {
          if (!at) continue;
          p50.push([at.rate, at.delivery.p50]);
          p99.push([at.rate, at.delivery.p99]);
        }
      }
      series.push({ name: `${names[kind]} p99`, color: COLORS[kind], points: curve(p99) });
      series.push({ name: `${names[kind]} p50`, color: COLORS[kind], dashed: true, points: curve(p50) });
    }
    if (series.length === 0) continue;
    const svg = renderChart({
      title,
      subtitle: `delivery latency against send rate; ${report.options.quick ? 'quick run' : 'full run'} of ${report.date.slice(0, 10)}${report.options.repeat > 1 ? `, ${report.options.repeat} rounds` : ''}`,
      xLabel: 'send rate (messages/s, all senders), log scale',
      yLabel: 'delivery latency (ms), log scale',
      series,
      references: [{ y: DELIVERY_P99_LIMIT_MS, label: `p99 limit ${DELIVERY_P99_LIMIT_MS} ms` }],
    });
    charts.push({ workload, svg });
  }
  return charts;
}
