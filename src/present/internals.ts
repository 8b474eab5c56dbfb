/**
 * The arrows of an optimizer's internals along its trajectories, for the animation (issue 10, item 3): at each
 * recorded point of the lanes shown, −∇f and the power gradient −sign(∇f)·|∇f|^H (Baiesi 2019, eq. 2), evaluated
 * with the IR interpreter on the function that ran, and the optimizer's own step θₖ₊₁ − θₖ where the next
 * iterate is recorded too (always, at full resolution). Asked for by windows of steps, so playback can fetch the
 * next window while it shows this one.
 */
import type { CostFunction } from '../engine/expr/costParser';
import { evaluateAt } from '../engine/run/pointEval';
import { cachedGradient } from '../engine/run/planCache';
import { LIMITS } from '../shared/limits';
import type { InternalsSet, OptimizerResult } from '../shared/resultShapes';

/** The exponent of the power gradient when the optimizer has none: the arrow field's. */
export const DEFAULT_H = 0.5;

/** Recorded points of a window, over all its lanes and optimizers: a window larger than this is refused. */
export const MAX_WINDOW_POINTS = LIMITS.tracePoints;

/** The recorded-step indices of `steps` that fall within from…to. */
function window(steps: Int32Array, from: number, to: number): number[] {
  const out: number[] = [];
  steps.forEach((k, r) => {
    if (k >= from && k <= to) out.push(r);
  });
  return out;
}

/** Points a window asks for, to refuse one that is too large before any work. */
export function windowPoints(optimizers: readonly OptimizerResult[], from: number, to: number): number {
  return optimizers.reduce((s, o) => s + o.traces.lanes.length * window(o.traces.steps, from, to).length, 0);
}

/** The internals of each optimizer of a run on `fn`, for its recorded steps from…to. */
export function internals(
  fn: CostFunction,
  optimizers: readonly OptimizerResult[],
  from: number,
  to: number,
): InternalsSet[] {
  const dim = fn.variables.length;
  const grad = cachedGradient(fn).grad;
  return optimizers.map((o) => {
    const t = o.traces;
    const R = t.steps.length;
    const rs = window(t.steps, from, to);
    const L = t.lanes.length;
    const W = rs.length;
    const H = typeof o.params.H === 'number' ? o.params.H : DEFAULT_H;
    const gradient = new Float64Array(L * W * dim).fill(NaN);
    const power = new Float64Array(L * W * dim).fill(NaN);
    const step = new Float64Array(L * W * dim).fill(NaN);
    for (let l = 0; l < L; l++) {
      const len = t.lengths[l];
      rs.forEach((r, w) => {
        if (r >= len) return;
        const at = (l * W + w) * dim;
        const theta = t.theta.subarray((l * R + r) * dim, (l * R + r + 1) * dim);
        const g = evaluateAt(fn, Array.from(theta), grad);
        // The last point of a lane may sit off the schedule (ends[l]): only a recorded next iterate gives a step.
        const next = r + 1 < len && t.steps[r + 1] === t.steps[r] + 1 && (r + 2 < len || t.ends[l] === t.steps[r + 1]);
        for (let c = 0; c < dim; c++) {
          if (Number.isFinite(g[c])) {
            gradient[at + c] = -g[c];
            power[at + c] = -Math.sign(g[c]) * Math.abs(g[c]) ** H;
          }
          if (next) step[at + c] = t.theta[(l * R + r + 1) * dim + c] - theta[c];
        }
      });
    }
    return { id: o.curves.id, H, lanes: t.lanes, steps: Int32Array.from(rs, (r) => t.steps[r]), gradient, power, step };
  });
}
