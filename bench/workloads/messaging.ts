/**
 * One messaging workload against one server: set it up through the API, connect every client,
 * find the sustainable send rate, then measure latencies at half of it.
 */
import type { ClientSpec, ConnectResult, SenderSpec, StepResult } from '../lib/protocol.js';
import { activePushSink } from '../lib/push-sink.js';
import { activeWebhooks } from '../lib/webhook-sink.js';
import { findSustainableRate, type Verdict } from '../lib/search.js';
import { createConversations, createUsers, seededRandom, shuffle } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { sampleMachine, stallOf } from '../lib/stall.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext, LatencySummary } from './context.js';
import type { Topology } from './topologies.js';
import { describeStepWebhooks, subscribeForWorkload, watchStepDeliveries, type StepWebhooks } from './messaging-webhooks.js';

export const DELIVERY_P99_LIMIT_MS = 50;
const CONTENT_BYTES = 64;
/** A failed step during a stall of the machine is measured again, at most this many times. */
const STALL_RETRIES = 2;

export interface StepSummary {
  rate: number;
  durationMs: number;
  pass: boolean;
  reasons: string[];
  deliveryP50: number | null;
  deliveryP99: number | null;
  generatorCpu: number;
  serverCpu: number;
  /** Cores busy on the whole machine (server, generator, databases, Redis, anything else). */
  machineCpu: number;
  /** Cores' worth of hypervisor steal time during the step. */
  stealCpu: number;
  /** Longest gap between the generator's 1 ms ticks. */
  maxTickGapMs: number;
  /** Why the machine counts as stalled during the step (lib/stall.ts), or null. */
  stalled: string | null;
  /** --webhooks, this build: the step's deliveries at the sink. */
  webhooks?: StepWebhooks;
}

export interface MessagingResult {
  workload: string;
  title: string;
  target: string;
  users: number;
  connections: number;
  conversations: number;
  fanout: number;
  sustainableRate: number;
  cappedAtMax: boolean;
  atSustainable: { storedPerSecond: number; deliveriesPerSecond: number; deliveryP99: number | null; serverCpu: number; generatorCpu: number; machineCpu: number } | null;
  atHalf: AtRate | null;
  /** The raw server at Pneumatic's half rate: latencies compared at the same rate. */
  atPneumaticHalf?: AtRate | null;
  maxGeneratorCpu: number;
  generatorSaturated: boolean;
  steps: StepSummary[];
  /** Failed steps measured during a stall and then repeated (not part of the search). */
  stalledSteps: StepSummary[];
  error?: string;
}

export interface AtRate {
  rate: number;
  pass: boolean;
  reasons: string[];
  ack: LatencySummary;
  delivery: LatencySummary;
  storedPerSecond: number;
  deliveriesPerSecond: number;
  /** The server's process tree, cores busy over the step. */
  serverCpu: number;
  /** Server CPU per message sent, µs: at a fixed rate, the stable figure behind throughput. */
  cpuUsPerMessage: number;
  /** --webhooks, this build: the step's deliveries at the sink. */
  webhooks?: StepWebhooks;
}

/** webhooks: per conversation (--webhooks, this build only), else 0. */
type Setup = { users: Awaited<ReturnType<typeof createUsers>>; conversations: Awaited<ReturnType<typeof createConversations>>; webhooks: number };
const setupsOf = new WeakMap<RunningTarget, Map<string, Setup>>();

type Measured = StepResult & { serverCpu: number; machineCpu: number; stealCpu: number; stalled: string | null; webhooks?: StepWebhooks };

function summary(rate: number, durationMs: number, pass: boolean, reasons: string[], r: Measured): StepSummary {
  return {
    rate,
    durationMs,
    pass,
    reasons,
    deliveryP50: r.delivery.p50,
    deliveryP99: r.delivery.p99,
    generatorCpu: r.generatorCpu,
    serverCpu: r.serverCpu,
    machineCpu: r.machineCpu,
    stealCpu: r.stealCpu,
    maxTickGapMs: r.maxTickGapMs,
    stalled: r.stalled,
    ...(r.webhooks ? { webhooks: r.webhooks } : {}),
  };
}

