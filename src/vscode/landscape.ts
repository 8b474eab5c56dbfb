/**
 * The landscape the panel draws: log10(f − f* + δ) on a grid over the domain, evaluated on the extension host
 * with the IR interpreter (120×120 points: tens of milliseconds for the built-ins).
 */
import type { CostFunction } from '../engine/expr/costParser';
import type { Domain } from '../engine/run/starts';
import { evaluateAt } from '../engine/run/pointEval';

export interface LandscapeGrid {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly nx: number;
  readonly ny: number;
  /** Row-major, y outer: values[j * nx + i] at (x_i, y_j); NaN where f is not finite. */
  readonly values: Float64Array;
  readonly delta: number;
}

/** Keeps the log finite at the minimum without hiding differences well above it. */
export const LOG_DELTA = 1e-12;

const axis = ([lo, hi]: readonly [number, number], n: number, i: number) =>
  n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1);

export function landscapeGrid(
  fn: CostFunction,
  domain: Domain,
  nx = 120,
  ny = 120,
  fStar = fn.fStar ?? 0,
): LandscapeGrid {
  if (fn.variables.length !== 2 || domain.length !== 2)
    throw new RangeError(`a landscape needs 2 variables; ${fn.name} has ${fn.variables.length}`);
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const [f] = evaluateAt(fn, [axis(domain[0], nx, i), axis(domain[1], ny, j)], [fn.output]);
      const v = Math.log10(Math.max(f - fStar, 0) + LOG_DELTA);
      values[j * nx + i] = Number.isFinite(v) ? v : NaN;
    }
  }
  return { x: domain[0], y: domain[1], nx, ny, values, delta: LOG_DELTA };
}
