/**
 * One batch of lanes through a kernel, and its raw result as plain data: compact (n lanes, component-major
 * with stride n) so that it can cross a thread boundary and chunks of one run can be merged before the
 * statistics over all lanes are taken.
 */
import { compileKernel } from '../kernel/compile';
import { resetProgress, type Backend, type BackendChoice, type Kernel, type LaneProgress } from '../kernel/types';
import { rangeError } from '../optim/params';
import { initialState, type StepProgram } from '../program/stepProgram';

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
  /** The step at which the lanes still running were stopped on request (`LaneHooks.stop`), or −1. */
  readonly stoppedAt: number;
}

export interface LaneHooks {
  /** Fraction of this batch done, between slices. */
  readonly onProgress?: (fraction: number) => void;
  /** Checked between slices: true throws RunCancelled and nothing is kept. */
  readonly cancelled?: () => boolean;
  /** Checked between slices: true ends every running lane at the step reached, and the output is kept. */
  readonly stop?: () => boolean;
}

export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
  }
}

/** Wall time a kernel slice aims at: short enough for prompt progress and cancellation, long enough to be cheap. */
const SLICE_MS = 25;

declare const performance: { now(): number };

export function executeLanes(kernel: Kernel, program: StepProgram, work: LaneWork, hooks: LaneHooks = {}): LaneOutput {
  const n = work.starts.length;
  const dim = program.dim;
  const R = work.recordSteps.length;
  const T = work.targets.length;
  const session = kernel.prepare({ n, targetCount: T, recordCount: R, traceSlots: work.traceCount });
  const { theta, state, params, stride } = session.batch;
  work.starts.forEach((p, lane) => {
    p.forEach((v, c) => {
      theta[c * stride + lane] = v;
    });
    initialState(program, work.laneParams[lane])
      .flat()
      .forEach((v, c) => {
        state[c * stride + lane] = v;
      });
    program.params.forEach(({ spec }, i) => {
      // Every lane is checked here, where values enter a kernel, whichever way they came (sweep cells, the pool).
      const v = work.laneParams[lane][spec.name];
      const why = rangeError(spec, v);
      if (why !== null) throw new RangeError(`lane ${lane}: ${program.optimizer.id}: ${why}`);
      params[i * stride + lane] = v;
    });
  });
  session.traceSlot.forEach((_, lane) => {
    session.traceSlot[lane] = lane < work.traceCount ? lane : -1;
  });
  session.recordSteps.set(work.recordSteps);
  session.targets.set(work.targets);
  const progress = session.progress;
  resetProgress(progress, theta);
  const slice = { steps: work.steps, fStar: work.fStar, stopAtTargets: work.stopAtTargets };
  const t0 = performance.now();
  let stoppedAt = -1;
  for (let from = 0, size = 8; from <= work.steps;) {
    if (hooks.cancelled?.()) throw new RunCancelled();
    if (hooks.stop?.()) {
      // θ_from is where every running lane is: a one-step slice with that step as the budget evaluates f
      // there, tests the targets and ends the lane, exactly as the last step of a full run would.
      session.run({ ...slice, steps: from, fromStep: from, toStep: from + 1 });
      stoppedAt = from;
      break;
    }
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
  const compact = (a: Float64Array | Int32Array, components: number) => {
    const out = a instanceof Float64Array ? new Float64Array(components * n) : new Int32Array(components * n);
    for (let c = 0; c < components; c++) out.set(a.subarray(c * stride, c * stride + n), c * n);
    return out;
  };
  const stopStep = compact(progress.stopStep, 1) as Int32Array;
  return {
    n,
    dim,
    theta: compact(theta, dim) as Float64Array,
    prevTheta: compact(progress.prevTheta, dim) as Float64Array,
    finalF: compact(progress.finalF, 1) as Float64Array,
    stopStep,
    divergedAt: compact(progress.divergedAt, 1) as Int32Array,
    hits: compact(progress.hits, T) as Int32Array,
    fRecord: compact(progress.fRecord, R) as Float64Array,
    trace: progress.trace.slice(),
    seconds,
    laneSteps: stopStep.reduce((s, k) => s + k + 1, 0),
    backend: kernel.backend,
    stoppedAt,
  };
}

/**
 * Outputs of consecutive lane chunks of one batch, joined in order. Time is the sum: the work done. Chunks
 * stopped on request may have reached different steps: the batch reached the earliest of them.
 */
export function mergeOutputs(parts: readonly LaneOutput[]): LaneOutput {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.n, 0);
  const first = parts[0];
  const join = <A extends Float64Array | Int32Array>(pick: (p: LaneOutput) => A, make: (len: number) => A): A => {
    const components = pick(first).length / first.n;
    const out = make(components * n);
    let offset = 0;
    for (const p of parts) {
      const a = pick(p);
      for (let c = 0; c < components; c++) out.set(a.subarray(c * p.n, (c + 1) * p.n), c * n + offset);
      offset += p.n;
    }
    return out;
  };
  const f64 = (len: number) => new Float64Array(len);
  const i32 = (len: number) => new Int32Array(len);
  const trace = new Float64Array(parts.reduce((s, p) => s + p.trace.length, 0));
  parts.reduce((at, p) => (trace.set(p.trace, at), at + p.trace.length), 0);
  return {
    n,
    dim: first.dim,
    theta: join((p) => p.theta, f64),
    prevTheta: join((p) => p.prevTheta, f64),
    finalF: join((p) => p.finalF, f64),
    stopStep: join((p) => p.stopStep, i32),
    divergedAt: join((p) => p.divergedAt, i32),
    hits: join((p) => p.hits, i32),
    fRecord: join((p) => p.fRecord, f64),
    trace,
    seconds: parts.reduce((s, p) => s + p.seconds, 0),
    laneSteps: parts.reduce((s, p) => s + p.laneSteps, 0),
    backend: first.backend,
    stoppedAt: parts.reduce((m, p) => (p.stoppedAt >= 0 && (m < 0 || p.stoppedAt < m) ? p.stoppedAt : m), -1),
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
      stop: hooks.stop,
      onProgress: hooks.onProgress && ((f: number) => hooks.onProgress!((i + f) / batches.length)),
    }),
  );
}
