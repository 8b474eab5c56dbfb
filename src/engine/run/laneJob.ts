/**
 * What the worker pool sends a worker: one optimizer's chunk of lanes, with the function as text (parsed again
 * on arrival; nothing is evaluated) and, for wasm-simd, the module compiled once by the pool. A worker checks
 * every field, like any receiver of a message.
 */
import type { Backend } from '../kernel/types';
import type { CompiledModule } from '../kernel/wasm/wasmBackend';
import type { OptimizerConfig } from '../optim/types';
import type { LaneWork } from './lanes';
import { parseFunctionSource, RequestError, type FunctionSource } from './request';
import { MAX_LANES, MAX_STEPS } from './runner';

export interface LaneJob {
  readonly fn: FunctionSource;
  readonly optimizer: OptimizerConfig;
  readonly work: LaneWork;
  readonly backend: Backend;
  /** The pool's compiled module (wasm-simd only). */
  readonly compiled?: CompiledModule;
}

const fail = (path: string, what: string): never => {
  throw new RequestError(`job.${path}: ${what}`);
};
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown, path: string): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'expected a finite number');
const int = (v: unknown, path: string, min: number, max: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
    ? v
    : fail(path, `expected an integer in ${min}…${max}`);

function numberRecord(v: unknown, path: string): Record<string, number> {
  if (!isObj(v)) return fail(path, 'expected an object of numbers');
  for (const [k, x] of Object.entries(v)) finite(x, `${path}.${k}`);
  return v as Record<string, number>;
}

export function parseLaneJob(v: unknown): LaneJob {
  if (!isObj(v)) return fail('', 'expected an object');
  const w = isObj(v.work) ? v.work : fail('work', 'expected an object');
  const starts =
    Array.isArray(w.starts) && w.starts.length > 0 && w.starts.length <= MAX_LANES
      ? w.starts
      : fail('work.starts', `expected 1…${MAX_LANES} points`);
  const dim = Array.isArray(starts[0]) ? starts[0].length : 0;
  starts.forEach((p: unknown, i: number) => {
    if (!Array.isArray(p) || p.length !== dim) fail(`work.starts[${i}]`, `expected ${dim} coordinates`);
    (p as unknown[]).forEach((x, c) => finite(x, `work.starts[${i}][${c}]`));
  });
  const laneParams =
    Array.isArray(w.laneParams) && w.laneParams.length === starts.length
      ? w.laneParams
      : fail('work.laneParams', 'expected one entry per lane');
  laneParams.forEach((p: unknown, i: number) => numberRecord(p, `work.laneParams[${i}]`));
  const steps = int(w.steps, 'work.steps', 0, MAX_STEPS);
  if (!(w.recordSteps instanceof Int32Array) || w.recordSteps.length > 1_000_000)
    fail('work.recordSteps', 'expected an Int32Array');
  const recordSteps = w.recordSteps as Int32Array;
  recordSteps.forEach((k, i) => {
    if (k < 0 || k > steps || (i > 0 && k <= recordSteps[i - 1]))
      fail('work.recordSteps', 'expected ascending steps in 0…steps');
  });
  if (!Array.isArray(w.targets) || w.targets.length > 16) fail('work.targets', 'expected at most 16 numbers');
  const o = isObj(v.optimizer) ? v.optimizer : fail('optimizer', 'expected an object');
  if (typeof o.id !== 'string' || o.id.length > 64) fail('optimizer.id', 'expected an optimizer id');
  if (!isObj(o.params)) fail('optimizer.params', 'expected an object');
  for (const [k, x] of Object.entries(o.params as object)) {
    if (typeof x !== 'string') finite(x, `optimizer.params.${k}`);
  }
  if (v.backend !== 'js' && v.backend !== 'wasm-simd') fail('backend', "expected 'js' or 'wasm-simd'");
  const compiled =
    v.compiled === undefined
      ? undefined
      : isObj(v.compiled)
        ? v.compiled
        : fail('compiled', 'expected a compiled module');
  return {
    fn: parseFunctionSource(v.fn),
    optimizer: { id: o.id as string, params: o.params as Record<string, number | string> },
    work: {
      starts: starts as number[][],
      laneParams: laneParams as Record<string, number>[],
      traceCount: int(w.traceCount, 'work.traceCount', 0, starts.length),
      steps,
      targets: (w.targets as unknown[]).map((t, i) => finite(t, `work.targets[${i}]`)),
      stopAtTargets: w.stopAtTargets === true,
      recordSteps,
      fStar: finite(w.fStar, 'work.fStar'),
    },
    backend: v.backend as Backend,
    compiled: compiled as CompiledModule | undefined,
  };
}
