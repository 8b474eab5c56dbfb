/**
 * Engine data → the protocol's host-to-webview messages (pure, so that the tests check them against
 * `parseHostMessage` without VS Code). Non-finite numbers become null, as the protocol asks.
 */
import { gradient } from '../engine/expr/autodiff';
import type { CostFunction } from '../engine/expr/costParser';
import { optimizersJson } from '../engine/optim/registry';
import type { OptimizerRun, RunResult } from '../engine/run/runner';
import type { Domain } from '../engine/run/starts';
import { evaluateAt } from '../engine/run/pointEval';
import type {
  ArrowField,
  Bounds,
  CurveSeries,
  FunctionInfo,
  HostToWebview,
  LabSettings,
  OptimizerMeta,
  OptimizerResult,
  Point,
  Trace,
} from '../protocol';
import { LOG_DELTA, landscapeGrid } from './landscape';
import { startDomain, type RunSettings } from './runPlan';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function functionInfo(fn: CostFunction, origin: FunctionInfo['origin'], name = fn.name): FunctionInfo {
  return {
    name,
    variables: fn.variables,
    expression: fn.source,
    domain: fn.domain ?? null,
    minima: fn.minima,
    fStar: fn.fStar ?? 0,
    origin,
  };
}

export function optimizerMetas(): OptimizerMeta[] {
  return optimizersJson().map((o) => ({
    id: o.id,
    label: o.label,
    paper: o.paper,
    rule: o.rule,
    transforms: o.transforms.map((t) => ({ id: t.id, consumes: t.consumes })),
    params: o.parameters,
  }));
}

export function labSettings(fn: string, s: RunSettings, optimizers: LabSettings['optimizers']): LabSettings {
  return { fn, optimizers, starts: { kind: 'random', n: s.starts, seed: s.seed }, steps: s.steps, target: s.target };
}

/** Series ids must be unique within a run; a sweep has one optimizer several times. */
function seriesIds(runs: readonly OptimizerRun[]): string[] {
  return runs.map((r, i) =>
    runs.filter((q) => q.optimizer === r.optimizer).length > 1 ? `${r.optimizer}#${i + 1}` : r.optimizer,
  );
}

export function curveSeries(r: OptimizerRun, colour: number, label = r.label, id = r.optimizer): CurveSeries {
  return {
    id,
    label,
    colour: colour % 256,
    steps: r.curves.steps,
    median: r.curves.median.map(finiteOrNull),
    q1: r.curves.q1.map(finiteOrNull),
    q3: r.curves.q3.map(finiteOrNull),
  };
}

const is2d = (result: RunResult) => result.fn.variables.length === 2;

/** A trajectory's finite points (a diverging one ends where it left the finite numbers). */
function trace(t: OptimizerRun['traces'][number]): Trace {
  const points = t.points.filter((p) => Number.isFinite(p.theta[0]) && Number.isFinite(p.theta[1]));
  return { lane: t.lane, xs: points.map((p) => p.theta[0]), ys: points.map((p) => p.theta[1]) };
}

function optimizerResult(
  result: RunResult,
  r: OptimizerRun,
  colour: number,
  id: string,
  label?: string,
): OptimizerResult {
  const tightest = String(Math.min(...result.targets));
  return {
    curves: curveSeries(r, colour, label, id),
    params: r.params,
    traces: is2d(result) ? r.traces.map(trace) : [],
    row: {
      n: r.n,
      converged: r.converged,
      diverged: r.diverged,
      medianSteps: r.stepsToTarget[tightest]?.median ?? null,
      nsPerStep: r.timing.nsPerLaneStep,
    },
  };
}

/** A run's result for the panel and the sidebar; `labels` overrides the optimizer labels (sweeps name each cell). */
export function runResultMessage(runId: number, result: RunResult, labels?: readonly string[]): HostToWebview {
  return {
    type: 'runResult',
    runId,
    fn: result.fn.name,
    steps: result.steps,
    target: Math.min(...result.targets),
    starts: is2d(result) ? result.starts.map((p): Point => [p[0], p[1]]) : [],
    optimizers: result.runs.map((r, i, runs) => optimizerResult(result, r, i, seriesIds(runs)[i], labels?.[i])),
  };
}

/** `fraction` of the run is done; the curves are those of the optimizers that have finished. */
export function progressMessage(
  runId: number,
  steps: number,
  fraction: number,
  runs: readonly OptimizerRun[],
): HostToWebview {
  const step = Math.min(steps, Math.max(0, Math.round(steps * fraction)));
  return {
    type: 'progress',
    runId,
    step,
    steps,
    curves: runs.map((r, i) => curveSeries(r, i, r.label, seriesIds(runs)[i])),
  };
}

export function boundsOf(domain: Domain): Bounds {
  return { xMin: domain[0][0], xMax: domain[0][1], yMin: domain[1][0], yMax: domain[1][1] };
}

const axisPoints = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

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
): HostToWebview | undefined {
  if (fn.variables.length !== 2) return undefined;
  const b = bounds ?? boundsOf(startDomain(fn));
  const grid = landscapeGrid(
    fn,
    [
      [b.xMin, b.xMax],
      [b.yMin, b.yMax],
    ],
    size,
    size,
  );
  return {
    type: 'landscape',
    fn: name,
    bounds: b,
    xs: axisPoints(b.xMin, b.xMax, size),
    ys: axisPoints(b.yMin, b.yMax, size),
    values: Array.from(grid.values, finiteOrNull),
    delta: LOG_DELTA,
    minima: fn.minima.filter((m) => m.length === 2).map((m): Point => [m[0], m[1]]),
    arrows: arrowField(fn, b, H),
  };
}
