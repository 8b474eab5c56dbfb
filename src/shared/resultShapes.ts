/**
 * What a run gives the views: per optimizer its convergence curves, a result row, and the trajectories of the
 * lanes it shows, every recorded step of each (typed arrays: see typedJson.ts); on request, the arrows of an
 * optimizer's internals along them. Each is a type and its checker, with the relations between fields checked:
 * a lane is counted converged or diverged, never both; a trace's arrays agree with its lanes, steps and dimension.
 */
import { arr, ascending, count, fail, floats, ints, invalid, nullable, num, obj, str, type Check } from './check';
import { LIMITS } from './limits';
import { cssColour, hyperParams, sample, type HyperParams } from './runShapes';

/**
 * Median and quartiles over the lanes per recorded step of f − f*, or of f itself when f* is unknown (then they
 * may be negative); `null` where not finite (diverged).
 */
export interface CurveSeries {
  readonly id: string;
  readonly label: string;
  readonly colour: string;
  readonly steps: readonly number[];
  readonly median: readonly (number | null)[];
  readonly q1: readonly (number | null)[];
  readonly q3: readonly (number | null)[];
}

export interface ResultRow {
  readonly n: number;
  /** Lanes that reached the target and did not diverge. */
  readonly converged: number;
  readonly diverged: number;
  readonly medianSteps: number | null;
  readonly nsPerStep: number;
  /** The step this optimizer's running lanes had reached when the run was stopped; null when it ran to its end. */
  readonly stoppedAt: number | null;
}

/**
 * The trajectories of the lanes an optimizer shows (the first `lanes.length` of `total`: "showing K of N"), at
 * the recorded steps `steps` — every step up to the trace budget, decimated beyond (present/traces.ts). Lane l's
 * point r is θ at `theta[(l·R + r)·dim …]` and f at `f[l·R + r]`, at step `steps[r]`; a lane has `lengths[l]`
 * points (none when it started where f is not finite), zeros after. Its last point is at step `ends[l]`: where it stopped, diverged or was stopped, which a
 * decimated schedule may not record (then it lies between `steps[len − 2]` and `steps[len − 1]`).
 */
export interface TraceSet {
  readonly total: number;
  readonly lanes: Int32Array;
  readonly steps: Int32Array;
  readonly lengths: Int32Array;
  readonly ends: Int32Array;
  readonly theta: Float64Array;
  readonly f: Float64Array;
}

export interface OptimizerResult {
  readonly curves: CurveSeries;
  readonly params: HyperParams;
  readonly traces: TraceSet;
  readonly row: ResultRow;
}

/** Along the traced lanes of one optimizer, at its recorded steps in a window: the arrows of its internals. */
export interface InternalsSet {
  readonly id: string;
  /** The exponent of the power gradient: the optimizer's H, else the landscape's. */
  readonly H: number;
  readonly lanes: Int32Array;
  readonly steps: Int32Array;
  /** −∇f, lanes × steps × dim; NaN where the lane has no point at that step. */
  readonly gradient: Float64Array;
  /** −sign(∇f)·|∇f|^H, laid out as `gradient`. */
  readonly power: Float64Array;
  /** The optimizer's own step θₖ₊₁ − θₖ; NaN where θₖ₊₁ was not recorded (a decimated trace) or the lane ended. */
  readonly step: Float64Array;
}

export const curveSeries: Check<CurveSeries> = (v, p) => {
  const c = obj<CurveSeries>({
    id: str(64),
    label: str(),
    colour: cssColour,
    steps: arr(count(), LIMITS.curvePoints),
    median: arr(sample, LIMITS.curvePoints),
    q1: arr(sample, LIMITS.curvePoints),
    q3: arr(sample, LIMITS.curvePoints),
  })(v, p);
  for (const k of ['median', 'q1', 'q3'] as const)
    if (c[k].length !== c.steps.length) invalid(`${p}.${k}`, `${c[k].length} items, expected ${c.steps.length}`);
  return c;
};

