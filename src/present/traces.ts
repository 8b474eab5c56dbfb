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
 * An optimizer's recorded trajectories as a TraceSet over the run's `total` lanes. The shared steps are the
 * run's recorded steps (its curves'), and the step it was stopped at when that was not one of them. A trajectory
 * ends at its last point with finite θ and f: a diverging lane's path stops where it left the finite numbers.
 */
export function traceSet(run: OptimizerRun, total: number, dim: number): TraceSet {
  const recorded = run.curves.steps;
  const stop = run.stoppedAt;
  const steps = Int32Array.from(stop !== null && recorded.at(-1) !== stop ? [...recorded, stop] : recorded);
  const R = steps.length;
  const L = run.traces.length;
  const theta = new Float64Array(L * R * dim);
  const f = new Float64Array(L * R);
  const lengths = new Int32Array(L);
  const ends = new Int32Array(L);
  run.traces.forEach((t, l) => {
    let len = 0;
    for (const p of t.points) {
      if (len === R || !Number.isFinite(p.f) || !p.theta.every(Number.isFinite)) break;
      theta.set(p.theta, (l * R + len) * dim);
      f[l * R + len] = p.f;
      ends[l] = p.step;
      len++;
    }
    lengths[l] = len;
  });
  return { total, lanes: Int32Array.from(run.traces, (t) => t.lane), steps, lengths, ends, theta, f };
}
