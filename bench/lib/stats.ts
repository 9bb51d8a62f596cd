/** Latency samples in a growable typed array; percentiles by sorting (exact up to the cap, then reservoir-sampled). */
export interface Percentiles {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

const CAP = 2_000_000;

export class LatencyRecorder {
  private values = new Float64Array(4096);
  private length = 0;
  private seen = 0;
  private maxValue = -Infinity;

  record(ms: number): void {
    this.seen += 1;
    if (ms > this.maxValue) this.maxValue = ms;
    if (this.length < CAP) {
      if (this.length === this.values.length) {
        const grown = new Float64Array(Math.min(CAP, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.length++] = ms;
      return;
    }
    // Reservoir sampling keeps an unbiased sample once the cap is reached.
    const slot = Math.floor(Math.random() * this.seen);
    if (slot < CAP) this.values[slot] = ms;
  }

  get count(): number {
    return this.seen;
  }

  percentiles(): Percentiles {
    if (this.length === 0) return { count: 0, p50: null, p99: null, max: null };
    const sorted = this.values.slice(0, this.length).sort();
    return { count: this.seen, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: round(this.maxValue) };
  }
}

/** The q-quantile of ascending samples (nearest rank), rounded to 0.01. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[index] ?? 0);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Median and range of repeated measurements (the figures of interleaved runs). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many measurements there were (missing ones left out). */
  n: number;
}

export function spread(values: readonly (number | null | undefined)[]): Spread | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const mid = Math.floor(present.length / 2);
  const median = present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  return { median, min: present[0]!, max: present[present.length - 1]!, n: present.length };
}
