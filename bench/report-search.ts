/**
 * The report's table for search (Pneumatic only): per query and order, latency and requests per
 * second over the rounds (median (min–max)) beside the issue's targets, the first page's sanity
 * check, the seeding time, and send throughput with the index against without when the run
 * also measured small groups against --compare REF.
 */
import { spread } from './lib/stats.js';
import type { BenchReport } from './report.js';
import { errorOf, failedCell, num, ok, ratioDigits, spreadCell } from './report-cells.js';
import type { MessagingResult } from './workloads/messaging.js';
import type { SearchCaseResult, SearchResult } from './workloads/search.js';

function firstPageCell(c: SearchCaseResult): string {
  const p = c.firstPage;
  if (p.status !== 200) return `⚠ answered ${p.status}`;
  const text = `${num(p.results)}${p.nextCursor ? ' + cursor' : ', no cursor'}`;
  return p.matchesExpected ? text : `${text} ⚠`;
}

function targetCell(c: SearchCaseResult, p99: number | undefined): string {
  if (p99 === undefined) return `< ${c.targetP99Ms}`;
  return `< ${c.targetP99Ms} ${p99 < c.targetP99Ms ? '✓' : '✗'}`;
}

function caseRow(c: SearchCaseResult, first: boolean): string[] {
  const p50 = spread(c.rounds.map((r) => r.latency.p50));
  const p99 = spread(c.rounds.map((r) => r.latency.p99));
  const rps = spread(c.rounds.map((r) => r.requestsPerSecond));
  const errors = c.rounds.reduce((n, r) => n + r.errors, 0);
  return [
    first ? `${c.name}: \`${c.q}\`` : '',
    c.order,
    num(c.expectedHits),
    firstPageCell(c),
    spreadCell(p50, 1),
    spreadCell(p99, 1),
    targetCell(c, p99?.median),
    `${spreadCell(rps, 0)}${errors > 0 ? ` ⚠ ${num(errors)} errors` : ''}`,
    spreadCell(spread(c.rounds.map((r) => r.serverCpu)), 2),
  ];
}

/** This build against REF on small groups, paired by round: the send cost of the index. */
function sendComparison(report: BenchReport): string {
  const runs = report.messaging['small-groups'];
  const ours = runs?.pneumatic ?? [];
  const theirs = runs?.ref ?? [];
  const how = 'run `--only small-groups,search --compare REF` with REF the last commit before the search index migration (bench/README.md, "Search")';
  if (!report.compare || theirs.length === 0) return `Send throughput with the index against without: not measured in this run; ${how}.`;
  const paired = (mine: (r: MessagingResult) => number | undefined, refs: (r: MessagingResult) => number | undefined = mine) =>
    ours.map((a, i) => {
      const x = ok(a);
      const y = ok(theirs[i]);
      const vx = x ? mine(x) : undefined;
      const vy = y ? refs(y) : undefined;
      return vx !== undefined && vy !== undefined && vy !== 0 ? vx / vy : null;
    });
  const rate = spread(paired((r) => r.sustainableRate));
  // At this build's half rate for both, as the main table compares them (CPU per message falls as the rate rises).
  const cpu = spread(paired((r) => r.atHalf?.cpuUsPerMessage, (r) => (r.atPneumaticHalf ?? r.atHalf)?.cpuUsPerMessage));
  return (
    `Send throughput with the index against without (small groups, this build / ${report.compare.label}, paired by round): ` +
    `sustainable send rate ${spreadCell(rate, ratioDigits, '×')} (target ≥ 0.85×${rate ? (rate.median >= 0.85 ? ' ✓' : ' ✗') : ''}); ` +
    `server CPU per message at this build's half rate ${spreadCell(cpu, ratioDigits, '×')}. Small groups' messages are short, so this is the index's cost per send for short text.`
  );
}

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderSearch(report: BenchReport): string[] {
  if (!report.options.workloads.includes('search')) return [];
  const outcome = report.search?.pneumatic;
  const r = ok(outcome) as SearchResult | undefined;
  if (!r) {
    const error = errorOf(outcome);
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : 'not run';
    return ['', `Search (GET /search/messages): ${why}`, '', sendComparison(report)];
  }
  const o = r.options;
  const f = r.fixture;
  const rows = r.cases.map((c, i) => caseRow(c, i === 0 || r.cases[i - 1]!.name !== c.name));
  return [
    '',
    `| Search on ${report.options.db}: ${num(f.messages)} messages, ${num(o.conversations)} conversations, the searcher in ${num(o.memberOf)} (${num(f.visibleMessages)} messages) | order | searcher's hits | first page (limit 20) | p50 (ms) | p99 (ms) | p99 target (ms) | requests/s | server CPU (cores) |`,
    '|---|---|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `${o.clients === 1 ? '1 client sends' : `${o.clients} clients, each on its own keep-alive connection, send`} the next \`GET /search/messages?q=…&order=…&limit=20\` when the last was answered (closed loop), ${num(o.durationMs / 1000, 0)} s per query and order after a ${num(o.warmupMs / 1000, 1)} s warm-up, in ${o.rounds} round${o.rounds === 1 ? '' : 's'} (median (min–max) over them). ` +
      `Searcher's hits: the messages of the searcher's conversations that match, by the reference definition (src/domain/search/reference-match.ts), counted while seeding; the first page must hold min(20, hits) results and a cursor exactly when there are more (⚠ otherwise). ` +
      `Targets are the issue's, for SQLite at 1,000,000 messages. Server CPU counts Pneumatic's processes only (not PostgreSQL's).`,
    '',
    `Seeding: ${num(f.messages)} messages (average ${num(f.averageChars, 0)} characters) written in bulk in ${num(f.seedSeconds, 1)} s (${num(f.messages / Math.max(f.seedSeconds, 0.001))} messages/s, ${report.options.db === 'sqlite' ? "the search index's triggers" : "the search index's GIN indexes"} included); users and conversations ${num(f.setupSeconds, 1)} s.`,
    '',
    sendComparison(report),
  ];
}
