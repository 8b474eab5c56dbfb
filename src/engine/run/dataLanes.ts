/**
 * One batch of data lanes through a data kernel (kernel/dataTypes.ts), and its raw result as plain data. The
 * random streams come from src/engine/data here, per start and never per lane, so every configuration at start
 * r sees the same batches and noise: before each slice, each start's row order for the slice's epoch
 * (epochOrder, mapped through the split to dataset rows) and, with noise, σ·z for the slice's steps.
 * Slices cut at epoch boundaries when the order changes with the epoch, and last about SLICE_MS otherwise.
 */
import { epochOrder, gradientNoise } from '../data';
import { compileDataKernel } from '../kernel/compile';
import { resetDataProgress, type DataKernel, type DataLaneProgress } from '../kernel/dataTypes';
import type { Backend, BackendChoice } from '../kernel/types';
import type { DataStepProgram } from '../program/dataProgram';
import { epochSteps, orderLength, type DataProblem } from './dataProblem';
import { compactLanes, concatenate, joinLanes } from './laneArrays';
import { fillLaneInputs, RunCancelled, SLICE_MS, type LaneHooks } from './lanes';

export interface DataLaneWork {
  /** θ₀ of every lane, lane after lane (n × P). */
  readonly theta0: Float64Array;
  /** Each lane's start r: the index of its data-order and noise streams. */
  readonly startIndex: Int32Array;
  /** Numeric hyperparameters per lane. */
  readonly laneParams: readonly Readonly<Record<string, number>>[];
  /** The run's seed (DATA-CONVENTIONS "Random numbers"). */
  readonly seed: number;
  /** The first `traceCount` lanes are traced. */
  readonly traceCount: number;
  readonly steps: number;
  readonly targets: readonly number[];
  readonly stopAtTargets: boolean;
  readonly recordSteps: Int32Array;
  readonly fStar: number;
  /** Whether epoch ends are recorded (models; a cost function has no epochs). */
  readonly epochs: boolean;
}

/** The lanes' results, compacted to stride n, their final θ and the time it took. */
export interface DataLaneOutput extends DataLaneProgress {
  readonly n: number;
  readonly dim: number;
  readonly metricCount: number;
  readonly epochCount: number;
  readonly theta: Float64Array;
  readonly seconds: number;
  readonly laneSteps: number;
  readonly backend: Backend;
}

/** Doubles of σ·z a slice may buffer (8 MB): bounds the slice length for large models and many starts. */
const MAX_NOISE_VALUES = 1 << 20;

declare const performance: { now(): number };

