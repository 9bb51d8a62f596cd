/**
 * The report's table for uploads (Pneumatic only): per concurrency, upload throughput beside the
 * fs-streams baseline measured in the same round, their ratio against the 0.7× target, the
 * server's RSS at rest and at its peak, and the CPU of everything that ran (the machine's noise
 * among it). Each figure is median (min–max) over the rounds; ratios are paired by round.
 */
import { spread } from './lib/stats.js';
import type { TargetKind } from './lib/targets.js';
import type { BenchReport, Runs } from './report.js';
import { errorOf, failedCell, num, ok, ratioDigits, spreadCell } from './report-cells.js';
import type { UploadsConcurrency, UploadsResult } from './workloads/uploads.js';

const MIB = 1024 * 1024;
export const UPLOADS_RATIO_TARGET = 0.7;

type Figure = (c: UploadsConcurrency) => number;

/** The rounds' results of one target, each with its concurrencies in the workload's order. */
function roundsOf(runs: Runs<UploadsResult>, kind: TargetKind): (UploadsResult | undefined)[] {
  return (runs[kind] ?? []).map((r) => ok(r));
}

function cells(rounds: (UploadsResult | undefined)[], phases: number, figure: Figure, digits: number | ((v: number) => number), suffix = ''): string[] {
  return Array.from({ length: phases }, (_, i) => spreadCell(spread(rounds.map((r) => (r?.concurrency[i] ? figure(r.concurrency[i]) : null))), digits, suffix));
}

/** Two figures in one cell, "a / b". */
function pairCells(rounds: (UploadsResult | undefined)[], phases: number, a: Figure, b: Figure, digits: number): string[] {
  const left = cells(rounds, phases, a, digits);
  const right = cells(rounds, phases, b, digits);
  return left.map((cell, i) => `${cell} / ${right[i]}`);
}

function ratioCells(rounds: (UploadsResult | undefined)[], phases: number): string[] {
  return Array.from({ length: phases }, (_, i) => {
    const s = spread(rounds.map((r) => r?.concurrency[i]?.ratio));
    return `${spreadCell(s, ratioDigits, '×')}${s ? (s.median >= UPLOADS_RATIO_TARGET ? ' ✓' : ' ✗') : ''}`;
  });
}

/** This build's throughput over REF's, paired by round. */
function buildRatioCells(runs: Runs<UploadsResult>, phases: number): string[] {
  const ours = roundsOf(runs, 'pneumatic');
  const theirs = roundsOf(runs, 'ref');
  return Array.from({ length: phases }, (_, i) => {
    const paired = ours.map((a, r) => {
      const x = a?.concurrency[i]?.server.mibPerSecond;
      const y = theirs[r]?.concurrency[i]?.server.mibPerSecond;
      return x !== undefined && y !== undefined && y > 0 ? x / y : null;
    });
    return spreadCell(spread(paired), ratioDigits, '×');
  });
}

