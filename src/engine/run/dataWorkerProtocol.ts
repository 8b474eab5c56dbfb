/**
 * The data half of the worker protocol (workerProtocol.ts holds the messages): a chunk of data lanes — the
 * problem's source with its datasets (values in shared memory: every worker reads the pool's one copy), the
 * optimizer, the lanes' starts, stream indices and hyperparameters — and the chunk's raw output. `problemKey`
 * is the pool's number for the job's problem: a worker parses the `.cost` text once per key, not per chunk.
 */
import {
  arr,
  bool,
  count,
  int,
  invalid,
  isObj,
  literal,
  num,
  numOrStr,
  obj,
  record,
  str,
  typed,
  type Check,
} from '../../shared/check';
import type { Backend } from '../kernel/types';
import type { CompiledDataModule } from '../kernel/wasm/dataKernel';
import type { OptimizerConfig } from '../optim/types';
import type { DataLaneOutput, DataLaneWork } from './dataLanes';
import { problemSource, type ProblemSource } from './dataRequest';
import { MAX_LANES, MAX_STEPS } from './runner';

export interface DataLaneJob {
  readonly kind: 'data';
  readonly problemKey: number;
  readonly problem: ProblemSource;
  readonly optimizer: OptimizerConfig;
  readonly work: DataLaneWork;
  readonly backend: Backend;
  /** The pool's compiled data module (wasm-simd only). */
  readonly compiled?: CompiledDataModule;
}

/** Bounds of one chunk's arrays: lanes × parameters, recorded values. */
const MAX_THETA = 1 << 27;
const MAX_RECORDS = 1 << 26;
const MAX_TARGETS = 16;

const backend = literal<Backend>('js', 'wasm-simd');

const dataWork: Check<DataLaneWork> = (v, p) => {
  const w = obj<DataLaneWork>({
    theta0: typed(Float64Array, MAX_THETA),
    startIndex: typed(Int32Array, MAX_LANES),
    laneParams: arr(record(num(), 64), MAX_LANES, 1),
    seed: int(0, 0xffffffff),
    traceCount: count(MAX_LANES),
    steps: int(0, MAX_STEPS),
    targets: arr(num({ min: 0 }), MAX_TARGETS),
    stopAtTargets: bool,
    recordSteps: typed(Int32Array, MAX_RECORDS),
    fStar: num(),
    epochs: bool,
  })(v, p);
  const n = w.startIndex.length;
  if (w.laneParams.length !== n) invalid(`${p}.laneParams`, `expected one entry per lane (${n})`);
  if (w.theta0.length % n !== 0) invalid(`${p}.theta0`, `expected a multiple of the ${n} lanes`);
  if (w.traceCount > n) invalid(`${p}.traceCount`, `more traced lanes than the ${n} lanes`);
  if (w.startIndex.some((r) => r < 0)) invalid(`${p}.startIndex`, 'expected start indices ≥ 0');
  w.recordSteps.forEach((k, i) => {
    if (k < 0 || k > w.steps || (i > 0 && k <= w.recordSteps[i - 1]))
      invalid(`${p}.recordSteps`, 'expected ascending steps in 0…steps');
  });
  return w;
};

/** A module compiled by the pool (wasm-simd), for function and data jobs alike. */
export const compiledModule: Check<CompiledDataModule | undefined> = (v, p) =>
  v === undefined
    ? undefined
    : obj<CompiledDataModule>({
        module: (m, q) => (isObj(m) ? m : invalid(q, 'expected a compiled WebAssembly module')),
        heapBase: count(),
        laneGroup: int(1, 1024),
        targetCount: count(MAX_TARGETS),
      })(v, p);

export const dataLaneJob: Check<DataLaneJob> = obj<DataLaneJob>({
  kind: literal('data'),
  problemKey: count(),
  problem: problemSource,
  optimizer: obj<OptimizerConfig>({ id: str(64), params: record(numOrStr(), 64) }),
  work: dataWork,
  backend,
  compiled: compiledModule,
});

/** A chunk's output: typed arrays whose lengths follow from its lanes, parameters, metrics and epochs. */
export const dataLaneOutput: Check<DataLaneOutput> = (v, p) => {
  const f64 = typed(Float64Array, MAX_THETA);
  const i32 = typed(Int32Array, MAX_THETA);
  const o = obj<DataLaneOutput>({
    n: int(1, MAX_LANES),
    dim: int(1, MAX_THETA),
    metricCount: count(1024),
    epochCount: count(MAX_STEPS + 1),
    theta: f64,
    finalF: f64,
    stopStep: i32,
    divergedAt: i32,
    hits: i32,
    fRecord: f64,
    minibatch: f64,
    gradNorm2: f64,
    descent: f64,
    epochLoss: f64,
    epochMetrics: f64,
    trace: f64,
    seconds: num({ min: 0 }),
    laneSteps: num({ min: 0 }),
    backend,
  })(v, p);
  const lengths: [keyof DataLaneOutput, number][] = [
    ['theta', o.dim * o.n],
    ['finalF', o.n],
    ['stopStep', o.n],
    ['divergedAt', o.n],
    ['epochLoss', o.epochCount * o.n],
    ['epochMetrics', o.epochCount * o.metricCount * o.n],
    ['minibatch', o.fRecord.length],
    ['gradNorm2', o.fRecord.length],
    ['descent', o.fRecord.length],
  ];
  for (const [k, len] of lengths)
    if ((o[k] as ArrayLike<number>).length !== len) invalid(`${p}.${k}`, `expected ${len} values (n = ${o.n})`);
  for (const k of ['hits', 'fRecord'] as const)
    if (o[k].length % o.n !== 0) invalid(`${p}.${k}`, `expected a multiple of n = ${o.n} values`);
  return o;
};
