/**
 * One batch of lanes through a kernel, and its raw result as plain data: compact (n lanes, component-major
 * with stride n) so that it can cross a thread boundary and chunks of one run can be merged before the
 * statistics over all lanes are taken.
 */
import { compileKernel } from '../kernel/compile';
import {
  resetProgress,
  type Backend,
  type BackendChoice,
  type Kernel,
  type LaneBatch,
  type LaneProgress,
} from '../kernel/types';
import { rangeError } from '../optim/params';
import { initialState, type StepProgram } from '../program/stepProgram';
import { compactLanes, concatenate, joinLanes } from './laneArrays';

export interface LaneWork {
  readonly starts: readonly (readonly number[])[];
  /** Numeric hyperparameters per lane (a sweep gives every lane its own). */
  readonly laneParams: readonly Readonly<Record<string, number>>[];
  /** The first `traceCount` lanes of this batch are traced. */
  readonly traceCount: number;
  readonly steps: number;
  readonly targets: readonly number[];
  readonly stopAtTargets: boolean;
  readonly recordSteps: Int32Array;
  readonly fStar: number;
}

/** The lanes' results (LaneProgress, compacted to stride n), their final θ, and the time it took. */
export interface LaneOutput extends LaneProgress {
  readonly n: number;
  readonly dim: number;
  readonly theta: Float64Array;
  readonly seconds: number;
  readonly laneSteps: number;
  readonly backend: Backend;
}

export interface LaneHooks {
  /** Fraction of this batch done, between slices. */
  readonly onProgress?: (fraction: number) => void;
  /** Checked between slices. */
  readonly cancelled?: () => boolean;
}

export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
  }
}

/** Wall time a kernel slice aims at: short enough for prompt progress and cancellation, long enough to be cheap. */
export const SLICE_MS = 25;

declare const performance: { now(): number };

/** Each lane's initial optimizer state and hyperparameters into a kernel's batch, every value range-checked. */
export function fillLaneInputs(
  program: Pick<StepProgram, 'state' | 'params' | 'optimizer'>,
  laneParams: readonly Readonly<Record<string, number>>[],
  batch: LaneBatch,
): void {
  const { state, params, stride } = batch;
  laneParams.forEach((values, lane) => {
    initialState(program, values)
      .flat()
      .forEach((v, c) => {
        state[c * stride + lane] = v;
      });
    program.params.forEach(({ spec }, i) => {
      // Every lane is checked here, where values enter a kernel, whichever way they came (sweep cells, the pool).
      const v = values[spec.name];
      const why = rangeError(spec, v);
      if (why !== null) throw new RangeError(`lane ${lane}: ${program.optimizer.id}: ${why}`);
      params[i * stride + lane] = v;
    });
  });
}

export function executeLanes(kernel: Kernel, program: StepProgram, work: LaneWork, hooks: LaneHooks = {}): LaneOutput {
  const n = work.starts.length;
  const dim = program.dim;
  const R = work.recordSteps.length;
  const T = work.targets.length;
  const session = kernel.prepare({ n, targetCount: T, recordCount: R, traceSlots: work.traceCount });
  const { theta, stride } = session.batch;
  work.starts.forEach((p, lane) => {
    p.forEach((v, c) => {
      theta[c * stride + lane] = v;
    });
  });
  fillLaneInputs(program, work.laneParams, session.batch);
  session.traceSlot.forEach((_, lane) => {
    session.traceSlot[lane] = lane < work.traceCount ? lane : -1;
  });
  session.recordSteps.set(work.recordSteps);
  session.targets.set(work.targets);
  const progress = session.progress;
  resetProgress(progress, theta);
  const slice = { steps: work.steps, fStar: work.fStar, stopAtTargets: work.stopAtTargets };
  const t0 = performance.now();
  for (let from = 0, size = 8; from <= work.steps;) {
    if (hooks.cancelled?.()) throw new RunCancelled();
    const to = Math.min(from + size, work.steps + 1);
    const s0 = performance.now();
    session.run({ ...slice, fromStep: from, toStep: to });
    const ms = performance.now() - s0;
    from = to;
    hooks.onProgress?.(Math.min(1, from / (work.steps + 1)));
    if (progress.stopStep.every((k) => k >= 0)) break;
    size = Math.max(1, Math.min(size * 4, Math.round((size * SLICE_MS) / Math.max(ms, 0.01))));
  }
  const seconds = (performance.now() - t0) / 1000;
  const compact = <A extends Float64Array | Int32Array>(a: A, components: number) =>
    compactLanes(a, components, stride, n);
  const stopStep = compact(progress.stopStep, 1);
  return {
    n,
    dim,
    theta: compact(theta, dim),
    prevTheta: compact(progress.prevTheta, dim),
    finalF: compact(progress.finalF, 1),
    stopStep,
    divergedAt: compact(progress.divergedAt, 1),
    hits: compact(progress.hits, T),
    fRecord: compact(progress.fRecord, R),
    trace: progress.trace.slice(),
    seconds,
    laneSteps: stopStep.reduce((s, k) => s + k + 1, 0),
    backend: kernel.backend,
  };
}

/** Outputs of consecutive lane chunks of one batch, joined in order. Time is the sum: the work done. */
export function mergeOutputs(parts: readonly LaneOutput[]): LaneOutput {
  if (parts.length === 1) return parts[0];
  const lanes = parts.map((p) => p.n);
  const join = <A extends Float64Array | Int32Array>(pick: (p: LaneOutput) => A): A =>
    joinLanes(parts.map(pick), lanes);
  return {
    n: lanes.reduce((s, k) => s + k, 0),
    dim: parts[0].dim,
    theta: join((p) => p.theta),
    prevTheta: join((p) => p.prevTheta),
    finalF: join((p) => p.finalF),
    stopStep: join((p) => p.stopStep),
    divergedAt: join((p) => p.divergedAt),
    hits: join((p) => p.hits),
    fRecord: join((p) => p.fRecord),
    trace: concatenate(parts.map((p) => p.trace)),
    seconds: parts.reduce((s, p) => s + p.seconds, 0),
    laneSteps: parts.reduce((s, p) => s + p.laneSteps, 0),
    backend: parts[0].backend,
  };
}

/** Each program's lanes on this thread, one after the other (the CLI and tests; the extension uses the pool). */
export function executeHere(
  batches: readonly { readonly program: StepProgram; readonly work: LaneWork }[],
  backend: BackendChoice | undefined,
  hooks: LaneHooks = {},
): LaneOutput[] {
  return batches.map((b, i) =>
    executeLanes(compileKernel(b.program, backend), b.program, b.work, {
      cancelled: hooks.cancelled,
      onProgress: hooks.onProgress && ((f: number) => hooks.onProgress!((i + f) / batches.length)),
    }),
  );
}
