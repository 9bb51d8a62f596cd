/**
 * A steady send load beside a background job (retention-jobs.ts): the live small groups
 * connected to the load generator, the rate they sustain found once (the messaging workload's
 * search), then sends at one fixed rate, as back-to-back generator steps, for as long as a phase
 * wants. Each step is a messaging step (lib/protocol.ts): open loop, every send acked and every
 * delivery counted, ack latency at the sender; plus its acks per second, so a job that stalls
 * sends for part of a second shows in that second.
 */
import type { ConnectResult, ConversationSpec, SenderSpec, StepResult } from '../lib/protocol.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { findSustainableRate } from '../lib/search.js';
import { seededRandom, shuffle, type BenchUser } from '../lib/setup.js';
import { sampleMachine, stallOf } from '../lib/stall.js';
import { round, spread, type Spread } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext, LatencySummary } from './context.js';
import { judgeStep } from './messaging.js';

const CONTENT_BYTES = 64;

export interface LoadStep {
  rate: number;
  durationMs: number;
  /** Date.now() as the step began (the generator's clock: the same machine's), and as its answer came (the drain's end). */
  startedAtMs: number;
  endedAtMs: number;
  sendWindowMs: number;
  sent: number;
  acked: number;
  ack: LatencySummary;
  delivery: LatencySummary;
  /** Acks in each whole second of the step while it sent (the first: while acks began to come). */
  ackedPerSecond: number[];
  /** What judgeStep found wrong (none: every send acked and delivered, p99 under the limit). */
  reasons: string[];
  /** The server's process tree and the whole machine, cores busy over the step. */
  serverCpu: number;
  machineCpu: number;
  stalled: string | null;
}

/** A phase's steps together. Spreads are median (min–max) over its steps, or its seconds. */
export interface PhaseLoad {
  steps: number;
  /** Steps judgeStep failed (not every send acked and delivered, delivery p99 over 50 ms, ...). */
  failedSteps: number;
  stalledSteps: number;
  seconds: number;
  /** From the first step's start to the last one's answer, and the share of it spent sending (the rest: drains and settling between steps). */
  wallSeconds: number;
  sendingShare: number;
  sent: number;
  acked: number;
  /** Acks over the steps' nominal length: the rate achieved. */
  sendsPerSecond: number;
  /**
   * Acks in each whole second inside the phase's window (the job's, when it has one), but each
   * step's first: acks then lag the sends by their latency, which the step's drain catches up.
   */
  perSecond: Spread | null;
  ackP50: Spread | null;
  ackP99: Spread | null;
  ackMax: number | null;
  deliveryP99: Spread | null;
  serverCpu: number;
  /** Server CPU per acked message, µs (with a job running, the job's CPU is in it). */
  cpuUsPerMessage: number | null;
  machineCpu: number;
}

/** Opens one socket per live user and sends from every member of every group, in a fixed shuffled order. */
export async function connectLive(ctx: BenchContext, target: RunningTarget, users: readonly BenchUser[], conversations: readonly ConversationSpec[]): Promise<void> {
  const connect = await ctx.generator.send<ConnectResult>({
    cmd: 'connect',
    wsUrl: target.wsUrl,
    clients: users.map((u) => ({ userId: u.id, token: u.token })),
    localAddresses: ctx.localAddresses,
    concurrency: 64,
    timeoutMs: 15_000,
  });
  if (connect.failed > 0) throw new Error(`${connect.failed} of ${connect.requested} sockets failed to open: ${connect.errors.join('; ')}`);
  const clientOf = new Map(users.map((u, i) => [u.id, i]));
  const senders: SenderSpec[] = conversations.flatMap((c) => c.memberIds.map((id) => ({ client: clientOf.get(id)!, conversationId: c.id })));
  await ctx.generator.send({ cmd: 'topology', conversations: [...conversations], senders: shuffle(senders, seededRandom(7)) });
}

/** One step at `rate`, with the server's and the machine's CPU over it. */
export async function loadStep(ctx: BenchContext, target: RunningTarget, rate: number, durationMs: number): Promise<LoadStep> {
  const cpuBefore = treeCpuSeconds(target.pid);
  const runnerBefore = process.cpuUsage();
  const machine = sampleMachine();
  const t0 = Date.now();
  const r = await ctx.generator.send<StepResult>({ cmd: 'step', rate, durationMs, drainMs: ctx.drainMs, contentBytes: CONTENT_BYTES });
  const seconds = (Date.now() - t0) / 1000;
  const serverCpu = round((treeCpuSeconds(target.pid) - cpuBefore) / seconds, 3);
  const { machineCpu, stealCpu } = machine(seconds);
  // The runner (polling a job's progress) shares the generator's core.
  const runner = process.cpuUsage(runnerBefore);
  const generatorCpu = r.generatorCpu + (runner.user + runner.system) / 1e6 / seconds;
  const countOtherCpu = ctx.targetOptions.db === 'sqlite' && ctx.targetOptions.workers === null;
  const stalled = stallOf({ machineCpu, stealCpu, serverCpu, generatorCpu, maxTickGapMs: r.maxTickGapMs, countOtherCpu });
  // Whole seconds while it sent: an aborted step's later seconds had no load to count.
  const whole = Math.min(Math.floor(durationMs / 1000), Math.round(r.sendWindowMs / 1000));
  const pick = (p: LatencySummary) => ({ p50: p.p50, p99: p.p99, max: p.max });
  return {
    rate,
    durationMs,
    startedAtMs: r.startedAtMs,
    endedAtMs: Date.now(),
    sendWindowMs: r.sendWindowMs,
    sent: r.sent,
    acked: r.acked,
    ack: pick(r.ack),
    delivery: pick(r.delivery),
    ackedPerSecond: Array.from({ length: whole }, (_, i) => r.ackedPerSecond[i] ?? 0),
    reasons: judgeStep(r, ctx.generatorCpuLimit),
    serverCpu,
    machineCpu,
    stalled,
  };
}

