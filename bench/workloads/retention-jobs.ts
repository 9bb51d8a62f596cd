/**
 * Retention and message-removal jobs beside sends (issue #22, Performance): how fast each job
 * deletes, and what it costs the sends that go on meanwhile (the issue's target: sends within
 * 20% of what they are with no job). One fresh server, whose ADMIN_USERNAMES names the
 * workload's admin; the fixture (retention-seed.ts) holds N expired messages and N of user X's.
 * A steady send load (steady-load.ts) on live small groups, at a fixed rate below capacity (half
 * what they sustain, or --retention-send-rate), runs in three phases:
 *
 * 1. idle: no job, for 20 s (10 s quick): the reference;
 * 2. retention: the admin sets a server-wide period of 30 days (PUT /admin/retention), which
 *    starts the job at once; the load goes on until every expired message is gone (read from
 *    the database every second: the sum of the seeded conversations' expired_through_seq, raised
 *    with each batch) or 10 minutes (5 quick) have passed;
 * 3. removal: the admin removes all of X's messages (POST /admin/users/{X}/message-removals);
 *    the load goes on, its progress read every second (GET /admin/message-removals/{id}), until
 *    it is done or 3 minutes (1 quick) have passed; a capped job's rate gives the time a
 *    million would take.
 *
 * The job's rate counts from the request that started it; the load's per-second figures only
 * the seconds inside the job's run. Pneumatic only.
 */
