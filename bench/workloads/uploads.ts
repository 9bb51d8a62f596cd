/**
 * Uploads (issue #18, Performance): POST /uploads throughput for 10 MiB files of random bytes,
 * 1 client × 20 files and 8 clients × 5 files at once (each client uploading in sequence),
 * against a baseline in the same round: the same bytes written to the same filesystem with fs
 * streams by as many writers (upload-baseline.ts). The server's figure over the baseline's is the
 * share of the disk's write speed that uploads keep. The server's RSS is sampled every 20 ms
 * during its phases, and read before each.
 *
 * One round per call (runRounds interleaves the targets); in a round, each concurrency's server
 * and baseline phases run back to back, server first in even rounds and baseline first in odd
 * ones, so a drift of the machine favours neither. Every phase starts on an emptied directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processTree, threadCpuSeconds, treeCpuSeconds, treeSystemCpuSeconds } from '../lib/processes.js';
import { rssOfAll, sampleRss } from '../lib/rss-sampler.js';
import { createUsers } from '../lib/setup.js';
import { sampleMachine } from '../lib/stall.js';
import { quantile, round } from '../lib/stats.js';
import type { RunningTarget, TargetKind } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { clearDirectory, writeConcurrently } from './upload-baseline.js';
import { uploadConcurrently, type UploadPayload } from './upload-client.js';

const MIB = 1024 * 1024;

export interface UploadsOptions {
  fileBytes: number;
  /** The baseline's write size (what a socket read hands the server, at most, too). */
  chunkBytes: number;
  phases: { clients: number; filesPerClient: number }[];
  /**
   * Untimed files before each round, every phase's shape once over: a fresh server still
   * compiles its hot paths (V8's compiler threads share the server's core) for dozens of uploads.
   */
  warmupFiles: number;
  rssSampleMs: number;
}

export function uploadsOptions(): UploadsOptions {
  return { fileBytes: 10 * MIB, chunkBytes: 64 * 1024, phases: [{ clients: 1, filesPerClient: 20 }, { clients: 8, filesPerClient: 5 }], warmupFiles: 16, rssSampleMs: 20 };
}

/** Where the servers and the baseline write: one temporary directory, so one filesystem. */
export interface UploadDirs {
  root: string;
  baseline: string;
  /** `df`'s device and type of the directory, for the report. */
  filesystem: string;
  server(kind: TargetKind): string;
  remove(): void;
}

