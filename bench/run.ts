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
 * --only small-groups,direct-messages,large-room,idle,history,sync,growth,databases,workers, --targets pneumatic,raw,
 * --server-root DIR (benchmark the dist/ of another checkout; implies --no-build),
 * --nice N (run server and generators at nice N, e.g. -5 on a shared machine; needs root),
 * --repeat N (runs per search figure, interleaved between targets; 3 full, 2 quick),
 * --compare REF (also measure the build of commit REF, checked out in a temporary worktree).
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
import { prepareRef, type RefCheckout } from './lib/ref-build.js';
import { startTarget, type RunningTarget, type TargetKind, type TargetOptions } from './lib/targets.js';
import { latencyCharts } from './charts.js';
import { machineInfo, renderMarkdown, type BenchReport, type Outcome, type Runs } from './report.js';
import type { BenchContext } from './workloads/context.js';
import { runHistory } from './workloads/history.js';
import { runIdle } from './workloads/idle.js';
import { compareDatabases, compareWorkers } from './workloads/comparisons.js';
import { runMessaging, type MessagingResult } from './workloads/messaging.js';
import { runSync } from './workloads/sync.js';
import { growthOptions, runGrowth } from './workloads/growth.js';
import { directMessages, largeRoom, smallGroups } from './workloads/topologies.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resolve(ROOT, 'bench/results');
const ALL_WORKLOADS = ['small-groups', 'direct-messages', 'large-room', 'idle', 'history', 'sync', 'growth', 'databases', 'workers'] as const;

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
    repeat: { type: 'string' },
    compare: { type: 'string' },
    'keep-ref': { type: 'boolean', default: false },
    'growth-sizes': { type: 'string' },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run bench -- [--quick] [--db sqlite|postgres] [--workers N] [--json FILE] [--no-build] [--only a,b] [--targets raw,pneumatic] [--server-root DIR] [--nice N] [--repeat N] [--compare REF [--keep-ref]]');
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
const only = new Set<string>(values.only ? values.only.split(',') : values.quick ? ALL_WORKLOADS.filter((w) => w !== 'databases' && w !== 'workers' && w !== 'growth') : ALL_WORKLOADS);
const targets = values.targets.split(',').filter((t): t is TargetKind => t === 'raw' || t === 'pneumatic');
// --compare REF: REF's build is one more target, measured in the same rounds as this build.
if (values.compare !== undefined) targets.push('ref');
const quick = values.quick;
const repeat = values.repeat === undefined ? (quick ? 2 : 3) : Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
  console.error('--repeat must be a whole number from 1 to 20');
  process.exit(2);
}
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
  let refCheckout: RefCheckout | null = null;
  if (values.compare !== undefined) {
    try {
      refCheckout = prepareRef(ROOT, values.compare, values['keep-ref'], log);
    } catch (error) {
      console.error(`--compare ${values.compare}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  }
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
    refRoot: refCheckout?.dir,
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
    refCheckout?.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping servers and generators`);
      void cleanup().then(() => process.exit(130));
    });
  }

  // Time budget per throughput search, shrunk when the run falls behind its overall limit.
  // Repeated runs are shorter (a figure is then their median, not one long search).
  const perSearchMs = quick ? 8_000 : repeat > 1 ? 40_000 : 60_000;
  // The build's time varies with the machine's load: the budget counts from its end. Per
  // target and round; several rounds get 0.7 of that each.
  const perTargetMs = quick ? 42_500 : 365_000;
  const runDeadline = Date.now() + perTargetMs * targets.length * (repeat === 1 ? 1 : 0.7 * repeat);
  const messagingCount = ['small-groups', 'direct-messages', 'large-room'].filter((name) => only.has(name)).length;
  const withPneumatic = targets.includes('pneumatic');
  const comparisonCount = withPneumatic ? (only.has('databases') ? 1 : 0) + (only.has('workers') ? 2 : 0) : 0;
  let searchesLeft = targets.length * repeat * (messagingCount + (only.has('history') ? 1 : 0)) + comparisonCount;
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
    options: { db: values.db, workers, quick, workloads: [...only], targets, repeat },
    ...(refCheckout ? { compare: { ref: refCheckout.ref, commit: refCheckout.commit, label: refCheckout.label } } : {}),
    pinning: `${pinned ? 'server pinned to core 0, load generator to core 1 (taskset)' : 'no CPU pinning'}${nice === null ? '' : `, nice ${nice}`}`,
    pneumaticStatus: 'ok',
    messaging: {},
    idle: {},
    history: {},
    sync: {},
    growth: {},
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
  // starts cost seconds); full runs start a fresh server and database per target for every
  // workload (kept for that workload's rounds).
  const shared = new Map<TargetKind, RunningTarget>();
  const stopTarget = async (target: RunningTarget) => {
    if (shared.get(target.kind) === target) shared.delete(target.kind);
    running.delete(target);
    await target.stop();
  };
  const start = async (kind: TargetKind, share: boolean): Promise<RunningTarget> => {
    const existing = share ? shared.get(kind) : undefined;
    if (existing) return existing;
    const target = await startTarget(kind, targetOptions);
    running.add(target);
    if (share) shared.set(kind, target);
    return target;
  };
  const failure = async (kind: TargetKind, error: unknown): Promise<{ error: string }> => {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${kind} failed: ${message.split('\n')[0]}`);
    // Leave the generator clean for the next workload.
    await ctx.generator.send({ cmd: 'close' }).catch(() => undefined);
    return { error: message.slice(0, 2000) };
  };
  const skipped = (kind: TargetKind) => kind !== 'raw' && report.pneumaticStatus !== 'ok';

  /** One measurement per target (idle connections, change feed), each on a fresh server. */
  const runOnce = async <T>(kind: TargetKind, pair: Partial<Record<TargetKind, Outcome<T>>>, work: (target: RunningTarget) => Promise<T>): Promise<void> => {
    if (skipped(kind)) return;
    let target: RunningTarget | undefined;
    try {
      target = await start(kind, false);
      pair[kind] = await work(target);
    } catch (error) {
      pair[kind] = await failure(kind, error);
    } finally {
      if (target) await stopTarget(target);
    }
  };

  // This build first, so the other servers can also be measured at its half rate (latency
  // compared at the same rate); the order alternates between rounds (A B, B A, A B...), so a
  // drift of the machine over a round favours neither side.
  const ordered = (['pneumatic', 'ref', 'raw'] as const).filter((kind) => targets.includes(kind));
  /**
   * `repeat` rounds of one search per target, interleaved; every target's server stays up for
   * all rounds (idle while another is measured). A target that fails is restarted next round.
   */
  const runRounds = async <T>(label: string, runs: Runs<T>, work: (target: RunningTarget, kind: TargetKind) => Promise<T>): Promise<void> => {
    const servers = new Map<TargetKind, RunningTarget>();
    for (let round = 0; round < repeat; round++) {
      const kinds = round % 2 === 0 ? ordered : [...ordered].reverse();
      for (const kind of kinds) {
        if (skipped(kind)) continue;
        const list = (runs[kind] ??= []);
        log(`${label}: ${kind}${repeat > 1 ? ` (round ${round + 1} of ${repeat})` : ''}`);
        let target = servers.get(kind);
        try {
          if (!target) {
            target = await start(kind, quick);
            servers.set(kind, target);
          }
          list[round] = await work(target, kind);
        } catch (error) {
          list[round] = await failure(kind, error);
          if (target) {
            servers.delete(kind);
            await stopTarget(target);
          }
        }
      }
    }
    for (const target of servers.values()) if (!quick) await stopTarget(target);
  };

  const topologies = [smallGroups(quick), directMessages(quick), largeRoom(quick)].filter((t) => only.has(t.name));
  for (const topology of topologies) {
    const runs: Runs<MessagingResult> = (report.messaging[topology.name] ??= {});
    await runRounds(topology.title, runs, (target, kind) => {
      // The other servers also get a step at this build's half rate (its latest known).
      const halves = (runs.pneumatic ?? []).map((r) => (r && 'atHalf' in r ? r.atHalf?.rate : undefined)).filter((r) => r !== undefined);
      const sameRate = kind === 'pneumatic' ? undefined : halves[halves.length - 1];
      return runMessaging(ctx, target, topology, searchBudget(), sameRate);
    });
  }
  if (only.has('history')) await runRounds('History reads', report.history, (target) => runHistory(ctx, target, searchBudget()));
  for (const target of [...shared.values()]) await stopTarget(target);
  if (withPneumatic && only.has('databases')) {
    const other = values.db === 'sqlite' ? 'postgres' : 'sqlite';
    // The main table's small-groups figure (same settings) stands for this run's database.
    // Its median round, when there were several.
    const measuredAlready = workers === null ? (report.messaging['small-groups']?.pneumatic ?? []).filter((r): r is MessagingResult => 'sustainableRate' in r) : [];
    const main = measuredAlready.sort((a, b) => a.sustainableRate - b.sustainableRate)[Math.floor((measuredAlready.length - 1) / 2)];
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
      await runOnce(kind, report.idle, (target) => runIdle(ctx, target, levels, quick ? 25 : 10));
    }
  }
  // Pneumatic only (the raw server has no change feed); a fresh server, after every search so
  // its setup (thousands of writes) takes no time from their budgets.
  if (only.has('sync') && withPneumatic) {
    log(`Change feed (POST /sync, ${quick ? 100 : 500} conversations): pneumatic`);
    await runOnce('pneumatic', report.sync, (target) => runSync(ctx, target));
  }
  // Pneumatic only; last, as its seeding takes minutes at 10 M messages.
  if (only.has('growth') && withPneumatic) {
    const sizes = values['growth-sizes']?.split(',').map(Number);
    if (sizes?.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('--growth-sizes: whole numbers, e.g. 0,1000000,10000000');
    const options = growthOptions(quick, sizes?.sort((a, b) => a - b));
    log(`Growth (${options.sizes.map((n) => n.toLocaleString('en')).join(' / ')} stored messages): pneumatic`);
    await runOnce('pneumatic', report.growth, (target) => runGrowth(ctx, target, options));
  }

  for (const [name, runs] of [...Object.entries(report.messaging), ['history', report.history] as const]) {
    for (const side of ordered) {
      const saturated = (runs[side] ?? []).filter((r) => 'generatorSaturated' in r && r.generatorSaturated) as { maxGeneratorCpu: number }[];
      if (saturated.length > 0) {
        const max = Math.max(...saturated.map((r) => r.maxGeneratorCpu));
        warnings.push(`${name} / ${side}: the load generator exceeded ${ctx.generatorCpuLimit * 100}% of its core in ${saturated.length} of ${runs[side]?.length} runs (max ${Math.round(max * 100)}%); those figures are floors.`);
      }
    }
  }
  for (const [name, runs] of [...Object.entries(report.messaging), ['history', report.history] as const]) {
    for (const side of ordered) {
      const repeated = (runs[side] ?? []).flatMap((r): { stalled: string | null }[] => ('stalledSteps' in r ? r.stalledSteps : []));
      if (repeated.length > 0) warnings.push(`${name} / ${side}: ${repeated.length} failed step(s) during a stall of the machine were measured again (${repeated[0]!.stalled}${repeated.length > 1 ? ', …' : ''}).`);
    }
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
  const charts = latencyCharts(report);
  for (const chart of charts) writeFileSync(resolve(RESULTS, `${chart.workload}.svg`), chart.svg);
  if (values.json) {
    mkdirSync(dirname(resolve(values.json)), { recursive: true });
    writeFileSync(resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
  }
  console.log(`\n${markdown}`);
  const chartFiles = charts.map((c) => `${c.workload}.svg`).join(', ');
  log(`done; wrote bench/results/latest.md and latest.json${chartFiles ? `, ${chartFiles}` : ''}${values.json ? ` and ${values.json}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
