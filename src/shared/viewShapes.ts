/**
 * What the Lab draws of a function, for any number of variables, and how a webview asks for it: the curve f(x) of
 * a one-variable function, the landscape of a two-variable one, and for more variables a slice — the plane of two
 * chosen variables with the others fixed at a point. The host evaluates every value; a view carries the function
 * it belongs to, so a webview can drop one that arrives after it moved on to another function.
 */
import {
  arr,
  ascending,
  fail,
  int,
  invalid,
  isObj,
  literal,
  nullable,
  num,
  obj,
  str,
  union,
  type Check,
} from './check';
import { LIMITS } from './limits';
import { interval, pair, point, sample, type Interval, type Pair, type Point } from './runShapes';

export interface Bounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * The arrow field of Baiesi 2019, Fig. 1: −∇f and the power-transformed −sign(∇f)·|∇f|^H on a coarse grid,
 * both computed by the host. `u`/`v` are row-major over ys × xs.
 */
export interface ArrowField {
  readonly H: number;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly gradient: { readonly u: readonly number[]; readonly v: readonly number[] };
  readonly power: { readonly u: readonly number[]; readonly v: readonly number[] };
}

/**
 * A plane through a function of ≥ 2 variables: the landscape (2 variables), or a slice through the variables
 * `axes` with the others at `at`. Values are log10(f − base + δ) row-major over ys × xs, null where f is not
 * finite; `base` is f* when it is known, else the lowest f on the grid (the colours are then relative).
 */
export interface PlaneView {
  readonly fn: string;
  /** Every variable of the function, in order. */
  readonly variables: readonly string[];
  /** The two variables drawn, as indices into `variables` (x axis, y axis). */
  readonly axes: Pair;
  /** The point the plane goes through: one coordinate per variable (those of `axes` are not used). */
  readonly at: Point;
  /** "beale(x, y)", or for a slice "slice at z = 0". */
  readonly title: string;
  readonly bounds: Bounds;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly values: readonly (number | null)[];
  readonly delta: number;
  readonly base: number;
  readonly fStar: number | null;
  /** The known minima, projected on the plane. */
  readonly minima: readonly Pair[];
  readonly arrows: ArrowField | null;
}

/** f(x) of a one-variable function, sampled over `bounds`; null where f is not finite. */
export interface CurveView {
  readonly fn: string;
  readonly variable: string;
  readonly title: string;
  readonly bounds: Interval;
  readonly xs: readonly number[];
  readonly f: readonly (number | null)[];
  readonly fStar: number | null;
  readonly minima: readonly number[];
}

/** Where a slice's other variables are fixed: the first @minimum, the domain's centre, or a given point. */
export type SliceAt =
  { readonly kind: 'minimum' } | { readonly kind: 'centre' } | { readonly kind: 'point'; readonly point: Point };

/** A webview's request for a view: the variables on its axes, their ranges (null: the domain's) and the slice point. */
export interface ViewRequest {
  readonly fn: string;
  readonly axes: readonly number[];
  readonly bounds: readonly Interval[] | null;
  readonly at: SliceAt;
}

/** Narrower than this fraction of its coordinates' size, a view has no distinct grid points left to show. */
const MIN_RELATIVE_SPAN = 1e-9;
/** Far below this, grid steps would be subnormal numbers that no longer differ. */
const MIN_SPAN = 1e-280;

/**
 * Why a range cannot be drawn, or undefined when it can: ends finite and ordered, the span finite (±1e308 has a
 * span of ∞) and wide enough for LIMITS.gridAxis strictly increasing grid points. The host checks a view it is
 * asked for and the view it answers with by this same rule, so an accepted request gets a valid answer.
 */
export function rangeProblem(lo: number, hi: number, axis: string): string | undefined {
  if (!(lo < hi)) return `${axis}Min < ${axis}Max is required (got ${lo} … ${hi})`;
  const span = hi - lo;
  if (!Number.isFinite(span)) return `the ${axis} span ${axis}Max − ${axis}Min must be finite (got ${lo} … ${hi})`;
  if (span < MIN_SPAN || span < MIN_RELATIVE_SPAN * Math.max(Math.abs(lo), Math.abs(hi)))
    return `the ${axis} span ${lo} … ${hi} is too narrow to draw`;
  return undefined;
}

export function boundsProblem(b: Bounds): string | undefined {
  return rangeProblem(b.xMin, b.xMax, 'x') ?? rangeProblem(b.yMin, b.yMax, 'y');
}