function targetRows(name: string, rounds: (UploadsResult | undefined)[], phases: number): string[][] {
  const mib = (bytes: number) => bytes / MIB;
  return [
    [`${name}: upload throughput (MiB/s)`, ...cells(rounds, phases, (c) => c.server.mibPerSecond, 0)],
    ['fs streams baseline, same round (MiB/s)', ...cells(rounds, phases, (c) => c.baseline.mibPerSecond, 0)],
    [`${name} / baseline (target ≥ ${UPLOADS_RATIO_TARGET}×)`, ...ratioCells(rounds, phases)],
    ['upload time per file p50 (ms)', ...cells(rounds, phases, (c) => c.server.fileMs.p50, 0)],
    ['baseline time per file p50 (ms)', ...cells(rounds, phases, (c) => c.baseline.fileMs.p50, 0)],
    // The server stays up for every round: only the first round's reading is of a server that never uploaded.
    ['server RSS as started, before any upload (MiB)', ...Array.from({ length: phases }, () => (rounds[0] ? num(mib(rounds[0].restingRssBytes)) : '–'))],
    ['server RSS at rest, before the phase (MiB)', ...cells(rounds, phases, (c) => mib(c.server.rssBeforeBytes), 0)],
    ['server RSS peak during the phase (MiB)', ...cells(rounds, phases, (c) => mib(c.server.peakRssBytes), 0)],
    ['server CPU while uploading (cores)', ...cells(rounds, phases, (c) => c.server.serverCpu, 2)],
    ['… of which the main thread / in the kernel (cores)', ...pairCells(rounds, phases, (c) => c.server.serverMainThreadCpu, (c) => c.server.serverSystemCpu, 2)],
    ["upload clients' CPU (cores, the runner)", ...cells(rounds, phases, (c) => c.server.runnerCpu, 2)],
    ["baseline writers' CPU (cores, the runner)", ...cells(rounds, phases, (c) => c.baseline.runnerCpu, 2)],
    ['other processes during uploads / baseline (cores)', ...pairCells(rounds, phases, (c) => c.server.otherCpu, (c) => c.baseline.otherCpu, 2)],
    ['steal during uploads / baseline (cores)', ...pairCells(rounds, phases, (c) => c.server.stealCpu, (c) => c.baseline.stealCpu, 2)],
  ];
}

/** Markdown lines (a blank line first), or none when the workload was not selected. */
export function renderUploads(report: BenchReport): string[] {
  if (!report.options.workloads.includes('uploads')) return [];
  const runs = report.uploads ?? {};
  const ours = roundsOf(runs, 'pneumatic');
  const first = ours.find((r) => r !== undefined);
  if (!first) {
    const error = (runs.pneumatic ?? []).map((r) => errorOf(r)).find((e) => e !== undefined);
    const why = report.pneumaticStatus !== 'ok' ? report.pneumaticStatus : error ? failedCell(error) : 'not run';
    return ['', `Uploads (POST /uploads): ${why}`];
  }
  const o = first.options;
  const phases = o.phases.length;
  const rows = targetRows(report.compare ? 'Pneumatic (this build)' : 'Pneumatic', ours, phases);
  if (report.compare && runs.ref) {
    rows.push(...targetRows(`Pneumatic at ${report.compare.commit.slice(0, 7)}`, roundsOf(runs, 'ref'), phases));
    rows.push(['this build / REF, upload throughput (paired by round)', ...buildRatioCells(runs, phases)]);
  }
  const loads = spread(ours.map((r) => r?.loadAverage));
  return [
    '',
    `| Uploads: ${num(o.fileBytes / MIB)} MiB files of random bytes, ${first.filesystem} | ${o.phases.map((p) => `${p.clients} client${p.clients === 1 ? '' : 's'} × ${p.filesPerClient} files`).join(' | ')} |`,
    `|---|${o.phases.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Each client uploads its files one after the other (POST /uploads, one multipart part \`file\`, ${num(o.fileBytes / MIB)} MiB, over its own keep-alive connection), all clients at once; throughput is the bytes of every file over the time from the first request to the last answer, each answer checked (201, size and SHA-256). ` +
      `The baseline writes the same bytes (${num(o.chunkBytes / 1024)} KiB chunks from a Readable) with as many writers to the same filesystem as the server's local storage does (fs.createWriteStream with flush, so fsync before close; rename into place; fsync of the directory), in the runner process. ` +
      `In each of ${ours.length} round${ours.length === 1 ? '' : 's'}, a concurrency's server and baseline phases run back to back (the order alternating between rounds), after a warm-up of ${o.warmupFiles} untimed files (each concurrency once, server and baseline); every phase starts on an emptied directory. ` +
      `RSS: the server's process tree, VmRSS every ${o.rssSampleMs} ms. Other processes: cores busy on the machine beyond the server and the runner (other work on a shared machine). 1-minute load average at the rounds' start ${spreadCell(loads, 2)}.`,
  ];
}
