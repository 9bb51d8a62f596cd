/**
 * The directory workload's timed phases over the mix of requests (directory-probe.ts): one at a
 * time over one keep-alive connection, each pass over the mix in a new order, which is the
 * latency a person typing sees; then C clients at once, each sending its next request when the
 * last was answered (closed loop), which adds the queueing of a server answering several people.
 * Every request's time is recorded: percentiles for the phase, per kind and per query.
 */
import { performance } from 'node:perf_hooks';
import { createAgent, requestRaw } from '../lib/http.js';
import { treeCpuSeconds } from '../lib/processes.js';
import { seededRandom, shuffle } from '../lib/setup.js';
import { quantile, round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { DirectoryKind } from './directory-cases.js';
import type { DirectoryRequest } from './directory-probe.js';

export interface DirectoryLatency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface DirectoryPhase {
  clients: number;
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  latency: DirectoryLatency;
  byKind: Partial<Record<DirectoryKind, DirectoryLatency>>;
  /** Per request label (a query, or a query's next page). */
  byLabel: Record<string, DirectoryLatency>;
  /** The slowest requests of the phase, slowest first. */
  slowest: { label: string; ms: number }[];
  errors: number;
  errorSamples: string[];
  /** Cores used by the server's process tree (not PostgreSQL's own processes). */
  serverCpu: number;
}

function latencyOf(samples: number[]): DirectoryLatency {
  const sorted = Float64Array.from(samples).sort();
  return { count: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: round(sorted.at(-1) ?? 0) };
}

/** Per-request times of one phase, and its failures. */
class PhaseRecorder {
  private readonly samples: { request: DirectoryRequest; ms: number }[] = [];
  private readonly errorSamples: string[] = [];
  private errors = 0;

  /** Sends one request and records its time (a failure is counted, not timed). */
  async send(agent: ReturnType<typeof createAgent>, target: RunningTarget, token: string, request: DirectoryRequest): Promise<void> {
    const t0 = performance.now();
    try {
      // Generous: a slow answer queued behind the other clients' is a figure to report, not an error.
      const res = await requestRaw(agent, target.baseUrl, 'GET', request.path, { token, timeoutMs: 120_000 });
      if (res.status === 200) {
        this.samples.push({ request, ms: performance.now() - t0 });
        return;
      }
      this.fail(`${request.label}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
    } catch (error) {
      this.fail(`${request.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private fail(text: string): void {
    this.errors += 1;
    if (this.errorSamples.length < 3) this.errorSamples.push(text);
  }

  result(clients: number, elapsedMs: number, cpuSeconds: number): DirectoryPhase {
    const group = (key: (s: { request: DirectoryRequest }) => string) => {
      const groups = new Map<string, number[]>();
      for (const s of this.samples) {
        const list = groups.get(key(s));
        if (list) list.push(s.ms);
        else groups.set(key(s), [s.ms]);
      }
      return Object.fromEntries([...groups].map(([k, ms]) => [k, latencyOf(ms)]));
    };
    const slowest = [...this.samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
    return {
      clients,
      durationMs: round(elapsedMs, 0),
      requests: this.samples.length,
      requestsPerSecond: round(this.samples.length / (elapsedMs / 1000), 1),
      latency: latencyOf(this.samples.map((s) => s.ms)),
      byKind: group((s) => s.request.kind),
      byLabel: group((s) => s.request.label),
      slowest: slowest.map((s) => ({ label: s.request.label, ms: round(s.ms) })),
      errors: this.errors,
      errorSamples: this.errorSamples,
      serverCpu: round(cpuSeconds / (elapsedMs / 1000), 2),
    };
  }
}

/** `passes` passes over the mix, one request at a time, each pass in a new (seeded) order. */
export async function sequentialPhase(target: RunningTarget, token: string, mix: readonly DirectoryRequest[], passes: number): Promise<DirectoryPhase> {
  const agent = createAgent(1);
  const recorder = new PhaseRecorder();
  const random = seededRandom(21);
  const cpuBefore = treeCpuSeconds(target.pid);
  const started = performance.now();
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (const request of shuffle([...mix], random)) await recorder.send(agent, target, token, request);
    }
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - started;
  return recorder.result(1, elapsedMs, treeCpuSeconds(target.pid) - cpuBefore);
}

/** `clients` closed loops for `durationMs`, each walking the mix from its own starting point. */
export async function concurrentPhase(target: RunningTarget, token: string, mix: readonly DirectoryRequest[], clients: number, durationMs: number): Promise<DirectoryPhase> {
  const agent = createAgent(clients);
  const recorder = new PhaseRecorder();
  const cpuBefore = treeCpuSeconds(target.pid);
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (client: number) => {
    for (let i = Math.floor((client * mix.length) / clients); performance.now() < deadline; i++) {
      await recorder.send(agent, target, token, mix[i % mix.length]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, (_, client) => loop(client)));
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - started;
  return recorder.result(clients, elapsedMs, treeCpuSeconds(target.pid) - cpuBefore);
}
