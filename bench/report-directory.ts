/**
 * The report's tables for directory search (Pneumatic only): latency of the request mix per
 * database and DIRECTORY_VISIBILITY against the issue's 20 ms p99, one at a time and with
 * several clients at once; then, one at a time, per kind of query, with the slowest requests
 * and the check of the answers, so a p99 over the target says which queries it came from.
 */
import type { BenchReport } from './report.js';
import { errorOf, failedCell, num, ok } from './report-cells.js';
import { DIRECTORY_CASES, DIRECTORY_KINDS, DIRECTORY_TARGET_P99_MS } from './workloads/directory-cases.js';
import type { DirectoryLatency, DirectoryPhase } from './workloads/directory-phases.js';
import type { DirectoryDatabase, DirectoryResult, DirectoryRun } from './workloads/directory-search.js';

const DATABASE_NAMES: Record<DirectoryDatabase, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

interface Column {
  title: string;
  run: DirectoryRun | undefined;
  error: string | undefined;
}

function columnsOf(r: DirectoryResult): Column[] {
  return r.options.databases.flatMap((database) =>
    (['all', 'shared'] as const).map((visibility) => {
      const outcome = r.runs[database]?.[visibility];
      return { title: `${DATABASE_NAMES[database]}, ${visibility}`, run: ok(outcome) as DirectoryRun | undefined, error: errorOf(outcome) };
    }),
  );
}

function targetCell(p99: number): string {
  return `< ${DIRECTORY_TARGET_P99_MS} ${p99 < DIRECTORY_TARGET_P99_MS ? '✓' : '✗'}`;
}

function phaseRow(title: string, column: Column, phase: (run: DirectoryRun) => DirectoryPhase): string[] {
  if (!column.run) return [title, column.title, column.error ? failedCell(column.error) : 'not run', '', '', '', '', '', '', ''];
  const p = phase(column.run);
  const l = p.latency;
  const requests = `${num(p.requests)}${p.errors > 0 ? ` ⚠ ${num(p.errors)} errors` : ''}`;
  return [title, column.title, requests, num(l.p50, 1), num(l.p95, 1), num(l.p99, 1), num(l.max, 1), targetCell(l.p99), num(p.requestsPerSecond, 0), num(p.serverCpu, 2)];
}

function kindCell(l: DirectoryLatency | undefined): string {
  return l ? `${num(l.p50, 1)} / ${num(l.p99, 1)} / ${num(l.max, 1)}` : '–';
}

/** Per kind of query, one at a time: p50 / p99 / max per column, then the slowest and the checks. */
function kindRows(columns: Column[]): string[][] {
  const rows = DIRECTORY_KINDS.map((kind) => {
    const queries = kind === 'next page' ? 'pages 2 and on of the queries that ask for them' : DIRECTORY_CASES.filter((c) => c.kind === kind).map((c) => `\`${c.q}\``).join(', ');
    return [`${kind} (${queries})`, ...columns.map((c) => kindCell(c.run?.sequential.byKind[kind]))];
  });
  rows.push(['slowest requests (ms)', ...columns.map((c) => c.run?.sequential.slowest.slice(0, 3).map((s) => `${s.label}: ${num(s.ms, 1)}`).join('; ') ?? '–')]);
  rows.push([
    'answers (every query walked, untimed)',
    ...columns.map((c) => {
      if (!c.run) return '–';
      const wrong = c.run.checks.filter((k) => k.problems.length > 0);
      return wrong.length === 0 ? `all ${c.run.checks.length} right` : `⚠ ${wrong.length} wrong: ${wrong.map((k) => `\`${k.q}\``).join(', ')}`;
    }),
  ]);
  return rows;
}

function seedingLine(r: DirectoryResult, columns: Column[]): string {
  const runs = columns.map((c) => c.run).filter((run): run is DirectoryRun => run !== undefined);
  const f = runs[0]?.fixture;
  if (!f) return '';
  const seconds = runs.map((run) => `${DATABASE_NAMES[run.database]} (${run.visibility}) ${num(run.fixture.seedSeconds, 1)} s`).join(', ');
  return (
    `Seeding, per server: ${num(f.users)} users with ${num(f.searchTerms)} search terms, ${num(f.conversations)} conversations (${num(f.memberships)} memberships; ` +
    `the searcher in ${num(r.options.sharedInGroups / r.options.groupSize, 0)} groups of ${r.options.groupSize} and ${num(r.options.sharedWith - r.options.sharedInGroups)} conversations of two), written in bulk: ${seconds}.`
  );
}

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderDirectory(report: BenchReport): string[] {
  if (!report.options.workloads.includes('directory-search')) return [];
  const r = report.directory;
  if (!r) return ['', `Directory search (GET /users?q=…): ${report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : 'not run'}`];
  const o = r.options;
  const columns = columnsOf(r);
  const rows = [
    ...columns.map((c, i) => phaseRow(i === 0 ? 'one at a time' : '', c, (run) => run.sequential)),
    ...columns.map((c, i) => phaseRow(i === 0 ? `${o.clients} clients at once` : '', c, (run) => run.concurrent)),
  ];
  return [
    '',
    `| Directory search: ${num(o.users)} users, the searcher sharing conversations with ${num(o.sharedWith)} | database, DIRECTORY_VISIBILITY | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | p99 target (ms) | requests/s | server CPU (cores) |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `| Directory search one at a time, by kind of query: p50 / p99 / max (ms) | ${columns.map((c) => c.title).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...kindRows(columns).map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `The mix: the first page of each query above and the next pages of some (\`GET /users?q=…&limit=${o.pageLimit}[&cursor=…]\`, cursors from an untimed walk). ` +
      `One at a time: ${o.passes} passes over the mix over one keep-alive connection, each pass in a new order: the latency a person typing sees. ` +
      `${o.clients} clients at once: each on its own keep-alive connection sends its next request when the last was answered, for ${num(o.durationMs / 1000, 0)} s: the same requests with the queueing of a server answering several people (on one core). ` +
      `Answers: every query walked page by page before the timed phases; each user returned must match by the domain's definition (src/domain/profiles/search-terms.ts) and, with \`shared\`, share a conversation with the searcher; queries with up to 1,000 matches walked to the end must find exactly the users the seed counted. ` +
      `A fresh server and database per database and setting; server CPU counts Pneumatic's processes only (not PostgreSQL's).`,
    '',
    seedingLine(r, columns),
  ];
}