/**
 * The messaging workload's search on the live groups; the highest rate that passed a full step
 * (0: none). As there, a step that failed while the machine stalled is measured again (twice at
 * most). First an unjudged step: the server has just been seeded (cold caches, unoptimized code).
 */
export async function sustainableRate(ctx: BenchContext, target: RunningTarget, budgetMs: number): Promise<number> {
  await loadStep(ctx, target, 200, 2000);
  const outcome = await findSustainableRate(
    ctx.search(100, 100_000, budgetMs),
    async (rate, durationMs) => {
      for (let attempt = 0; ; attempt++) {
        const step = await loadStep(ctx, target, rate, durationMs);
        // A busy generator is flagged, not failed, as in the messaging workload.
        const failing = step.reasons.filter((r) => !r.endsWith('(flagged)'));
        if (failing.length > 0 && step.stalled !== null && attempt < 2) {
          ctx.log(`  ${rate} /s for ${durationMs / 1000} s failed during a stall (${step.stalled}; ${failing.join('; ')}): measuring again`);
          continue;
        }
        return { pass: failing.length === 0, reasons: step.reasons, result: step };
      }
    },
    ctx.log,
  );
  return outcome.rate;
}

/** Steps of `stepMs` at `rate`, back to back, until `more(elapsedMs)` says enough (checked after each). */
export async function steadyLoad(ctx: BenchContext, target: RunningTarget, rate: number, stepMs: number, more: (elapsedMs: number) => boolean): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  const started = Date.now();
  do {
    const step = await loadStep(ctx, target, rate, stepMs);
    steps.push(step);
    const failing = step.reasons.filter((r) => !r.endsWith('(flagged)'));
    if (failing.length > 0) ctx.log(`    step ${steps.length}: ${failing.join('; ')}${step.stalled ? ` (stalled: ${step.stalled})` : ''}`);
  } while (more(Date.now() - started));
  return steps;
}

/** The phase's figures; `window`: only the seconds inside it count per second (a job's run). */
export function summarizeLoad(steps: readonly LoadStep[], window: { fromMs: number; toMs: number } = { fromMs: -Infinity, toMs: Infinity }): PhaseLoad {
  const seconds = steps.reduce((n, s) => n + s.durationMs / 1000, 0);
  const acked = steps.reduce((n, s) => n + s.acked, 0);
  const perSecond = steps.flatMap((s) => s.ackedPerSecond.filter((_, i) => i > 0 && s.startedAtMs + i * 1000 >= window.fromMs && s.startedAtMs + (i + 1) * 1000 <= window.toMs));
  const wallMs = steps.length > 0 ? steps.at(-1)!.endedAtMs - steps[0]!.startedAtMs : 0;
  // CPU weighted by each step's length.
  const weighted = (value: (s: LoadStep) => number) => round(steps.reduce((n, s) => n + value(s) * (s.durationMs / 1000), 0) / Math.max(seconds, 0.001), 3);
  const serverCpu = weighted((s) => s.serverCpu);
  const maxes = steps.map((s) => s.ack.max).filter((v): v is number => v !== null);
  return {
    steps: steps.length,
    failedSteps: steps.filter((s) => s.reasons.some((r) => !r.endsWith('(flagged)'))).length,
    stalledSteps: steps.filter((s) => s.stalled !== null).length,
    seconds: round(seconds, 1),
    wallSeconds: round(wallMs / 1000, 1),
    sendingShare: round(steps.reduce((n, s) => n + s.sendWindowMs, 0) / Math.max(wallMs, 1), 3),
    sent: steps.reduce((n, s) => n + s.sent, 0),
    acked,
    sendsPerSecond: round(acked / Math.max(seconds, 0.001), 1),
    perSecond: spread(perSecond),
    ackP50: spread(steps.map((s) => s.ack.p50)),
    ackP99: spread(steps.map((s) => s.ack.p99)),
    ackMax: maxes.length > 0 ? Math.max(...maxes) : null,
    deliveryP99: spread(steps.map((s) => s.delivery.p99)),
    serverCpu,
    cpuUsPerMessage: acked > 0 ? round((serverCpu * seconds * 1e6) / acked, 0) : null,
    machineCpu: weighted((s) => s.machineCpu),
  };
}
