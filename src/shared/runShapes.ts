/**
 * The data the Lab draws for functions and runs — function and optimizer metadata, settings, the landscape's
 * bounds and arrow field, convergence curves, trajectories, result rows — each as a type and its checker.
 * Non-finite numbers travel as `null` and only where a field says so.
 */
import {
  arr,
  ascending,
  count,
  fail,
  invalid,
  isObj,
  literal,
  num,
  nullable,
  numOrStr,
  obj,
  record,
  sameLength,
  str,
  type Check,
} from './check';
import { LIMITS } from './limits';

export type ParamMeta =
  | {
      readonly kind: 'number';
      readonly name: string;
      /** How the papers write it (η, β₁, H…): views show this, never the name. */
      readonly symbol: string;
      readonly description: string;
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly scale: 'log' | 'linear';
    }
  | {
      readonly kind: 'choice';
      readonly name: string;
      readonly symbol: string;
      readonly description: string;
      readonly default: string;
      readonly choices: readonly string[];
    };

export interface OptimizerMeta {
  readonly id: string;
  readonly label: string;
  readonly paper: string;
  /** The update in one line of math, as CONVENTIONS.md writes it. */
  readonly rule: string;
  /** The chain's transforms and what each reads of the incoming gradient. */
  readonly transforms: readonly { readonly id: string; readonly consumes: 'value' | 'sign' | 'none' }[];
  readonly params: readonly ParamMeta[];
}

/** `[lo, hi]` per variable; the Lab draws two-variable functions. */
export type Interval = readonly [number, number];
export type Point = readonly [number, number];

export interface FunctionInfo {
  readonly name: string;
  readonly variables: readonly string[];
  /** The expression as written. */
  readonly expression: string;
  readonly domain: readonly Interval[] | null;
  readonly minima: readonly (readonly number[])[];
  readonly fStar: number;
  /** Where the function lives: a built-in, or a `.cost` document (edits are written back to it). */
  readonly origin: 'builtin' | 'file' | 'inline';
}

export type HyperParams = Readonly<Record<string, number | string>>;
export interface OptimizerChoice {
  readonly id: string;
  readonly params: HyperParams;
}

export type StartsSetting =
  | { readonly kind: 'random'; readonly n: number; readonly seed: number }
  | { readonly kind: 'list'; readonly points: readonly Point[] };

export interface LabSettings {
  readonly fn: string;
  readonly optimizers: readonly OptimizerChoice[];
  readonly starts: StartsSetting;
  readonly steps: number;
  readonly target: number;
}

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

/** Median and quartiles of f − f* over the lanes per recorded step; `null` where not finite (diverged). */
export interface CurveSeries {
  readonly id: string;
  readonly label: string;
  /** Index into the webview's categorical palette. */
  readonly colour: number;
  readonly steps: readonly number[];
  readonly median: readonly (number | null)[];
  readonly q1: readonly (number | null)[];
  readonly q3: readonly (number | null)[];
}

export interface ResultRow {
  readonly n: number;
  readonly converged: number;
  readonly diverged: number;
  readonly medianSteps: number | null;
  readonly nsPerStep: number;
}

/** One trajectory: the lane index into `starts` and its recorded points (same length arrays). */
export interface Trace {
  readonly lane: number;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

export interface OptimizerResult {
  readonly curves: CurveSeries;
  readonly params: HyperParams;
  readonly traces: readonly Trace[];
  readonly row: ResultRow;
}

export interface Diagnostic {
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** 1-based lines and columns, end exclusive, as the engine's SourceRange. */
  readonly range: {
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly endColumn: number;
  };
}

export const pair: Check<Point> = (v, p) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(p, 'a pair [x, y] of finite numbers', v);
  return [num()(v[0], `${p}[0]`), num()(v[1], `${p}[1]`)];
};
const interval: Check<Interval> = (v, p) => {
  const [lo, hi] = pair(v, p);
  return lo < hi ? [lo, hi] : fail(p, 'an interval [lo, hi] with lo < hi', v);
};
export const hyperParams: Check<HyperParams> = record(numOrStr(), LIMITS.params);
/** A value of f − f* or log10 of it: finite or null; NaN and ∞ are rejected (they must travel as null). */
export const sample = nullable(num());

