/**
 * The contract every backend implements: run a batch of lanes (trajectories) of one step program, each lane
 * with its own start, state and hyperparameters, in one fused loop per lane.
 *
 * Layout is structure-of-arrays (component-major: `theta[c * stride + lane]`) so that a SIMD backend loads two
 * neighbouring lanes with one f64x2 load.
 */
export interface LaneBatch {
  /** Number of lanes. */
  readonly n: number;
  /**
   * Lanes per component in every lane-indexed array (θ, state, params, hits, fRecord, prevTheta): element
   * (c, lane) is at c·stride + lane. At least n: a SIMD backend pads to a multiple of its width.
   */
  readonly stride: number;
  /** θ₀ in, final θ out: dim × stride. */
  readonly theta: Float64Array;
  /** Optimizer state in and out: (total state components) × stride, slots in program order. */
  readonly state: Float64Array;
  /** Numeric hyperparameters: params × stride, in the program's parameter order. */
  readonly params: Float64Array;
}

/** The sizes a kernel session is prepared for. */
export interface BatchShape {
  readonly n: number;
  readonly targetCount: number;
  /** Number of recorded steps. */
  readonly recordCount: number;
  /** Number of traced lanes. */
  readonly traceSlots: number;
}

/** One slice of a run: iterations k ∈ [fromStep, toStep) of every lane still running (toStep ≤ T + 1). */
export interface SliceRequest {
  /** Step budget T: at most T updates; f is tested at θ₀ … θ_T. */
  readonly steps: number;
  readonly fromStep: number;
  readonly toStep: number;
  /** f*, subtracted before the target test. */
  readonly fStar: number;
  /** Stop a lane once it has reached every target. */
  readonly stopAtTargets: boolean;
}

/**
 * Buffers for one batch, owned by the kernel (a WebAssembly kernel keeps them in its instance's memory, so
 * slices run without copying). The caller fills the inputs and `resetProgress`es, runs slices, then reads.
 */
export interface KernelSession {
  readonly batch: LaneBatch;
  readonly progress: LaneProgress;
  /** Targets τ, in any order. */
  readonly targets: Float64Array;
  /** Steps k (ascending, starting at 0) at which f is recorded for every lane. */
  readonly recordSteps: Int32Array;
  /** Per lane: −1, or the index of its trajectory record. */
  readonly traceSlot: Int32Array;
  run(slice: SliceRequest): void;
}

/**
 * Per-lane results, in and out: a slice resumes every lane whose `stopStep` is −1 and leaves it either
 * stopped (stopStep set) or paused at `toStep` with θ, state, hits and prevTheta up to date.
 */
export interface LaneProgress {
  /** f at the last iterate of each stopped lane. */
  readonly finalF: Float64Array;
  /** The step k at which each lane stopped (T, or earlier on divergence or when every target was reached); −1 while running. */
  readonly stopStep: Int32Array;
  /** Step of divergence, or −1. */
  readonly divergedAt: Int32Array;
  /** First k with f(θₖ) − f* ≤ τⱼ, or −1: targets × n. */
  readonly hits: Int32Array;
  /** f at `recordSteps` (NaN where the lane had stopped): recordSteps × n. */
  readonly fRecord: Float64Array;
  /** θ and f of traced lanes at `recordSteps` (NaN past the stop): slots × recordSteps × (dim + 1). */
  readonly trace: Float64Array;
  /** θ of the iterate before the current one, per lane (dim × n): for the 2-state orbit test. */
  readonly prevTheta: Float64Array;
}

/** Sets progress to "nothing run yet": every lane running, no hits, nothing recorded, prevTheta = θ₀. */
export function resetProgress(progress: LaneProgress, theta: Float64Array): void {
  progress.finalF.fill(NaN);
  progress.stopStep.fill(-1);
  progress.divergedAt.fill(-1);
  progress.hits.fill(-1);
  progress.fRecord.fill(NaN);
  progress.trace.fill(NaN);
  progress.prevTheta.set(theta);
}

/** Plain typed arrays for a session (the JS backend's buffers). */
export function allocateSessionBuffers(shape: BatchShape, dim: number, stateSize: number, paramCount: number) {
  const { n, targetCount, recordCount, traceSlots } = shape;
  return {
    batch: {
      n,
      stride: n,
      theta: new Float64Array(dim * n),
      state: new Float64Array(stateSize * n),
      params: new Float64Array(paramCount * n),
    },
    progress: {
      finalF: new Float64Array(n),
      stopStep: new Int32Array(n),
      divergedAt: new Int32Array(n),
      hits: new Int32Array(targetCount * n),
      fRecord: new Float64Array(recordCount * n),
      trace: new Float64Array(traceSlots * recordCount * (dim + 1)),
      prevTheta: new Float64Array(dim * n),
    },
    targets: new Float64Array(targetCount),
    recordSteps: new Int32Array(recordCount),
    traceSlot: new Int32Array(n),
  };
}

/** Index of the first recorded step ≥ k. */
export function firstRecordAtOrAfter(recordSteps: Int32Array, k: number): number {
  let lo = 0,
    hi = recordSteps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (recordSteps[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type Backend = 'js' | 'wasm-simd';
export type BackendChoice = Backend | 'auto';
/** The lanes' arithmetic: binary64 (the default), or binary32 with every operation rounded to float. */
export type Precision = 'f64' | 'f32';
export const PRECISIONS: readonly Precision[] = ['f64', 'f32'];
/** Each precision's smallest normal number, below which the step program holds decaying products at 0. */
export const SMALLEST_NORMAL: Readonly<Record<Precision, number>> = { f64: 2 ** -1022, f32: 2 ** -126 };

/** A step program compiled for one backend. Kernels are pure: no state is kept between calls. */
export interface Kernel {
  readonly backend: Backend;
  readonly precision: Precision;
  readonly dim: number;
  readonly stateSize: number;
  readonly paramCount: number;
  /** Buffers and a runner for a batch of this shape. */
  prepare(shape: BatchShape): KernelSession;
}

/** A divergence test: f or a coordinate non-finite, or |θᵢ| > 1e10 (CONVENTIONS.md). */
export const DIVERGENCE_BOUND = 1e10;
