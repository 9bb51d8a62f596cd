/**
 * The workloads of a run, in the order they run: the messaging topologies and history reads
 * (interleaved rounds per target), Pneumatic against itself (the other database, N workers),
 * idle connections, the change feed, reactions on one hot message, webhook deliveries, search, directory search, uploads,
 * retention jobs, and growth last. Each fills its part of the report.
 */
import { niceSelf } from './lib/processes.js';
import type { RunOptions } from './run-options.js';
import type { BenchReport, Runs } from './report.js';
import { SearchBudget } from './search-budget.js';
import type { TargetRunner } from './target-runner.js';
import type { BenchContext } from './workloads/context.js';
import { compareDatabases, compareWorkers } from './workloads/comparisons.js';
import { growthOptions, runGrowth } from './workloads/growth.js';
import { runHistory } from './workloads/history.js';
import { runIdle } from './workloads/idle.js';
import { runMessaging, type MessagingResult } from './workloads/messaging.js';
import { runReactions } from './workloads/reactions.js';
import { retentionJobsEnv, retentionJobsOptions, runRetentionJobs } from './workloads/retention-jobs.js';
import { runSearch, searchOptions } from './workloads/search.js';
import { directoryOptions, runDirectorySearch } from './workloads/directory-search.js';
import { runSync } from './workloads/sync.js';
import { makeUploadDirs, runUploads, uploadsEnv, uploadsOptions } from './workloads/uploads.js';
import { runWebhookDeliveries, webhookDeliveriesOptions } from './workloads/webhook-deliveries.js';
import { WEBHOOK_SINK_ENV } from './lib/webhook-sink.js';
import { uploadPayload } from './workloads/upload-client.js';
import { directMessages, largeRoom, smallGroups } from './workloads/topologies.js';

const MESSAGING = ['small-groups', 'direct-messages', 'large-room'];

/**
 * The budget of the run's throughput searches, counted from now: made before the first
 * workload (and before the --workers probe), as the run's time limit starts there.
 */
export function searchBudgetFor(options: RunOptions): SearchBudget {
  const { only, targets } = options;
  return new SearchBudget({
    quick: options.quick,
    repeat: options.repeat,
    targetCount: targets.length,
    searchesPerRound: MESSAGING.filter((name) => only.has(name)).length + (only.has('history') ? 1 : 0),
    comparisonSearches: targets.includes('pneumatic') ? (only.has('databases') ? 1 : 0) + (only.has('workers') ? 2 : 0) : 0,
  });
}

