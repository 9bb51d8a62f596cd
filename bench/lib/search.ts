/** Finds the highest rate that passes a step: step the rate up geometrically, then bisect. */

export interface SearchConfig {
  startRate: number;
  factor: number;
  maxRate: number;
  /** Length of the ramp-up steps; the answer is always confirmed with steps of stepMs. */
  rampMs: number;
  stepMs: number;
  bisectIterations: number;
  /** No new step starts after this time (Date.now() ms); the best confirmed rate is returned. */
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

  // Ramp up until a step fails.
  let low = 0;
  let high = Infinity;
  let best: SearchStep<R> | null = null;
  let rate = config.startRate;
  let cappedAtMax = false;
  while (timeLeft()) {
    const step = await attempt(rate, config.rampMs);
    if (!step.pass) {
      high = rate;
      break;
    }
    low = rate;
    if (config.rampMs >= config.stepMs) best = step;
    if (rate >= config.maxRate) {
      cappedAtMax = true;
      break;
    }
    rate = Math.min(config.maxRate, Math.round(rate * config.factor));
  }
  // Even the first rate failed: step down a few times.
  for (let i = 0; low === 0 && i < 3 && timeLeft(); i++) {
    rate = Math.max(1, Math.floor(high / config.factor));
    const step = await attempt(rate, config.stepMs);
    if (step.pass) {
      low = rate;
      best = step;
    } else high = rate;
  }
  // Confirm the ramp's answer with a full-length step (ramp steps may be shorter).
  for (let i = 0; low > 0 && best?.rate !== low && i < 3 && timeLeft(); i++) {
    const step = await attempt(low, config.stepMs);
    if (step.pass) best = step;
    else {
      high = low;
      low = Math.max(1, Math.floor(low / 2));
    }
  }
  // Bisect between the best confirmed rate and the lowest failure.
  for (let i = 0; i < config.bisectIterations && best && Number.isFinite(high) && timeLeft(); i++) {
    if ((high - best.rate) / best.rate < 0.05) break;
    const mid = Math.round((best.rate + high) / 2);
    const step = await attempt(mid, config.stepMs);
    if (step.pass) best = step;
    else high = mid;
  }
  return { rate: best?.rate ?? 0, best, cappedAtMax, steps };
}
