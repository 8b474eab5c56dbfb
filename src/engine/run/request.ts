/**
 * A run as plain data — what crosses a thread or webview boundary. The cost function travels as text and is
 * parsed on arrival (mathjs parses; nothing is evaluated). `parseRunRequest` checks every field of untrusted
 * input and names the offending one.
 */
import {
  arr,
  CheckError,
  invalid,
  int,
  literal,
  num,
  numOrStr,
  obj,
  optional,
  record,
  str,
  union,
  type Check,
} from '../../shared/check';
import {
  parseCostFile,
  parseExpression,
  formatCostError,
  CostError,
  MAX_VARIABLES,
  type CostFunction,
} from '../expr/costParser';
import { PRECISIONS } from '../kernel/types';
import { findBuiltin } from '../library';
import { rangeError } from '../optim/params';
import { findOptimizer } from '../optim/registry';
import type { OptimizerConfig } from '../optim/types';
import { MAX_LANES, MAX_STEPS, run, type RunHooks, type RunResult, type RunSpec } from './runner';
import type { StartSpec } from './starts';

export type FunctionSource =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'expression'; readonly text: string }
  | { readonly kind: 'file'; readonly text: string; readonly name: string; readonly path: string };

/** A run as plain data: the function travels as text. */
export type RunRequest = Omit<RunSpec, 'fn' | 'maxPoints'> & { readonly fn: FunctionSource };

export class RequestError extends Error {}

export function resolveSource(src: FunctionSource): CostFunction {
  if (src.kind === 'builtin') {
    const fn = findBuiltin(src.name);
    if (!fn) throw new RequestError(`no built-in function '${src.name}'`);
    return fn;
  }
  if (src.kind === 'expression') {
    try {
      return parseExpression(src.text, { source: '<expr>' });
    } catch (e) {
      if (e instanceof CostError) throw new RequestError(formatCostError(e));
      throw e;
    }
  }
  const parsed = parseCostFile(src.text, src.path);
  if (parsed.errors.length) throw new RequestError(parsed.errors.map(formatCostError).join('\n'));
  const fn = parsed.functions.find((f) => f.name === src.name);
  if (!fn) throw new RequestError(`${src.path} has no function '${src.name}'`);
  return fn;
}

/** Sources kept parsed: a few functions edited in turn, not every keystroke's version for ever. */
const KEPT_SOURCES = 8;
const parsed = new Map<string, CostFunction>();

/**
 * `resolveSource`, parsed once while the source stays among the latest few used: the same function object comes
 * back, so what is built from it (planCache.ts) is reused by the next run.
 */
export function cachedSource(src: FunctionSource): CostFunction {
  const key = JSON.stringify(src);
  let fn = parsed.get(key);
  if (fn) {
    parsed.delete(key);
  } else {
    fn = resolveSource(src);
    if (parsed.size >= KEPT_SOURCES) parsed.delete(parsed.keys().next().value!);
  }
  parsed.set(key, fn);
  return fn;
}

export function executeRequest(req: RunRequest, hooks: RunHooks = {}): RunResult {
  return run({ ...req, fn: resolveSource(req.fn) }, hooks);
}

const MAX_TEXT = 100_000;

export const functionSource = union<FunctionSource>('kind', {
  builtin: obj({ kind: literal('builtin'), name: str(100) }),
  expression: obj({ kind: literal('expression'), text: str(MAX_TEXT) }),
  file: obj({ kind: literal('file'), text: str(1_000_000), name: str(100), path: str(4096) }),
});

/** Untrusted input checked with the toolkit; a bad field becomes a RequestError (a user error) naming it. */
export function checked<T>(check: Check<T>, v: unknown, path: string): T {
  try {
    return check(v, path);
  } catch (e) {
    throw e instanceof CheckError ? new RequestError(e.message) : e;
  }
}

const interval: Check<readonly [number, number]> = (v, p) => {
  const [lo, hi] = arr(num(), 2, 2)(v, p);
  return [lo, hi];
};
const domain = arr(interval, MAX_VARIABLES);
const startSpec = union<StartSpec>('kind', {
  random: obj({ kind: literal('random'), n: int(1, MAX_LANES), seed: int(0, 2 ** 32 - 1), domain }),
  grid: obj({ kind: literal('grid'), perAxis: int(1, 1024), domain }),
  list: obj({ kind: literal('list'), points: arr(arr(num(), MAX_VARIABLES), MAX_LANES) }),
});
const optimizerShape = obj<OptimizerConfig>({ id: str(64), params: optional(record(numOrStr(32), 64), {}) });
/** An optimizer the registry knows, with hyperparameters it has, each within its published range. */
const optimizer: Check<OptimizerConfig> = (v, p) => {
  const o = optimizerShape(v, p);
  const known = findOptimizer(o.id);
  if (known === undefined) invalid(`${p}.id`, `no optimizer '${o.id}'`);
  for (const [k, x] of Object.entries(o.params)) {
    const spec = known.params.find((s) => s.name === k);
    if (spec === undefined) invalid(`${p}.params.${k}`, `${o.id} has no such hyperparameter`);
    const why = rangeError(spec, x);
    if (why !== null) invalid(`${p}.params.${k}`, why);
  }
  return o;
};

const runRequest = obj<RunRequest>({
  fn: functionSource,
  optimizers: arr(optimizer, 64, 1),
  starts: startSpec,
  steps: int(0, MAX_STEPS),
  targets: optional(arr(num(), 16), []),
  stopAtTargets: (v) => v === true,
  traces: optional(int(0, 1000), undefined),
  backend: optional(literal('auto', 'js', 'wasm-simd'), 'auto' as const),
  precision: optional(literal(...PRECISIONS), 'f64' as const),
});

export const parseRunRequest = (v: unknown): RunRequest => checked(runRequest, v, 'request');
