/**
 * Directory search (issue #21, Performance): GET /users?q=… at 100,000 users, p99 under 20 ms on
 * SQLite and PostgreSQL. For each database and each DIRECTORY_VISIBILITY (all, shared), a fresh
 * server and database: the users seeded in bulk (directory-seed.ts), every query walked once
 * untimed as the check of the answers (directory-probe.ts), then the mix of first pages and next
 * pages timed one at a time and with C clients at once (directory-phases.ts). Pneumatic only.
 */
import { DIRECTORY_VISIBILITIES, type DirectoryVisibility } from '@pneumatic/protocol';
import { startTarget, type RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { concurrentPhase, sequentialPhase, type DirectoryPhase } from './directory-phases.js';
import { probeDirectory, type CaseCheck } from './directory-probe.js';
import { seedDirectoryFixture, type DirectoryFixture, type DirectoryFixtureOptions } from './directory-seed.js';

export type DirectoryDatabase = 'sqlite' | 'postgres';

export interface DirectoryOptions extends DirectoryFixtureOptions {
  databases: DirectoryDatabase[];
  visibilities: DirectoryVisibility[];
  /** `limit` of every request, as a people picker asks. */
  pageLimit: number;
  /** Passes over the mix in the sequential phase. */
  passes: number;
  clients: number;
  durationMs: number;
}

/** `users`: --directory-users (100,000 unless given); `databases`: --db's, or both; `visibilities`: --directory-visibility, or both. */
export function directoryOptions(users: number | undefined, databases: DirectoryDatabase[], quick: boolean, visibilities: DirectoryVisibility[] = [...DIRECTORY_VISIBILITIES]): DirectoryOptions {
  const n = users ?? 100_000;
  // The searcher knows 2,000 people, or a fiftieth of a smaller server.
  const sharedWith = Math.min(2000, Math.floor(n / 50));
  return {
    databases,
    visibilities,
    users: n,
    sharedWith,
    sharedInGroups: Math.floor(sharedWith * 0.75),
    groupSize: 15,
    otherConversations: Math.floor(n / 4),
    otherMembers: 4,
    pageLimit: 20,
    passes: quick ? 10 : 40,
    clients: 4,
    durationMs: quick ? 3000 : 10_000,
  };
}

export interface DirectoryRun {
  database: DirectoryDatabase;
  visibility: DirectoryVisibility;
  fixture: Omit<DirectoryFixture, 'searcher' | 'visibleToSearcher' | 'expected'>;
  checks: CaseCheck[];
  sequential: DirectoryPhase;
  concurrent: DirectoryPhase;
}

export interface DirectoryResult {
  workload: 'directory-search';
  options: DirectoryOptions;
  runs: Partial<Record<DirectoryDatabase, Partial<Record<DirectoryVisibility, DirectoryRun | { error: string }>>>>;
}

function phaseLine(name: string, p: DirectoryPhase): string {
  const l = p.latency;
  return `  ${name}: ${p.requests.toLocaleString('en')} requests (${p.requestsPerSecond}/s), p50 / p95 / p99 / max ${l.p50} / ${l.p95} / ${l.p99} / ${l.max} ms, ${p.errors} errors, server ${p.serverCpu} cores`;
}

async function measure(ctx: BenchContext, target: RunningTarget, database: DirectoryDatabase, visibility: DirectoryVisibility, options: DirectoryOptions): Promise<DirectoryRun> {
  const seeded = await seedDirectoryFixture(ctx, target, options);
  const { searcher, visibleToSearcher: _visible, expected: _expected, ...fixture } = seeded;
  const { checks, mix } = await probeDirectory(target, seeded, visibility, options.pageLimit);
  const wrong = checks.filter((c) => c.problems.length > 0);
  ctx.log(`  ${checks.length} queries walked (${checks.reduce((n, c) => n + c.pages, 0)} pages): ${wrong.length === 0 ? 'every answer as expected' : `⚠ ${wrong.length} with wrong answers`}; the mix is ${mix.length} requests`);
  for (const c of wrong) ctx.log(`    ⚠ ${c.q}: ${c.problems.join('; ')}`);
  const sequential = await sequentialPhase(target, searcher.token, mix, options.passes);
  ctx.log(phaseLine('one at a time', sequential));
  const concurrent = await concurrentPhase(target, searcher.token, mix, options.clients, options.durationMs);
  ctx.log(phaseLine(`${options.clients} clients`, concurrent));
  return { database, visibility, fixture, checks, sequential, concurrent };
}

export async function runDirectorySearch(ctx: BenchContext, options: DirectoryOptions): Promise<DirectoryResult> {
  const result: DirectoryResult = { workload: 'directory-search', options, runs: {} };
  for (const database of options.databases) {
    const runs = (result.runs[database] ??= {});
    for (const visibility of options.visibilities) {
      ctx.log(`Directory search on ${database}, DIRECTORY_VISIBILITY=${visibility}: pneumatic`);
      let target: RunningTarget | undefined;
      try {
        // A fresh server and database per setting: the visibility is read once, at boot.
        target = await startTarget('pneumatic', { ...ctx.targetOptions, db: database, env: { ...ctx.targetOptions.env, DIRECTORY_VISIBILITY: visibility } });
        runs[visibility] = await measure(ctx, target, database, visibility, options);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.log(`  failed: ${message.split('\n')[0]}`);
        runs[visibility] = { error: message.slice(0, 2000) };
      } finally {
        await target?.stop();
      }
    }
  }
  return result;
}
