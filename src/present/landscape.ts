/**
 * What the Lab and the run report draw of a function, evaluated with the IR interpreter: for one variable the
 * curve f(x) over the domain; for two the landscape, log10(f − f* + δ) on a 120×120 grid (tens of milliseconds
 * for the built-ins) with the known minima and the arrow field of −∇f and its power transform; for more, the same
 * on a slice — the plane of two chosen variables with the others fixed at a point. When f* is unknown the colours
 * are relative to the lowest f on the grid.
 */
import { gradient } from '../engine/expr/autodiff';
import type { CostFunction } from '../engine/expr/costParser';
import { evaluateAt } from '../engine/run/pointEval';
import { domainOf, type Domain } from '../engine/run/starts';
import type { Pair, Point } from '../shared/runShapes';
import type { ArrowField, Bounds, SliceAt, ViewRequest } from '../shared/viewShapes';
import type { HostMessage } from '../shared/webviewProtocol';
import { formatNumber } from './format';

/** Keeps the log finite at the minimum without hiding differences well above it. */
const LOG_DELTA = 1e-12;
/** Samples of a one-variable curve: smooth at any panel width. */
const CURVE_SAMPLES = 400;

/**
 * `n` evenly spaced points from lo to hi, both included (the midpoint when n is 1). The span is scaled by a
 * fraction ≤ 1, never by i: (hi − lo)·i overflows for views as wide as the protocol accepts (±1e307).
 */
const axisPoints = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? lo / 2 + hi / 2 : lo + (hi - lo) * (i / (n - 1))));

export function boundsOf(domain: Domain, axes: Pair = [0, 1]): Bounds {
  const [x, y] = [domain[axes[0]], domain[axes[1]]];
  return { xMin: x[0], xMax: x[1], yMin: y[0], yMax: y[1] };
}

/** The point a slice goes through: the first @minimum (else the centre), the domain's centre, or a given point. */
export function slicePoint(fn: CostFunction, at: SliceAt): Point {
  if (at.kind === 'point') return at.point;
  if (at.kind === 'minimum' && fn.minima.length) return fn.minima[0];
  return domainOf(fn).map(([lo, hi]) => lo / 2 + hi / 2);
}

/** The point of the plane through `at` along `axes` at plane coordinates (x, y). */
function planePoint(axes: Pair, at: Point): (x: number, y: number) => Point {
  return (x, y) => {
    const p = [...at];
    p[axes[0]] = x;
    p[axes[1]] = y;
    return p;
  };
}

/** Baiesi 2019, Fig. 1: −∇f against −sign(∇f)·|∇f|^H on a coarse grid, the components along the plane's axes. */
export function arrowField(
  fn: CostFunction,
  b: Bounds,
  H: number,
  n = 15,
  axes: Pair = [0, 1],
  at?: Point,
): ArrowField {
  const grads = gradient(fn.graph, fn.output, fn.inputs);
  const place = planePoint(axes, at ?? fn.variables.map(() => 0));
  const xs = axisPoints(b.xMin, b.xMax, n);
  const ys = axisPoints(b.yMin, b.yMax, n);
  const g = { u: [] as number[], v: [] as number[] };
  const p = { u: [] as number[], v: [] as number[] };
  const power = (d: number) => -Math.sign(d) * Math.abs(d) ** H;
  for (const y of ys) {
    for (const x of xs) {
      const d = evaluateAt(fn, place(x, y), grads).map((v) => (Number.isFinite(v) ? v : 0));
      const [gx, gy] = [d[axes[0]], d[axes[1]]];
      g.u.push(-gx);
      g.v.push(-gy);
      p.u.push(power(gx));
      p.v.push(power(gy));
    }
  }
  return { H, xs, ys, gradient: g, power: p };
}

/** "slice at z = 0, w = 1.5": the fixed variables and their values. */
function sliceTitle(fn: CostFunction, name: string, axes: Pair, at: Point): string {
  if (fn.variables.length === 2) return `${name}(${fn.variables.join(', ')})`;
  const fixed = fn.variables.flatMap((v, i) => (axes.includes(i) ? [] : [`${v} = ${formatNumber(at[i])}`]));
  return `slice at ${fixed.join(', ')}`;
}

/**
 * The plane of a function of ≥ 2 variables: its landscape over `bounds` (its domain when not given), or for
 * more variables the slice along `axes` through `at`.
 */
export function landscapeMessage(
  fn: CostFunction,
  name: string,
  bounds?: Bounds,
  size = 120,
  H = 0.5,
  axes: Pair = [0, 1],
  at: Point = slicePoint(fn, { kind: 'minimum' }),
): HostMessage<'landscape'> | undefined {
  if (fn.variables.length < 2) return undefined;
  const b = bounds ?? boundsOf(domainOf(fn), axes);
  const xs = axisPoints(b.xMin, b.xMax, size);
  const ys = axisPoints(b.yMin, b.yMax, size);
  const place = planePoint(axes, at);
  const f = new Float64Array(xs.length * ys.length);
  ys.forEach((y, j) => xs.forEach((x, i) => (f[j * xs.length + i] = evaluateAt(fn, place(x, y), [fn.output])[0])));
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of f) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  // Unknown f*: relative to the lowest f shown, with δ scaled so that one grid point does not stretch the colours.
  const base = fn.fStar ?? (Number.isFinite(lo) ? lo : 0);
  const delta = fn.fStar !== undefined || !(hi > lo) ? LOG_DELTA : Math.max(LOG_DELTA, 1e-4 * (hi - lo));
  const values = Array.from(f, (v) => {
    const l = Math.log10(Math.max(v - base, 0) + delta);
    return Number.isFinite(l) ? l : null;
  });
  return {
    type: 'landscape',
    fn: name,
    variables: fn.variables,
    axes,
    at,
    title: sliceTitle(fn, name, axes, at),
    bounds: b,
    xs,
    ys,
    values,
    delta,
    base,
    fStar: fn.fStar ?? null,
    minima: fn.minima.map((m): Pair => [m[axes[0]], m[axes[1]]]),
    arrows: arrowField(fn, b, H, 15, axes, at),
  };
}

/** f(x) of a one-variable function over `range` (its domain when not given); null where f is not finite. */
export function curveMessage(fn: CostFunction, name: string, range?: readonly [number, number]): HostMessage<'curve'> {
  const [lo, hi] = range ?? domainOf(fn)[0];
  const xs = axisPoints(lo, hi, CURVE_SAMPLES);
  return {
    type: 'curve',
    fn: name,
    variable: fn.variables[0],
    title: `${name}(${fn.variables[0]})`,
    bounds: [lo, hi],
    xs,
    f: xs.map((x) => {
      const v = evaluateAt(fn, [x], [fn.output])[0];
      return Number.isFinite(v) ? v : null;
    }),
    fStar: fn.fStar ?? null,
    minima: fn.minima.map((m) => m[0]),
  };
}

/** The view a request asks for (checked against the function by the caller: viewShapes.viewProblem). */
export function viewMessage(
  fn: CostFunction,
  name: string,
  request?: Omit<ViewRequest, 'fn'>,
): HostMessage<'landscape' | 'curve'> {
  const range = request?.bounds ?? null;
  if (fn.variables.length === 1) return curveMessage(fn, name, range?.[0]);
  const axes: Pair = request ? [request.axes[0], request.axes[1]] : [0, 1];
  const b = range ? { xMin: range[0][0], xMax: range[0][1], yMin: range[1][0], yMax: range[1][1] } : undefined;
  return landscapeMessage(fn, name, b, 120, 0.5, axes, slicePoint(fn, request?.at ?? { kind: 'minimum' }))!;
}
