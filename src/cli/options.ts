/**
 * The options several commands share (their usage lines in one place) and the checks that turn their text into
 * typed values. Every number is checked against its range; a mistake names the option and quotes the text.
 */
import { PRECISIONS, type BackendChoice, type Precision } from '../engine/kernel/types';
import { MAX_STEPS } from '../engine/run/runner';
import { DEFAULT_INTERVAL, intervalProblem, type Domain, type StartSpec } from '../engine/run/starts';
import type { OptionTable, Values } from './command';
import { MAX_STARTS_FILE_BYTES, readTextFile } from './files';
import { quote, shownPath, UsageError } from './usageError';

/** Start points at most, random or from a file. */
export const MAX_STARTS = 1_000_000;
/** Values in a list option (targets, budgets) at most. */
const MAX_LIST = 16;

export const FN_OPTION = {
  fn: {
    type: 'string',
    arg: 'F',
    help: 'a built-in name, path/file.cost#name, or an expression such as "(1-x)^2+100*(y-x^2)^2"',
  },
} as const satisfies OptionTable;

export const optOption = (fallback: string) =>
  ({
    opt: {
      type: 'string',
      arg: 'LIST',
      help: `id[:param=value]…, comma-separated, e.g. h-adam:eta=0.01:H=0.5 (default ${fallback})`,
    },
  }) as const satisfies OptionTable;

export const stepsOption = (fallback: number, max: number) =>
  ({
    steps: { type: 'string', arg: 'T', help: `step budget, 0…${max} (default ${fallback})` },
  }) as const satisfies OptionTable;

/** Where random starts come from: the box and the seed. */
export const RANDOM_START_OPTIONS = {
  domain: {
    type: 'string',
    arg: 'D',
    help: `start box, e.g. "[-4.5,4.5]x[-4.5,4.5]" (default: the function's @domain, else [${DEFAULT_INTERVAL.join(', ')}] per variable)`,
  },
  seed: { type: 'string', arg: 'S', help: 'seed of the random starts, 0…4294967295 (default 1)' },
} as const satisfies OptionTable;

export const startsOptions = (fallback: number) =>
  ({
    starts: {
      type: 'string',
      arg: 'N',
      help: `N uniform random starts in the domain, 1…${MAX_STARTS} (default ${fallback})`,
    },
    'starts-file': { type: 'string', arg: 'FILE', help: 'a JSON array of start points instead' },
    ...RANDOM_START_OPTIONS,
  }) as const satisfies OptionTable;

export const TARGETS_OPTION = {
  targets: { type: 'string', arg: 'LIST', help: 'f − f* thresholds, e.g. 1e-2,1e-4 (default 1e-4)' },
} as const satisfies OptionTable;

export const BACKEND_OPTION = {
  backend: { type: 'string', arg: 'B', help: 'auto | js | wasm-simd (default auto)' },
} as const satisfies OptionTable;

export const PRECISION_OPTION = {
  precision: {
    type: 'string',
    arg: 'P',
    help: 'f64 | f32: binary64 lanes, or binary32 with every operation rounded to float (default f64)',
  },
} as const satisfies OptionTable;

export const JSON_OPTION = {
  json: { type: 'boolean', help: 'machine-readable output' },
} as const satisfies OptionTable;

/** A decimal number as people type it (1, -2.5, .5, 1e-4); not '', not 0x10, not Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function decimal(text: string, option: string): number {
  const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new UsageError(`--${option}: ${quote(text)} is not a number`);
  return v;
}

export function integer(text: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UsageError(`--${option} must be an integer in ${min}…${max}, not ${quote(text)}`);
  return v;
}

export function numberList(text: string, option: string): number[] {
  return text.split(',').map((s) => decimal(s, option));
}

/** A list of distinct numbers in [min, max]: targets, budgets. */
function distinctList(text: string, option: string, check: (v: number) => boolean, what: string): number[] {
  const values = numberList(text, option);
  if (values.length > MAX_LIST) throw new UsageError(`--${option}: at most ${MAX_LIST} values, not ${values.length}`);
  const bad = values.find((v) => !check(v));
  if (bad !== undefined) throw new UsageError(`--${option}: ${bad} is not ${what}`);
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`--${option}: ${twice} is given twice`);
  return values;
}

export function targets(text: string | undefined): number[] {
  return text === undefined ? [1e-4] : distinctList(text, 'targets', (v) => v >= 0, 'a threshold ≥ 0');
}

