/**
 * Search (issue #17, Performance): GET /search/messages over a seeded corpus (search-seed.ts),
 * as a user who is a member of 200 of its 2,000 conversations. For each query of SEARCH_CASES
 * and each order (relevance, recent): C clients, each on its own keep-alive connection, send the
 * next request when the last was answered (closed loop) for D seconds after a warm-up; in R
 * rounds, the cases in turn (the order reversed every other round), so a stall of the machine
 * hits one round rather than one case's every figure. Pneumatic only.
 */
import { performance } from 'node:perf_hooks';
import { createAgent, requestRaw } from '../lib/http.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { LatencyRecorder, round, type Percentiles } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { SEARCH_CASES, type SearchCase } from './search-corpus.js';
import { seedSearchFixture, type SearchFixture, type SearchFixtureOptions } from './search-seed.js';

export type SearchOrder = 'relevance' | 'recent';
const ORDERS: readonly SearchOrder[] = ['relevance', 'recent'];
const PAGE_LIMIT = 20;

export interface SearchOptions extends SearchFixtureOptions {
  clients: number;
  durationMs: number;
  warmupMs: number;
  rounds: number;
}

export function searchOptions(quick: boolean, repeat: number, messages?: number, clients?: number): SearchOptions {
  return {
    messages: messages ?? (quick ? 100_000 : 1_000_000),
    conversations: 2000,
    memberOf: 200,
    senders: 40,
    clients: clients ?? 4,
    durationMs: quick ? 3000 : 10_000,
    warmupMs: quick ? 500 : 1000,
    rounds: repeat,
  };
}

export interface SearchRound {
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  latency: Percentiles;
  errors: number;
  errorSamples: string[];
  /** Cores used by the server's process tree (not PostgreSQL's own processes). */
  serverCpu: number;
}

export interface SearchCaseResult {
  name: SearchCase['name'];
  q: string;
  order: SearchOrder;
  targetP99Ms: number;
  /** The searcher's messages that match (the reference definition), counted while seeding. */
  expectedHits: number;
  /** One untimed request before the rounds: its status, results and whether next_cursor was set. */
  firstPage: { status: number; results: number; nextCursor: boolean; matchesExpected: boolean };
  rounds: SearchRound[];
}

export interface SearchResult {
  workload: 'search';
  target: string;
  options: SearchOptions;
  fixture: Omit<SearchFixture, 'searcher' | 'expectedHits'>;
  cases: SearchCaseResult[];
  error?: string;
}

function searchPath(q: string, order: SearchOrder): string {
  return `/search/messages?${new URLSearchParams({ q, order, limit: String(PAGE_LIMIT) }).toString()}`;
}

/** The first page once, untimed: the sanity check of the case (a full page and a cursor when there are more). */
async function firstPage(target: RunningTarget, token: string, path: string, expected: number): Promise<SearchCaseResult['firstPage']> {
  const agent = createAgent(1);
  try {
    const res = await requestRaw(agent, target.baseUrl, 'GET', path, { token, timeoutMs: 120_000 });
    if (res.status !== 200) return { status: res.status, results: 0, nextCursor: false, matchesExpected: false };
    const body = JSON.parse(res.body.toString('utf8')) as { results: unknown[]; next_cursor: string | null };
    const nextCursor = body.next_cursor !== null;
    const matchesExpected = body.results.length === Math.min(PAGE_LIMIT, expected) && nextCursor === expected > PAGE_LIMIT;
    return { status: res.status, results: body.results.length, nextCursor, matchesExpected };
  } finally {
    agent.destroy();
  }
}

/** `clients` closed loops on one path until `durationMs` has passed; resolves when the last answer arrived. */
async function closedLoop(target: RunningTarget, token: string, path: string, clients: number, durationMs: number): Promise<SearchRound> {
  const agent = createAgent(clients);
  const latency = new LatencyRecorder();
  const errorSamples: string[] = [];
  let errors = 0;
  const cpuBefore = treeCpuSeconds(target.pid);
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        // Generous: a slow query queued behind the other clients' is a figure to report, not an error.
        const res = await requestRaw(agent, target.baseUrl, 'GET', path, { token, timeoutMs: 120_000 });
        if (res.status !== 200) {
          errors += 1;
          if (errorSamples.length < 3) errorSamples.push(`${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
          continue;
        }
      } catch (error) {
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(error instanceof Error ? error.message : String(error));
        continue;
      }
      latency.record(performance.now() - t0);
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, loop));
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - started;
  return {
    durationMs: round(elapsedMs, 0),
    requests: latency.count,
    requestsPerSecond: round(latency.count / (elapsedMs / 1000), 1),
    latency: latency.percentiles(),
    errors,
    errorSamples,
    serverCpu: round((treeCpuSeconds(target.pid) - cpuBefore) / (elapsedMs / 1000), 2),
  };
}

export async function runSearch(ctx: BenchContext, target: RunningTarget, options: SearchOptions): Promise<SearchResult> {
  const fixture = await seedSearchFixture(ctx, target, options);
  const token = fixture.searcher.token;
  const cases: SearchCaseResult[] = [];
  for (const c of SEARCH_CASES) {
    for (const order of ORDERS) {
      const expectedHits = fixture.expectedHits[c.name] ?? 0;
      const page = await firstPage(target, token, searchPath(c.q, order), expectedHits);
      cases.push({ name: c.name, q: c.q, order, targetP99Ms: c.targetP99Ms, expectedHits, firstPage: page, rounds: [] });
      ctx.log(`  ${c.name} (${c.q}, ${order}): first page ${page.status} with ${page.results} results, next_cursor ${page.nextCursor ? 'set' : 'null'} (the searcher has ${expectedHits} hits${page.matchesExpected ? '' : ': ⚠ not what a member should get'})`);
    }
  }
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) {
      const path = searchPath(c.q, c.order);
      await closedLoop(target, token, path, options.clients, options.warmupMs);
      const measured = await closedLoop(target, token, path, options.clients, options.durationMs);
      c.rounds[r] = measured;
      const l = measured.latency;
      ctx.log(`  round ${r + 1}/${options.rounds} ${c.name}, ${c.order}: ${measured.requestsPerSecond} req/s, p50 / p99 ${l.p50} / ${l.p99} ms, ${measured.errors} errors, server ${measured.serverCpu} cores`);
    }
  }
  const { searcher: _searcher, expectedHits: _expected, ...rest } = fixture;
  return { workload: 'search', target: target.kind, options, fixture: rest, cases };
}
