/**
 * Messages between the extension host and its webviews (the Lab panel and the "Convergence" view):
 * discriminated unions, checked at run time on receipt on both sides. A webview is untrusted input; the host's
 * messages are checked too, so a bug fails loudly instead of drawing garbage. Every array has a size bound.
 * Non-finite numbers travel as `null` (JSON has no NaN or ∞) and only where a field says so.
 * This module is shared by host and webview code, so it imports nothing.
 */

/** Size bounds: a message larger than these is rejected, whatever its origin. */
export const LIMITS = {
  name: 200,
  text: 100_000,
  functions: 500,
  optimizers: 64,
  params: 32,
  gridAxis: 512,
  curvePoints: 10_000,
  traces: 1024,
  tracePoints: 10_000,
  starts: 4096,
  diagnostics: 200,
  dataUrl: 32 * 1024 * 1024,
  budgets: 16,
  sweepAxes: 4,
  sweepCells: 4096,
  /** cells × starts of one sweep: the per-start outcomes travel for every cell. */
  sweepLanes: 1_000_000,
} as const;

// #region shared shapes
export type ParamMeta =
  | {
      readonly kind: 'number';
      readonly name: string;
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
  /** The update in one line of math (CONVENTIONS.md's table row), for the optimizer's card. */
  readonly rule: string;
  /** Its chain in data-flow order, and what each element reads of the gradient ('none': a learning-rate schedule). */
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

/** A hyperparameter the sweep varies, with its registry scale (η is log-spaced, H linear). */
export interface SweepAxis {
  readonly name: string;
  readonly scale: 'log' | 'linear';
  readonly values: readonly number[];
}

/** One optimizer at one grid point (Baiesi 2019, Fig. 3: f_D(η, T) is the fraction of starts converged within T). */
export interface SweepCellData {
  readonly optimizer: string;
  readonly label: string;
  /** Every hyperparameter of the cell, the swept ones included. */
  readonly params: HyperParams;
  /** f_D per budget, in the order of `SweepData.budgets`. */
  readonly fraction: readonly number[];
  /** Over converged starts; steps are updates k. */
  readonly medianSteps: number | null;
  readonly meanSteps: number | null;
  /** Fraction of starts that diverged. */
  readonly diverged: number;
  readonly orbits: number;
  /** Per start: steps to target, null when not reached within the largest budget. */
  readonly perStart: readonly (number | null)[];
  readonly divergedStarts: readonly boolean[];
}

export interface SweepData {
  readonly fn: string;
  readonly variables: readonly string[];
  readonly target: number;
  /** Step budgets T, ascending. */
  readonly budgets: readonly number[];
  readonly axes: readonly SweepAxis[];
  /** Number of starts per cell. */
  readonly n: number;
  /** The start points when the function has two variables (the outcome map), else empty. */
  readonly starts: readonly Point[];
  readonly cells: readonly SweepCellData[];
  /** Measured time per lane-step, by optimizer id. */
  readonly nsPerLaneStep: Readonly<Record<string, number>>;
  readonly backend: string;
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
// #endregion

// #region host → webview
export type HostToWebview =
  | {
      readonly type: 'init';
      readonly functions: readonly FunctionInfo[];
      readonly optimizers: readonly OptimizerMeta[];
      readonly settings: LabSettings;
    }
  | {
      readonly type: 'landscape';
      readonly fn: string;
      readonly bounds: Bounds;
      readonly xs: readonly number[];
      readonly ys: readonly number[];
      /** log10(f − f* + δ), row-major over ys × xs; null where f is not finite. */
      readonly values: readonly (number | null)[];
      readonly delta: number;
      readonly minima: readonly Point[];
      readonly arrows: ArrowField | null;
    }
  | { readonly type: 'starts'; readonly points: readonly Point[] }
  | {
      readonly type: 'runStarted';
      readonly runId: number;
      readonly fn: string;
      readonly steps: number;
      readonly n: number;
    }
  | {
      readonly type: 'progress';
      readonly runId: number;
      readonly step: number;
      readonly steps: number;
      readonly curves: readonly CurveSeries[];
    }
  | {
      readonly type: 'runResult';
      readonly runId: number;
      readonly fn: string;
      readonly steps: number;
      readonly target: number;
      readonly starts: readonly Point[];
      readonly optimizers: readonly OptimizerResult[];
    }
  | { readonly type: 'runError'; readonly runId: number | null; readonly message: string }
  | {
      readonly type: 'functionValidation';
      readonly text: string;
      readonly ok: boolean;
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly type: 'theme'; readonly kind: 'dark' | 'light' | 'highContrast' | 'highContrastLight' }
  | {
      readonly type: 'sweepStarted';
      readonly sweepId: number;
      readonly fn: string;
      readonly cells: number;
      readonly n: number;
    }
  | { readonly type: 'sweepProgress'; readonly sweepId: number; readonly fraction: number }
  | { readonly type: 'sweepResult'; readonly sweepId: number; readonly sweep: SweepData }
  /** Export Results… asks the Lab for its landscape; the Lab answers with `exportPng`. */
  | { readonly type: 'requestPng' };
// #endregion

// #region webview → host
export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly settings: LabSettings }
  | { readonly type: 'stop' }
  | { readonly type: 'selectFunction'; readonly name: string }
  | { readonly type: 'addStart'; readonly x: number; readonly y: number }
  | { readonly type: 'removeStart'; readonly index: number }
  | { readonly type: 'clearStarts' }
  | { readonly type: 'editFunction'; readonly text: string }
  | {
      readonly type: 'viewChanged';
      readonly xMin: number;
      readonly xMax: number;
      readonly yMin: number;
      readonly yMax: number;
    }
  | { readonly type: 'exportPng'; readonly dataUrl: string }
  /** Run one sweep cell's configuration (a click on a heat-map cell or a curve point) and show its trajectories. */
  | { readonly type: 'runCell'; readonly fn: string; readonly optimizer: string; readonly params: HyperParams };
// #endregion

export type HostMessageType = HostToWebview['type'];
export type WebviewMessageType = WebviewToHost['type'];

/** A malformed message; `message` names the field path, e.g. `runResult.optimizers[1].curves.q1[3]`. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

// #region checkers: each takes a value and its path, returns it typed or throws ProtocolError
type Check<T> = (v: unknown, path: string) => T;

const describe = (v: unknown): string => {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return v.length > 30 ? `a string of length ${v.length}` : JSON.stringify(v);
  return Array.isArray(v) ? `an array of length ${v.length}` : `a ${typeof v}`;
};
const fail = (path: string, want: string, v: unknown): never => {
  throw new ProtocolError(`${path}: expected ${want}, got ${describe(v)}`);
};

const str =
  (max: number = LIMITS.name): Check<string> =>
  (v, p) =>
    typeof v === 'string' && v.length <= max ? v : fail(p, `a string of at most ${max} characters`, v);

interface NumOpts {
  min?: number;
  max?: number;
  int?: boolean;
}
const num =
  (o: NumOpts = {}): Check<number> =>
  (v, p) => {
    const want = `a finite ${o.int ? 'integer' : 'number'}${o.min !== undefined ? ` ≥ ${o.min}` : ''}${o.max !== undefined ? ` ≤ ${o.max}` : ''}`;
    if (typeof v !== 'number' || !Number.isFinite(v) || (o.int && !Number.isInteger(v))) return fail(p, want, v);
    if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) return fail(p, want, v);
    return v;
  };
const count = (max = Number.MAX_SAFE_INTEGER) => num({ min: 0, max, int: true });
const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'a boolean', v));
const nullable =
  <T>(c: Check<T>): Check<T | null> =>
  (v, p) =>
    v === null ? null : c(v, p);
const literal =
  <T extends string>(...values: T[]): Check<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, values.map((x) => `'${x}'`).join(' or '), v);

const arr =
  <T>(item: Check<T>, max: number): Check<T[]> =>
  (v, p) => {
    if (!Array.isArray(v)) return fail(p, `an array of at most ${max} items`, v);
    if (v.length > max) throw new ProtocolError(`${p}: ${v.length} items, more than the limit of ${max}`);
    return v.map((x, i) => item(x, `${p}[${i}]`));
  };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj =
  <T>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> =>
  (v, p) => {
    if (!isObj(v)) return fail(p, 'an object', v);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) out[key] = shape[key](v[key], `${p}.${key}`);
    return out as T;
  };
const pair: Check<Point> = (v, p) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(p, 'a pair [x, y] of finite numbers', v);
  return [num()(v[0], `${p}[0]`), num()(v[1], `${p}[1]`)];
};
const interval: Check<Interval> = (v, p) => {
  const [lo, hi] = pair(v, p);
  return lo < hi ? [lo, hi] : fail(p, 'an interval [lo, hi] with lo < hi', v);
};
const record =
  (max: number): Check<HyperParams> =>
  (v, p) => {
    if (!isObj(v)) return fail(p, 'an object of hyperparameters', v);
    const keys = Object.keys(v);
    if (keys.length > max) throw new ProtocolError(`${p}: ${keys.length} entries, more than the limit of ${max}`);
    const out: Record<string, number | string> = {};
    for (const k of keys)
      out[str(64)(k, `${p} key`)] = typeof v[k] === 'string' ? str(64)(v[k], `${p}.${k}`) : num()(v[k], `${p}.${k}`);
    return out;
  };
/** A value of f − f* or log10 of it: finite or null; NaN and ∞ are rejected (they must travel as null). */
const sample = nullable(num());
/** Arrays that index the same grid or series must agree in length. */
const sameLength = (p: string, a: readonly unknown[], b: readonly unknown[], what: string): void => {
  if (a.length !== b.length) throw new ProtocolError(`${p}: ${what} has ${b.length} items, expected ${a.length}`);
};
const ascending = (p: string, xs: readonly number[]): void => {
  for (let i = 1; i < xs.length; i++)
    if (!(xs[i] > xs[i - 1])) throw new ProtocolError(`${p}[${i}]: must be strictly increasing`);
};
// #endregion

// #region shapes
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
const optimizerMeta = obj<OptimizerMeta>({
  id: str(64),
  label: str(),
  paper: str(1000),
  rule: str(1000),
  transforms: arr(obj({ id: str(64), consumes: literal('value', 'sign', 'none') }), 16),
  params: arr(paramMeta, LIMITS.params),
});
const functionInfo = obj<FunctionInfo>({
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
const settings = obj<LabSettings>({
  fn: str(),
  optimizers: arr(obj<OptimizerChoice>({ id: str(64), params: record(LIMITS.params) }), LIMITS.optimizers),
  starts: startsSetting,
  steps: num({ min: 0, max: 1e8, int: true }),
  target: num({ min: 0 }),
});
const bounds: Check<Bounds> = (v, p) => {
  const b = obj<Bounds>({ xMin: num(), xMax: num(), yMin: num(), yMax: num() })(v, p);
  return b.xMin < b.xMax && b.yMin < b.yMax
    ? b
    : fail(p, 'bounds with xMin < xMax and yMin < yMax', `${b.xMin}…${b.xMax} × ${b.yMin}…${b.yMax}`);
};
const axis = (p: string, v: unknown): number[] => {
  const xs = arr(num(), LIMITS.gridAxis)(v, p);
  if (xs.length < 2) throw new ProtocolError(`${p}: a grid axis needs at least 2 points`);
  ascending(p, xs);
  return xs;
};
const vectors = (p: string, n: number, v: unknown) => {
  const uv = obj({ u: arr(num(), LIMITS.gridAxis ** 2), v: arr(num(), LIMITS.gridAxis ** 2) })(v, p);
  if (uv.u.length !== n || uv.v.length !== n) throw new ProtocolError(`${p}: u and v need ${n} items (ys × xs)`);
  return uv;
};
const arrowField: Check<ArrowField> = (v, p) => {
  if (!isObj(v)) return fail(p, 'an object', v);
  const xs = axis(`${p}.xs`, v.xs);
  const ys = axis(`${p}.ys`, v.ys);
  const n = xs.length * ys.length;
  return {
    H: num({ min: 0, max: 1 })(v.H, `${p}.H`),
    xs,
    ys,
    gradient: vectors(`${p}.gradient`, n, v.gradient),
    power: vectors(`${p}.power`, n, v.power),
  };
};
const curveSeries: Check<CurveSeries> = (v, p) => {
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
const optimizerResult = obj<OptimizerResult>({
  curves: curveSeries,
  params: record(LIMITS.params),
  traces: arr(trace, LIMITS.traces),
  row: resultRow,
});
const diagnostic = obj<Diagnostic>({
  message: str(2000),
  severity: literal('error', 'warning'),
  range: obj({
    line: num({ min: 1, int: true }),
    column: num({ min: 1, int: true }),
    endLine: num({ min: 1, int: true }),
    endColumn: num({ min: 1, int: true }),
  }),
});
const sweepAxis: Check<SweepAxis> = (v, p) => {
  const a = obj<SweepAxis>({ name: str(64), scale: literal('log', 'linear'), values: arr(num(), LIMITS.gridAxis) })(
    v,
    p,
  );
  if (a.values.length === 0) throw new ProtocolError(`${p}.values: a sweep axis needs at least 1 value`);
  if (new Set(a.values).size !== a.values.length) throw new ProtocolError(`${p}.values: values must be distinct`);
  if (a.scale === 'log' && a.values.some((x) => !(x > 0)))
    throw new ProtocolError(`${p}.values: a log axis needs values > 0`);
  return a;
};
const fraction = num({ min: 0, max: 1 });
const sweepCell =
  (budgets: number, n: number, maxSteps: number): Check<SweepCellData> =>
  (v, p) => {
    const c = obj<SweepCellData>({
      optimizer: str(64),
      label: str(),
      params: record(LIMITS.params),
      fraction: arr(fraction, LIMITS.budgets),
      medianSteps: nullable(num({ min: 0, max: maxSteps })),
      meanSteps: nullable(num({ min: 0, max: maxSteps })),
      diverged: fraction,
      orbits: count(n),
      perStart: arr(nullable(num({ min: 0, max: maxSteps, int: true })), LIMITS.starts),
      divergedStarts: arr(bool, LIMITS.starts),
    })(v, p);
    if (c.fraction.length !== budgets)
      throw new ProtocolError(`${p}.fraction: ${c.fraction.length} items, expected one per budget (${budgets})`);
    if (c.perStart.length !== n)
      throw new ProtocolError(`${p}.perStart: ${c.perStart.length} items, expected one per start (${n})`);
    sameLength(`${p}.divergedStarts`, c.perStart, c.divergedStarts, 'divergedStarts');
    return c;
  };
const sweepData: Check<SweepData> = (v, p) => {
  if (!isObj(v)) return fail(p, 'an object', v);
  const budgets = arr(count(1e8), LIMITS.budgets)(v.budgets, `${p}.budgets`);
  if (budgets.length === 0) throw new ProtocolError(`${p}.budgets: a sweep needs at least 1 budget`);
  ascending(`${p}.budgets`, budgets);
  const n = num({ min: 1, max: LIMITS.starts, int: true })(v.n, `${p}.n`);
  const starts = arr(pair, LIMITS.starts)(v.starts, `${p}.starts`);
  if (starts.length !== 0 && starts.length !== n)
    throw new ProtocolError(`${p}.starts: ${starts.length} points, expected none or n = ${n}`);
  const cells = arr(sweepCell(budgets.length, n, budgets[budgets.length - 1]), LIMITS.sweepCells)(
    v.cells,
    `${p}.cells`,
  );
  if (cells.length * n > LIMITS.sweepLanes)
    throw new ProtocolError(
      `${p}.cells: ${cells.length} cells × ${n} starts, more than the limit of ${LIMITS.sweepLanes}`,
    );
  const axes = arr(sweepAxis, LIMITS.sweepAxes)(v.axes, `${p}.axes`);
  const nsPerLaneStep = record(LIMITS.optimizers)(v.nsPerLaneStep, `${p}.nsPerLaneStep`);
  for (const [k, x] of Object.entries(nsPerLaneStep))
    if (typeof x !== 'number' || x < 0) fail(`${p}.nsPerLaneStep.${k}`, 'a number ≥ 0', x);
  return {
    fn: str()(v.fn, `${p}.fn`),
    variables: arr(str(64), 16)(v.variables, `${p}.variables`),
    target: num({ min: 0 })(v.target, `${p}.target`),
    budgets,
    axes,
    n,
    starts,
    cells,
    nsPerLaneStep: nsPerLaneStep as Record<string, number>,
    backend: str(64)(v.backend, `${p}.backend`),
  };
};
// #endregion

const HOST: { readonly [K in HostMessageType]: Check<Extract<HostToWebview, { type: K }>> } = {
  init: obj({
    type: literal('init'),
    functions: arr(functionInfo, LIMITS.functions),
    optimizers: arr(optimizerMeta, 256),
    settings,
  }),
  landscape: (v, p) => {
    const m = v as Record<string, unknown>;
    const xs = axis(`${p}.xs`, m.xs);
    const ys = axis(`${p}.ys`, m.ys);
    const values = arr(sample, LIMITS.gridAxis ** 2)(m.values, `${p}.values`);
    if (values.length !== xs.length * ys.length)
      throw new ProtocolError(`${p}.values: ${values.length} items, expected ys × xs = ${ys.length * xs.length}`);
    return {
      type: 'landscape',
      fn: str()(m.fn, `${p}.fn`),
      bounds: bounds(m.bounds, `${p}.bounds`),
      xs,
      ys,
      values,
      delta: num({ min: 0 })(m.delta, `${p}.delta`),
      minima: arr(pair, 256)(m.minima, `${p}.minima`),
      arrows: nullable(arrowField)(m.arrows, `${p}.arrows`),
    };
  },
  starts: obj({ type: literal('starts'), points: arr(pair, LIMITS.starts) }),
  runStarted: obj({ type: literal('runStarted'), runId: count(), fn: str(), steps: count(), n: count() }),
  progress: (v, p) => {
    const m = obj({
      type: literal('progress'),
      runId: count(),
      step: count(),
      steps: count(),
      curves: arr(curveSeries, LIMITS.optimizers),
    })(v, p);
    return m.step <= m.steps ? m : fail(`${p}.step`, `a step ≤ steps (${m.steps})`, m.step);
  },
  runResult: (v, p) => {
    const m = obj({
      type: literal('runResult'),
      runId: count(),
      fn: str(),
      steps: count(),
      target: num({ min: 0 }),
      starts: arr(pair, LIMITS.starts),
      optimizers: arr(optimizerResult, LIMITS.optimizers),
    })(v, p);
    m.optimizers.forEach((o, i) =>
      o.traces.forEach((t, j) => {
        if (t.lane >= m.starts.length)
          throw new ProtocolError(
            `${p}.optimizers[${i}].traces[${j}].lane: ${t.lane} is not a start index (${m.starts.length} starts)`,
          );
      }),
    );
    return m;
  },
  runError: obj({ type: literal('runError'), runId: nullable(count()), message: str(LIMITS.text) }),
  functionValidation: obj({
    type: literal('functionValidation'),
    text: str(LIMITS.text),
    ok: bool,
    diagnostics: arr(diagnostic, LIMITS.diagnostics),
  }),
  theme: obj({ type: literal('theme'), kind: literal('dark', 'light', 'highContrast', 'highContrastLight') }),
  sweepStarted: obj({
    type: literal('sweepStarted'),
    sweepId: count(),
    fn: str(),
    cells: count(LIMITS.sweepCells),
    n: count(LIMITS.starts),
  }),
  sweepProgress: obj({ type: literal('sweepProgress'), sweepId: count(), fraction }),
  sweepResult: obj({ type: literal('sweepResult'), sweepId: count(), sweep: sweepData }),
  requestPng: obj({ type: literal('requestPng') }),
};

const WEBVIEW: { readonly [K in WebviewMessageType]: Check<Extract<WebviewToHost, { type: K }>> } = {
  ready: obj({ type: literal('ready') }),
  run: obj({ type: literal('run'), settings }),
  stop: obj({ type: literal('stop') }),
  selectFunction: obj({ type: literal('selectFunction'), name: str() }),
  addStart: obj({ type: literal('addStart'), x: num(), y: num() }),
  removeStart: obj({ type: literal('removeStart'), index: count(LIMITS.starts) }),
  clearStarts: obj({ type: literal('clearStarts') }),
  editFunction: obj({ type: literal('editFunction'), text: str(LIMITS.text) }),
  viewChanged: (v, p) => {
    const b = bounds(v, p);
    return { type: literal('viewChanged')((v as Record<string, unknown>).type, `${p}.type`), ...b };
  },
  exportPng: (v, p) => {
    const m = obj({ type: literal('exportPng'), dataUrl: str(LIMITS.dataUrl) })(v, p);
    return /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(m.dataUrl)
      ? m
      : fail(`${p}.dataUrl`, 'a data:image/png;base64 URL', m.dataUrl);
  },
  runCell: obj({ type: literal('runCell'), fn: str(), optimizer: str(64), params: record(LIMITS.params) }),
};

function dispatch<T>(table: Readonly<Record<string, Check<T>>>, v: unknown): T {
  if (!isObj(v)) return fail('message', 'an object', v);
  const type = v.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
    throw new ProtocolError(
      `message.type: unknown message type ${describe(type)}; expected one of ${Object.keys(table).join(', ')}`,
    );
  }
  return table[type](v, type);
}

/** Checks a message the host sent to a webview; throws ProtocolError naming the first bad field. */
export function parseHostMessage(v: unknown): HostToWebview {
  return dispatch(HOST as unknown as Record<string, Check<HostToWebview>>, v);
}

/** Checks a message a webview sent to the host; throws ProtocolError naming the first bad field. */
export function parseWebviewMessage(v: unknown): WebviewToHost {
  return dispatch(WEBVIEW as unknown as Record<string, Check<WebviewToHost>>, v);
}
