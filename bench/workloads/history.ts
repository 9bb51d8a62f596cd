/** History reads: GET /conversations/{id}/messages?limit=50 per second while p99 stays under 20 ms. */
import type { HttpLoadResult, HttpRequestSpec, PopulateResult } from '../lib/protocol.js';
import { findSustainableRate, type Verdict } from '../lib/search.js';
import { createConversations, createUsers } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { sampleMachine, stallOf } from '../lib/stall.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext, LatencySummary } from './context.js';

export const HISTORY_P99_LIMIT_MS = 20;

export interface HistoryResult {
  workload: 'history';
  target: string;
  conversations: number;
  messagesPerConversation: number;
  sustainableRate: number;
  cappedAtMax: boolean;
  latency: LatencySummary | null;
  serverCpu: number | null;
  maxGeneratorCpu: number;
  generatorSaturated: boolean;
  steps: { rate: number; durationMs: number; pass: boolean; reasons: string[]; p99: number | null; stalled: string | null }[];
  /** Failed steps during a stall of the machine, measured again (not part of the search). */
  stalledSteps: { rate: number; durationMs: number; reasons: string[]; stalled: string }[];
  error?: string;
}

export async function runHistory(ctx: BenchContext, target: RunningTarget, budgetMs: number): Promise<HistoryResult> {
  const conversationCount = ctx.quick ? 10 : 20;
  const perConversation = ctx.quick ? 60 : 100;
  const users = await createUsers(target.baseUrl, conversationCount * 2, 'hi');
  // Each conversation: two members; both read its history.
  const plans = Array.from({ length: conversationCount }, (_, c) => ({ members: [2 * c, 2 * c + 1] }));
  const conversations = await createConversations(target.baseUrl, users, plans);
  const posts: HttpRequestSpec[] = [];
  for (let m = 0; m < perConversation; m++) {
    conversations.forEach((conversation, c) => {
      posts.push({
        path: `/conversations/${conversation.id}/messages`,
        token: users[2 * c + (m % 2)]!.token,
        body: { message_id: crypto.randomUUID(), content: `history message ${m} `.padEnd(64, 'x') },
      });
    });
  }
  const filled = await ctx.generator.send<PopulateResult>({ cmd: 'populate', baseUrl: target.baseUrl, requests: posts, concurrency: 8 });
  if (filled.failed > 0) throw new Error(`prefill: ${filled.failed} posts failed: ${filled.errors.join('; ')}`);
  ctx.log(`  prefilled ${filled.ok} messages in ${Math.round(filled.elapsedMs)} ms`);

  const requests: HttpRequestSpec[] = conversations.flatMap((conversation, c) => [0, 1].map((k) => ({ path: `/conversations/${conversation.id}/messages?limit=50`, token: users[2 * c + k]!.token })));
  const result: HistoryResult = {
    workload: 'history',
    target: target.kind,
    conversations: conversationCount,
    messagesPerConversation: perConversation,
    sustainableRate: 0,
    cappedAtMax: false,
    latency: null,
    serverCpu: null,
    maxGeneratorCpu: 0,
    generatorSaturated: false,
    steps: [],
    stalledSteps: [],
  };
  type Measured = HttpLoadResult & { serverCpu: number; stalled: string | null };
  const measure = async (rate: number, durationMs: number): Promise<Verdict<Measured>> => {
    const cpuBefore = treeCpuSeconds(target.pid);
    const machine = sampleMachine();
    const t0 = Date.now();
    const r = await ctx.generator.send<HttpLoadResult>({ cmd: 'http-load', baseUrl: target.baseUrl, method: 'GET', requests, rate, durationMs, drainMs: ctx.drainMs, maxSockets: 64 });
    const seconds = (Date.now() - t0) / 1000;
    const serverCpu = round((treeCpuSeconds(target.pid) - cpuBefore) / seconds, 3);
    const countOtherCpu = ctx.targetOptions.db === 'sqlite' && ctx.targetOptions.workers === null;
    const stalled = stallOf({ ...machine(seconds), serverCpu, generatorCpu: r.generatorCpu, maxTickGapMs: 0, countOtherCpu });
    result.maxGeneratorCpu = Math.max(result.maxGeneratorCpu, r.generatorCpu);
    const reasons: string[] = [];
    if (r.aborted) reasons.push(`aborted: ${r.aborted}`);
    if (r.errors > 0) reasons.push(`${r.errors} errors (${r.errorSamples[0] ?? ''})`);
    if (r.latency.p99 === null || r.latency.p99 >= HISTORY_P99_LIMIT_MS) reasons.push(`p99 ${r.latency.p99} ms`);
    if (r.sendWindowMs > durationMs * 1.1 + 100) reasons.push('generator fell behind the rate');
    const pass = reasons.length === 0;
    if (r.generatorCpu > ctx.generatorCpuLimit) {
      result.generatorSaturated = true;
      reasons.push(`generator CPU ${Math.round(r.generatorCpu * 100)}% (flagged)`);
    }
    return { pass, reasons, result: { ...r, serverCpu, stalled } };
  };
  // A step that failed while the machine stalled says nothing about the rate: measure again (twice at most).
  const runStep = async (rate: number, durationMs: number): Promise<Verdict<Measured>> => {
    for (let attempt = 0; ; attempt++) {
      const verdict = await measure(rate, durationMs);
      const stalled = verdict.result.stalled;
      if (verdict.pass || stalled === null || attempt >= 2) return stalled === null ? verdict : { ...verdict, reasons: [...verdict.reasons, `stalled: ${stalled}`] };
      ctx.log(`  ${rate} /s for ${durationMs / 1000} s failed during a stall (${stalled}): measuring again`);
      result.stalledSteps.push({ rate, durationMs, reasons: verdict.reasons, stalled });
    }
  };
  const outcome = await findSustainableRate(ctx.search(100, 100_000, budgetMs), runStep, ctx.log);
  result.sustainableRate = outcome.rate;
  result.cappedAtMax = outcome.cappedAtMax;
  result.steps = outcome.steps.map((s) => ({ rate: s.rate, durationMs: s.durationMs, pass: s.pass, reasons: s.reasons, p99: s.result.latency.p99, stalled: s.result.stalled }));
  if (outcome.best) {
    const l = outcome.best.result.latency;
    result.latency = { p50: l.p50, p99: l.p99, max: l.max };
    result.serverCpu = outcome.best.result.serverCpu;
  }
  await ctx.generator.send({ cmd: 'close' });
  return result;
}
