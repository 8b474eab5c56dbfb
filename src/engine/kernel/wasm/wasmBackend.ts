/**
 * The wasm-simd backend: a module generated per step program (and target count), compiled once and cached;
 * each session instantiates it with its own memory, and the session's buffers are views into that memory, so
 * slices run with no copying. A lane count that is not a multiple of the lane group is padded with copies of
 * the last lane, never reported.
 */
import type { StepProgram } from '../../program/stepProgram';
import { laneUniform, stepSchedule } from '../../program/stepSchedule';
import {
  firstRecordAtOrAfter,
  type BatchShape,
  type Kernel,
  type KernelSession,
  type Precision,
  type SliceRequest,
} from '../types';
import { BLOCK_ENTRY } from './blockedLayout';
import { planBlocks } from './blockPlan';
import { generateModule } from './codegen';
import { floatThresholds, generateModule32 } from './kernel32';
import type { KernelShape } from './kernelPlan';
import { kernelShape } from './loopShape';

declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** A compiled module and what a session needs to lay out its memory; `module` can be posted to a worker. */
export interface CompiledModule {
  readonly module: object;
  readonly heapBase: number;
  readonly laneGroup: number;
  /** Lane pairs per block of the blocked layout, 0 in the others. */
  readonly blockPairs: number;
  readonly targetCount: number;
  readonly precision: Precision;
}

/** A tiny module using one SIMD instruction: validates only where SIMD is supported. */
const SIMD_PROBE = Uint8Array.of(
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  10,
  1,
  8,
  0,
  65,
  0,
  253,
  15,
  253,
  98,
  11,
);

let simdSupport: boolean | undefined;
export function simdSupported(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport;
}

/**
 * The loop shape is this machine's (loopShape.ts) unless given (tests and benchmarks); a program too big for it
 * takes the wide layout. In binary32 (kernel32.ts) the kernel has the locals layout, a shape's `pairs` then being
 * its quads of lanes per loop (chosen by the program's size when not given).
 */
export function compileWasm(
  program: StepProgram,
  shape?: KernelShape,
  precision: Precision = 'f64',
): Kernel & { moduleFor(targetCount: number): CompiledModule } {
  const stateSize = stateSizeOf(program);
  const paramCount = program.params.length;
  const dim = program.dim;
  const cache = new Map<number, CompiledModule>();
  const moduleFor = (targetCount: number): CompiledModule => {
    let compiled = cache.get(targetCount);
    if (!compiled) {
      const { bytes, heapBase, laneGroup, blockPairs } =
        precision === 'f32'
          ? generateModule32(program, targetCount, shape?.pairs)
          : generateModule(program, targetCount, shape ?? kernelShape(program));
      if (!WebAssembly.validate(bytes))
        throw new Error('internal error: the generated WebAssembly module does not validate');
      compiled = { module: new WebAssembly.Module(bytes), heapBase, laneGroup, blockPairs, targetCount, precision };
      cache.set(targetCount, compiled);
    }
    return compiled;
  };
  return {
    backend: 'wasm-simd',
    precision,
    dim,
    stateSize,
    paramCount,
    moduleFor,
    prepare: (shape: BatchShape) => prepareSession(moduleFor(shape.targetCount), program, shape),
  };
}

/** A kernel over a module compiled elsewhere (the worker pool compiles once and posts the module to workers). */
export function wasmKernelFromModule(program: StepProgram, compiled: CompiledModule): Kernel {
  return {
    backend: 'wasm-simd',
    precision: compiled.precision,
    dim: program.dim,
    stateSize: stateSizeOf(program),
    paramCount: program.params.length,
    prepare(shape: BatchShape): KernelSession {
      if (shape.targetCount !== compiled.targetCount)
        throw new Error(`this module was built for ${compiled.targetCount} targets, not ${shape.targetCount}`);
      return prepareSession(compiled, program, shape);
    },
  };
}

const stateSizeOf = (program: StepProgram) => program.state.reduce((s, x) => s + x.inputs.length, 0);

