/** What every workload gets from the runner, and the shape of its results. */
import type { GeneratorClient } from '../lib/generator-client.js';
import type { SearchConfig } from '../lib/search.js';
import type { TargetKind, TargetOptions } from '../lib/targets.js';

export interface BenchContext {
  quick: boolean;
  targetOptions: TargetOptions;
  generator: GeneratorClient;
  /** Starts another generator process on the generator's core (for connection counts beyond one process's file limit). */
  startExtraGenerator(): GeneratorClient;
  /** Loopback source addresses the client sockets are spread over (ephemeral ports are per address). */
  localAddresses: string[];
  /** Most sockets one process may hold here (RLIMIT_NOFILE hard limit, less a margin). */
  socketsPerProcess: number;
  search(startRate: number, maxRate: number, budgetMs: number): SearchConfig;
  stepMs: number;
  drainMs: number;
  /** A generator using more than this fraction of its core is flagged as a possible bottleneck. */
  generatorCpuLimit: number;
  log(text: string): void;
}

export interface WorkloadRun {
  target: TargetKind;
}

export interface LatencySummary {
  p50: number | null;
  p99: number | null;
  max: number | null;
}
