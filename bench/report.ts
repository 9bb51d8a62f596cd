/**
 * The benchmark report: its JSON document (every result of a run) and the markdown page made of
 * it (the header, then the tables of report-table.ts, report-webhooks.ts, report-sections.ts, report-reactions.ts,
 * report-search.ts, report-directory.ts, report-uploads.ts, report-retention.ts and report-growth.ts).
 */
import { cpus, totalmem } from 'node:os';
import type { TargetKind } from './lib/targets.js';
import type { HistoryResult } from './workloads/history.js';
import type { IdleResult } from './workloads/idle.js';
import type { DatabaseComparison, WorkerComparison } from './workloads/comparisons.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { ReactionsResult } from './workloads/reactions.js';
import type { SearchResult } from './workloads/search.js';
import type { DirectoryResult } from './workloads/directory-search.js';
import type { SyncResult } from './workloads/sync.js';
import type { GrowthResult } from './workloads/growth.js';
import type { UploadsResult } from './workloads/uploads.js';
import type { WebhookDeliveriesResult } from './workloads/webhook-deliveries.js';
import type { RetentionJobsResult } from './workloads/retention-jobs.js';
import { renderDirectory } from './report-directory.js';
import { renderGrowth } from './report-growth.js';
import { renderComparisons, renderSync } from './report-sections.js';
import { renderReactions } from './report-reactions.js';
import { renderRetentionJobs } from './report-retention.js';
import { renderSearch } from './report-search.js';
import { renderMainTable } from './report-table.js';
import { renderUploads } from './report-uploads.js';
import { renderMessagingWebhooks, renderWebhookDeliveries, type MessagingWebhooksInfo } from './report-webhooks.js';

export type Outcome<T> = T | { error: string };

/** One measurement per target (idle connections, change feed). */
export type Pair<T> = Partial<Record<TargetKind, Outcome<T>>>;

/**
 * Interleaved repetitions per target: run i of every target belongs to round i, in which the
 * targets ran one after the other (the order alternating between rounds), so a stall of the
 * machine hits a round rather than one target's every figure.
 */
export type Runs<T> = Partial<Record<TargetKind, Outcome<T>[]>>;

/** --compare REF: the other commit measured as target "ref". */
export interface CompareInfo {
  ref: string;
  commit: string;
  label: string;
}

export interface BenchReport {
  date: string;
  machine: { cores: number; cpuModel: string; memoryGiB: number };
  node: string;
  /** workloads: the ones selected (--only, or the default set). */
  options: { db: string; workers: number | null; quick: boolean; workloads: string[]; targets: TargetKind[]; repeat: number };
  compare?: CompareInfo;
  pinning: string;
  /** "ok", or why Pneumatic did not run (e.g. "not supported" for --workers). */
  pneumaticStatus: string;
  messaging: Record<string, Runs<MessagingResult>>;
  idle: Pair<IdleResult>;
  history: Runs<HistoryResult>;
  /** Change feed (POST /sync): Pneumatic only. */
  sync: Pair<SyncResult>;
  /** Reactions on one hot message: Pneumatic only (absent from reports older than the workload). */
  reactions?: Pair<ReactionsResult>;
  /** Search over a seeded corpus: Pneumatic only (absent from reports older than the workload). */
  search?: Pair<SearchResult>;
  /** Directory search (GET /users?q=…) per database and visibility: Pneumatic only (absent from reports older than the workload). */
  directory?: DirectoryResult;
  /** Upload throughput against fs streams, interleaved rounds: Pneumatic (and REF) only (absent from reports older than the workload). */
  uploads?: Runs<UploadsResult>;
  /** Webhook deliveries per second to one loopback receiver, interleaved rounds: Pneumatic (and REF) only. */
  webhookDeliveries?: Runs<WebhookDeliveriesResult>;
  /** Retention and message-removal jobs beside a steady send load: Pneumatic only (absent from reports older than the workload). */
  retentionJobs?: Pair<RetentionJobsResult>;
  /** --webhooks N: this build's messaging conversations had N webhooks each; what the receiver got. */
  webhooks?: MessagingWebhooksInfo;
  /** Cost as work grows: Pneumatic only. */
  growth: Pair<GrowthResult>;
  /** Pneumatic against itself: the other database, N workers against 1. */
  comparisons: { databases?: DatabaseComparison; workers?: WorkerComparison };
  warnings: string[];
  wallSeconds: number;
  /** Of which the build (npm run build) took this long. */
  buildSeconds: number;
}

export function machineInfo(): BenchReport['machine'] {
  const list = cpus();
  return { cores: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

/** latest.md: the run's settings, then a table per kind of figure, then the warnings. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `## Pneumatic benchmark${report.options.quick ? ' (quick)' : ''}`,
    '',
    `- Date: ${report.date}`,
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM; ${report.pinning}`,
    `- Node ${report.node}; database: ${report.options.db}; workers: ${report.options.workers ?? 'default (flag not given)'}; Pneumatic: ${report.pneumaticStatus}`,
    `- Each search figure: median (min–max) of ${report.options.repeat} run${report.options.repeat === 1 ? '' : 's'} per target, the targets interleaved (order alternating between rounds); ratios are medians of the ratios within each round`,
    ...(report.compare ? [`- This build against ${report.compare.ref} (${report.compare.label}), measured in the same run`] : []),
    `- Wall time: ${Math.round(report.wallSeconds)} s (build ${Math.round(report.buildSeconds)} s, measurements ${Math.round(report.wallSeconds - report.buildSeconds)} s)`,
  ];
  lines.push(...renderMainTable(report));
  const charted = Object.keys(report.messaging);
  if (charted.length > 0) {
    // Written beside this file by the runner (charts.ts).
    lines.push('', 'Delivery latency against send rate (every step of every round; median per rate):', '', ...charted.map((w) => `![${w}: delivery latency p50 and p99 against send rate](${w}.svg)`));
  }
  lines.push(...renderMessagingWebhooks(report));
  lines.push(...renderComparisons(report.comparisons), ...renderSync(report), ...renderReactions(report), ...renderWebhookDeliveries(report));
  lines.push(...renderSearch(report), ...renderDirectory(report), ...renderUploads(report), ...renderRetentionJobs(report));
  lines.push(...renderGrowth(report.growth.pneumatic));
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}
