/**
 * `npm run bench`: builds Pneumatic, then for each workload starts a fresh server (pinned to
 * core 0) and drives it from a load generator process (pinned to core 1); the same workloads
 * run against the raw ws broadcast server, the limit. Writes bench/results/latest.{md,json}.
 *
 * Then Pneumatic against itself on small groups: the other database, and N workers (2 unless
 * --workers says more) against 1, with Redis and nothing pinned.
 *
 * Last, the change feed: POST /sync for one user in 500 conversations (Pneumatic only).
 *
 * Options: --db sqlite|postgres, --workers N, --quick, --json FILE, --no-build, --no-pin,
 * --only small-groups,direct-messages,large-room,idle,history,sync,databases,workers, --targets pneumatic,raw,
 * --server-root DIR (benchmark the dist/ of another checkout; implies --no-build),
 * --nice N (run server and generators at nice N, e.g. -5 on a shared machine; needs root).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { joinNegativeValues } from './lib/args.js';
import { GeneratorClient } from './lib/generator-client.js';
import { hasTaskset, openFilesHardLimit } from './lib/processes.js';
import { startTarget, type RunningTarget, type TargetKind, type TargetOptions } from './lib/targets.js';
import { machineInfo, renderMarkdown, type BenchReport, type Pair } from './report.js';
import type { BenchContext } from './workloads/context.js';
import { runHistory } from './workloads/history.js';
import { runIdle } from './workloads/idle.js';
import { compareDatabases, compareWorkers } from './workloads/comparisons.js';
import { runMessaging, type MessagingResult } from './workloads/messaging.js';
import { runSync } from './workloads/sync.js';
import { directMessages, largeRoom, smallGroups } from './workloads/topologies.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resolve(ROOT, 'bench/results');
const ALL_WORKLOADS = ['small-groups', 'direct-messages', 'large-room', 'idle', 'history', 'sync', 'databases', 'workers'] as const;

const { values } = parseArgs({
  args: joinNegativeValues(process.argv.slice(2), ['--nice']),
  options: {
    db: { type: 'string', default: 'sqlite' },
    workers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'server-root': { type: 'string' },
    nice: { type: 'string' },
    only: { type: 'string' },
    targets: { type: 'string', default: 'raw,pneumatic' },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run bench -- [--quick] [--db sqlite|postgres] [--workers N] [--json FILE] [--no-build] [--only a,b] [--targets raw,pneumatic] [--server-root DIR] [--nice N]');
  process.exit(0);
}
if (values.db !== 'sqlite' && values.db !== 'postgres') {
  console.error('--db must be sqlite or postgres');
  process.exit(2);
}
const workers = values.workers === undefined ? null : Number(values.workers);
if (workers !== null && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
  console.error('--workers must be a whole number from 1 to 64');
  process.exit(2);
}
for (const url of [values['postgres-url'], values['redis-url']]) {
  if (!/^\w+:\/\/(\w+@)?(127\.\d+\.\d+\.\d+|localhost)[:/]/.test(url)) {
    console.error(`the benchmark only targets loopback addresses: ${url}`);
    process.exit(2);
  }
}
const nice = values.nice === undefined ? null : Number(values.nice);
if (nice !== null && (!Number.isInteger(nice) || nice < -20 || nice > 19)) {
  console.error('--nice must be a whole number from -20 to 19');
  process.exit(2);
}
// The comparisons take four more searches: full runs only, unless --only names them.
const only = new Set<string>(values.only ? values.only.split(',') : values.quick ? ALL_WORKLOADS.filter((w) => w !== 'databases' && w !== 'workers') : ALL_WORKLOADS);
const targets = values.targets.split(',').filter((t): t is TargetKind => t === 'raw' || t === 'pneumatic');
const quick = values.quick;
const started = Date.now();
const log = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}`);

function build(): void {
  // Rebuilds only when a source is newer than the last build (npm install builds once).
  log('building the server if a source changed (scripts/build-if-needed.mjs)');
  const out = spawnSync(process.execPath, ['scripts/build-if-needed.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) {
    console.error(`${out.stdout}\n${out.stderr}\nnpm run build failed; fix the build (or rerun with --no-build to use the existing dist/)`);
    process.exit(1);
  }
}

function loadAverage(): number {
  return loadavg()[0] ?? 0;
}

/** Pins this process to the generator's core, so the runner never competes with the server. */
function pinSelf(core: number): void {
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  if (!values['no-build'] && !values['server-root']) build();
  const buildSeconds = (Date.now() - started) / 1000;
  const taskset = hasTaskset();
  const cores = machineInfo().cores;
  const pinned = taskset && cores >= 2 && !values['no-pin'];
  const serverCore = pinned ? 0 : null;
  const generatorCore = pinned ? 1 : null;
  if (pinned) pinSelf(1);
  const fdLimit = openFilesHardLimit();
  const warnings: string[] = [];
  const loadStart = loadAverage();
  if (!pinned) warnings.push('taskset unavailable or fewer than 2 cores: server and generator share the CPU, figures are not comparable');

  const targetOptions: TargetOptions = {
    root: ROOT,
    serverRoot: values['server-root'] ? resolve(values['server-root']) : ROOT,
    db: values.db as 'sqlite' | 'postgres',
    postgresUrl: values['postgres-url'],
    workers,
    redisUrl: values['redis-url'],
    core: serverCore,
    nice,
  };
  const generators: GeneratorClient[] = [];
  const startGenerator = () => {
    const g = GeneratorClient.start(generatorCore, ROOT, nice);
    generators.push(g);
    return g;
  };
  const running = new Set<RunningTarget>();
  const cleanup = async () => {
    await Promise.all([...running].map((t) => t.stop()));
    await Promise.all(generators.map((g) => g.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping servers and generators`);
      void cleanup().then(() => process.exit(130));
    });
  }

  // Time budget per throughput search, shrunk when the run falls behind its overall limit.
  const perSearchMs = quick ? 8_000 : 60_000;
  // The build's time varies with the machine's load: the budget counts from its end.
  const runDeadline = Date.now() + (quick ? 85_000 : 730_000);
  const messagingCount = ['small-groups', 'direct-messages', 'large-room'].filter((name) => only.has(name)).length;
  const withPneumatic = targets.includes('pneumatic');
  const comparisonCount = withPneumatic ? (only.has('databases') ? 1 : 0) + (only.has('workers') ? 2 : 0) : 0;
  let searchesLeft = targets.length * (messagingCount + (only.has('history') ? 1 : 0)) + comparisonCount;
  // Each search also spends time outside its budget: server start, setup, the half-rate step.
  const searchOverheadMs = quick ? 0 : 16_000;
  const searchBudget = () => {
    const share = (runDeadline - Date.now()) / Math.max(1, searchesLeft--) - searchOverheadMs;
    return Math.max(2_000, Math.min(perSearchMs, share));
  };
  const ctx: BenchContext = {
    quick,
    targetOptions,
    generator: startGenerator(),
    startExtraGenerator: startGenerator,
    localAddresses: Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 1}`),
    socketsPerProcess: fdLimit - 100,
    search: (startRate, maxRate, budgetMs) => ({
      startRate,
      maxRate,
      factor: quick ? 3 : 2,
      rampMs: quick ? 1000 : 3000,
      stepMs: quick ? 3000 : 10_000,
      bisectIterations: quick ? 0 : 3,
      deadline: Date.now() + budgetMs,
    }),
    stepMs: quick ? 3000 : 10_000,
    drainMs: quick ? 1000 : 2000,
    generatorCpuLimit: 0.85,
    log,
  };

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    node: process.version,
    options: { db: values.db, workers, quick, workloads: [...only] },
    pinning: `${pinned ? 'server pinned to core 0, load generator to core 1 (taskset)' : 'no CPU pinning'}${nice === null ? '' : `, nice ${nice}`}`,
    pneumaticStatus: 'ok',
    messaging: {},
    idle: {},
    history: {},
    sync: {},
    comparisons: {},
    warnings,
    wallSeconds: 0,
    buildSeconds,
  };

  // --workers: find out once whether the server runs N processes; if not, say so instead of measuring.
  if (targets.includes('pneumatic') && workers !== null && workers > 1) {
    const probe = await startTarget('pneumatic', targetOptions).catch((error: Error) => error);
    if (probe instanceof Error) report.pneumaticStatus = `not supported (failed to start with PNEUMATIC_WORKERS=${workers}: ${probe.message.split('\n')[0]})`;
    else {
      if (!probe.workersSupported) report.pneumaticStatus = 'not supported';
      log(`--workers ${workers}: server runs ${probe.processes} process(es): ${report.pneumaticStatus}`);
      await probe.stop();
    }
  }

  // Quick runs reuse one server per target for the messaging and history workloads (server
  // starts cost seconds); full runs start a fresh server and database for every workload.
  const shared = new Map<TargetKind, RunningTarget>();
  const release = async (target: RunningTarget, failed: boolean) => {
    if (shared.get(target.kind) === target && !failed) return;
    shared.delete(target.kind);
    running.delete(target);
    await target.stop();
  };
  const runOn = async <T>(kind: TargetKind, pair: Pair<T>, work: (target: RunningTarget) => Promise<T>, share: boolean): Promise<void> => {
    if (kind === 'pneumatic' && report.pneumaticStatus !== 'ok') return;
    let target: RunningTarget | undefined = share ? shared.get(kind) : undefined;
    let failed = false;
    try {
      if (!target) {
        target = await startTarget(kind, targetOptions);
        running.add(target);
        if (share) shared.set(kind, target);
      }
      pair[kind] = await work(target);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${kind} failed: ${message.split('\n')[0]}`);
      pair[kind] = { error: message.slice(0, 2000) };
      // Leave the generator clean for the next workload.
      await ctx.generator.send({ cmd: 'close' }).catch(() => undefined);
    } finally {
      if (target) await release(target, failed);
    }
  };

  const topologies = [smallGroups(quick), directMessages(quick), largeRoom(quick)].filter((t) => only.has(t.name));
  // Pneumatic first, so the raw server can also be measured at Pneumatic's half rate (latency
  // compared at the same rate).
  const ordered = [...targets].sort((a, b) => (a === b ? 0 : a === 'pneumatic' ? -1 : 1));
  const order = quick ? ordered.map((kind) => [kind]) : [ordered];
  for (const kinds of order) {
    for (const topology of topologies) {
      const pair = (report.messaging[topology.name] ??= {});
      for (const kind of kinds) {
        log(`${topology.title}: ${kind}`);
        const pneumaticHalfRate = pair.pneumatic && 'atHalf' in pair.pneumatic ? pair.pneumatic.atHalf?.rate : undefined;
        const sameRate = kind === 'raw' ? pneumaticHalfRate : undefined;
        await runOn(kind, pair, (target) => runMessaging(ctx, target, topology, searchBudget(), sameRate), quick);
      }
    }
    if (only.has('history')) {
      for (const kind of kinds) {
        log(`History reads: ${kind}`);
        await runOn(kind, report.history, (target) => runHistory(ctx, target, searchBudget()), quick);
      }
    }
    for (const target of [...shared.values()]) await release(target, true);
  }
  if (withPneumatic && only.has('databases')) {
    const other = values.db === 'sqlite' ? 'postgres' : 'sqlite';
    // The main table's small-groups figure (same settings) stands for this run's database.
    const measuredAlready = workers === null ? report.messaging['small-groups']?.pneumatic : undefined;
    const main = measuredAlready && 'sustainableRate' in measuredAlready ? (measuredAlready as MessagingResult) : undefined;
    const missing: ('sqlite' | 'postgres')[] = main ? [other] : ['sqlite', 'postgres'];
    if (!main) searchesLeft++;
    const measured = await compareDatabases(ctx, missing, searchBudget);
    report.comparisons.databases = main ? { [values.db as 'sqlite' | 'postgres']: main, ...measured } : measured;
  }
  if (withPneumatic && only.has('workers')) {
    report.comparisons.workers = await compareWorkers(ctx, workers !== null && workers > 1 ? workers : 2, searchBudget, ROOT);
  }
  if (only.has('idle')) {
    const levels = quick ? [5000] : [10_000, 20_000];
    for (const kind of targets) {
      log(`Idle connections (${levels.join(', ')}): ${kind}`);
      await runOn(kind, report.idle, (target) => runIdle(ctx, target, levels, quick ? 25 : 10), false);
    }
  }
  // Pneumatic only (the raw server has no change feed); a fresh server, after every search so
  // its setup (thousands of writes) takes no time from their budgets.
  if (only.has('sync') && withPneumatic) {
    log(`Change feed (POST /sync, ${quick ? 100 : 500} conversations): pneumatic`);
    await runOn('pneumatic', report.sync, (target) => runSync(ctx, target), false);
  }

  for (const [name, pair] of Object.entries(report.messaging)) {
    for (const side of ['pneumatic', 'raw'] as const) {
      const r = pair[side];
      if (r && 'generatorSaturated' in r && r.generatorSaturated) {
        warnings.push(`${name} / ${side}: the load generator exceeded ${ctx.generatorCpuLimit * 100}% of its core (max ${Math.round(r.maxGeneratorCpu * 100)}%); that figure is a floor.`);
      }
    }
  }
  for (const side of ['pneumatic', 'raw'] as const) {
    const h = report.history[side];
    if (h && 'generatorSaturated' in h && h.generatorSaturated) warnings.push(`history / ${side}: the load generator exceeded its CPU limit; that figure is a floor.`);
  }
  const sync = report.sync.pneumatic;
  if (sync && 'changed' in sync) {
    if (sync.changed.events !== sync.expectedEvents) warnings.push(`sync: POST /sync returned ${sync.changed.events} events, not the ${sync.expectedEvents} made`);
    if (sync.unchanged.events !== 0) warnings.push(`sync: POST /sync at the current heads returned ${sync.unchanged.events} events, not 0`);
    for (const c of [sync.changed, sync.unchanged]) if (c.anomalies.length > 0) warnings.push(`sync: unexpected entries: ${c.anomalies.join(', ')}`);
  }

  await cleanup();
  const loadEnd = loadAverage();
  if (Math.max(loadStart, loadEnd) > cores) {
    warnings.push(`the machine was busy (1-minute load average ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end, on ${cores} cores): other processes competed for the pinned cores, so figures are low and noisy`);
  }
  report.wallSeconds = (Date.now() - started) / 1000;
  const markdown = renderMarkdown(report);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(resolve(RESULTS, 'latest.md'), markdown);
  writeFileSync(resolve(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (values.json) {
    mkdirSync(dirname(resolve(values.json)), { recursive: true });
    writeFileSync(resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
  }
  console.log(`\n${markdown}`);
  log(`done; wrote bench/results/latest.md and latest.json${values.json ? ` and ${values.json}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
