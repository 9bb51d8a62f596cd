/**
 * The servers a run measures: started per workload (or shared across the quick run's searches),
 * kept up over a workload's interleaved rounds, restarted after a failure, all stopped at the end.
 * A failure becomes the result `{ error }` of that run, so one broken target never ends the run.
 */
import { startTarget, type RunningTarget, type TargetKind, type TargetOptions } from './lib/targets.js';
import type { Pair, Runs } from './report.js';

export interface TargetRunnerOptions {
  targetOptions: TargetOptions;
  targets: TargetKind[];
  repeat: number;
  /** Quick runs reuse one server per target for the messaging and history workloads. */
  quick: boolean;
  /** The report's pneumaticStatus: a Pneumatic that cannot run ("not supported" for --workers) is not started. */
  pneumaticStatus(): string;
  /** Leaves the load generator clean for the next workload after a failure. */
  resetGenerator(): Promise<unknown>;
  log(text: string): void;
}

/** Which targets a workload's rounds apply to, and the settings of its own they start with. */
export interface RoundScope {
  only?: readonly TargetKind[];
  env?: (kind: TargetKind) => Record<string, string>;
}

export class TargetRunner {
  private readonly running = new Set<RunningTarget>();
  private readonly shared = new Map<TargetKind, RunningTarget>();
  /**
   * This build first, so the other servers can also be measured at its half rate (latency
   * compared at the same rate); the order alternates between rounds (A B, B A, A B...), so a
   * drift of the machine over a round favours neither side.
   */
  readonly ordered: TargetKind[];

  constructor(private readonly options: TargetRunnerOptions) {
    this.ordered = (['pneumatic', 'ref', 'raw'] as const).filter((kind) => options.targets.includes(kind));
  }

  /**
   * One measurement per target (idle connections, change feed), each on a fresh server; `env`:
   * settings of the workload's own for it (e.g. ADMIN_USERNAMES), in place of the run's.
   */
  async runOnce<T>(kind: TargetKind, pair: Pair<T>, work: (target: RunningTarget) => Promise<T>, env?: Record<string, string>): Promise<void> {
    if (this.skipped(kind)) return;
    let target: RunningTarget | undefined;
    try {
      target = await this.start(kind, false, env);
      pair[kind] = await work(target);
    } catch (error) {
      pair[kind] = await this.failure(kind, error);
    } finally {
      if (target) await this.stopTarget(target);
    }
  }

  /**
   * `repeat` rounds of one search per target, interleaved; every target's server stays up for
   * all rounds (idle while another is measured). A target that fails is restarted next round.
   * `only` leaves out targets the workload does not apply to (the raw server has no uploads);
   * `env` gives each Pneumatic server settings of the workload's own, and then a fresh server
   * (never one the quick run shares).
   */
  async runRounds<T>(label: string, runs: Runs<T>, work: (target: RunningTarget, kind: TargetKind, round: number) => Promise<T>, scope: RoundScope = {}): Promise<void> {
    const { repeat, quick, log } = this.options;
    const servers = new Map<TargetKind, RunningTarget>();
    const share = quick && scope.env === undefined;
    for (let round = 0; round < repeat; round++) {
      const kinds = round % 2 === 0 ? this.ordered : [...this.ordered].reverse();
      for (const kind of kinds) {
        if (this.skipped(kind) || (scope.only && !scope.only.includes(kind))) continue;
        const list = (runs[kind] ??= []);
        log(`${label}: ${kind}${repeat > 1 ? ` (round ${round + 1} of ${repeat})` : ''}`);
        let target = servers.get(kind);
        try {
          if (!target) {
            target = await this.start(kind, share, scope.env?.(kind));
            servers.set(kind, target);
          }
          list[round] = await work(target, kind, round);
        } catch (error) {
          list[round] = await this.failure(kind, error);
          if (target) {
            servers.delete(kind);
            await this.stopTarget(target);
          }
        }
      }
    }
    for (const target of servers.values()) if (!share) await this.stopTarget(target);
  }

  /** Stops the servers the quick run shared between the messaging and history workloads. */
  async stopShared(): Promise<void> {
    for (const target of [...this.shared.values()]) await this.stopTarget(target);
  }

  /** Stops every server still running (the end of the run, or a signal). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((t) => t.stop()));
  }

  private skipped(kind: TargetKind): boolean {
    return kind !== 'raw' && this.options.pneumaticStatus() !== 'ok';
  }

  // Quick runs reuse one server per target for the messaging and history workloads (server
  // starts cost seconds); full runs start a fresh server and database per target for every
  // workload (kept for that workload's rounds).
  private async start(kind: TargetKind, share: boolean, env?: Record<string, string>): Promise<RunningTarget> {
    const existing = share ? this.shared.get(kind) : undefined;
    if (existing) return existing;
    const target = await startTarget(kind, env ? { ...this.options.targetOptions, env } : this.options.targetOptions);
    this.running.add(target);
    if (share) this.shared.set(kind, target);
    return target;
  }

  private async stopTarget(target: RunningTarget): Promise<void> {
    if (this.shared.get(target.kind) === target) this.shared.delete(target.kind);
    this.running.delete(target);
    await target.stop();
  }

  private async failure(kind: TargetKind, error: unknown): Promise<{ error: string }> {
    const message = error instanceof Error ? error.message : String(error);
    this.options.log(`  ${kind} failed: ${message.split('\n')[0]}`);
    // Leave the generator clean for the next workload.
    await this.options.resetGenerator().catch(() => undefined);
    return { error: message.slice(0, 2000) };
  }
}
