/**
 * Reactions on one hot message (issue #16): one conversation of 200 members, 100 of them
 * connected by WebSocket, one message; 50 reactors, each on its own keep-alive connection,
 * toggle their own reaction (PUT, then DELETE, cycling over a few emoji) as fast as the server
 * answers, for 10 s (3 s quick) after a short warm-up. Closed loop from the runner: each
 * reactor sends its next change when the last one was answered.
 *
 * Every 204 is a change (a reactor only takes back what it added), so every connected member
 * should get exactly one frame per acknowledged change, and the message's final counts are
 * what the reactors hold at the end. Pneumatic only: the raw ws server has no reactions.
 */
import { performance } from 'node:perf_hooks';
import { createAgent, requestJson, requestRaw } from '../lib/http.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { createConversations, createUsers, type BenchUser } from '../lib/setup.js';
import { LatencyRecorder, round, type Percentiles } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { ReactionListeners } from './reaction-listeners.js';

const MEMBERS = 200;
const CONNECTED = 100;
const REACTORS = 50;
/** Fully-qualified RGI emoji, as the API requires (❤️ with its U+FE0F). */
const EMOJI = ['👍', '❤️', '🎉', '😂'];

export interface ReactionsResult {
  workload: 'reactions';
  target: string;
  members: number;
  connected: number;
  reactors: number;
  emoji: string[];
  setupMs: number;
  warmupMs: number;
  /** The measured phase: from the first request to the last answer. */
  durationMs: number;
  /** Changes answered 204, and per second of the phase. */
  acked: number;
  reactionsPerSecond: number;
  latency: Percentiles;
  errors: number;
  errorSamples: string[];
  /** acked × connected, against the reaction frames the connected members received. */
  expectedFrames: number;
  deliveredFrames: number;
  /** Frames delivered per second, from the first request to the last frame. */
  framesPerSecond: number;
  /** Connected members that received exactly one frame per acknowledged change. */
  membersWithEveryChange: number;
  outOfOrder: number;
  otherFrames: number;
  closes: number;
  /** GET /messages/{id}/reactions after the load, against what the reactors hold. */
  finalCounts: { expected: Record<string, number>; actual: Record<string, number>; matches: boolean };
  /** Cores used during the phase: the server's process tree, and this runner (reactors and sockets). */
  serverCpu: number;
  runnerCpu: number;
  error?: string;
}

interface Reactor {
  user: BenchUser;
  index: number;
  /** Requests made so far: even ones PUT, odd ones DELETE the same emoji. */
  step: number;
  /** The emoji this reactor's reaction currently stands on, if any. */
  held: string | null;
}

interface Phase {
  acked: number;
  errors: number;
  errorSamples: string[];
  latency: LatencyRecorder;
}

function reactionPath(messageId: string, emoji: string): string {
  return `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
}

/** Every reactor toggles until `durationMs` has passed; resolves when the last answer arrived. */
async function runPhase(target: RunningTarget, messageId: string, reactors: Reactor[], durationMs: number): Promise<Phase> {
  const agent = createAgent(reactors.length);
  const phase: Phase = { acked: 0, errors: 0, errorSamples: [], latency: new LatencyRecorder() };
  const deadline = performance.now() + durationMs;
  const fail = (text: string) => {
    phase.errors += 1;
    if (phase.errorSamples.length < 5) phase.errorSamples.push(text);
  };
  const loop = async (reactor: Reactor) => {
    while (performance.now() < deadline) {
      const adding = reactor.step % 2 === 0;
      const emoji = adding ? EMOJI[(reactor.index + reactor.step / 2) % EMOJI.length]! : reactor.held!;
      const t0 = performance.now();
      try {
        const res = await requestRaw(agent, target.baseUrl, adding ? 'PUT' : 'DELETE', reactionPath(messageId, emoji), { token: reactor.user.token, timeoutMs: 10_000 });
        if (res.status !== 204) {
          fail(`${adding ? 'PUT' : 'DELETE'} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
          // The state is unknown after a failure: stop this reactor rather than guess.
          return;
        }
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
        return;
      }
      phase.latency.record(performance.now() - t0);
      phase.acked += 1;
      reactor.held = adding ? emoji : null;
      reactor.step += 1;
    }
  };
  try {
    await Promise.all(reactors.map(loop));
  } finally {
    agent.destroy();
  }
  return phase;
}

/** What the message should carry: per emoji, the reactors that hold it. */
function expectedCounts(reactors: Reactor[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of reactors) if (r.held !== null) counts[r.held] = (counts[r.held] ?? 0) + 1;
  return counts;
}