export const resultRow: Check<ResultRow> = (v, p) => {
  const r = obj<ResultRow>({
    n: count(),
    converged: count(),
    diverged: count(),
    medianSteps: nullable(num({ min: 0 })),
    nsPerStep: num({ min: 0 }),
    stoppedAt: nullable(count()),
  })(v, p);
  return r.converged + r.diverged <= r.n
    ? r
    : fail(p, 'converged + diverged ≤ n', `${r.converged} + ${r.diverged} > ${r.n}`);
};

/** Lanes × recorded steps of a trace set, or an error naming the field that does not fit. */
function traceShape(lanes: Int32Array, steps: Int32Array, p: string): number {
  const points = lanes.length * steps.length;
  if (points > LIMITS.tracePoints)
    invalid(p, `${lanes.length} lanes × ${steps.length} steps, more than the limit of ${LIMITS.tracePoints} points`);
  ascending(`${p}.lanes`, lanes);
  ascending(`${p}.steps`, steps);
  return points;
}

/** The trace set of an optimizer of a run with `total` lanes, points of `dim` coordinates and `maxStep` steps. */
export const traceSet =
  (dim: number, total: number, maxStep: number): Check<TraceSet> =>
  (v, p) => {
    const t = obj<TraceSet>({
      total: count(LIMITS.starts),
      lanes: ints(LIMITS.starts, 0, Math.max(0, total - 1)),
      steps: ints(LIMITS.tracePoints, 0, maxStep),
      lengths: ints(LIMITS.starts, 0, LIMITS.tracePoints),
      ends: ints(LIMITS.starts, 0, maxStep),
      theta: floats(LIMITS.tracePoints * LIMITS.dim),
      f: floats(LIMITS.tracePoints),
    })(v, p);
    if (t.total !== total) invalid(`${p}.total`, `the run has ${total} lanes, not ${t.total}`);
    const points = traceShape(t.lanes, t.steps, p);
    for (const k of ['lengths', 'ends'] as const)
      if (t[k].length !== t.lanes.length) invalid(`${p}.${k}`, `one per lane (${t.lanes.length})`);
    t.lengths.forEach((len, l) => {
      if (len > t.steps.length) invalid(`${p}.lengths[${l}]`, `${len} points, more than ${t.steps.length} steps`);
    });
    if (t.theta.length !== points * dim) invalid(`${p}.theta`, `expected lanes × steps × ${dim} = ${points * dim}`);
    if (t.f.length !== points) invalid(`${p}.f`, `expected lanes × steps = ${points}`);
    return t;
  };

export const optimizerResult =
  (dim: number, total: number, maxStep: number): Check<OptimizerResult> =>
  (v, p) => {
    const o = obj<OptimizerResult>({
      curves: curveSeries,
      params: hyperParams,
      traces: traceSet(dim, total, maxStep),
      row: resultRow,
    })(v, p);
    if (o.row.n !== total) invalid(`${p}.row.n`, `the run has ${total} starts, not ${o.row.n}`);
    if (o.row.stoppedAt !== null && o.row.stoppedAt > maxStep)
      invalid(`${p}.row.stoppedAt`, `step ${o.row.stoppedAt} is past the run's ${maxStep} steps`);
    return o;
  };

export const internalsSet =
  (dim: number): Check<InternalsSet> =>
  (v, p) => {
    const s = obj<InternalsSet>({
      id: str(64),
      H: num({ min: 0, max: 1 }),
      lanes: ints(LIMITS.starts, 0, LIMITS.starts),
      steps: ints(LIMITS.tracePoints, 0, 2 ** 31 - 1),
      gradient: floats(LIMITS.tracePoints * LIMITS.dim, true),
      power: floats(LIMITS.tracePoints * LIMITS.dim, true),
      step: floats(LIMITS.tracePoints * LIMITS.dim, true),
    })(v, p);
    const n = traceShape(s.lanes, s.steps, p) * dim;
    for (const k of ['gradient', 'power', 'step'] as const)
      if (s[k].length !== n) invalid(`${p}.${k}`, `expected lanes × steps × ${dim} = ${n} values`);
    return s;
  };
