/**
 * The wasm-simd data kernel (kernel/dataTypes.ts): a module generated per data step program and target count
 * (dataCodegen.ts), compiled once and cached; each session instantiates it with its own memory, copies the
 * dataset and its row lists into it once, and its buffers are views into that memory, so slices run with no
 * copying. A lane count that is not a multiple of the lane group is padded with copies of the last lane, never
 * reported (as wasmBackend.ts does).
 */
import type { DataStepProgram } from '../../program/dataProgram';
import type { DataKernel, DataKernelSession, DataRows, DataShape, DataSliceRequest } from '../dataTypes';
import { firstRecordAtOrAfter } from '../types';
import { DEFAULT_DATA_PAIRS, generateDataModule, RUN_DATA_PARAMS, type DataRunParam } from './dataCodegen';

declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** A compiled data module and what a session needs to lay out its memory; `module` can be posted to a worker. */
export interface CompiledDataModule {
  readonly module: object;
  readonly heapBase: number;
  readonly laneGroup: number;
  readonly targetCount: number;
}

const sizesOf = (program: DataStepProgram) => ({
  dim: program.dim,
  stateSize: program.state.reduce((s, x) => s + x.inputs.length, 0),
  paramCount: program.params.length,
  metricCount: program.row.metrics.length,
});

/** `pairs` (lane pairs per group) is for tests and benchmarks. */
export function compileWasmData(
  program: DataStepProgram,
  pairs = DEFAULT_DATA_PAIRS,
): DataKernel & { moduleFor(targetCount: number): CompiledDataModule } {
  const cache = new Map<number, CompiledDataModule>();
  const moduleFor = (targetCount: number): CompiledDataModule => {
    let compiled = cache.get(targetCount);
    if (!compiled) {
      const { bytes, heapBase, laneGroup } = generateDataModule(program, targetCount, pairs);
      if (!WebAssembly.validate(bytes))
        throw new Error('internal error: the generated WebAssembly data module does not validate');
      compiled = { module: new WebAssembly.Module(bytes), heapBase, laneGroup, targetCount };
      cache.set(targetCount, compiled);
    }
    return compiled;
  };
  return {
    backend: 'wasm-simd',
    ...sizesOf(program),
    moduleFor,
    prepare: (shape, data) => prepareDataSession(moduleFor(shape.targetCount), program, shape, data),
  };
}

/** A data kernel over a module compiled elsewhere (the pool compiles once per job and posts it to its workers). */
export function wasmDataKernelFromModule(program: DataStepProgram, compiled: CompiledDataModule): DataKernel {
  return {
    backend: 'wasm-simd',
    ...sizesOf(program),
    prepare(shape, data) {
      if (shape.targetCount !== compiled.targetCount)
        throw new Error(`this module was built for ${compiled.targetCount} targets, not ${shape.targetCount}`);
      return prepareDataSession(compiled, program, shape, data);
    },
  };
}

function prepareDataSession(
  compiled: CompiledDataModule,
  program: DataStepProgram,
  shape: DataShape,
  data: DataRows,
): DataKernelSession {
  const { dim, stateSize, paramCount, metricCount } = sizesOf(program);
  const instance = new WebAssembly.Instance(compiled.module, {});
  const memory = instance.exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const run = instance.exports.run as (...args: number[]) => void;
  const { n, targetCount: T, recordCount: R, traceSlots, epochCount, startSlots, orderLength, noiseSteps } = shape;
  const stride = Math.ceil(n / compiled.laneGroup) * compiled.laneGroup;
  let top = compiled.heapBase;
  const place = (bytes: number) => {
    const at = top;
    top += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const f64Sizes = {
    values: data.values.length,
    theta: dim * stride,
    state: stateSize * stride,
    params: paramCount * stride,
    targets: T,
    finalF: stride,
    fRecord: R * stride,
    minibatch: R * stride,
    gradNorm2: R * stride,
    descent: R * stride,
    epochLoss: epochCount * stride,
    epochMetrics: epochCount * metricCount * stride,
    trace: traceSlots * R * (dim + 1),
    noise: startSlots * noiseSteps * dim,
  };
  const i32Sizes = {
    train: data.train.length,
    metricRows: data.metricRows.length,
    recordSteps: R,
    traceSlot: stride,
    laneStart: stride,
    stopStep: stride,
    divergedAt: stride,
    hits: T * stride,
    order: startSlots * orderLength,
  };
  const at = {} as Record<keyof typeof f64Sizes | keyof typeof i32Sizes, number>;
  for (const [k, count] of Object.entries(f64Sizes)) at[k as keyof typeof f64Sizes] = place(8 * count);
  for (const [k, count] of Object.entries(i32Sizes)) at[k as keyof typeof i32Sizes] = place(4 * count);
  const pages = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  const buf = memory.buffer;
  const f64 = (key: keyof typeof f64Sizes) => new Float64Array(buf, at[key], f64Sizes[key]);
  const i32 = (key: keyof typeof i32Sizes) => new Int32Array(buf, at[key], i32Sizes[key]);
  f64('values').set(data.values);
  i32('train').set(data.train);
  i32('metricRows').set(data.metricRows);
  const session: DataKernelSession = {
    batch: { n, stride, theta: f64('theta'), state: f64('state'), params: f64('params') },
    progress: {
      finalF: f64('finalF'),
      stopStep: i32('stopStep'),
      divergedAt: i32('divergedAt'),
      hits: i32('hits'),
      fRecord: f64('fRecord'),
      minibatch: f64('minibatch'),
      gradNorm2: f64('gradNorm2'),
      descent: f64('descent'),
      epochLoss: f64('epochLoss'),
      epochMetrics: f64('epochMetrics'),
      trace: f64('trace'),
    },
    targets: f64('targets'),
    recordSteps: i32('recordSteps'),
    traceSlot: i32('traceSlot'),
    laneStart: i32('laneStart'),
    order: i32('order'),
    noise: f64('noise'),
    run(slice: DataSliceRequest): void {
      if (stride !== n) mirrorLastLane(session, n);
      const values: Record<DataRunParam, number> = {
        ...at,
        n: stride,
        steps: slice.steps,
        fromStep: slice.fromStep,
        toStep: Math.min(slice.toStep, slice.steps + 1),
        firstRecord: firstRecordAtOrAfter(session.recordSteps, slice.fromStep),
        R,
        fStar: slice.fStar,
        stopAtTargets: slice.stopAtTargets ? 1 : 0,
        batch: slice.batch,
        epochSteps: slice.epochSteps,
        epochCount,
        orderLength,
        noiseSteps,
        noisy: slice.noisy ? 1 : 0,
        width: data.width,
        nTrain: data.train.length,
        nMetric: data.metricRows.length,
      };
      run(...RUN_DATA_PARAMS.map((p) => values[p]));
    },
  };
  return session;
}

/**
 * Pad lanes (up to a whole lane group) repeat the last lane — its start too, so they read the same rows and
 * stop with it — and never record into anyone else's place (their trace slots stay −1).
 */
function mirrorLastLane(s: DataKernelSession, n: number): void {
  const { stride } = s.batch;
  const copy = (a: Float64Array | Int32Array) => {
    const components = a.length / stride;
    for (let c = 0; c < components; c++) a.fill(a[c * stride + n - 1], c * stride + n, (c + 1) * stride);
  };
  for (const a of [s.batch.theta, s.batch.state, s.batch.params, s.progress.hits, s.laneStart]) copy(a);
  for (const a of [s.progress.stopStep, s.progress.divergedAt, s.progress.finalF]) copy(a);
  s.traceSlot.fill(-1, n);
}