export function makeUploadDirs(): UploadDirs {
  const root = mkdtempSync(join(tmpdir(), 'pneumatic-bench-uploads-'));
  const baseline = join(root, 'baseline');
  mkdirSync(baseline);
  const df = spawnSync('df', ['--output=source,fstype', root], { encoding: 'utf8' }).stdout.trim().split('\n')[1]?.trim().split(/\s+/);
  return {
    root,
    baseline,
    filesystem: df ? `${df[1]} on ${df[0]}` : 'unknown',
    server: (kind) => join(root, `server-${kind}`),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Pneumatic's settings for the workload: its files in `dirs`, and a quota no run reaches. */
export function uploadsEnv(dirs: UploadDirs, kind: TargetKind): Record<string, string> {
  return { UPLOAD_DIR: dirs.server(kind), UPLOAD_QUOTA_BYTES: String(2 ** 50) };
}

/** CPU of one phase, in cores; `other` is the machine's less the server's and the runner's. */
export interface PhaseCpu {
  serverCpu: number;
  /** Of serverCpu: the kernel's part (socket reads, file writes), and the main thread's (JavaScript, hashing). */
  serverSystemCpu: number;
  serverMainThreadCpu: number;
  /** This process: the upload clients, or the baseline's writers. */
  runnerCpu: number;
  machineCpu: number;
  stealCpu: number;
  otherCpu: number;
}

export interface PhaseFigures extends PhaseCpu {
  files: number;
  wallMs: number;
  mibPerSecond: number;
  /** Per file (an upload's request to its answer; a baseline write to its directory's fsync), ms. */
  fileMs: { p50: number; max: number };
}

export interface ServerPhase extends PhaseFigures {
  errors: number;
  errorSamples: string[];
  /** The server's process tree just before the phase, at rest. */
  rssBeforeBytes: number;
  peakRssBytes: number;
  rssSamples: number;
  rssMaxGapMs: number;
}

export interface UploadsConcurrency {
  clients: number;
  filesPerClient: number;
  serverFirst: boolean;
  server: ServerPhase;
  baseline: PhaseFigures;
  /** Server MiB/s over the baseline's, this round. */
  ratio: number;
}

export interface UploadsResult {
  workload: 'uploads';
  target: TargetKind;
  options: UploadsOptions;
  filesystem: string;
  /** 1-minute load average as the round began. */
  loadAverage: number;
  /** The server's process tree as the round began, before its warm-up (in the first round, the server as started). */
  restingRssBytes: number;
  concurrency: UploadsConcurrency[];
}

/** Runs `work`, then gives its CPU per core-second, the machine's included. */
async function withCpu<T>(serverPid: number, work: () => Promise<T & { wallMs: number }>): Promise<T & { wallMs: number } & PhaseCpu> {
  const runner = process.cpuUsage();
  const server = treeCpuSeconds(serverPid);
  const serverSystem = treeSystemCpuSeconds(serverPid);
  const serverMain = threadCpuSeconds(serverPid, serverPid);
  const machine = sampleMachine();
  const out = await work();
  const seconds = out.wallMs / 1000;
  const runnerUsage = process.cpuUsage(runner);
  const runnerCpu = round((runnerUsage.user + runnerUsage.system) / 1e6 / seconds, 3);
  const serverCpu = round((treeCpuSeconds(serverPid) - server) / seconds, 3);
  const serverSystemCpu = round((treeSystemCpuSeconds(serverPid) - serverSystem) / seconds, 3);
  const serverMainThreadCpu = round((threadCpuSeconds(serverPid, serverPid) - serverMain) / seconds, 3);
  const { machineCpu, stealCpu } = machine(seconds);
  return { ...out, serverCpu, serverSystemCpu, serverMainThreadCpu, runnerCpu, machineCpu, stealCpu, otherCpu: round(Math.max(0, machineCpu - serverCpu - runnerCpu), 3) };
}

function figures(files: number, fileBytes: number, wallMs: number, perFile: number[]): Pick<PhaseFigures, 'files' | 'wallMs' | 'mibPerSecond' | 'fileMs'> {
  const sorted = [...perFile].sort((a, b) => a - b);
  return {
    files,
    wallMs: round(wallMs, 1),
    mibPerSecond: round((files * fileBytes) / MIB / (wallMs / 1000), 1),
    fileMs: { p50: quantile(sorted, 0.5), max: quantile(sorted, 1) },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function serverPhase(target: RunningTarget, tokens: string[], filesPerClient: number, payload: UploadPayload, options: UploadsOptions): Promise<ServerPhase> {
  await settle();
  const rssBeforeBytes = rssOfAll(processTree(target.pid));
  const stopRss = sampleRss(target.pid, options.rssSampleMs);
  const out = await withCpu(target.pid, () => uploadConcurrently(target.baseUrl, tokens, filesPerClient, payload));
  const rss = stopRss();
  const { wallMs, files, uploadMs, errors, errorSamples, ...cpu } = out;
  return { ...figures(files, payload.fileBytes, wallMs, uploadMs), ...cpu, errors, errorSamples, rssBeforeBytes, peakRssBytes: rss.peakBytes, rssSamples: rss.samples, rssMaxGapMs: rss.maxGapMs };
}

async function baselinePhase(target: RunningTarget, dir: string, writers: number, filesPerWriter: number, payload: UploadPayload): Promise<PhaseFigures> {
  await settle();
  const out = await withCpu(target.pid, () => writeConcurrently(dir, writers, filesPerWriter, payload.chunks));
  const { wallMs, files, fileMs, ...cpu } = out;
  return { ...figures(files, payload.fileBytes, wallMs, fileMs), ...cpu };
}

/**
 * The warm-up: each phase's concurrency with `warmupFiles` files in all, on the server and for the
 * baseline (the runner compiles its writers too); the first failed upload stops the round.
 */
async function warmUp(target: RunningTarget, tokens: string[], dirs: UploadDirs, payload: UploadPayload, options: UploadsOptions): Promise<void> {
  for (const { clients } of options.phases) {
    const each = Math.max(1, Math.round(options.warmupFiles / options.phases.length / clients));
    const out = await uploadConcurrently(target.baseUrl, tokens.slice(0, clients), each, payload);
    if (out.errors > 0) throw new Error(`the warm-up uploads failed: ${out.errorSamples[0]}`);
    await writeConcurrently(dirs.baseline, clients, each, payload.chunks);
    await clearDirectory(dirs.baseline);
  }
}

/** One round on `target`: a warm-up (also the check that uploads work), then every concurrency. */
export async function runUploads(ctx: BenchContext, target: RunningTarget, roundIndex: number, dirs: UploadDirs, payload: UploadPayload, options: UploadsOptions): Promise<UploadsResult> {
  const loadAverage = loadavg()[0] ?? 0;
  const restingRssBytes = rssOfAll(processTree(target.pid));
  const users = await createUsers(target.baseUrl, Math.max(...options.phases.map((p) => p.clients)), 'up');
  await warmUp(target, users.map((u) => u.token), dirs, payload, options);
  // The server's files go as each phase ends: its rows stay (nothing reads them), its disk use does not.
  const serverFiles = join(dirs.server(target.kind), 'uploads');
  await clearDirectory(serverFiles);
  const serverFirst = roundIndex % 2 === 0;
  const concurrency: UploadsConcurrency[] = [];
  for (const { clients, filesPerClient } of options.phases) {
    const tokens = users.slice(0, clients).map((u) => u.token);
    let server: ServerPhase | undefined;
    let baseline: PhaseFigures | undefined;
    for (const side of serverFirst ? ['server', 'baseline'] : ['baseline', 'server']) {
      if (side === 'server') {
        server = await serverPhase(target, tokens, filesPerClient, payload, options);
        await clearDirectory(serverFiles);
      } else {
        baseline = await baselinePhase(target, dirs.baseline, clients, filesPerClient, payload);
        await clearDirectory(dirs.baseline);
      }
    }
    const ratio = round(server!.mibPerSecond / baseline!.mibPerSecond, 3);
    concurrency.push({ clients, filesPerClient, serverFirst, server: server!, baseline: baseline!, ratio });
    const s = server!;
    ctx.log(
      `  ${clients} × ${filesPerClient}: server ${s.mibPerSecond} MiB/s (CPU ${s.serverCpu}: main thread ${s.serverMainThreadCpu}, kernel ${s.serverSystemCpu}; client ${s.runnerCpu}, others ${s.otherCpu} cores; RSS ${Math.round(s.rssBeforeBytes / MIB)} → peak ${Math.round(s.peakRssBytes / MIB)} MiB${s.errors > 0 ? `; ${s.errors} errors: ${s.errorSamples[0]}` : ''}), ` +
        `baseline ${baseline!.mibPerSecond} MiB/s (writer ${baseline!.runnerCpu}, others ${baseline!.otherCpu} cores): ${ratio}×`,
    );
  }
  return { workload: 'uploads', target: target.kind, options, filesystem: dirs.filesystem, loadAverage: round(loadAverage, 2), restingRssBytes, concurrency };
}
