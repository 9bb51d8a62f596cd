/**
 * `npm run bench`'s command line: parsed and checked once, every problem exiting with status 2
 * and a line saying what is allowed. `--help` prints the usage and exits.
 */
import { parseArgs } from 'node:util';
import { joinNegativeValues } from './lib/args.js';
import type { TargetKind } from './lib/targets.js';

export const ALL_WORKLOADS = ['small-groups', 'direct-messages', 'large-room', 'idle', 'history', 'sync', 'reactions', 'search', 'directory-search', 'uploads', 'webhook-deliveries', 'retention-jobs', 'growth', 'databases', 'workers'] as const;

export interface RunOptions {
  db: 'sqlite' | 'postgres';
  /** --workers N, or null when not given. */
  workers: number | null;
  quick: boolean;
  /** Also write the JSON report to this file. */
  json: string | undefined;
  noBuild: boolean;
  noPin: boolean;
  /** Benchmark the dist/ of another checkout. */
  serverRoot: string | undefined;
  nice: number | null;
  /** The workloads to run (--only, or the default set of a full or quick run). */
  only: Set<string>;
  /** pneumatic, raw, and ref when --compare is given. */
  targets: TargetKind[];
  /** Runs per search figure. */
  repeat: number;
  compare: string | undefined;
  keepRef: boolean;
  growthSizes: string | undefined;
  /** --search-messages N: the search workload's corpus (undefined: its default, 1 M full, 100 k quick). */
  searchMessages: number | undefined;
  /** --search-clients N: the search workload's concurrent clients (undefined: 4). */
  searchClients: number | undefined;
  /** --directory-users N: the directory workload's users (undefined: its default, 100,000). */
  directoryUsers: number | undefined;
  /** The databases the directory workload measures: --db's, or both when --db is not given (issue #21 asks for both). */
  directoryDbs: ('sqlite' | 'postgres')[];
  /** --directory-visibility all|shared: the one DIRECTORY_VISIBILITY to measure (both when not given). */
  directoryVisibilities: ('all' | 'shared')[];
  /** --retention-messages N: the retention workload's expired messages, and user X's (undefined: 1 M full, 100 k quick). */
  retentionMessages: number | undefined;
  /** --retention-send-rate N: the retention workload's send load (undefined: half the rate it finds sustainable). */
  retentionSendRate: number | undefined;
  postgresUrl: string;
  redisUrl: string;
  /** --push: every user subscribed to a loopback push sink answering after this many ms (--push-latency-ms, default 50); null without --push. */
  pushLatencyMs: number | null;
  /** --webhooks N: this build's messaging conversations get N webhooks each to a loopback sink (not REF's); 0 without. */
  webhooks: number;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

export function parseRunOptions(argv: string[]): RunOptions {
  const { values } = parseArgs({
    args: joinNegativeValues(argv, ['--nice']),
    options: {
      // No default here: the directory workload measures both databases unless --db is given.
      db: { type: 'string' },
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
      'search-messages': { type: 'string' },
      'search-clients': { type: 'string' },
      'directory-users': { type: 'string' },
      'directory-visibility': { type: 'string' },
      'retention-messages': { type: 'string' },
      'retention-send-rate': { type: 'string' },
      'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
      push: { type: 'boolean', default: false },
      'push-latency-ms': { type: 'string', default: '50' },
      webhooks: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });

  if (values.help) {
    console.log('usage: npm run bench -- [--quick] [--db sqlite|postgres] [--workers N] [--json FILE] [--no-build] [--only a,b] [--targets raw,pneumatic] [--server-root DIR] [--nice N] [--repeat N] [--compare REF [--keep-ref]] [--growth-sizes N,N] [--search-messages N] [--search-clients N] [--directory-users N] [--directory-visibility all|shared] [--retention-messages N] [--retention-send-rate N] [--push [--push-latency-ms N]] [--webhooks N]');
    process.exit(0);
  }
  const db = values.db ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') fail('--db must be sqlite or postgres');
  const workers = values.workers === undefined ? null : Number(values.workers);
  if (workers !== null && (!Number.isInteger(workers) || workers < 1 || workers > 64)) fail('--workers must be a whole number from 1 to 64');
  for (const url of [values['postgres-url'], values['redis-url']]) {
    if (!/^\w+:\/\/(\w+@)?(127\.\d+\.\d+\.\d+|localhost)[:/]/.test(url)) fail(`the benchmark only targets loopback addresses: ${url}`);
  }
  const nice = values.nice === undefined ? null : Number(values.nice);
  if (nice !== null && (!Number.isInteger(nice) || nice < -20 || nice > 19)) fail('--nice must be a whole number from -20 to 19');
  const searchMessages = values['search-messages'] === undefined ? undefined : Number(values['search-messages']);
  if (searchMessages !== undefined && (!Number.isInteger(searchMessages) || searchMessages < 2000 || searchMessages > 100_000_000)) fail('--search-messages must be a whole number from 2000 to 100000000');
  const searchClients = values['search-clients'] === undefined ? undefined : Number(values['search-clients']);
  if (searchClients !== undefined && (!Number.isInteger(searchClients) || searchClients < 1 || searchClients > 64)) fail('--search-clients must be a whole number from 1 to 64');
  const directoryUsers = values['directory-users'] === undefined ? undefined : Number(values['directory-users']);
  if (directoryUsers !== undefined && (!Number.isInteger(directoryUsers) || directoryUsers < 1000 || directoryUsers > 10_000_000)) fail('--directory-users must be a whole number from 1000 to 10000000');
  const directoryVisibility = values['directory-visibility'];
  if (directoryVisibility !== undefined && directoryVisibility !== 'all' && directoryVisibility !== 'shared') fail('--directory-visibility must be all or shared');
  const retentionMessages = values['retention-messages'] === undefined ? undefined : Number(values['retention-messages']);
  if (retentionMessages !== undefined && (!Number.isInteger(retentionMessages) || retentionMessages < 1000 || retentionMessages > 100_000_000)) fail('--retention-messages must be a whole number from 1000 to 100000000');
  const retentionSendRate = values['retention-send-rate'] === undefined ? undefined : Number(values['retention-send-rate']);
  if (retentionSendRate !== undefined && (!Number.isInteger(retentionSendRate) || retentionSendRate < 1 || retentionSendRate > 100_000)) fail('--retention-send-rate must be a whole number from 1 to 100000 (messages per second)');
  const quick = values.quick;
  // The comparisons take four more searches, growth, search, directory search and retention jobs minutes of seeding, reactions
  // a fresh server with 200 users, uploads gigabytes of disk writes, webhook deliveries a fresh
  // server per target and round trips of thousands: full runs only, unless --only names them.
  const fullOnly: readonly string[] = ['databases', 'workers', 'growth', 'reactions', 'search', 'directory-search', 'uploads', 'webhook-deliveries', 'retention-jobs'];
  const only = new Set<string>(values.only ? values.only.split(',') : quick ? ALL_WORKLOADS.filter((w) => !fullOnly.includes(w)) : ALL_WORKLOADS);
  const targets = values.targets.split(',').filter((t): t is TargetKind => t === 'raw' || t === 'pneumatic');
  // --compare REF: REF's build is one more target, measured in the same rounds as this build.
  if (values.compare !== undefined) targets.push('ref');
  const repeat = values.repeat === undefined ? (quick ? 2 : 3) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) fail('--repeat must be a whole number from 1 to 20');

  const pushLatencyMs = Number(values['push-latency-ms']);
  if (!Number.isInteger(pushLatencyMs) || pushLatencyMs < 0 || pushLatencyMs > 10_000) fail('--push-latency-ms must be a whole number from 0 to 10000');
  const webhooks = Number(values.webhooks);
  if (!Number.isInteger(webhooks) || webhooks < 0 || webhooks > 100) fail('--webhooks must be a whole number from 0 to 100 (webhooks per conversation)');

  return {
    db,
    workers,
    quick,
    json: values.json,
    noBuild: values['no-build'],
    noPin: values['no-pin'],
    serverRoot: values['server-root'],
    nice,
    only,
    targets,
    repeat,
    compare: values.compare,
    keepRef: values['keep-ref'],
    growthSizes: values['growth-sizes'],
    searchMessages,
    searchClients,
    directoryUsers,
    directoryDbs: values.db === undefined ? ['sqlite', 'postgres'] : [db],
    directoryVisibilities: directoryVisibility === undefined ? ['all', 'shared'] : [directoryVisibility],
    retentionMessages,
    retentionSendRate,
    postgresUrl: values['postgres-url'],
    redisUrl: values['redis-url'],
    pushLatencyMs: values.push ? pushLatencyMs : null,
    webhooks,
  };
}
