/** The report's table for reactions on one hot message (Pneumatic only; the raw server has no reactions). */
import type { BenchReport } from './report.js';
import { errorOf, failedCell, num, ok } from './report-cells.js';

const RAW = 'no equivalent (no reactions)';

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderReactions(report: BenchReport): string[] {
  if (!report.options.workloads.includes('reactions')) return [];
  const outcome = report.reactions?.pneumatic;
  const r = ok(outcome);
  const header = [
    '',
    `| Reactions on one hot message${r ? `: ${r.members} members, ${r.connected} connected, ${r.reactors} reactors` : ''} | Figure | Pneumatic | raw ws (limit) |`,
    '|---|---|---:|---:|',
  ];
  if (!r) {
    const error = errorOf(outcome);
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : '–';
    return [...header, `| PUT / DELETE reactions | reactions per second | ${why} | ${RAW} |`];
  }
  const l = r.latency;
  const final = r.finalCounts;
  const counts = (c: Record<string, number>) => Object.entries(c).map(([emoji, n]) => `${emoji} ${n}`).join(', ') || 'none';
  const rows = [
    [`PUT / DELETE reactions for ${num(r.durationMs / 1000, 1)} s`, 'reactions acknowledged per second (204)', num(r.reactionsPerSecond), RAW],
    ['', 'latency p50 / p99 / max (ms)', `${num(l.p50, 1)} / ${num(l.p99, 1)} / ${num(l.max, 1)}`, '–'],
    ['', `errors (of ${num(r.acked + r.errors)} requests)`, `${num(r.errors)}${r.errors > 0 ? ` ⚠ ${r.errorSamples[0] ?? ''}` : ''}`, '–'],
    ['', 'reaction frames delivered per second', num(r.framesPerSecond), '–'],
    ['', `frames delivered (expected ${num(r.expectedFrames)})`, num(r.deliveredFrames), '–'],
    ['', 'connected members that got every change, in order', `${num(r.membersWithEveryChange)} of ${num(r.connected)}${r.outOfOrder > 0 ? ` ⚠ ${num(r.outOfOrder)} out of order` : ''}`, '–'],
    ['', `final counts (GET …/reactions; expected ${counts(final.expected)})`, `${counts(final.actual)}${final.matches ? '' : ' ⚠ differ'}`, '–'],
    ['', 'server CPU / runner CPU (cores)', `${num(r.serverCpu, 2)} / ${num(r.runnerCpu, 2)}`, '–'],
  ];
  return [
    ...header,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `Each reactor has its own keep-alive connection and sends its next change when the last was answered (closed loop), cycling PUT then DELETE over ${r.emoji.join(' ')}; every 204 is one change, one transaction and one frame to each connected member. After a ${num(r.warmupMs / 1000, 1)} s warm-up. Frames per second count from the first request to the last frame; the runner holds the reactors and the sockets on the generator's core (its CPU above 0.85 would make the figure a floor).`,
  ];
}
