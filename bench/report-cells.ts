/** How the report prints one figure: numbers, ratios, spreads over rounds, failures. */
import type { Spread } from './lib/stats.js';

export type Cell = number | null | undefined;

export function num(value: Cell, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function ratio(a: Cell, b: Cell): string {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return '–';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** The result, unless it is only a failure. */
export function ok<T extends object>(value: T | { error: string } | undefined): T | undefined {
  return value && !('error' in value && Object.keys(value).length === 1) ? (value as T) : undefined;
}

export function errorOf(value: object | undefined): string | undefined {
  return value && 'error' in value ? String((value as { error: unknown }).error) : undefined;
}

/** A failure as a cell: its first line, cut short. */
export function failedCell(error: string): string {
  return `failed: ${error.split('\n')[0]?.slice(0, 60)}`;
}

/** A sustainable rate as printed: ≥ when the search hit its ceiling, ⚠ when the generator was saturated. */
export function rateCell(m: { sustainableRate: number; cappedAtMax: boolean; generatorSaturated: boolean } | undefined): string | undefined {
  return m ? `${m.cappedAtMax ? '≥ ' : ''}${num(m.sustainableRate)}${m.generatorSaturated ? ' ⚠' : ''}` : undefined;
}

/** "median (min–max)" of repeated figures; the median alone when there was one. */
export function spreadCell(s: Spread | null, digits: number | ((v: number) => number) = 0, suffix = ''): string {
  if (!s) return '–';
  const fmt = (v: number) => num(v, typeof digits === 'number' ? digits : digits(v));
  const median = `${fmt(s.median)}${suffix}`;
  return s.n > 1 ? `${median} (${fmt(s.min)}–${fmt(s.max)})` : median;
}

/** A ratio's digits as ratio() prints them, per value (0.33 and 82 in one range). */
export function ratioDigits(value: number): number {
  return value >= 10 ? 0 : value >= 1 ? 1 : 2;
}