export function judgeStep(r: StepResult, generatorCpuLimit: number): string[] {
  const reasons: string[] = [];
  if (r.aborted) reasons.push(`aborted: ${r.aborted}`);
  if (r.errors > 0) reasons.push(`${r.errors} errors (${r.errorSamples[0] ?? ''})`);
  if (r.acked < r.sent) reasons.push(`${r.sent - r.acked} of ${r.sent} not acked`);
  if (r.missingDeliveries > 0) reasons.push(`${r.missingDeliveries} of ${r.expectedDeliveries} deliveries missing`);
  if (r.duplicates > 0) reasons.push(`${r.duplicates} duplicates`);
  if (r.outOfOrder > 0) reasons.push(`${r.outOfOrder} out of seq order`);
  if (r.delivery.p99 === null || r.delivery.p99 >= DELIVERY_P99_LIMIT_MS) reasons.push(`delivery p99 ${r.delivery.p99} ms`);
  if (r.sendWindowMs > r.durationMs * 1.1 + 100) reasons.push(`generator fell behind the rate (sent over ${Math.round(r.sendWindowMs)} ms)`);
  if (r.generatorCpu > generatorCpuLimit) reasons.push(`generator CPU ${Math.round(r.generatorCpu * 100)}% (flagged)`);
  return reasons;
}

function clientsFor(topology: Topology, users: { id: string; token: string }[]): { clients: ClientSpec[]; clientsOfUser: number[][] } {
  const clients: ClientSpec[] = [];
  const clientsOfUser: number[][] = users.map(() => []);
  for (let device = 0; device < topology.connectionsPerUser; device++) {
    users.forEach((user, i) => {
      clientsOfUser[i]!.push(clients.length);
      clients.push({ userId: user.id, token: user.token });
    });
  }
  return { clients, clientsOfUser };
}

