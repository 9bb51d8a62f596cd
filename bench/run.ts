/**
 * `npm run bench`: builds Pneumatic, then for each workload starts a fresh server (pinned to
 * core 0) and drives it from a load generator process (pinned to core 1); the same workloads
 * run against the raw ws broadcast server, the limit. Writes bench/results/latest.{md,json}.
 *
 * Then Pneumatic against itself on small groups: the other database, and N workers (2 unless
 * --workers says more) against 1, with Redis and nothing pinned.
 *
 * Last, the change feed: POST /sync for one user in 500 conversations, reactions on one hot
 * message, webhook deliveries to a loopback receiver, search over a seeded corpus, directory
 * search over seeded users (SQLite and PostgreSQL unless --db names one), uploads against fs
 * streams, the retention and message-removal jobs beside a send load, and growth (all Pneumatic only).
 *
 * Options: --db sqlite|postgres, --workers N, --quick, --json FILE, --no-build, --no-pin,
 * --only small-groups,direct-messages,large-room,idle,history,sync,reactions,search,directory-search,uploads,webhook-deliveries,retention-jobs,growth,databases,workers, --targets pneumatic,raw,
 * --search-messages N (the search workload's corpus; 1,000,000 full, 100,000 quick), --search-clients N (4),
 * --directory-users N (the directory workload's users; 100,000),
 * --retention-messages N (the retention workload's expired messages, and one user's; 1,000,000 full, 100,000 quick),
 * --retention-send-rate N (its send load; half the rate it finds sustainable unless given),
 * --server-root DIR (benchmark the dist/ of another checkout; implies --no-build),
 * --nice N (run server and generators at nice N, e.g. -5 on a shared machine; needs root),
 * --repeat N (runs per search figure, interleaved between targets; 3 full, 2 quick),
 * --compare REF (also measure the build of commit REF, checked out in a temporary worktree),
 * --push [--push-latency-ms N] (every user subscribed to a loopback push sink: sends with push bookkeeping on),
 * --webhooks N (this build's messaging conversations get N webhooks each to a loopback sink; REF's none).
 *
 * This file sets up the machine and writes the results; run-options.ts reads the command line,
 * workload-list.ts runs the workloads on the servers of target-runner.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeneratorClient } from './lib/generator-client.js';
import { hasTaskset, openFilesHardLimit } from './lib/processes.js';
import { PushSink, setActivePushSink } from './lib/push-sink.js';
import { prepareRef, type RefCheckout } from './lib/ref-build.js';
import { setActiveWebhooks, WEBHOOK_SINK_ENV, WebhookSink } from './lib/webhook-sink.js';
import { startTarget, type TargetOptions } from './lib/targets.js';
import { latencyCharts } from './charts.js';
import { machineInfo, renderMarkdown, type BenchReport } from './report.js';
import { parseRunOptions } from './run-options.js';
import { resultWarnings } from './run-warnings.js';
import { TargetRunner } from './target-runner.js';
import { runWorkloads, searchBudgetFor } from './workload-list.js';
import type { BenchContext } from './workloads/context.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resolve(ROOT, 'bench/results');

const options = parseRunOptions(process.argv.slice(2));
const { quick, workers, nice, targets } = options;
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

function prepareCompare(): RefCheckout | null {
  if (options.compare === undefined) return null;
  try {
    return prepareRef(ROOT, options.compare, options.keepRef, log);
  } catch (error) {
    console.error(`--compare ${options.compare}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** --workers: find out once whether the server runs N processes; if not, say so instead of measuring. */
async function probeWorkers(report: BenchReport, targetOptions: TargetOptions): Promise<void> {
  if (!targets.includes('pneumatic') || workers === null || workers <= 1) return;
  const probe = await startTarget('pneumatic', targetOptions).catch((error: Error) => error);
  if (probe instanceof Error) report.pneumaticStatus = `not supported (failed to start with PNEUMATIC_WORKERS=${workers}: ${probe.message.split('\n')[0]})`;
  else {
    if (!probe.workersSupported) report.pneumaticStatus = 'not supported';
    log(`--workers ${workers}: server runs ${probe.processes} process(es): ${report.pneumaticStatus}`);
    await probe.stop();
  }
}

