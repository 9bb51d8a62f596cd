// The search workload's table: figures over rounds beside the targets, the first page's
// sanity check, and send throughput against --compare REF paired by round.
import { describe, expect, it } from 'vitest';
import { renderSearch } from '../../../bench/report-search.js';
import type { BenchReport } from '../../../bench/report.js';
import type { MessagingResult } from '../../../bench/workloads/messaging.js';
import type { SearchCaseResult, SearchResult, SearchRound } from '../../../bench/workloads/search.js';

function round(p99: number, rps: number): SearchRound {
  return { durationMs: 3000, requests: rps * 3, requestsPerSecond: rps, latency: { count: rps * 3, p50: p99 / 4, p99, max: p99 * 2 }, errors: 0, errorSamples: [], serverCpu: 0.9 };
}

function searchCase(name: SearchCaseResult['name'], order: 'relevance' | 'recent', target: number, p99s: number[], hits: number, results: number): SearchCaseResult {
  return {
    name, q: name === 'phrase' ? '"merge conflict"' : 'deploy', order, targetP99Ms: target, expectedHits: hits,
    firstPage: { status: 200, results, nextCursor: hits > 20, matchesExpected: results === Math.min(20, hits) },
    rounds: p99s.map((p, i) => round(p, 100 + i * 10)),
  };
}

function small(rate: number, cpu: number, atOurHalf?: number): MessagingResult {
  return { sustainableRate: rate, atHalf: { cpuUsPerMessage: cpu }, ...(atOurHalf === undefined ? {} : { atPneumaticHalf: { cpuUsPerMessage: atOurHalf } }) } as unknown as MessagingResult;
}

function report(search: SearchResult, compare: boolean): BenchReport {
  return {
    date: '', machine: { cores: 2, cpuModel: 'test', memoryGiB: 1 }, node: 'v20',
    options: { db: 'sqlite', workers: null, quick: true, workloads: ['search', 'small-groups'], targets: ['pneumatic'], repeat: 3 },
    ...(compare ? { compare: { ref: 'abc^', commit: 'abc', label: 'abc1234 “before the index”' } } : {}),
    pinning: 'none', pneumaticStatus: 'ok',
    messaging: compare ? { 'small-groups': { pneumatic: [small(900, 330), small(500, 300), small(1000, 320)], ref: [small(1000, 250, 300), small(600, 200, 300), small(1000, 250, 300)] } } : {},
    idle: {}, history: {}, sync: {}, growth: {}, comparisons: {}, warnings: [], wallSeconds: 1, buildSeconds: 0,
    search: { pneumatic: search },
  };
}

const result: SearchResult = {
  workload: 'search', target: 'pneumatic',
  options: { messages: 1000, conversations: 2000, memberOf: 200, senders: 40, clients: 4, durationMs: 3000, warmupMs: 500, rounds: 3 },
  fixture: { messages: 1_000_000, visibleMessages: 100_000, averageChars: 53, setupSeconds: 2, seedSeconds: 200 },
  cases: [searchCase('common word', 'relevance', 100, [80, 120, 90], 5000, 20), searchCase('common word', 'recent', 100, [130, 150, 140], 5000, 20), searchCase('phrase', 'relevance', 100, [10, 12, 11], 480, 3)],
};

describe('the search table', () => {
  it('prints p99 as median (min–max) over rounds beside its target, and flags a first page that is not a member\'s', () => {
    const lines = renderSearch(report(result, false));
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Search'));
    expect(rows[0]).toContain('common word: `deploy` | relevance | 5,000 | 20 + cursor | 22.5 (20.0–30.0) | 90.0 (80.0–120.0) | < 100 ✓');
    expect(rows[1]).toContain('140.0 (130.0–150.0) | < 100 ✗');
    expect(rows[2]).toContain('phrase: `"merge conflict"` | relevance | 480 | 3 + cursor ⚠');
    expect(lines.join('\n')).toContain('1,000,000 messages (average 53 characters) written in bulk in 200.0 s (5,000 messages/s');
    expect(lines.join('\n')).toContain('not measured in this run');
  });

  it('pairs send throughput with REF by round, CPU per message at this build\'s half rate on both', () => {
    const text = renderSearch(report(result, true)).join('\n');
    // Per-round ratios 0.90, 0.83, 1.00 (rate) and 1.10, 1.00, 1.07 (CPU per message).
    expect(text).toContain('sustainable send rate 0.90× (0.83–1.0) (target ≥ 0.85× ✓)');
    expect(text).toContain("server CPU per message at this build's half rate 1.1× (1.0–1.1)");
  });
});
