/**
 * How much of a run's trajectories the views get, and in what form. Every start is traced up to SHOWN_LANES per
 * optimizer ("showing 256 of 4096" beyond), at every step while the whole run stays within TRACE_BUDGET points
 * (a point: one lane at one recorded step) — 64 starts × 1,000 steps × 3 optimizers is at full resolution —
 * and at a schedule of evenly spread and early steps beyond (the engine's recordSchedule). Points travel as typed
 * arrays (resultShapes.ts: TraceSet).
 */
import type { OptimizerRun } from '../engine/run/runner';
import type { TraceSet } from '../shared/resultShapes';

/** Lanes traced per optimizer: the animation moves every one of them. */
export const SHOWN_LANES = 256;
/** Points of all the traces of one run (every optimizer's lanes × recorded steps). */
export const TRACE_BUDGET = 250_000;
/** Recorded steps per curve and trace at most (below the protocol's curve limit, with the schedule's slack). */
const MAX_RECORDED = 8000;

/** Lanes to trace and recorded steps per lane for a run of n starts and `optimizers` optimizers. */
export function tracePlan(n: number, optimizers: number): { readonly lanes: number; readonly maxPoints: number } {
  const lanes = Math.min(n, SHOWN_LANES);
  const maxPoints = Math.min(MAX_RECORDED, Math.max(2, Math.floor(TRACE_BUDGET / (lanes * Math.max(1, optimizers)))));
  return { lanes, maxPoints };
}

/**
 * An optimizer's recorded trajectories (the engine's TraceData) as a TraceSet over the run's `total` lanes. A
 * trajectory ends at its last point with finite θ and f: a diverging lane's path stops where it left the finite
 * numbers, and the protocol carries finite numbers only.
 */
export function traceSet(run: OptimizerRun, total: number): TraceSet {
  const t = run.traceData;
  const { dim } = t;
  const R = t.steps.length;
  const theta = new Float64Array(t.theta.length);
  const f = new Float64Array(t.f.length);
  const lengths = new Int32Array(t.lanes.length);
  const ends = new Int32Array(t.lanes.length);
  t.lanes.forEach((_, l) => {
    let len = 0;
    for (; len < t.lengths[l]; len++) {
      const at = l * R + len;
      if (!Number.isFinite(t.f[at])) break;
      const point = t.theta.subarray(at * dim, (at + 1) * dim);
      if (!point.every(Number.isFinite)) break;
      theta.set(point, at * dim);
      f[at] = t.f[at];
    }
    lengths[l] = len;
    // The last point kept: the lane's own end when it is all there, else the recorded step it reached.
    ends[l] = len === t.lengths[l] ? t.ends[l] : len > 0 ? t.steps[len - 1] : 0;
  });
  return { total, lanes: t.lanes, steps: t.steps, lengths, ends, theta, f };
}
