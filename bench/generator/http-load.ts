/** The generator's HTTP work: open-loop request load at a rate, and bulk set-up requests. */
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createAgent, mapBounded, request } from '../lib/http.js';
import type { GeneratorCommand, HttpLoadResult, HttpRequestSpec, PopulateResult } from '../lib/protocol.js';
import { LatencyRecorder, round } from '../lib/stats.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let httpAgent: http.Agent | null = null;

/** Open-loop HTTP load: requests leave at the target rate whatever the answers do. */
export async function httpLoad(cmd: Extract<GeneratorCommand, { cmd: 'http-load' }>): Promise<HttpLoadResult> {
  httpAgent ??= createAgent(cmd.maxSockets);
  const agent = httpAgent;
  const latency = new LatencyRecorder();
  const total = Math.max(1, Math.round((cmd.rate * cmd.durationMs) / 1000));
  let sent = 0;
  let completed = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let aborted: string | null = null;
  const fail = (text: string): void => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(text.slice(0, 300));
  };
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let lastSendAt = started;
  const sendOne = (): void => {
    const spec: HttpRequestSpec | undefined = cmd.requests[sent % cmd.requests.length];
    sent += 1;
    if (!spec) return;
    const t0 = performance.now();
    request(agent, cmd.baseUrl, cmd.method, spec.path, { token: spec.token, timeoutMs: 10_000 }).then(
      (res) => {
        completed += 1;
        latency.record(performance.now() - t0);
        if (res.status !== 200) fail(`${res.status}: ${res.body.slice(0, 200)}`);
      },
      (error: Error) => {
        completed += 1;
        fail(error.message);
      },
    );
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) * cmd.rate) / 1000) + 1);
      while (sent < due) sendOne();
      lastSendAt = performance.now();
      if (errors > 0) aborted = 'errors';
      else if (sent - completed > Math.max(200, cmd.rate)) aborted = 'backlog: more than one second of requests outstanding';
      if (sent >= total || aborted) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendWindowMs = lastSendAt - started;
  const drainDeadline = performance.now() + cmd.drainMs;
  while (completed < sent && performance.now() < drainDeadline) await sleep(10);
  if (completed < sent) fail(`${sent - completed} requests unanswered after the drain`);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return {
    rate: cmd.rate,
    durationMs: cmd.durationMs,
    sendWindowMs: round(sendWindowMs),
    sent,
    completed,
    errors,
    errorSamples,
    aborted,
    latency: latency.percentiles(),
    completedPerSecond: round(completed / (Math.max(sendWindowMs, cmd.durationMs) / 1000), 1),
    generatorCpu: round((cpu.user + cpu.system) / 1000 / elapsedMs, 3),
  };
}

export async function populate(cmd: Extract<GeneratorCommand, { cmd: 'populate' }>): Promise<PopulateResult> {
  const agent = createAgent(cmd.concurrency);
  const errors: string[] = [];
  const started = performance.now();
  const outcomes = await mapBounded(cmd.requests, cmd.concurrency, async (spec) => {
    try {
      const res = await request(agent, cmd.baseUrl, spec.method ?? 'POST', spec.path, { token: spec.token, body: spec.body });
      if (res.status >= 200 && res.status < 300) return true;
      if (errors.length < 5) errors.push(`${res.status}: ${res.body.slice(0, 200)}`);
    } catch (error) {
      if (errors.length < 5) errors.push((error as Error).message);
    }
    return false;
  });
  agent.destroy();
  const ok = outcomes.filter(Boolean).length;
  return { ok, failed: outcomes.length - ok, elapsedMs: round(performance.now() - started), errors };
}

/** Lets go of the keep-alive connections of the HTTP load. */
export function closeHttp(): void {
  httpAgent?.destroy();
  httpAgent = null;
}
