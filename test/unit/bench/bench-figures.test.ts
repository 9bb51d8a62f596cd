// The benchmark's arithmetic: medians over interleaved rounds, ratios paired by round, the
// stall verdict and the latency chart. (The measurements themselves need a quiet machine.)
import { describe, expect, it } from 'vitest';
import { latencyCharts } from '../../../bench/charts.js';
import { spread } from '../../../bench/lib/stats.js';
import { stallOf } from '../../../bench/lib/stall.js';
import { renderMarkdown, type BenchReport } from '../../../bench/report.js';
import type { MessagingResult } from '../../../bench/workloads/messaging.js';

function run(target: 'pneumatic' | 'raw', rate: number): MessagingResult {
  const step = (r: number, p99: number) => ({ rate: r, durationMs: 1000, pass: p99 < 50, reasons: [], deliveryP50: p99 / 10, deliveryP99: p99, generatorCpu: 0.3, serverCpu: 0.5, machineCpu: 0.9, stealCpu: 0, maxTickGapMs: 2, stalled: null });
  return {
    workload: 'small-groups', title: 'Small groups', target, users: 10, connections: 10, conversations: 4, fanout: 5,
    sustainableRate: rate, cappedAtMax: false,
    atSustainable: { storedPerSecond: rate, deliveriesPerSecond: rate * 5, deliveryP99: 10, serverCpu: 0.5, generatorCpu: 0.3, machineCpu: 0.9 },
    atHalf: null, maxGeneratorCpu: 0.3, generatorSaturated: false,
    steps: [step(100, 5), step(rate, 20), step(rate * 2, 200)], stalledSteps: [],
  };
}

function report(): BenchReport {
  return {
    date: '2026-12-03T00:00:00.000Z', machine: { cores: 2, cpuModel: 'test', memoryGiB: 1 }, node: 'v20',
    options: { db: 'sqlite', workers: null, quick: true, workloads: ['small-groups'], targets: ['pneumatic', 'raw'], repeat: 3 },
    pinning: 'none', pneumaticStatus: 'ok',
    // Round 2 stalled: both sides low, their ratio unchanged.
    messaging: { 'small-groups': { pneumatic: [run('pneumatic', 1000), run('pneumatic', 500), run('pneumatic', 1200)], raw: [run('raw', 4000), run('raw', 2000), run('raw', 4000)] } },
    idle: {}, history: {}, sync: {}, growth: {}, comparisons: {}, warnings: [], wallSeconds: 1, buildSeconds: 0,
  };
}

describe('bench figures', () => {
  it('takes the median and range, leaving out missing values', () => {
    expect(spread([3, null, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(spread([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, n: 2 });
    expect(spread([undefined])).toBeNull();
  });

  it('prints median (min–max) per target and pairs ratios by round', () => {
    const md = renderMarkdown(report());
    const row = md.split('\n').find((l) => l.includes('sustainable send rate'))!;
    expect(row).toContain('1,000 (500–1,200)');
    expect(row).toContain('4,000 (2,000–4,000)');
    // Per-round ratios 0.25, 0.25, 0.30: the stalled round does not widen them.
    expect(row).toContain('0.25× (0.25–0.30)');
    expect(md).toContain('![small-groups: delivery latency p50 and p99 against send rate](small-groups.svg)');
  });

  it('counts steal, other processes and an idle generator’s timer gap as stalls', () => {
    const base = { machineCpu: 1, stealCpu: 0, serverCpu: 0.6, generatorCpu: 0.3, maxTickGapMs: 5, countOtherCpu: true };
    expect(stallOf(base)).toBeNull();
    expect(stallOf({ ...base, stealCpu: 0.2 })).toMatch(/steal/);
    expect(stallOf({ ...base, machineCpu: 1.5 })).toMatch(/other processes/);
    expect(stallOf({ ...base, machineCpu: 1.5, countOtherCpu: false })).toBeNull();
    expect(stallOf({ ...base, maxTickGapMs: 250 })).toMatch(/timer/);
    // A busy generator's long gaps are its own work, not a stall.
    expect(stallOf({ ...base, maxTickGapMs: 250, generatorCpu: 0.9, machineCpu: 1.5 })).toBeNull();
  });

  it('draws one chart per workload with a p50 and a p99 line per target', () => {
    const [chart] = latencyCharts(report());
    expect(chart?.workload).toBe('small-groups');
    expect(chart?.svg).toMatch(/^<svg /);
    expect(chart?.svg.match(/<path /g)).toHaveLength(4);
    expect(chart?.svg).toContain('Pneumatic p99');
    expect(chart?.svg).toContain('raw ws (limit) p50');
    expect(chart?.svg).toContain('p99 limit 50 ms');
  });
});