async function actualCounts(target: RunningTarget, messageId: string, reader: BenchUser): Promise<Record<string, number>> {
  const agent = createAgent(1);
  try {
    const body = await requestJson<{ reactions: { emoji: string; count: number }[] }>(agent, target.baseUrl, 'GET', `/messages/${messageId}/reactions`, { token: reader.token });
    return Object.fromEntries(body.reactions.map((r) => [r.emoji, r.count]));
  } finally {
    agent.destroy();
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** The conversation, its message and the connected members. */
async function prepare(ctx: BenchContext, target: RunningTarget): Promise<{ users: BenchUser[]; messageId: string; listeners: ReactionListeners }> {
  const users = await createUsers(target.baseUrl, MEMBERS, 'rx');
  const [conversation] = await createConversations(target.baseUrl, users, [{ members: users.map((_, i) => i) }]);
  const messageId = crypto.randomUUID();
  const agent = createAgent(1);
  try {
    await requestJson(agent, target.baseUrl, 'POST', `/conversations/${conversation!.id}/messages`, { token: users[0]!.token, body: { message_id: messageId, content: 'the hot message' } });
  } finally {
    agent.destroy();
  }
  const listeners = new ReactionListeners();
  // The reactors are among the connected members, as someone reacting has the app open.
  await listeners.open(target.wsUrl, users.slice(0, CONNECTED));
  ctx.log(`  ${MEMBERS} members, 1 message, ${CONNECTED} sockets open`);
  return { users, messageId, listeners };
}

export async function runReactions(ctx: BenchContext, target: RunningTarget): Promise<ReactionsResult> {
  const durationMs = ctx.quick ? 3000 : 10_000;
  const warmupMs = ctx.quick ? 500 : 1000;
  const drainMs = 5000;
  const t0 = Date.now();
  const { users, messageId, listeners } = await prepare(ctx, target);
  const setupMs = Date.now() - t0;
  try {
    const reactors: Reactor[] = users.slice(0, REACTORS).map((user, index) => ({ user, index, step: 0, held: null }));
    // Warm-up: its changes are delivered and then forgotten; the reactors keep their state.
    const warm = await runPhase(target, messageId, reactors, warmupMs);
    if (warm.errors > 0) throw new Error(`warm-up: ${warm.errors} errors: ${warm.errorSamples.join('; ')}`);
    await listeners.drain(warm.acked, drainMs);
    listeners.reset();

    const cpuBefore = treeCpuSeconds(target.pid);
    const runnerBefore = process.cpuUsage();
    const started = performance.now();
    const phase = await runPhase(target, messageId, reactors, durationMs);
    const elapsedMs = performance.now() - started;
    const serverCpu = round((treeCpuSeconds(target.pid) - cpuBefore) / (elapsedMs / 1000), 3);
    const runner = process.cpuUsage(runnerBefore);
    const runnerCpu = round((runner.user + runner.system) / 1000 / elapsedMs, 3);
    await listeners.drain(phase.acked, drainMs);
    const totals = listeners.totals(phase.acked);
    const frameWindowMs = Math.max(elapsedMs, listeners.lastFrameAt - started);

    const expected = expectedCounts(reactors);
    const actual = await actualCounts(target, messageId, users[0]!);
    const result: ReactionsResult = {
      workload: 'reactions',
      target: target.kind,
      members: MEMBERS,
      connected: CONNECTED,
      reactors: REACTORS,
      emoji: EMOJI,
      setupMs,
      warmupMs,
      durationMs: round(elapsedMs, 0),
      acked: phase.acked,
      reactionsPerSecond: round(phase.acked / (elapsedMs / 1000), 0),
      latency: phase.latency.percentiles(),
      errors: phase.errors,
      errorSamples: phase.errorSamples,
      expectedFrames: phase.acked * CONNECTED,
      deliveredFrames: totals.delivered,
      framesPerSecond: round(totals.delivered / (frameWindowMs / 1000), 0),
      membersWithEveryChange: totals.complete,
      outOfOrder: totals.outOfOrder,
      otherFrames: totals.otherFrames,
      closes: totals.closes,
      finalCounts: { expected, actual, matches: sameCounts(expected, actual) },
      serverCpu,
      runnerCpu,
    };
    const l = result.latency;
    ctx.log(`  ${result.reactionsPerSecond} reactions/s (${result.acked} in ${(elapsedMs / 1000).toFixed(1)} s), p50 / p99 ${l.p50} / ${l.p99} ms, ${result.errors} errors; ${result.deliveredFrames} of ${result.expectedFrames} frames (${result.framesPerSecond}/s), ${result.membersWithEveryChange} of ${CONNECTED} members got every change; final counts ${result.finalCounts.matches ? 'match' : 'DIFFER'}; server ${serverCpu} cores, runner ${runnerCpu}`);
    return result;
  } finally {
    listeners.close();
  }
}
