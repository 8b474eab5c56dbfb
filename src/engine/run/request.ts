/**
 * A run as plain data — what crosses a thread or webview boundary. The cost function travels as text and is
 * parsed on arrival (mathjs parses; nothing is evaluated). `parseRunRequest` checks every field of untrusted
 * input and names the offending one.
 */
import { parseCostFile, parseExpression, formatCostError, CostError, type CostFunction } from '../expr/costParser';
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

export function executeRequest(req: RunRequest, hooks: RunHooks = {}): RunResult {
  return run({ ...req, fn: resolveSource(req.fn) }, hooks);
}

const MAX_TEXT = 100_000;

function fail(path: string, what: string): never {
  throw new RequestError(`${path}: ${what}`);
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, unknown>;
}

function str(v: unknown, path: string, max = MAX_TEXT): string {
  if (typeof v !== 'string' || v.length > max) fail(path, `expected a string of at most ${max} characters`);
  return v;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a finite number');
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(path, `expected an integer in ${min}…${max}`);
  return v;
}

function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v) || v.length > max) fail(path, `expected an array of at most ${max} items`);
  return v;
}

export function parseFunctionSource(v: unknown): FunctionSource {
  const o = obj(v, 'fn');
  switch (o.kind) {
    case 'builtin':
      return { kind: 'builtin', name: str(o.name, 'fn.name', 100) };
    case 'expression':
      return { kind: 'expression', text: str(o.text, 'fn.text') };
    case 'file':
      return {
        kind: 'file',
        text: str(o.text, 'fn.text', 1_000_000),
        name: str(o.name, 'fn.name', 100),
        path: str(o.path, 'fn.path', 4096),
      };
    default:
      return fail('fn.kind', "expected 'builtin', 'expression' or 'file'");
  }
}

function interval(v: unknown, path: string): readonly [number, number] {
  const a = arr(v, path, 2);
  if (a.length !== 2) fail(path, 'expected [lo, hi]');
  return [finite(a[0], `${path}[0]`), finite(a[1], `${path}[1]`)];
}

function starts(v: unknown): StartSpec {
  const o = obj(v, 'starts');
  const domain = () => arr(o.domain, 'starts.domain', 64).map((d, i) => interval(d, `starts.domain[${i}]`));
  switch (o.kind) {
    case 'random':
      return {
        kind: 'random',
        n: int(o.n, 'starts.n', 1, MAX_LANES),
        seed: int(o.seed, 'starts.seed', 0, 2 ** 32 - 1),
        domain: domain(),
      };
    case 'grid':
      return { kind: 'grid', perAxis: int(o.perAxis, 'starts.perAxis', 1, 1024), domain: domain() };
    case 'list':
      return {
        kind: 'list',
        points: arr(o.points, 'starts.points', MAX_LANES).map((p, i) =>
          arr(p, `starts.points[${i}]`, 64).map((x, c) => finite(x, `starts.points[${i}][${c}]`)),
        ),
      };
    default:
      return fail('starts.kind', "expected 'random', 'grid' or 'list'");
  }
}

function optimizer(v: unknown, i: number): OptimizerConfig {
  const o = obj(v, `optimizers[${i}]`);
  const id = str(o.id, `optimizers[${i}].id`, 64);
  const known = findOptimizer(id);
  if (known === undefined) fail(`optimizers[${i}].id`, `no optimizer '${id}'`);
  const params = obj(o.params ?? {}, `optimizers[${i}].params`);
  const clean: Record<string, number | string> = {};
  for (const [k, x] of Object.entries(params)) {
    const path = `optimizers[${i}].params.${k}`;
    const spec = known.params.find((p) => p.name === k);
    if (spec === undefined) fail(path, `${id} has no such hyperparameter`);
    const value = typeof x === 'string' ? str(x, path, 32) : finite(x, path);
    const why = rangeError(spec, value);
    if (why !== null) fail(path, why);
    clean[k] = value;
  }
  return { id, params: clean };
}

export function parseRunRequest(v: unknown): RunRequest {
  const o = obj(v, 'request');
  const backend = o.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'js' && backend !== 'wasm-simd')
    fail('backend', "expected 'auto', 'js' or 'wasm-simd'");
  const opts = arr(o.optimizers, 'optimizers', 64).map(optimizer);
  if (opts.length === 0) fail('optimizers', 'expected at least one optimizer');
  return {
    fn: parseFunctionSource(o.fn),
    optimizers: opts,
    starts: starts(o.starts),
    steps: int(o.steps, 'steps', 0, MAX_STEPS),
    targets: arr(o.targets ?? [], 'targets', 16).map((t, i) => finite(t, `targets[${i}]`)),
    stopAtTargets: o.stopAtTargets === undefined ? false : o.stopAtTargets === true,
    traces: o.traces === undefined ? undefined : int(o.traces, 'traces', 0, 1000),
    backend,
  };
}