/** An instance with its own memory, and views of the session's buffers inside it. */
function prepareSession(compiled: CompiledModule, program: StepProgram, shape: BatchShape): KernelSession {
  const dim = program.dim;
  const stateSize = stateSizeOf(program);
  const paramCount = program.params.length;
  const instance = new WebAssembly.Instance(compiled.module, {});
  const memory = instance.exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const run = instance.exports.run as (...args: number[]) => void;
  const n = shape.n;
  const stride = Math.ceil(n / compiled.laneGroup) * compiled.laneGroup;
  // Every array 16-byte aligned; lane-indexed arrays have `stride` lanes per component.
  let top = compiled.heapBase;
  const place = (bytes: number) => {
    const at = top;
    top += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const R = shape.recordCount;
  const T = shape.targetCount;
  const addr: Addresses = {
    theta: place(dim * stride * 8),
    state: place(stateSize * stride * 8),
    params: place(paramCount * stride * 8),
    targets: place(T * 8),
    thresholds: place(T * 4),
    recordSteps: place(R * 4),
    traceSlot: place(stride * 4),
    finalF: place(stride * 8),
    stopStep: place(stride * 4),
    divergedAt: place(stride * 4),
    hits: place(T * stride * 4),
    fRecord: place(R * stride * 8),
    trace: place(shape.traceSlots * R * (dim + 1) * 8),
    prevTheta: place(dim * stride * 8),
    blocks: place(compiled.blockPairs > 0 ? (BLOCK_ENTRY * 4 * stride) / compiled.laneGroup : 0),
  };
  const pages = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  const buf = memory.buffer;
  const f64 = (at: number, len: number) => new Float64Array(buf, at, len);
  const i32 = (at: number, len: number) => new Int32Array(buf, at, len);
  const blocks = compiled.blockPairs > 0 ? blockLanes(program, compiled, stride, addr, i32) : undefined;
  const thresholds = new Float32Array(buf, addr.thresholds, T);
  const blockTable = i32(addr.blocks, blocks ? (BLOCK_ENTRY * stride) / compiled.laneGroup : 0);
  const session: KernelSession = {
    batch: {
      n,
      stride,
      theta: f64(addr.theta, dim * stride),
      state: f64(addr.state, stateSize * stride),
      params: f64(addr.params, paramCount * stride),
    },
    progress: {
      finalF: f64(addr.finalF, stride),
      stopStep: i32(addr.stopStep, stride),
      divergedAt: i32(addr.divergedAt, stride),
      hits: i32(addr.hits, T * stride),
      fRecord: f64(addr.fRecord, R * stride),
      trace: f64(addr.trace, shape.traceSlots * R * (dim + 1)),
      prevTheta: f64(addr.prevTheta, dim * stride),
    },
    targets: f64(addr.targets, T),
    recordSteps: i32(addr.recordSteps, R),
    traceSlot: i32(addr.traceSlot, stride),
    run(slice: SliceRequest): void {
      if (stride !== n) mirrorLastLane(session, n, dim, stateSize, paramCount, T);
      const blockCount = blocks ? planBlocks(blocks, blockTable) : 0;
      // the f32 kernel compares float f with float thresholds, exactly the binary64 test f − f* ≤ τ (kernel32.ts)
      if (compiled.precision === 'f32') floatThresholds(session.targets, slice.fStar, thresholds);
      run(
        stride,
        slice.steps,
        slice.fromStep,
        Math.min(slice.toStep, slice.steps + 1),
        firstRecordAtOrAfter(session.recordSteps, slice.fromStep),
        R,
        slice.fStar,
        slice.stopAtTargets ? 1 : 0,
        addr.theta,
        addr.state,
        addr.params,
        compiled.precision === 'f32' ? addr.thresholds : addr.targets,
        addr.recordSteps,
        addr.traceSlot,
        addr.finalF,
        addr.stopStep,
        addr.divergedAt,
        addr.hits,
        addr.fRecord,
        addr.trace,
        addr.prevTheta,
        addr.blocks,
        blockCount,
      );
    },
  };
  return session;
}

type Addresses = Record<
  | 'theta'
  | 'state'
  | 'params'
  | 'targets'
  | 'thresholds'
  | 'recordSteps'
  | 'traceSlot'
  | 'finalF'
  | 'stopStep'
  | 'divergedAt'
  | 'hits'
  | 'fRecord'
  | 'trace'
  | 'prevTheta'
  | 'blocks',
  number
>;

/** What the block planner reads of a session: stop steps, and the hyperparameters and uniform states as words. */
function blockLanes(
  program: StepProgram,
  compiled: CompiledModule,
  stride: number,
  addr: Addresses,
  i32: (at: number, len: number) => Int32Array,
) {
  const { states } = laneUniform(program, stepSchedule(program));
  const stateIndex = program.state.flatMap((s) => s.inputs);
  const component = (at: number) => i32(at, 2 * stride);
  return {
    groupLanes: compiled.laneGroup,
    blockGroups: (2 * compiled.blockPairs) / compiled.laneGroup,
    stopStep: i32(addr.stopStep, stride),
    shared: [
      ...program.params.map((_, c) => component(addr.params + 8 * c * stride)),
      ...states.map((id) => component(addr.state + 8 * stateIndex.indexOf(id) * stride)),
    ],
  };
}

/**
 * Pad lanes (up to a whole lane group) repeat the last lane, so they compute the same values, stop with it,
 * and never record into anyone else's place (their trace slots stay −1).
 */
function mirrorLastLane(
  s: KernelSession,
  n: number,
  dim: number,
  stateSize: number,
  paramCount: number,
  targetCount: number,
): void {
  const { stride } = s.batch;
  const copy = (a: Float64Array | Int32Array, components: number) => {
    for (let c = 0; c < components; c++) a.fill(a[c * stride + n - 1], c * stride + n, (c + 1) * stride);
  };
  copy(s.batch.theta, dim);
  copy(s.batch.state, stateSize);
  copy(s.batch.params, paramCount);
  copy(s.progress.prevTheta, dim);
  copy(s.progress.hits, targetCount);
  copy(s.progress.stopStep, 1);
  copy(s.progress.divergedAt, 1);
  copy(s.progress.finalF, 1);
  s.traceSlot.fill(-1, n);
}