function writeResults(report: BenchReport): void {
  const markdown = renderMarkdown(report);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(resolve(RESULTS, 'latest.md'), markdown);
  writeFileSync(resolve(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const charts = latencyCharts(report);
  for (const chart of charts) writeFileSync(resolve(RESULTS, `${chart.workload}.svg`), chart.svg);
  if (options.json) {
    mkdirSync(dirname(resolve(options.json)), { recursive: true });
    writeFileSync(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
  }
  console.log(`\n${markdown}`);
  const chartFiles = charts.map((c) => `${c.workload}.svg`).join(', ');
  log(`done; wrote bench/results/latest.md and latest.json${chartFiles ? `, ${chartFiles}` : ''}${options.json ? ` and ${options.json}` : ''}`);
}

/** What every workload gets: the generator, the search settings of a full or quick run. */
function benchContext(targetOptions: TargetOptions, startGenerator: () => GeneratorClient, fdLimit: number): BenchContext {
  return {
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
}

/** The report before any measurement: the run's settings; `warnings` is the list the run adds to. */
function emptyReport(refCheckout: RefCheckout | null, pinned: boolean, warnings: string[], buildSeconds: number): BenchReport {
  return {
    date: new Date().toISOString(),
    machine: machineInfo(),
    node: process.version,
    options: { db: options.db, workers, quick, workloads: [...options.only], targets, repeat: options.repeat },
    ...(refCheckout ? { compare: { ref: refCheckout.ref, commit: refCheckout.commit, label: refCheckout.label } } : {}),
    pinning: `${pinned ? 'server pinned to core 0, load generator to core 1 (taskset)' : 'no CPU pinning'}${nice === null ? '' : `, nice ${nice}`}`,
    pneumaticStatus: 'ok',
    messaging: {},
    idle: {},
    history: {},
    sync: {},
    reactions: {},
    search: {},
    uploads: {},
    growth: {},
    comparisons: {},
    warnings,
    wallSeconds: 0,
    buildSeconds,
  };
}

async function main(): Promise<void> {
  if (!options.noBuild && !options.serverRoot) build();
  const refCheckout = prepareCompare();
  const buildSeconds = (Date.now() - started) / 1000;
  const taskset = hasTaskset();
  const cores = machineInfo().cores;
  const pinned = taskset && cores >= 2 && !options.noPin;
  const serverCore = pinned ? 0 : null;
  const generatorCore = pinned ? 1 : null;
  if (pinned) pinSelf(1);
  const fdLimit = openFilesHardLimit();
  const warnings: string[] = [];
  const loadStart = loadAverage();
  if (!pinned) warnings.push('taskset unavailable or fewer than 2 cores: server and generator share the CPU, figures are not comparable');

  const targetOptions: TargetOptions = {
    root: ROOT,
    serverRoot: options.serverRoot ? resolve(options.serverRoot) : ROOT,
    refRoot: refCheckout?.dir,
    db: options.db,
    postgresUrl: options.postgresUrl,
    workers,
    redisUrl: options.redisUrl,
    core: serverCore,
    nice,
    env: {
      ...(options.pushLatencyMs === null ? {} : { PUSH_ALLOW_INSECURE_ENDPOINTS: 'on' }),
      // REF gets these too; it makes no webhooks, so they change nothing there.
      ...(options.webhooks > 0 ? WEBHOOK_SINK_ENV : {}),
    },
  };
  // --push: a push sink every benchmark user subscribes to (lib/push-sink.ts).
  const pushSink = options.pushLatencyMs === null ? null : await PushSink.start(options.pushLatencyMs);
  setActivePushSink(pushSink);
  if (pushSink) log(`push bookkeeping on: users subscribe to a loopback push sink answering after ${options.pushLatencyMs} ms`);
  // --webhooks N: this build's messaging conversations subscribe a loopback sink (workloads/messaging-webhooks.ts).
  const webhookSink = options.webhooks > 0 ? await WebhookSink.start() : null;
  setActiveWebhooks(webhookSink ? { sink: webhookSink, perConversation: options.webhooks } : null);
  if (webhookSink) log(`webhooks on: ${options.webhooks} per conversation of this build's messaging workloads, to a loopback sink answering 204`);
  const generators: GeneratorClient[] = [];
  const startGenerator = () => {
    const g = GeneratorClient.start(generatorCore, ROOT, nice);
    generators.push(g);
    return g;
  };
  const runner = new TargetRunner({
    targetOptions,
    targets,
    repeat: options.repeat,
    quick,
    pneumaticStatus: () => report.pneumaticStatus,
    resetGenerator: () => ctx.generator.send({ cmd: 'close' }),
    log,
  });
  const cleanup = async () => {
    await runner.stopAll();
    await Promise.all(generators.map((g) => g.stop()));
    if (pushSink) log(`push sink: ${pushSink.received} pushes received`);
    await pushSink?.close();
    const hooks = webhookSink?.totals();
    if (hooks) log(`webhook sink: ${hooks.received} deliveries received, ${hooks.unique} unique webhook-ids, ${hooks.repeats} repeated, ${hooks.outOfOrder} out of order`);
    await webhookSink?.close();
    refCheckout?.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping servers and generators`);
      void cleanup().then(() => process.exit(130));
    });
  }

  const budget = searchBudgetFor(options);
  const ctx = benchContext(targetOptions, startGenerator, fdLimit);
  const report = emptyReport(refCheckout, pinned, warnings, buildSeconds);

  await probeWorkers(report, targetOptions);
  await runWorkloads(ctx, runner, budget, options, report, ROOT);
  if (webhookSink) report.webhooks = { perConversation: options.webhooks, sink: webhookSink.totals() };
  warnings.push(...resultWarnings(report, runner.ordered, ctx.generatorCpuLimit));

  await cleanup();
  const loadEnd = loadAverage();
  if (Math.max(loadStart, loadEnd) > cores) {
    warnings.push(`the machine was busy (1-minute load average ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end, on ${cores} cores): other processes competed for the pinned cores, so figures are low and noisy`);
  }
  report.wallSeconds = (Date.now() - started) / 1000;
  writeResults(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