export function target(text: string | undefined): number {
  if (text === undefined) return 1e-4;
  const v = decimal(text, 'target');
  if (v < 0) throw new UsageError(`--target must be ≥ 0, not ${quote(text)}`);
  return v;
}

export function budgets(text: string | undefined): number[] {
  if (text === undefined) return [100, 1000, 10000];
  return distinctList(
    text,
    'budgets',
    (v) => Number.isInteger(v) && v >= 0 && v <= MAX_STEPS,
    `a step count in 0…${MAX_STEPS}`,
  );
}

export function backend(text: string | undefined): BackendChoice {
  const v = text ?? 'auto';
  if (v !== 'auto' && v !== 'js' && v !== 'wasm-simd')
    throw new UsageError(`--backend must be auto, js or wasm-simd, not ${quote(v)}`);
  return v;
}

export function precision(text: string | undefined): Precision {
  const v = text ?? 'f64';
  if (!PRECISIONS.includes(v as Precision)) throw new UsageError(`--precision must be f64 or f32, not ${quote(v)}`);
  return v as Precision;
}

/** binary32 runs on a cost function's step program only: a data problem's kernel has no float version yet. */
export function functionOnlyPrecision(text: string | undefined): void {
  if (precision(text) === 'f32')
    throw new UsageError(
      '--precision f32 is not available for models over data and gradient noise yet; it runs cost functions',
    );
}

export const seed = (text: string | undefined) => integer(text, 'seed', 1, 0, 2 ** 32 - 1);

/** `"[-4.5,4.5]x[-4.5,4.5]"`: one interval per variable, each finite, lo < hi, of finite width. */
export function parseDomain(text: string, dim: number): Domain {
  const intervals = text.split(/\]\s*[x×]\s*\[/).map((s) => s.replace(/^\s*\[|\]\s*$/g, ''));
  const domain = intervals.map((s) => {
    const parts = s.split(',');
    if (parts.length !== 2) throw new UsageError(`--domain: ${quote(`[${s}]`)} is not an interval [lo, hi]`);
    const [lo, hi] = parts.map((p) => decimal(p, 'domain'));
    const problem = intervalProblem(lo, hi);
    if (problem) throw new UsageError(`--domain: ${quote(`[${s}]`)}: ${problem}`);
    return [lo, hi] as const;
  });
  if (domain.length !== dim)
    throw new UsageError(`--domain has ${domain.length} intervals; the function has ${dim} variables`);
  return domain;
}

export function domainFor(
  values: Values<typeof RANDOM_START_OPTIONS>,
  fnDomain: Domain | undefined,
  dim: number,
): Domain {
  if (values.domain !== undefined) return parseDomain(values.domain, dim);
  return fnDomain ?? Array.from({ length: dim }, () => DEFAULT_INTERVAL);
}

export function point(text: string, dim: number, option: string): number[] {
  const p = numberList(text, option);
  if (p.length !== dim)
    throw new UsageError(`--${option} has ${p.length} coordinates; the function has ${dim} variables`);
  return p;
}

export function startSpec(
  values: Values<ReturnType<typeof startsOptions>>,
  domain: Domain,
  dim: number,
  defaultN: number,
): StartSpec {
  if (values['starts-file'] !== undefined) {
    if (values.starts !== undefined) throw new UsageError('give --starts or --starts-file, not both');
    if (values.seed !== undefined) throw new UsageError('--seed draws random starts: it has no use with --starts-file');
    return { kind: 'list', points: readStartsFile(values['starts-file'], dim) };
  }
  const n = integer(values.starts, 'starts', defaultN, 1, MAX_STARTS);
  return { kind: 'random', n, seed: seed(values.seed), domain };
}

function readStartsFile(path: string, dim: number): number[][] {
  const text = readTextFile(path, MAX_STARTS_FILE_BYTES, '--starts-file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--starts-file ${shownPath(path)}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0 || data.length > MAX_STARTS) {
    throw new UsageError(`--starts-file ${shownPath(path)}: expected a JSON array of 1…${MAX_STARTS} points`);
  }
  return data.map((p, i) => {
    if (!Array.isArray(p) || p.length !== dim || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(`--starts-file ${shownPath(path)}: point ${i} is not an array of ${dim} finite numbers`);
    }
    return p as number[];
  });
}
