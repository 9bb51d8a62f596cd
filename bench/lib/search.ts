/** Finds the highest rate that passes a step: step the rate up geometrically, then bisect. */

export interface SearchConfig {
  startRate: number;
  factor: number;
  maxRate: number;
  /** Length of the ramp steps; the answer is always confirmed with a step of stepMs. */
  rampMs: number;
  stepMs: number;
  bisectIterations: number;
  /** No new ramp or bisection step starts after this time (Date.now() ms). */
  deadline: number;
}

export interface Verdict<R> {
  pass: boolean;
  reasons: string[];
  result: R;
}

export interface SearchStep<R> {
  rate: number;
  durationMs: number;
  pass: boolean;
  reasons: string[];
  result: R;
}

export interface SearchOutcome<R> {
  /** Highest rate that passed a full-length step; 0 if none did. */
  rate: number;
  best: SearchStep<R> | null;
  cappedAtMax: boolean;
  steps: SearchStep<R>[];
}

export async function findSustainableRate<R>(
  config: SearchConfig,
  runStep: (rate: number, durationMs: number) => Promise<Verdict<R>>,
  log: (text: string) => void,
): Promise<SearchOutcome<R>> {
  const steps: SearchStep<R>[] = [];
  const attempt = async (rate: number, durationMs: number): Promise<SearchStep<R>> => {
    const verdict = await runStep(rate, durationMs);
    const step = { rate, durationMs, pass: verdict.pass, reasons: verdict.reasons, result: verdict.result };
    steps.push(step);
    log(`  ${rate} /s for ${durationMs / 1000} s: ${verdict.pass ? 'pass' : `FAIL (${verdict.reasons.join('; ')})`}`);
    return step;
  };
  const timeLeft = () => Date.now() < config.deadline;
  const full = config.rampMs >= config.stepMs;

  // 1. Ramp (short steps): up by `factor` until a step fails; down if the first one fails.
  let low = 0;
  let high = Infinity;
  let best: SearchStep<R> | null = null;
  let cappedAtMax = false;
  let rate = config.startRate;
  const first = await attempt(rate, config.rampMs);
  if (first.pass) {
    low = rate;
    if (full) best = first;
    while (timeLeft()) {
      if (rate >= config.maxRate) {
        cappedAtMax = true;
        break;
      }
      rate = Math.min(config.maxRate, Math.round(rate * config.factor));
      const step = await attempt(rate, config.rampMs);
      if (!step.pass) {
        high = rate;
        break;
      }
      low = rate;
      if (full) best = step;
    }
  } else {
    high = rate;
    // Short steps, at most a handful (÷factor each): runs even past the deadline, so a slow
    // server gets a figure rather than 0 for want of time.
    for (let i = 0; low === 0 && rate > 1 && i < 6; i++) {
      rate = Math.max(1, Math.floor(rate / config.factor));
      const step = await attempt(rate, config.rampMs);
      if (step.pass) low = rate;
      else high = rate;
    }
  }
  // 2. Confirm with full-length steps; until one passes, this runs even past the deadline (3
  // rates at most). A failed confirmation is repeated once at the same rate before halving: on
  // a shared machine one stall of a few hundred ms fails a 10 s step at any rate, and a rate
  // that only fails once is not the server's limit.
  let retried = false;
  for (let i = 0; low > 0 && best?.rate !== low && i < 3 && (best === null || timeLeft()); i++) {
    const step = await attempt(low, config.stepMs);
    if (step.pass) best = step;
    else if (!retried) {
      retried = true;
      i--;
    } else {
      retried = false;
      high = low;
      low = low > 1 ? Math.max(1, Math.floor(low / 2)) : 0;
    }
  }
  // 3. Bisect between the best confirmed rate and the lowest failure.
  for (let i = 0; i < config.bisectIterations && best && Number.isFinite(high) && timeLeft(); i++) {
    if ((high - best.rate) / best.rate < 0.05 || high - best.rate < 2) break;
    const mid = Math.round((best.rate + high) / 2);
    const step = await attempt(mid, config.stepMs);
    if (step.pass) best = step;
    else high = mid;
  }
  return { rate: best?.rate ?? 0, best, cappedAtMax, steps };
}
