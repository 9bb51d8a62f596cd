/**
 * Was the machine stalled during a step? On a shared or virtual 2-core machine a step can fail
 * for reasons that have nothing to do with the server: the hypervisor ran another guest
 * (steal time), another process took the pinned cores, or the generator was descheduled.
 * Such a step says nothing about the rate, so a failed one is measured again.
 */
import { machineBusySeconds, machineStealSeconds } from './processes.js';
import { round } from './stats.js';

/** Cores' worth of steal time during a step above which it counts as stalled. */
export const STEAL_LIMIT_CORES = 0.05;
/** Cores busy outside the server and the generator (other processes) above which it counts as stalled. */
export const OTHER_LIMIT_CORES = 0.35;
/** A gap between the generator's 1 ms ticks this long, while it was not busy, is a stall. */
export const TICK_GAP_LIMIT_MS = 100;
const BUSY_GENERATOR = 0.6;

export interface MachineSample {
  /** Cores busy on the whole machine (server, generator, databases, Redis, anything else). */
  machineCpu: number;
  /** Cores' worth of steal time (/proc/stat). */
  stealCpu: number;
}

/** Starts measuring the whole machine; call the result at the step's end with its length. */
export function sampleMachine(): (seconds: number) => MachineSample {
  const busy = machineBusySeconds();
  const steal = machineStealSeconds();
  return (seconds) => ({
    machineCpu: round((machineBusySeconds() - busy) / seconds, 3),
    stealCpu: round((machineStealSeconds() - steal) / seconds, 3),
  });
}

export interface StallInput extends MachineSample {
  serverCpu: number;
  generatorCpu: number;
  maxTickGapMs: number;
  /**
   * Whether CPU outside the server and generator means interference: not when the server
   * itself relies on other processes (PostgreSQL, Redis).
   */
  countOtherCpu: boolean;
}

/** Why the step counts as stalled, or null. */
export function stallOf(s: StallInput): string | null {
  const reasons: string[] = [];
  if (s.stealCpu > STEAL_LIMIT_CORES) reasons.push(`steal ${s.stealCpu.toFixed(2)} cores`);
  const other = s.machineCpu - s.serverCpu - s.generatorCpu;
  if (s.countOtherCpu && other > OTHER_LIMIT_CORES) reasons.push(`other processes ${other.toFixed(2)} cores`);
  if (s.maxTickGapMs > TICK_GAP_LIMIT_MS && s.generatorCpu < BUSY_GENERATOR) reasons.push(`generator timer stalled ${Math.round(s.maxTickGapMs)} ms`);
  return reasons.length > 0 ? reasons.join(', ') : null;
}
