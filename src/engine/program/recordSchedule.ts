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
