/**
 * The landscape the Lab and the run report draw: log10(f − f* + δ) on a grid over a view, evaluated with the IR
 * interpreter (120×120 points: tens of milliseconds for the built-ins), the known minima, and the arrow field of
 * −∇f and its power transform.
 */
import { gradient } from '../engine/expr/autodiff';
import type { CostFunction } from '../engine/expr/costParser';
import { evaluateAt } from '../engine/run/pointEval';
import { domainOf, type Domain } from '../engine/run/starts';
import type { ArrowField, Bounds, Point } from '../shared/runShapes';
import type { HostMessage } from '../shared/webviewProtocol';

/** Keeps the log finite at the minimum without hiding differences well above it. */
const LOG_DELTA = 1e-12;

/**
 * `n` evenly spaced points from lo to hi, both included (the midpoint when n is 1). The span is scaled by a
 * fraction ≤ 1, never by i: (hi − lo)·i overflows for views as wide as the protocol accepts (±1e307).
 */
const axisPoints = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? lo / 2 + hi / 2 : lo + (hi - lo) * (i / (n - 1))));

export function boundsOf(domain: Domain): Bounds {
  return { xMin: domain[0][0], xMax: domain[0][1], yMin: domain[1][0], yMax: domain[1][1] };
}

/** log10(f − f* + δ) at the grid points, row-major with y outer; NaN where it is not finite. */
function landscapeValues(fn: CostFunction, xs: readonly number[], ys: readonly number[]): Float64Array {
  if (fn.variables.length !== 2)
    throw new RangeError(`a landscape needs 2 variables; ${fn.name} has ${fn.variables.length}`);
  const fStar = fn.fStar ?? 0;
  const values = new Float64Array(xs.length * ys.length);
  ys.forEach((y, j) =>
    xs.forEach((x, i) => {
      const [f] = evaluateAt(fn, [x, y], [fn.output]);
      const v = Math.log10(Math.max(f - fStar, 0) + LOG_DELTA);
      values[j * xs.length + i] = Number.isFinite(v) ? v : NaN;
    }),
  );
  return values;
}

/** Baiesi 2019, Fig. 1: −∇f against −sign(∇f)·|∇f|^H on a coarse grid. */
export function arrowField(fn: CostFunction, b: Bounds, H: number, n = 15): ArrowField {
  const grads = gradient(fn.graph, fn.output, fn.inputs);
  const xs = axisPoints(b.xMin, b.xMax, n);
  const ys = axisPoints(b.yMin, b.yMax, n);
  const g = { u: [] as number[], v: [] as number[] };
  const p = { u: [] as number[], v: [] as number[] };
  const power = (d: number) => -Math.sign(d) * Math.abs(d) ** H;
  for (const y of ys) {
    for (const x of xs) {
      const [gx, gy] = evaluateAt(fn, [x, y], grads).map((d) => (Number.isFinite(d) ? d : 0));
      g.u.push(-gx);
      g.v.push(-gy);
      p.u.push(power(gx));
      p.v.push(power(gy));
    }
  }
  return { H, xs, ys, gradient: g, power: p };
}

/** The landscape of a two-variable function over `bounds` (its domain when not given); undefined otherwise. */
export function landscapeMessage(
  fn: CostFunction,
  name: string,
  bounds?: Bounds,
  size = 120,
  H = 0.5,
): HostMessage<'landscape'> | undefined {
  if (fn.variables.length !== 2) return undefined;
  const b = bounds ?? boundsOf(domainOf(fn));
  const xs = axisPoints(b.xMin, b.xMax, size);
  const ys = axisPoints(b.yMin, b.yMax, size);
  return {
    type: 'landscape',
    fn: name,
    bounds: b,
    xs,
    ys,
    values: Array.from(landscapeValues(fn, xs, ys), (v) => (Number.isFinite(v) ? v : null)),
    delta: LOG_DELTA,
    minima: fn.minima.filter((m) => m.length === 2).map((m): Point => [m[0], m[1]]),
    arrows: arrowField(fn, b, H),
  };
}
