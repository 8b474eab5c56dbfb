/**
 * The worker protocol, in one module: what the pool sends a worker (one optimizer's chunk of lanes, with the
 * function as text, parsed again on arrival: nothing is evaluated; for wasm-simd, the module the pool compiled
 * once) and what the worker answers (progress, then exactly one result or error naming the request's id). Both
 * ends check every field with the shared toolkit, like any receiver of a message.
 */
import { MAX_VARIABLES } from '../expr/costParser';
import {
  arr,
  bool,
  count,
  invalid,
  int,
  isObj,
  literal,
  num,
  numOrStr,
  obj,
  record,
  str,
  typed,
  union,
  type Check,
} from '../../shared/check';
import type { Backend } from '../kernel/types';
import type { CompiledModule } from '../kernel/wasm/wasmBackend';
import type { OptimizerConfig } from '../optim/types';
import type { DataLaneOutput } from './dataLanes';
import { compiledModule, dataLaneJob, dataLaneOutput, type DataLaneJob } from './dataWorkerProtocol';
import type { LaneOutput, LaneWork } from './lanes';
import { checked, functionSource, type FunctionSource } from './request';
import { MAX_LANES, MAX_STEPS } from './runner';

export interface LaneJob {
  readonly fn: FunctionSource;
  readonly optimizer: OptimizerConfig;
  readonly work: LaneWork;
  readonly backend: Backend;
  /** The pool's compiled module (wasm-simd only). */
  readonly compiled?: CompiledModule;
}

/** Pool → worker: a chunk of a run or sweep's lanes, or of a data run's (dataWorkerProtocol.ts). */
export interface WorkerRequest {
  readonly id: number;
  readonly job: LaneJob | DataLaneJob;
}

/** Worker → pool: progress messages, then one result or error with the request's id (−1 when it had none). */
export type WorkerReply =
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number }
  | { readonly type: 'result'; readonly id: number; readonly output: LaneOutput }
  | { readonly type: 'dataResult'; readonly id: number; readonly output: DataLaneOutput }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly userError: boolean };

const MAX_RECORDS = 1_000_000;
/** Per lane: coordinates, targets and records are bounded by these (a chunk's arrays by their products). */
const MAX_DIM = MAX_VARIABLES;
const MAX_TARGETS = 16;

const backend = literal<Backend>('js', 'wasm-simd');

const work: Check<LaneWork> = (v, p) => {
  const w = obj<LaneWork>({
    starts: arr(arr(num(), MAX_DIM, 1), MAX_LANES, 1),
    laneParams: arr(record(num(), 64), MAX_LANES),
    traceCount: count(MAX_LANES),
    steps: int(0, MAX_STEPS),
    targets: arr(num(), MAX_TARGETS),
    stopAtTargets: (x) => x === true,
    recordSteps: typed(Int32Array, MAX_RECORDS),
    fStar: num(),
  })(v, p);
  const dim = w.starts[0].length;
  w.starts.forEach((s, i) => {
    if (s.length !== dim) invalid(`${p}.starts[${i}]`, `expected ${dim} coordinates`);
  });
  if (w.laneParams.length !== w.starts.length) invalid(`${p}.laneParams`, 'expected one entry per lane');
  if (w.traceCount > w.starts.length) invalid(`${p}.traceCount`, `more traced lanes than the ${w.starts.length} lanes`);
  w.recordSteps.forEach((k, i) => {
    if (k < 0 || k > w.steps || (i > 0 && k <= w.recordSteps[i - 1]))
      invalid(`${p}.recordSteps`, 'expected ascending steps in 0…steps');
  });
  return w;
};

const laneJob = obj<LaneJob>({
  fn: functionSource,
  optimizer: obj<OptimizerConfig>({ id: str(64), params: record(numOrStr(), 64) }),
  work,
  backend,
  compiled: compiledModule,
});

/** A lane job as the worker receives it; throws a RequestError naming the bad field. */
export const parseLaneJob = (v: unknown): LaneJob => checked(laneJob, v, 'job');

/** What the pool posts; a RequestError names the bad field. */
export const parseWorkerRequest = (v: unknown): WorkerRequest =>
  checked(
    obj<WorkerRequest>({
      id: count(),
      job: (j, p) => (isObj(j) && j.kind === 'data' ? dataLaneJob(j, p) : laneJob(j, p)),
    }),
    v,
    'request',
  );

/** The id a request carries, for an error reply to one that failed its check (−1 when there is none). */
export const requestId = (v: unknown): number =>
  isObj(v) && typeof v.id === 'number' && Number.isInteger(v.id) && v.id >= 0 ? v.id : -1;

/** A chunk's output: typed arrays whose lengths follow from its lanes (n), coordinates (dim) and records. */
const laneOutput: Check<LaneOutput> = (v, p) => {
  const f64 = typed(Float64Array, MAX_LANES * MAX_RECORDS);
  const i32 = typed(Int32Array, MAX_LANES * MAX_RECORDS);
  const o = obj<LaneOutput>({
    n: int(1, MAX_LANES),
    dim: int(1, MAX_DIM),
    theta: f64,
    prevTheta: f64,
    finalF: f64,
    stopStep: i32,
    divergedAt: i32,
    hits: i32,
    fRecord: f64,
    trace: f64,
    seconds: num({ min: 0 }),
    laneSteps: num({ min: 0 }),
    backend,
  })(v, p);
  const lengths: [keyof LaneOutput, number][] = [
    ['theta', o.dim * o.n],
    ['prevTheta', o.dim * o.n],
    ['finalF', o.n],
    ['stopStep', o.n],
    ['divergedAt', o.n],
  ];
  for (const [k, len] of lengths)
    if ((o[k] as ArrayLike<number>).length !== len) invalid(`${p}.${k}`, `expected ${len} values (n = ${o.n})`);
  for (const k of ['hits', 'fRecord'] as const)
    if (o[k].length % o.n !== 0) invalid(`${p}.${k}`, `expected a multiple of n = ${o.n} values`);
  return o;
};

const workerReply = union<WorkerReply>('type', {
  progress: obj({ type: literal('progress'), id: count(), fraction: num({ min: 0, max: 1 }) }),
  result: obj({ type: literal('result'), id: count(), output: laneOutput }),
  dataResult: obj({ type: literal('dataResult'), id: count(), output: dataLaneOutput }),
  error: obj({ type: literal('error'), id: int(-1, Number.MAX_SAFE_INTEGER), message: str(100_000), userError: bool }),
});

/** A worker's reply as the pool receives it; throws a CheckError naming the bad field (a bug in the worker). */
export const parseWorkerReply = (v: unknown): WorkerReply => workerReply(v, 'reply');
