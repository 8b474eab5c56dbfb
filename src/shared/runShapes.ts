/**
 * What the Lab knows of functions and optimizers, and what a run is asked to do: function and optimizer metadata,
 * the settings of the controls, and the configuration a run or sweep actually ran with (which the views show and
 * the controls are set from). Each is a type and its checker. Points have any number of coordinates.
 */
import {
  arr,
  count,
  fail,
  int,
  invalid,
  isObj,
  literal,
  num,
  nullable,
  numOrStr,
  obj,
  record,
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
  /** This optimizer's colour in every view, every time: a CSS colour `#rrggbb` (present/colours.ts). */
  readonly colour: string;
}

/** `[lo, hi]` with lo < hi: a variable's range. */
export type Interval = readonly [number, number];
/** A point with one coordinate per variable of its function. */
export type Point = readonly number[];
/** A point in a plane the Lab draws (the landscape, or a slice through two variables). */
export type Pair = readonly [number, number];

export interface FunctionInfo {
  readonly name: string;
  readonly variables: readonly string[];
  /** The expression as written. */
  readonly expression: string;
  readonly domain: readonly Interval[] | null;
  readonly minima: readonly Point[];
  /** f at the first @minimum; null when the function has none: targets and curves are then on f itself. */
  readonly fStar: number | null;
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

/** A run's starts: the controls' kinds, or a grid over the domain (the CLI's `--grid`). */
export type RunStarts = StartsSetting | { readonly kind: 'grid'; readonly perAxis: number };

/**
 * What a run or sweep ran with, in full: the settings with every hyperparameter of every optimizer resolved, and
 * the function as it was (its text may have changed since). A view shows a result with the controls set from this.
 */
export interface RunConfig extends Omit<LabSettings, 'starts'> {
  readonly starts: RunStarts;
  readonly variables: readonly string[];
  readonly expression: string;
  /** null: the function has no @minimum, and targets are on f itself. */
  readonly fStar: number | null;
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

/** A point of 1 to LIMITS.dim finite coordinates. */
export const point: Check<Point> = arr(num(), LIMITS.dim, 1);

/** A point of exactly `dim` coordinates. */
export const pointOf =
  (dim: number): Check<Point> =>
  (v, p) => {
    const x = point(v, p);
    return x.length === dim ? x : invalid(p, `a point of ${dim} coordinate${dim === 1 ? '' : 's'}, got ${x.length}`);
  };

export const pair: Check<Pair> = (v, p) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(p, 'a pair [x, y] of finite numbers', v);
  return [num()(v[0], `${p}[0]`), num()(v[1], `${p}[1]`)];
};
export const interval: Check<Interval> = (v, p) => {
  const [lo, hi] = pair(v, p);
  return lo < hi ? [lo, hi] : fail(p, 'an interval [lo, hi] with lo < hi', v);
};
export const hyperParams: Check<HyperParams> = record(numOrStr(), LIMITS.params);
/** A value of f − f* or log10 of it: finite or null; NaN and ∞ are rejected (they must travel as null). */
export const sample = nullable(num());
/** A CSS colour as the host sends it: `#rrggbb`. */
export const cssColour: Check<string> = (v, p) => {
  const c = str(7)(v, p);
  return /^#[0-9a-f]{6}$/i.test(c) ? c : fail(p, 'a colour #rrggbb', v);
};

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
  colour: cssColour,
});
export const functionInfo: Check<FunctionInfo> = (v, p) => {
  const f = obj<FunctionInfo>({
    name: str(),
    variables: arr(str(64), LIMITS.dim, 1),
    expression: str(LIMITS.text),
    domain: nullable(arr(interval, LIMITS.dim)),
    minima: arr(point, 256),
    fStar: nullable(num()),
    origin: literal('builtin', 'file', 'inline'),
  })(v, p);
  const dim = f.variables.length;
  if (f.domain && f.domain.length !== dim) invalid(`${p}.domain`, `one interval per variable (${dim})`);
  f.minima.forEach((m, i) => pointOf(dim)(m, `${p}.minima[${i}]`));
  return f;
};
const startsSetting: Check<StartsSetting> = (v, p) =>
  isObj(v) && v.kind === 'list'
    ? obj({ kind: literal('list'), points: arr(point, LIMITS.placedStarts, 1) })(v, p)
    : obj({ kind: literal('random'), n: num({ min: 1, max: LIMITS.starts, int: true }), seed: count(2 ** 32 - 1) })(
        v,
        p,
      );
const settingsFields = {
  fn: str(),
  optimizers: arr(obj<OptimizerChoice>({ id: str(64), params: hyperParams }), LIMITS.optimizers),
  starts: startsSetting,
  steps: num({ min: 0, max: 1e8, int: true }),
  target: num({ min: 0 }),
};
/** Settings from the controls: every placed start has the same number of coordinates. */
export const settings: Check<LabSettings> = (v, p) => {
  const s = obj<LabSettings>(settingsFields)(v, p);
  if (s.starts.kind === 'list') {
    const dim = s.starts.points[0].length;
    s.starts.points.forEach((x, i) => pointOf(dim)(x, `${p}.starts.points[${i}]`));
  }
  return s;
};
/** A run's starts: a list may be as long as a run (a CLI starts file), not just what clicks place. */
const runStarts: Check<RunStarts> = (v, p) => {
  if (isObj(v) && v.kind === 'grid') return obj({ kind: literal('grid'), perAxis: int(1, 1024) })(v, p);
  if (isObj(v) && v.kind === 'list') return obj({ kind: literal('list'), points: arr(point, LIMITS.starts, 1) })(v, p);
  return startsSetting(v, p);
};
/** A run's configuration: placed starts have one coordinate per variable. */
export const runConfig: Check<RunConfig> = (v, p) => {
  const c = obj<RunConfig>({
    ...settingsFields,
    starts: runStarts,
    variables: arr(str(64), LIMITS.dim, 1),
    expression: str(LIMITS.text),
    fStar: nullable(num()),
  })(v, p);
  if (c.starts.kind === 'list') {
    const dim = c.variables.length;
    c.starts.points.forEach((x, i) => pointOf(dim)(x, `${p}.starts.points[${i}]`));
  }
  return c;
};
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
