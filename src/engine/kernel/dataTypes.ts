/**
 * The contract of a data kernel: run a batch of lanes of one data step program (program/dataProgram.ts says
 * what a step computes), each lane one training run with its own θ, state and hyperparameters, all lanes
 * reading one dataset. The layout follows kernel/types.ts (component-major, `x[c·stride + lane]`); every
 * lane-indexed array of a session is a whole number of rows of `stride`.
 *
 * What the caller (run/dataLanes.ts) fills, and when:
 *   prepare(shape, data)   the dataset's values (row-major, `width` columns), the training and metric rows
 *                          (dataset rows, split order): copied once into the kernel's memory, shared by all lanes
 *   batch, laneStart       per lane θ₀, initial state, hyperparameters, and its start slot s (0 … starts − 1)
 *   order                  before a slice: per start slot, the row order of the epoch the slice's updates are in
 *                          (`orderLength` dataset rows; batch b is order[b·B … min((b+1)·B, orderLength) − 1])
 *   noise                  before a slice, with noise: per start slot, σ·z for the slice's steps, step-major:
 *                          noise[(s·noiseSteps + (k − fromStep))·dim + i], added to gB,ᵢ of update k
 * A slice's updates all lie in one epoch unless the order is the same for every epoch (`@shuffle none|once`),
 * and with noise it has at most `noiseSteps` steps; the caller cuts slices so.
 */
import type { Backend, LaneBatch } from './types';

export interface DataShape {
  readonly n: number;
  readonly targetCount: number;
  readonly recordCount: number;
  readonly traceSlots: number;
  /** Epoch records per lane (epochs 0 … epochCount − 1); 0 for a cost function, which has no epochs. */
  readonly epochCount: number;
  /** Distinct starts among the lanes: rows of `order` and `noise`. */
  readonly startSlots: number;
  /** Rows per start in `order`. */
  readonly orderLength: number;
  /** Steps per start in `noise`; 0 without noise. */
  readonly noiseSteps: number;
}

/** The rows every lane of a batch reads. */
export interface DataRows {
  /** rows × width, row-major. */
  readonly values: Float64Array;
  readonly width: number;
  /** Training rows (dataset rows, split order): F is their mean loss. */
  readonly train: Int32Array;
  /** The rows metrics average over: the test split, or the training split when it is empty. */
  readonly metricRows: Int32Array;
}

export interface DataSliceRequest {
  /** Step budget T. */
  readonly steps: number;
  readonly fromStep: number;
  /** At most T + 1. */
  readonly toStep: number;
  readonly fStar: number;
  readonly stopAtTargets: boolean;
  /** Rows per batch B. */
  readonly batch: number;
  /** Updates per epoch, nb = ceil(n_train / B) (1 for a cost function). */
  readonly epochSteps: number;
  /** Whether `noise` holds σ·z for steps [fromStep, toStep). */
  readonly noisy: boolean;
}

/** Per-lane results, in and out, like LaneProgress (kernel/types.ts) plus what data runs record. */
export interface DataLaneProgress {
  /** F at the last iterate of each stopped lane. */
  readonly finalF: Float64Array;
  readonly stopStep: Int32Array;
  readonly divergedAt: Int32Array;
  /** targets × n. */
  readonly hits: Int32Array;
  /** F(θₖ) at recorded steps, recordSteps × n (NaN past a lane's stop). */
  readonly fRecord: Float64Array;
  /** fB of update k at recorded steps k, recordSteps × n (NaN at k = T and past the stop). */
  readonly minibatch: Float64Array;
  /** ‖gB‖² of update k at recorded steps, recordSteps × n. */
  readonly gradNorm2: Float64Array;
  /** −⟨θₖ₊₁ − θₖ, gB⟩ of update k at recorded steps, recordSteps × n. */
  readonly descent: Float64Array;
  /** F at epoch ends, epochCount × n. */
  readonly epochLoss: Float64Array;
  /** Each metric at epoch ends, (epochCount × metrics) × n: row e·M + m. */
  readonly epochMetrics: Float64Array;
  /** θ and F of traced lanes at recorded steps: slots × recordSteps × (dim + 1). */
  readonly trace: Float64Array;
}

export interface DataKernelSession {
  readonly batch: LaneBatch;
  readonly progress: DataLaneProgress;
  readonly targets: Float64Array;
  readonly recordSteps: Int32Array;
  readonly traceSlot: Int32Array;
  /** Per lane, its start slot. */
  readonly laneStart: Int32Array;
  /** startSlots × orderLength dataset rows. */
  readonly order: Int32Array;
  /** startSlots × noiseSteps × dim. */
  readonly noise: Float64Array;
  run(slice: DataSliceRequest): void;
}

/** A data step program compiled for one backend. */
export interface DataKernel {
  readonly backend: Backend;
  readonly dim: number;
  readonly stateSize: number;
  readonly paramCount: number;
  readonly metricCount: number;
  prepare(shape: DataShape, data: DataRows): DataKernelSession;
}

/** Sets progress to "nothing run yet". */
export function resetDataProgress(progress: DataLaneProgress): void {
  progress.finalF.fill(NaN);
  progress.stopStep.fill(-1);
  progress.divergedAt.fill(-1);
  progress.hits.fill(-1);
  for (const a of [progress.fRecord, progress.minibatch, progress.gradNorm2, progress.descent]) a.fill(NaN);
  progress.epochLoss.fill(NaN);
  progress.epochMetrics.fill(NaN);
  progress.trace.fill(NaN);
}

/** Plain typed arrays for a session (the JS backend's buffers). */
export function allocateDataBuffers(
  shape: DataShape,
  sizes: {
    readonly dim: number;
    readonly stateSize: number;
    readonly paramCount: number;
    readonly metricCount: number;
  },
) {
  const { n, targetCount, recordCount, traceSlots, epochCount } = shape;
  const { dim, stateSize, paramCount, metricCount } = sizes;
  const records = () => new Float64Array(recordCount * n);
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
      fRecord: records(),
      minibatch: records(),
      gradNorm2: records(),
      descent: records(),
      epochLoss: new Float64Array(epochCount * n),
      epochMetrics: new Float64Array(epochCount * metricCount * n),
      trace: new Float64Array(traceSlots * recordCount * (dim + 1)),
    },
    targets: new Float64Array(targetCount),
    recordSteps: new Int32Array(recordCount),
    traceSlot: new Int32Array(n),
    laneStart: new Int32Array(n),
    order: new Int32Array(shape.startSlots * shape.orderLength),
    noise: new Float64Array(shape.startSlots * shape.noiseSteps * dim),
  };
}