/** `alsoAtRate`: one more full-length step at this rate (the raw server at Pneumatic's half rate). */
export async function runMessaging(ctx: BenchContext, target: RunningTarget, topology: Topology, budgetMs: number, alsoAtRate?: number): Promise<MessagingResult> {
  const result: MessagingResult = {
    workload: topology.name,
    title: topology.title,
    target: target.kind,
    users: topology.users,
    connections: topology.users * topology.connectionsPerUser,
    conversations: topology.conversations.length,
    fanout: topology.fanout,
    sustainableRate: 0,
    cappedAtMax: false,
    atSustainable: null,
    atHalf: null,
    maxGeneratorCpu: 0,
    generatorSaturated: false,
    steps: [],
    stalledSteps: [],
  };
  const started = Date.now();
  // Set up once per server: later rounds on the same server reuse the users and conversations.
  const setups = setupsOf.get(target) ?? setupsOf.set(target, new Map()).get(target)!;
  let setup = setups.get(topology.name);
  const firstOnServer = !setup;
  if (!setup) {
    const users = await createUsers(target.baseUrl, topology.users, topology.name.slice(0, 2));
    const conversations = await createConversations(target.baseUrl, users, topology.conversations);
    const webhooks = await subscribeForWorkload(target, users, conversations, ctx.log);
    setup = { users, conversations, webhooks };
    setups.set(topology.name, setup);
    ctx.log(`  set up ${users.length} users, ${conversations.length} conversations in ${Date.now() - started} ms`);
  }
  const { users, conversations, webhooks } = setup;
  const { clients, clientsOfUser } = clientsFor(topology, users);

  const connect = await ctx.generator.send<ConnectResult>({
    cmd: 'connect',
    wsUrl: target.wsUrl,
    clients,
    localAddresses: ctx.localAddresses,
    concurrency: 64,
    timeoutMs: 15_000,
  });
  if (connect.failed > 0) throw new Error(`${connect.failed} of ${connect.requested} sockets failed to open: ${connect.errors.join('; ')}`);

  const senders: SenderSpec[] = [];
  topology.conversations.forEach((plan, c) => {
    for (const member of plan.members) for (const client of clientsOfUser[member]!) senders.push({ client, conversationId: conversations[c]!.id });
  });
  await ctx.generator.send({ cmd: 'topology', conversations, senders: shuffle(senders, seededRandom(7)) });

  const measure = async (rate: number, durationMs: number): Promise<Measured> => {
    const cpuBefore = treeCpuSeconds(target.pid);
    const runnerBefore = process.cpuUsage();
    const machine = sampleMachine();
    const watch = webhooks > 0 ? watchStepDeliveries(webhooks) : null;
    const t0 = Date.now();
    const step = await ctx.generator.send<StepResult>({ cmd: 'step', rate, durationMs, drainMs: ctx.drainMs, contentBytes: CONTENT_BYTES });
    const seconds = (Date.now() - t0) / 1000;
    const serverCpu = round((treeCpuSeconds(target.pid) - cpuBefore) / seconds, 3);
    const { machineCpu, stealCpu } = machine(seconds);
    // The runner shares the generator's core; with a push or webhook sink it has work of its own.
    const runnerUsage = process.cpuUsage(runnerBefore);
    const benchCpu = step.generatorCpu + (runnerUsage.user + runnerUsage.system) / 1e6 / seconds;
    result.maxGeneratorCpu = Math.max(result.maxGeneratorCpu, step.generatorCpu);
    // CPU outside server and generator is interference unless the server uses PostgreSQL or Redis.
    const countOtherCpu = ctx.targetOptions.db === 'sqlite' && ctx.targetOptions.workers === null;
    const stalled = stallOf({ machineCpu, stealCpu, serverCpu, generatorCpu: benchCpu, maxTickGapMs: step.maxTickGapMs, countOtherCpu });
    if (!watch) return { ...step, serverCpu, machineCpu, stealCpu, stalled };
    const delivered = await watch(step.acked);
    ctx.log(`  ${rate} /s: ${describeStepWebhooks(delivered)}`);
    return { ...step, serverCpu, machineCpu, stealCpu, stalled, webhooks: delivered };
  };
  const runStep = async (rate: number, durationMs: number): Promise<Verdict<Measured>> => {
    for (let attempt = 0; ; attempt++) {
      const measured = await measure(rate, durationMs);
      const reasons = judgeStep(measured, ctx.generatorCpuLimit);
      // A busy generator is flagged, not failed: the figure is then a floor of the server's capacity.
      const failing = reasons.filter((r) => !r.endsWith('(flagged)'));
      if (reasons.length > failing.length) result.generatorSaturated = true;
      const pass = failing.length === 0;
      // A step that failed while the machine stalled says nothing about the rate: measure again.
      if (!pass && measured.stalled !== null && attempt < STALL_RETRIES) {
        ctx.log(`  ${rate} /s for ${durationMs / 1000} s failed during a stall (${measured.stalled}; ${failing.join('; ')}): measuring again`);
        result.stalledSteps.push(summary(rate, durationMs, pass, reasons, measured));
        continue;
      }
      if (measured.stalled !== null) reasons.push(`stalled: ${measured.stalled}`);
      return { pass, reasons, result: measured };
    }
  };

  // --push, --webhooks: the server's first round begins with a step that is not judged. The
  // push thread starts on the first subscription and its first pushes compile their encryption
  // and requests (webhook lanes open at the engine's next poll); the budget is sends while the
  // queue is being drained, not that start-up. Every target gets it, so all are as warm.
  const sink = activePushSink();
  if ((sink || activeWebhooks()) && firstOnServer) {
    const pushedBefore = sink?.received ?? 0;
    const warm = await measure(topology.startRate * 3, 2000);
    await sink?.settled();
    ctx.log(`  warm-up (not judged) ${warm.rate} /s: ${warm.acked} acked, delivery p99 ${warm.delivery.p99} ms${sink ? `, ${sink.received - pushedBefore} pushes` : ''}`);
  }

  const outcome = await findSustainableRate(ctx.search(topology.startRate, topology.maxRate, budgetMs), runStep, ctx.log);
  result.sustainableRate = outcome.rate;
  result.cappedAtMax = outcome.cappedAtMax;
  result.steps = outcome.steps.map((s) => summary(s.rate, s.durationMs, s.pass, s.reasons, s.result));
  const best = outcome.best?.result;
  if (best) {
    result.atSustainable = {
      storedPerSecond: best.storedPerSecond,
      deliveriesPerSecond: best.deliveriesPerSecond,
      deliveryP99: best.delivery.p99,
      serverCpu: best.serverCpu,
      generatorCpu: best.generatorCpu,
      machineCpu: best.machineCpu,
    };
  }
  const pick = (p: LatencySummary) => ({ p50: p.p50, p99: p.p99, max: p.max });
  const stepAt = async (rate: number, label: string): Promise<AtRate> => {
    const step = await runStep(rate, ctx.stepMs);
    ctx.log(`  ${label} ${rate} /s: ack p99 ${step.result.ack.p99} ms, delivery p99 ${step.result.delivery.p99} ms`);
    return {
      rate,
      pass: step.pass,
      reasons: step.reasons,
      ack: pick(step.result.ack),
      delivery: pick(step.result.delivery),
      storedPerSecond: step.result.storedPerSecond,
      deliveriesPerSecond: step.result.deliveriesPerSecond,
      serverCpu: step.result.serverCpu,
      cpuUsPerMessage: round((step.result.serverCpu * 1e6) / rate, 0),
      ...(step.result.webhooks ? { webhooks: step.result.webhooks } : {}),
    };
  };
  if (outcome.rate > 0) result.atHalf = await stepAt(Math.max(1, Math.round(outcome.rate / 2)), 'half rate');
  if (alsoAtRate !== undefined && alsoAtRate > 0) result.atPneumaticHalf = await stepAt(alsoAtRate, "Pneumatic's half rate");
  await ctx.generator.send({ cmd: 'close' });
  return result;
}
