/**
 * Peak resident memory of a process tree while something runs: VmRSS of every process of the
 * tree from /proc/<pid>/status every few milliseconds. A peak read once at the end (VmHWM) would
 * include every earlier phase of the process's life; sampling gives the peak of this phase only.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { processTree } from './processes.js';

export interface RssPeak {
  peakBytes: number;
  samples: number;
  /** The longest time between two samples: a peak between them may have been missed. */
  maxGapMs: number;
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // exited meanwhile
  }
}

/** RSS of the processes now, in bytes. */
export function rssOfAll(pids: readonly number[]): number {
  return pids.reduce((total, pid) => total + rssOf(pid), 0);
}

/**
 * Starts sampling the tree of `root` (its processes listed once, here: walking /proc every
 * 20 ms would cost more than the reads); the result stops it and gives the peak.
 */
export function sampleRss(root: number, everyMs = 20): () => RssPeak {
  const pids = processTree(root);
  let peakBytes = rssOfAll(pids);
  let samples = 1;
  let maxGapMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    peakBytes = Math.max(peakBytes, rssOfAll(pids));
    samples += 1;
  }, everyMs);
  return () => {
    clearInterval(timer);
    peakBytes = Math.max(peakBytes, rssOfAll(pids));
    return { peakBytes, samples: samples + 1, maxGapMs: Math.round(maxGapMs) };
  };
}
