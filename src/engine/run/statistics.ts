/** Order statistics over lanes, and the decimated step schedule at which they are recorded. */

/** Quantile of sorted values, linear interpolation between order statistics (Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const a = sorted[lo];
  if (frac === 0 || a === sorted[lo + 1]) return a;
  return a + (sorted[lo + 1] - a) * frac;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Steps at which f is recorded: every step when the budget is small, otherwise a union of a linear and a
 * logarithmic grid (the early steps carry most of a convergence curve's shape), always with 0 and T.
 */
export function recordSchedule(steps: number, maxPoints: number): Int32Array {
  if (steps + 1 <= maxPoints) return Int32Array.from({ length: steps + 1 }, (_, k) => k);
  const set = new Set<number>([0, steps]);
  const half = Math.floor(maxPoints / 2) - 1;
  for (let i = 0; half > 0 && i <= half; i++) {
    set.add(Math.round((steps * i) / half));
    set.add(Math.round(Math.exp((Math.log(steps) * i) / half)));
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}