export function executeDataLanes(
  kernel: DataKernel,
  program: DataStepProgram,
  problem: DataProblem,
  work: DataLaneWork,
  hooks: LaneHooks = {},
): DataLaneOutput {
  const n = work.startIndex.length;
  const P = program.dim;
  const starts = [...new Set(work.startIndex)].sort((a, b) => a - b);
  const slotOf = new Map(starts.map((r, s) => [r, s]));
  const nb = epochSteps(problem);
  const L = orderLength(problem);
  const perEpoch = problem.shuffle === 'epoch' || problem.shuffle === 'replace';
  const noisy = problem.noise > 0;
  const noiseSteps = noisy
    ? Math.max(1, Math.min(work.steps + 1, Math.floor(MAX_NOISE_VALUES / (starts.length * P))))
    : 0;
  const epochCount = work.epochs ? Math.floor(work.steps / nb) + 1 : 0;
  const R = work.recordSteps.length;
  const session = kernel.prepare(
    {
      n,
      targetCount: work.targets.length,
      recordCount: R,
      traceSlots: work.traceCount,
      epochCount,
      startSlots: starts.length,
      orderLength: L,
      noiseSteps,
    },
    problem.rows,
  );
  const { theta, stride } = session.batch;
  for (let lane = 0; lane < n; lane++) {
    for (let c = 0; c < P; c++) theta[c * stride + lane] = work.theta0[lane * P + c];
    session.laneStart[lane] = slotOf.get(work.startIndex[lane])!;
    session.traceSlot[lane] = lane < work.traceCount ? lane : -1;
  }
  fillLaneInputs(program, work.laneParams, session.batch);
  session.recordSteps.set(work.recordSteps);
  session.targets.set(work.targets);
  const progress = session.progress;
  resetDataProgress(progress);
  const plan = { rows: problem.trainRows, batch: problem.batch, shuffle: problem.shuffle };
  const slice = {
    steps: work.steps,
    fStar: work.fStar,
    stopAtTargets: work.stopAtTargets,
    batch: problem.batch,
    epochSteps: nb,
    noisy,
  };
  const t0 = performance.now();
  let orderEpoch = -1;
  for (let from = 0, size = 8; from <= work.steps;) {
    if (hooks.cancelled?.()) throw new RunCancelled();
    const epoch = Math.floor(from / nb);
    if (orderEpoch < 0 || (perEpoch && epoch !== orderEpoch)) {
      starts.forEach((r, s) => {
        const perm = epochOrder(work.seed, r, epoch, plan);
        for (let i = 0; i < L; i++) session.order[s * L + i] = problem.rows.train[perm[i]];
      });
      orderEpoch = epoch;
    }
    let to = Math.min(from + size, work.steps + 1);
    if (perEpoch) to = Math.min(to, (epoch + 1) * nb);
    if (noisy) {
      to = Math.min(to, from + noiseSteps);
      starts.forEach((r, s) => {
        const z = gradientNoise(work.seed, r, from, to - from, P);
        for (let i = 0; i < z.length; i++) session.noise[s * noiseSteps * P + i] = problem.noise * z[i];
      });
    }
    const s0 = performance.now();
    session.run({ ...slice, fromStep: from, toStep: to });
    const ms = performance.now() - s0;
    hooks.onProgress?.(Math.min(1, to / (work.steps + 1)));
    size = Math.max(1, Math.min(size * 4, Math.round(((to - from) * SLICE_MS) / Math.max(ms, 0.01))));
    from = to;
    if (progress.stopStep.every((k) => k >= 0)) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  // Every lane-indexed array of a session is whole rows of `stride` (kernel/dataTypes.ts).
  const compact = <A extends Float64Array | Int32Array>(a: A): A => compactLanes(a, a.length / stride, stride, n);
  const stopStep = compact(progress.stopStep);
  return {
    n,
    dim: P,
    metricCount: program.row.metrics.length,
    epochCount,
    theta: compact(theta),
    finalF: compact(progress.finalF),
    stopStep,
    divergedAt: compact(progress.divergedAt),
    hits: compact(progress.hits),
    fRecord: compact(progress.fRecord),
    minibatch: compact(progress.minibatch),
    gradNorm2: compact(progress.gradNorm2),
    descent: compact(progress.descent),
    epochLoss: compact(progress.epochLoss),
    epochMetrics: compact(progress.epochMetrics),
    trace: progress.trace.slice(),
    seconds,
    laneSteps: stopStep.reduce((s, k) => s + k + 1, 0),
    backend: kernel.backend,
  };
}

/** Outputs of consecutive lane chunks of one batch, joined in order (lane-indexed arrays component by component). */
export function mergeDataOutputs(parts: readonly DataLaneOutput[]): DataLaneOutput {
  if (parts.length === 1) return parts[0];
  const lanes = parts.map((p) => p.n);
  const join = <A extends Float64Array | Int32Array>(pick: (p: DataLaneOutput) => A): A =>
    joinLanes(parts.map(pick), lanes);
  const first = parts[0];
  return {
    n: lanes.reduce((s, k) => s + k, 0),
    dim: first.dim,
    metricCount: first.metricCount,
    epochCount: first.epochCount,
    theta: join((p) => p.theta),
    finalF: join((p) => p.finalF),
    stopStep: join((p) => p.stopStep),
    divergedAt: join((p) => p.divergedAt),
    hits: join((p) => p.hits),
    fRecord: join((p) => p.fRecord),
    minibatch: join((p) => p.minibatch),
    gradNorm2: join((p) => p.gradNorm2),
    descent: join((p) => p.descent),
    epochLoss: join((p) => p.epochLoss),
    epochMetrics: join((p) => p.epochMetrics),
    trace: concatenate(parts.map((p) => p.trace)),
    seconds: parts.reduce((s, p) => s + p.seconds, 0),
    laneSteps: parts.reduce((s, p) => s + p.laneSteps, 0),
    backend: first.backend,
  };
}

/** Each program's lanes on this thread, one after the other (the CLI and tests; the Lab uses the pool). */
export function executeDataHere(
  problem: DataProblem,
  batches: readonly { readonly program: DataStepProgram; readonly work: DataLaneWork }[],
  backend: BackendChoice | undefined,
  hooks: LaneHooks = {},
): DataLaneOutput[] {
  return batches.map((b, i) =>
    executeDataLanes(compileDataKernel(b.program, backend), b.program, problem, b.work, {
      cancelled: hooks.cancelled,
      onProgress: hooks.onProgress && ((f: number) => hooks.onProgress!((i + f) / batches.length)),
    }),
  );
}