import { createAgent, requestJson } from '../lib/http.js';
import { extraServerEnv, type RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { openSeeder, type Seeder } from './growth-seed.js';
import { JobWatch, type JobProgress, type JobReading } from './job-progress.js';
import { RETENTION_ADMIN, seedRetentionFixture, type RetentionFixture, type RetentionFixtureOptions } from './retention-seed.js';
import { connectLive, steadyLoad, summarizeLoad, sustainableRate, type LoadStep, type PhaseLoad } from './steady-load.js';
import { smallGroups } from './topologies.js';

/** The load when the search finds no passing rate (a machine too busy): its first rate, halved. */
const FALLBACK_RATE = 50;

export interface RetentionJobsOptions extends RetentionFixtureOptions {
  /** The live groups: small groups of a quick or a full run. */
  quick: boolean;
  retentionDays: number;
  /** --retention-send-rate; undefined: `rateFraction` of what the live groups sustain, searched within `searchBudgetMs`. */
  sendRate: number | undefined;
  rateFraction: number;
  searchBudgetMs: number;
  /** Length of each step of the load; the idle phase's length; the jobs' caps. */
  stepMs: number;
  idleMs: number;
  retentionCapMs: number;
  removalCapMs: number;
}

/** `messages`: --retention-messages, both the expired and X's (1 M full, 100 k quick). */
export function retentionJobsOptions(quick: boolean, messages?: number, sendRate?: number): RetentionJobsOptions {
  const n = messages ?? (quick ? 100_000 : 1_000_000);
  return {
    quick,
    expiredMessages: n,
    expiredConversations: 100,
    expiredAgeDays: 400,
    removalMessages: n,
    removalConversations: 100,
    removalAgeHours: 30,
    retentionDays: 30,
    sendRate,
    rateFraction: 0.5,
    searchBudgetMs: quick ? 8000 : 40_000,
    // Long steps: less of the phase goes to the drain and settling between them.
    stepMs: quick ? 5000 : 10_000,
    idleMs: quick ? 10_000 : 20_000,
    retentionCapMs: quick ? 300_000 : 600_000,
    removalCapMs: quick ? 60_000 : 180_000,
  };
}

/** The server's settings for the workload: the run's, and ADMIN_USERNAMES naming its admin. */
export function retentionJobsEnv(runEnv: Record<string, string> | undefined): Record<string, string> {
  return { ...runEnv, ADMIN_USERNAMES: RETENTION_ADMIN };
}

export interface RetentionPhase {
  name: 'idle' | 'retention' | 'removal';
  load: PhaseLoad;
  job: JobProgress | null;
  /** Against the idle phase: percent of its sends/s (overall, and the per-second medians); ack p50 and p99 over idle's. */
  vsIdle: { sendsPercent: number | null; perSecondPercent: number | null; ackP50Ratio: number | null; ackP99Ratio: number | null } | null;
  steps: LoadStep[];
}

export interface RetentionJobsResult {
  workload: 'retention-jobs';
  target: string;
  options: RetentionJobsOptions;
  fixture: Pick<RetentionFixture, 'expiredMessages' | 'removalMessages' | 'setupSeconds' | 'expiredSeedSeconds' | 'removalSeedSeconds'> & { liveUsers: number; liveConversations: number };
  /** option: --retention-send-rate; measured: the fraction of the search's; fallback: the search found none (FALLBACK_RATE). */
  sendRate: { rate: number; source: 'option' | 'measured' | 'fallback'; sustainable: number | null };
  /** The jobs' settings BENCH_SERVER_ENV gave the server (RETENTION_*, MESSAGE_REMOVAL_*); the defaults otherwise. */
  serverSettings: Record<string, string>;
  phases: RetentionPhase[];
  /** Expired messages still stored after the retention phase (0 once its job finished). */
  expiredLeft: number;
}

function percent(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null || b === 0 ? null : Math.round((a / b) * 1000) / 10;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100;
}

function describe(phase: RetentionPhase): string {
  const l = phase.load;
  const s = (x: { median: number; min: number; max: number } | null, d = 0) => (x ? `${x.median.toFixed(d)} (${x.min.toFixed(d)}–${x.max.toFixed(d)})` : '–');
  const job = phase.job;
  const jobText = job
    ? `; job: ${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')} in ${job.seconds} s, ${Math.round(job.perSecond).toLocaleString('en')}/s (per second ${s(job.perSecondSpread)})${job.capped ? `, stopped at the ${job.capSeconds} s cap: a million would take ${job.secondsPerMillion} s` : ''}`
    : '';
  const vs = phase.vsIdle ? `; sends ${phase.vsIdle.sendsPercent}% of idle (per-second median ${phase.vsIdle.perSecondPercent}%), ack p99 ${phase.vsIdle.ackP99Ratio}× idle` : '';
  return `  ${phase.name}: ${l.sendsPerSecond} sends/s over ${l.seconds} s (per second ${s(l.perSecond)}), ack p50 ${s(l.ackP50, 1)} / p99 ${s(l.ackP99, 1)} ms over ${l.steps} steps (${l.failedSteps} failed; sending ${Math.round(l.sendingShare * 100)}% of ${l.wallSeconds} s), server ${l.serverCpu} cores, ${l.cpuUsPerMessage} µs/message${jobText}${vs}`;
}

/** The admin's calls, on a connection of their own per phase (one idle for minutes is closed by the server). */
function adminClient(target: RunningTarget, token: string) {
  const agent = createAgent(1);
  return {
    call: <T>(method: string, path: string, body?: unknown) => requestJson<T>(agent, target.baseUrl, method, path, { token, body }),
    close: () => agent.destroy(),
  };
}

/** The retention phase's reading: every expired message at or below its conversation's expired_through_seq is gone (their seqs run 1..n). */
function expiredReader(seeder: Seeder, ids: readonly string[], total: number): () => Promise<JobReading> {
  const sql = `select sum(expired_through_seq) as done from conversations where id in (${ids.map(() => '?').join(', ')})`;
  return async () => {
    const [row] = await seeder.query<{ done: number | string | null }>(sql, ids);
    const done = Number(row?.done ?? 0);
    return { done, finished: done >= total };
  };
}

export async function runRetentionJobs(ctx: BenchContext, target: RunningTarget, options: RetentionJobsOptions): Promise<RetentionJobsResult> {
  if (!target.databaseUrl) throw new Error('retention-jobs needs the server database');
  const seeder = await openSeeder(target.databaseUrl);
  try {
    const topology = smallGroups(options.quick);
    const fixture = await seedRetentionFixture(ctx, target, seeder, topology, options);
    await connectLive(ctx, target, fixture.live.users, fixture.live.conversations);
    let rate = options.sendRate;
    let sustainable: number | null = null;
    if (rate === undefined) {
      ctx.log(`  the live groups' sustainable send rate (the messaging search, within ${options.searchBudgetMs / 1000} s)`);
      sustainable = await sustainableRate(ctx, target, options.searchBudgetMs);
      // On a machine too busy for any step to pass, the jobs' own rates are still worth having: a light load, said so.
      rate = sustainable === 0 ? FALLBACK_RATE : Math.max(1, Math.round(sustainable * options.rateFraction));
    }
    const source = sustainable === null ? 'option' : sustainable === 0 ? 'fallback' : 'measured';
    const why = { option: '--retention-send-rate', fallback: '⚠ no rate passed the search: a fallback', measured: `${options.rateFraction * 100}% of ${sustainable}` }[source];
    ctx.log(`  send load: ${rate} messages/s (${why}) over ${fixture.live.conversations.length} small groups, steps of ${options.stepMs / 1000} s`);

    const phases: RetentionPhase[] = [];
    const sendRate = rate;
    const phase = (name: RetentionPhase['name'], steps: LoadStep[], job: JobWatch | null): void => {
      const load = summarizeLoad(steps, job ? { fromMs: job.startedAtMs, toMs: job.endMs } : undefined);
      const idle = phases[0]?.load;
      const vsIdle = idle
        ? { sendsPercent: percent(load.sendsPerSecond, idle.sendsPerSecond), perSecondPercent: percent(load.perSecond?.median, idle.perSecond?.median), ackP50Ratio: ratio(load.ackP50?.median, idle.ackP50?.median), ackP99Ratio: ratio(load.ackP99?.median, idle.ackP99?.median) }
        : null;
      const result = { name, load, job: job?.result() ?? null, vsIdle, steps };
      phases.push(result);
      ctx.log(describe(result));
    };

    // 1. No job: the reference. Whole steps, as many as fit the phase's length.
    phase('idle', await steadyLoad(ctx, target, sendRate, options.stepMs, (ms) => ms < options.idleMs - options.stepMs / 2), null);

    // 2. The retention job, started by the admin's period; the load until it has deleted every expired message.
    const admin = adminClient(target, fixture.admin.token);
    let expiredLeft: number;
    try {
      const ids = fixture.expiredConversationIds;
      const startedAt = Date.now();
      await admin.call('PUT', '/admin/retention', { message_retention_days: options.retentionDays });
      const watch = new JobWatch(expiredReader(seeder, ids, fixture.expiredMessages), fixture.expiredMessages, startedAt, options.retentionCapMs);
      const steps = await steadyLoad(ctx, target, sendRate, options.stepMs, () => !watch.over);
      await watch.ended;
      phase('retention', steps, watch);
      const [left] = await seeder.query<{ n: number | string }>(`select count(*) as n from messages where conversation_id in (${ids.map(() => '?').join(', ')})`, ids);
      expiredLeft = Number(left?.n ?? 0);
      if (expiredLeft > 0) ctx.log(`  ⚠ ${expiredLeft.toLocaleString('en')} expired messages left: the retention job goes on during the removal phase`);
    } finally {
      admin.close();
    }

    // 3. The removal of X's messages; the load until it is done or the cap.
    const remover = adminClient(target, fixture.admin.token);
    try {
      const startedAt = Date.now();
      const removal = await remover.call<{ id: string; total: number }>('POST', `/admin/users/${fixture.author.id}/message-removals`, {});
      const read = async (): Promise<JobReading> => {
        const r = await remover.call<{ removed: number; status: string }>('GET', `/admin/message-removals/${removal.id}`);
        return { done: r.removed, finished: r.status !== 'running', status: r.status };
      };
      const watch = new JobWatch(read, removal.total, startedAt, options.removalCapMs);
      const steps = await steadyLoad(ctx, target, sendRate, options.stepMs, () => !watch.over);
      await watch.ended;
      phase('removal', steps, watch);
    } finally {
      remover.close();
    }
    await ctx.generator.send({ cmd: 'close' });

    const settings = Object.fromEntries(Object.entries(extraServerEnv()).filter(([name]) => name.startsWith('RETENTION_') || name.startsWith('MESSAGE_REMOVAL_')));
    return {
      workload: 'retention-jobs',
      target: target.kind,
      options,
      fixture: {
        expiredMessages: fixture.expiredMessages,
        removalMessages: fixture.removalMessages,
        setupSeconds: fixture.setupSeconds,
        expiredSeedSeconds: fixture.expiredSeedSeconds,
        removalSeedSeconds: fixture.removalSeedSeconds,
        liveUsers: fixture.live.users.length,
        liveConversations: fixture.live.conversations.length,
      },
      sendRate: { rate: sendRate, source, sustainable },
      serverSettings: settings,
      phases,
      expiredLeft,
    };
  } finally {
    await seeder.close();
  }
}