export const bounds: Check<Bounds> = (v, p) => {
  const b = obj<Bounds>({ xMin: num(), xMax: num(), yMin: num(), yMax: num() })(v, p);
  const problem = boundsProblem(b);
  return problem ? invalid(p, problem) : b;
};
export const gridAxis: Check<number[]> = (v, p) => {
  const xs = arr(num(), LIMITS.gridAxis, 2)(v, p);
  ascending(p, xs);
  return xs;
};
const vectors = (p: string, n: number, v: unknown) => {
  const uv = obj({ u: arr(num(), LIMITS.gridAxis ** 2), v: arr(num(), LIMITS.gridAxis ** 2) })(v, p);
  if (uv.u.length !== n || uv.v.length !== n) invalid(p, `u and v need ${n} items (ys × xs)`);
  return uv;
};
export const arrowField: Check<ArrowField> = (v, p) => {
  if (!isObj(v)) return fail(p, 'an object', v);
  const xs = gridAxis(v.xs, `${p}.xs`);
  const ys = gridAxis(v.ys, `${p}.ys`);
  const n = xs.length * ys.length;
  return {
    H: num({ min: 0, max: 1 })(v.H, `${p}.H`),
    xs,
    ys,
    gradient: vectors(`${p}.gradient`, n, v.gradient),
    power: vectors(`${p}.power`, n, v.power),
  };
};

export const planeView: Check<PlaneView> = (v, p) => {
  const m = obj<PlaneView>({
    fn: str(),
    variables: arr(str(64), LIMITS.dim, 2),
    axes: pair,
    at: point,
    title: str(),
    bounds,
    xs: gridAxis,
    ys: gridAxis,
    values: arr(sample, LIMITS.gridAxis ** 2),
    delta: num({ min: 0 }),
    base: num(),
    fStar: nullable(num()),
    minima: arr(pair, 256),
    arrows: nullable(arrowField),
  })(v, p);
  const dim = m.variables.length;
  const [i, j] = m.axes;
  if (!Number.isInteger(i) || !Number.isInteger(j) || i === j || Math.min(i, j) < 0 || Math.max(i, j) >= dim)
    invalid(`${p}.axes`, `two different variable indices below ${dim}, got [${i}, ${j}]`);
  if (m.at.length !== dim) invalid(`${p}.at`, `one coordinate per variable (${dim}), got ${m.at.length}`);
  if (m.values.length !== m.xs.length * m.ys.length)
    invalid(`${p}.values`, `${m.values.length} items, expected ys × xs = ${m.ys.length * m.xs.length}`);
  return m;
};

export const curveView: Check<CurveView> = (v, p) => {
  const c = obj<CurveView>({
    fn: str(),
    variable: str(64),
    title: str(),
    bounds: interval,
    xs: arr(num(), LIMITS.curveSamples, 2),
    f: arr(sample, LIMITS.curveSamples),
    fStar: nullable(num()),
    minima: arr(num(), 256),
  })(v, p);
  ascending(`${p}.xs`, c.xs);
  if (c.f.length !== c.xs.length) invalid(`${p}.f`, `${c.f.length} items, expected one per x (${c.xs.length})`);
  const problem = rangeProblem(c.bounds[0], c.bounds[1], 'x');
  return problem ? invalid(`${p}.bounds`, problem) : c;
};

const sliceAt = union<SliceAt>('kind', {
  minimum: obj({ kind: literal('minimum') }),
  centre: obj({ kind: literal('centre') }),
  point: obj({ kind: literal('point'), point }),
});

/**
 * A view request, checked as far as it can be without the function: 1 or 2 different axes, one drawable range
 * per axis. The host then checks the axes and the point against the function's variables (`viewProblem`).
 */
export const viewRequest: Check<ViewRequest> = (v, p) => {
  const r = obj<ViewRequest>({
    fn: str(),
    axes: arr(int(0, LIMITS.dim - 1), 2, 1),
    bounds: nullable(arr(pair, 2, 1)),
    at: sliceAt,
  })(v, p);
  if (r.axes.length === 2 && r.axes[0] === r.axes[1]) invalid(`${p}.axes`, 'two different variables are needed');
  if (r.bounds) {
    if (r.bounds.length !== r.axes.length) invalid(`${p}.bounds`, `one range per axis (${r.axes.length})`);
    r.bounds.forEach(([lo, hi], k) => {
      const problem = rangeProblem(lo, hi, k === 0 ? 'x' : 'y');
      if (problem) invalid(`${p}.bounds[${k}]`, problem);
    });
  }
  return r;
};

/** What is wrong with a checked request for a function of `dim` variables, or undefined. */
export function viewProblem(r: ViewRequest, dim: number): string | undefined {
  if (r.axes.length !== Math.min(dim, 2))
    return `a function of ${dim} variable${dim === 1 ? '' : 's'} is drawn on ${Math.min(dim, 2)} axes, not ${r.axes.length}`;
  const bad = r.axes.find((a) => a >= dim);
  if (bad !== undefined) return `axis ${bad} is not a variable index (the function has ${dim})`;
  if (r.at.kind === 'point' && r.at.point.length !== dim)
    return `the slice point has ${r.at.point.length} coordinates; the function has ${dim} variables`;
  return undefined;
}
