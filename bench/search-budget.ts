/**
 * Time budget per throughput search, shrunk when the run falls behind its overall limit, so a
 * slow machine still finishes in about the planned time. Repeated runs are shorter (a figure is
 * then their median, not one long search).
 */
export interface SearchPlan {
  quick: boolean;
  repeat: number;
  targetCount: number;
  /** Searches per target and round: the messaging workloads and history reads selected. */
  searchesPerRound: number;
  /** Searches of Pneumatic against itself (run once, not per target). */
  comparisonSearches: number;
}

export class SearchBudget {
  private readonly perSearchMs: number;
  private readonly deadline: number;
  private readonly overheadMs: number;
  private readonly minSearchMs: number;
  private searchesLeft: number;

  constructor(plan: SearchPlan) {
    this.perSearchMs = plan.quick ? 8_000 : plan.repeat > 1 ? 40_000 : 60_000;
    // The build's time varies with the machine's load: the budget counts from its end. Per
    // target and round; several rounds get 0.7 of that each.
    const perTargetMs = plan.quick ? 42_500 : 365_000;
    this.deadline = Date.now() + perTargetMs * plan.targetCount * (plan.repeat === 1 ? 1 : 0.7 * plan.repeat);
    this.searchesLeft = plan.targetCount * plan.repeat * plan.searchesPerRound + plan.comparisonSearches;
    // Each search also spends time outside its budget: server start, setup, the half-rate step.
    this.overheadMs = plan.quick ? 0 : 16_000;
    // A search needs a few ramp steps and a confirmation to mean anything: with 2 s, the last
    // searches of a run that fell behind stopped after their first step, and the 2-workers
    // figure read 100 msg/s (2026-12-04). A full run then takes a little longer instead.
    this.minSearchMs = plan.quick ? 2_000 : 25_000;
  }

  /** The next search's budget in ms (a function, to hand to the workloads as it is). */
  readonly next = (): number => {
    const share = (this.deadline - Date.now()) / Math.max(1, this.searchesLeft--) - this.overheadMs;
    return Math.max(this.minSearchMs, Math.min(this.perSearchMs, share));
  };

  /** One search more than planned. */
  addSearch(): void {
    this.searchesLeft++;
  }
}