const paramMeta: Check<ParamMeta> = (v, p) => {
  const base = { name: str(64), symbol: str(32), description: str(1000) };
  if (isObj(v) && v.kind === 'choice') {
    const c = obj({ kind: literal('choice'), ...base, default: str(64), choices: arr(str(64), 64) })(v, p);
    return c.choices.includes(c.default) ? c : fail(`${p}.default`, `one of ${c.choices.join('|')}`, c.default);
  }
  const n = obj({
    kind: literal('number'),
    ...base,
    default: num(),
    min: num(),
    max: num(),
    scale: literal('log', 'linear'),
  })(v, p);
  return n.min <= n.default && n.default <= n.max
    ? n
    : fail(`${p}.default`, `a number in [${n.min}, ${n.max}]`, n.default);
};
export const optimizerMeta = obj<OptimizerMeta>({
  id: str(64),
  label: str(),
  paper: str(1000),
  rule: str(1000),
  transforms: arr(obj({ id: str(64), consumes: literal('value', 'sign', 'none') }), 16),
  params: arr(paramMeta, LIMITS.params),
});
export const functionInfo = obj<FunctionInfo>({
  name: str(),
  variables: arr(str(64), 16),
  expression: str(LIMITS.text),
  domain: nullable(arr(interval, 16)),
  minima: arr(arr(num(), 16), 256),
  fStar: num(),
  origin: literal('builtin', 'file', 'inline'),
});
const startsSetting: Check<StartsSetting> = (v, p) =>
  isObj(v) && v.kind === 'list'
    ? obj({ kind: literal('list'), points: arr(pair, LIMITS.starts) })(v, p)
    : obj({ kind: literal('random'), n: num({ min: 1, max: LIMITS.starts, int: true }), seed: count(2 ** 32 - 1) })(
        v,
        p,
      );
export const settings = obj<LabSettings>({
  fn: str(),
  optimizers: arr(obj<OptimizerChoice>({ id: str(64), params: hyperParams }), LIMITS.optimizers),
  starts: startsSetting,
  steps: num({ min: 0, max: 1e8, int: true }),
  target: num({ min: 0 }),
});

/** Narrower than this fraction of its coordinates' size, a view has no distinct grid points left to show. */
const MIN_RELATIVE_SPAN = 1e-9;
/** Far below this, grid steps would be subnormal numbers that no longer differ. */
const MIN_SPAN = 1e-280;

/**
 * Why a view cannot be drawn, or undefined when it can: its ends finite and ordered, its spans finite (±1e308 has a
 * span of ∞) and wide enough for LIMITS.gridAxis strictly increasing grid points. The host checks a view it is
 * asked for and the landscape it answers with by this same rule, so an accepted request gets a valid answer.
 */
export function boundsProblem(b: Bounds): string | undefined {
  for (const [lo, hi, axis] of [
    [b.xMin, b.xMax, 'x'],
    [b.yMin, b.yMax, 'y'],
  ] as const) {
    if (!(lo < hi)) return `${axis}Min < ${axis}Max is required (got ${lo} … ${hi})`;
    const span = hi - lo;
    if (!Number.isFinite(span)) return `the ${axis} span ${axis}Max − ${axis}Min must be finite (got ${lo} … ${hi})`;
    if (span < MIN_SPAN || span < MIN_RELATIVE_SPAN * Math.max(Math.abs(lo), Math.abs(hi)))
      return `the ${axis} span ${lo} … ${hi} is too narrow to draw`;
  }
  return undefined;
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
export const curveSeries: Check<CurveSeries> = (v, p) => {
  const c = obj<CurveSeries>({
    id: str(64),
    label: str(),
    colour: count(255),
    steps: arr(count(), LIMITS.curvePoints),
    median: arr(sample, LIMITS.curvePoints),
    q1: arr(sample, LIMITS.curvePoints),
    q3: arr(sample, LIMITS.curvePoints),
  })(v, p);
  for (const k of ['median', 'q1', 'q3'] as const) sameLength(`${p}.${k}`, c.steps, c[k], k);
  return c;
};
const trace: Check<Trace> = (v, p) => {
  const t = obj<Trace>({
    lane: count(LIMITS.starts),
    xs: arr(num(), LIMITS.tracePoints),
    ys: arr(num(), LIMITS.tracePoints),
  })(v, p);
  sameLength(`${p}.ys`, t.xs, t.ys, 'ys');
  return t;
};
const resultRow: Check<ResultRow> = (v, p) => {
  const r = obj<ResultRow>({
    n: count(),
    converged: count(),
    diverged: count(),
    medianSteps: nullable(num({ min: 0 })),
    nsPerStep: num({ min: 0 }),
  })(v, p);
  return r.converged + r.diverged <= r.n
    ? r
    : fail(p, 'converged + diverged ≤ n', `${r.converged} + ${r.diverged} > ${r.n}`);
};
export const optimizerResult = obj<OptimizerResult>({
  curves: curveSeries,
  params: hyperParams,
  traces: arr(trace, LIMITS.traces),
  row: resultRow,
});
export const diagnostic = obj<Diagnostic>({
  message: str(2000),
  severity: literal('error', 'warning'),
  range: obj({
    line: num({ min: 1, int: true }),
    column: num({ min: 1, int: true }),
    endLine: num({ min: 1, int: true }),
    endColumn: num({ min: 1, int: true }),
  }),
});