/** Runs every selected workload; `root` is the checkout whose build the workers comparison runs. */
export async function runWorkloads(ctx: BenchContext, runner: TargetRunner, budget: SearchBudget, options: RunOptions, report: BenchReport, root: string): Promise<void> {
  const { quick, only, targets, workers } = options;
  const withPneumatic = targets.includes('pneumatic');

  const topologies = [smallGroups(quick), directMessages(quick), largeRoom(quick)].filter((t) => only.has(t.name));
  for (const topology of topologies) {
    const runs: Runs<MessagingResult> = (report.messaging[topology.name] ??= {});
    await runner.runRounds(topology.title, runs, (target, kind) => {
      // The other servers also get a step at this build's half rate (its latest known).
      const halves = (runs.pneumatic ?? []).map((r) => (r && 'atHalf' in r ? r.atHalf?.rate : undefined)).filter((r) => r !== undefined);
      const sameRate = kind === 'pneumatic' ? undefined : halves[halves.length - 1];
      return runMessaging(ctx, target, topology, budget.next(), sameRate);
    });
  }
  if (only.has('history')) await runner.runRounds('History reads', report.history, (target) => runHistory(ctx, target, budget.next()));
  await runner.stopShared();
  if (withPneumatic && only.has('databases')) {
    const other = options.db === 'sqlite' ? 'postgres' : 'sqlite';
    // The main table's small-groups figure (same settings) stands for this run's database.
    // Its median round, when there were several.
    const measuredAlready = workers === null ? (report.messaging['small-groups']?.pneumatic ?? []).filter((r): r is MessagingResult => 'sustainableRate' in r) : [];
    const main = measuredAlready.sort((a, b) => a.sustainableRate - b.sustainableRate)[Math.floor((measuredAlready.length - 1) / 2)];
    const missing: ('sqlite' | 'postgres')[] = main ? [other] : ['sqlite', 'postgres'];
    if (!main) budget.addSearch();
    const measured = await compareDatabases(ctx, missing, budget.next);
    report.comparisons.databases = main ? { [options.db]: main, ...measured } : measured;
  }
  if (withPneumatic && only.has('workers')) {
    report.comparisons.workers = await compareWorkers(ctx, workers !== null && workers > 1 ? workers : 2, budget.next, root);
  }
  if (only.has('idle')) {
    const levels = quick ? [5000] : [10_000, 20_000];
    for (const kind of targets) {
      ctx.log(`Idle connections (${levels.join(', ')}): ${kind}`);
      await runner.runOnce(kind, report.idle, (target) => runIdle(ctx, target, levels, quick ? 25 : 10));
    }
  }
  // Pneumatic only (the raw server has no change feed); a fresh server, after every search so
  // its setup (thousands of writes) takes no time from their budgets.
  if (only.has('sync') && withPneumatic) {
    ctx.log(`Change feed (POST /sync, ${quick ? 100 : 500} conversations): pneumatic`);
    await runner.runOnce('pneumatic', report.sync, (target) => runSync(ctx, target));
  }
  // Pneumatic only (the raw server has no reactions); a fresh server, like the change feed.
  if (only.has('reactions') && withPneumatic) {
    ctx.log('Reactions on one hot message (200 members, 100 connected, 50 reactors): pneumatic');
    await runner.runOnce('pneumatic', (report.reactions ??= {}), (target) => runReactions(ctx, target));
  }
  // Pneumatic (and REF) only, the raw server having no webhooks; interleaved rounds, each
  // target on a fresh server allowed to deliver to the runner's loopback sink.
  if (only.has('webhook-deliveries') && withPneumatic) {
    const webhooks = webhookDeliveriesOptions(quick);
    ctx.log(`Webhook deliveries (${webhooks.messages.toLocaleString('en')} messages over ${webhooks.conversations} conversations, one webhook each, ${webhooks.sendConcurrency} sends in flight)`);
    await runner.runRounds('Webhook deliveries', (report.webhookDeliveries ??= {}), (target) => runWebhookDeliveries(ctx, target, webhooks), {
      only: ['pneumatic', 'ref'],
      env: () => ({ ...WEBHOOK_SINK_ENV }),
    });
  }
  // Pneumatic only; before growth, as its seeding takes minutes at 1 M messages (growth's more).
  if (only.has('search') && withPneumatic) {
    const search = searchOptions(quick, options.repeat, options.searchMessages, options.searchClients);
    ctx.log(`Search (${search.messages.toLocaleString('en')} messages, ${search.conversations.toLocaleString('en')} conversations, the searcher in ${search.memberOf}): pneumatic`);
    await runner.runOnce('pneumatic', (report.search ??= {}), (target) => runSearch(ctx, target, search));
  }
  // Pneumatic only; a fresh server per database and DIRECTORY_VISIBILITY, each seeded with its users.
  if (only.has('directory-search') && withPneumatic && report.pneumaticStatus === 'ok') {
    const directory = directoryOptions(options.directoryUsers, options.directoryDbs, quick, options.directoryVisibilities);
    ctx.log(`Directory search (${directory.users.toLocaleString('en')} users, the searcher sharing conversations with ${directory.sharedWith.toLocaleString('en')}; ${directory.databases.join(', ')}): pneumatic`);
    report.directory = await runDirectorySearch(ctx, directory);
  }
  // Pneumatic (and REF) only, the raw server having no uploads; interleaved rounds like the
  // messaging workloads, each server fresh, with its files in a directory of the run's own.
  if (only.has('uploads') && withPneumatic) {
    const uploads = uploadsOptions();
    const dirs = makeUploadDirs();
    const payload = uploadPayload(uploads.fileBytes, uploads.chunkBytes);
    // The runner is the clients and the baseline's writers: at the server's nice, as generators are.
    const restoreNice = niceSelf(options.nice);
    ctx.log(`Uploads (${uploads.phases.map((p) => `${p.clients} × ${p.filesPerClient}`).join(', ')} files of ${uploads.fileBytes / 2 ** 20} MiB, against fs streams on ${dirs.filesystem}, ${dirs.root})`);
    try {
      await runner.runRounds('Uploads', (report.uploads ??= {}), (target, _kind, round) => runUploads(ctx, target, round, dirs, payload, uploads), {
        only: ['pneumatic', 'ref'],
        env: (kind) => uploadsEnv(dirs, kind),
      });
    } finally {
      restoreNice();
      dirs.remove();
    }
  }
  // Pneumatic only (the raw server has no jobs); a fresh server whose ADMIN_USERNAMES names the
  // workload's admin; minutes of seeding at 1 M messages, and as long as the jobs take.
  if (only.has('retention-jobs') && withPneumatic) {
    const retention = retentionJobsOptions(quick, options.retentionMessages, options.retentionSendRate);
    ctx.log(`Retention jobs (${retention.expiredMessages.toLocaleString('en')} expired messages, ${retention.removalMessages.toLocaleString('en')} of one user, beside a steady send load): pneumatic`);
    await runner.runOnce('pneumatic', (report.retentionJobs ??= {}), (target) => runRetentionJobs(ctx, target, retention), retentionJobsEnv(ctx.targetOptions.env));
  }
  // Pneumatic only; last, as its seeding takes minutes at 10 M messages.
  if (only.has('growth') && withPneumatic) {
    const sizes = options.growthSizes?.split(',').map(Number);
    if (sizes?.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('--growth-sizes: whole numbers, e.g. 0,1000000,10000000');
    const growth = growthOptions(quick, sizes?.sort((a, b) => a - b));
    ctx.log(`Growth (${growth.sizes.map((n) => n.toLocaleString('en')).join(' / ')} stored messages): pneumatic`);
    await runner.runOnce('pneumatic', report.growth, (target) => runGrowth(ctx, target, growth));
  }
}
