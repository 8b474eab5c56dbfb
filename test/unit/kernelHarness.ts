/** Runs a step program through a kernel session the way the runner does, for backend-against-backend tests. */
import { resetProgress, type Kernel, type KernelSession } from '../../src/engine/kernel/types';
import { initialState, type StepProgram } from '../../src/engine/program/stepProgram';

export interface HarnessOptions {
  readonly steps: number;
  readonly targets?: readonly number[];
  readonly stopAtTargets?: boolean;
  /** Slice boundaries (from 0 to steps + 1); one slice when absent. */
  readonly cuts?: readonly number[];
  /** Recorded steps (every step when absent). */
  readonly recordSteps?: readonly number[];
  readonly traces?: number;
}

/** One set of hyperparameters for every lane, or each lane's own (as in a sweep). */
export type LaneParams = Readonly<Record<string, number>> | ((lane: number) => Readonly<Record<string, number>>);

export function runKernel(
  kernel: Kernel,
  program: StepProgram,
  starts: readonly (readonly number[])[],
  params: LaneParams,
  o: HarnessOptions,
): KernelSession {
  const n = starts.length;
  const recordSteps = o.recordSteps ?? Array.from({ length: o.steps + 1 }, (_, k) => k);
  const traces = Math.min(o.traces ?? n, n);
  const s = kernel.prepare({
    n,
    targetCount: o.targets?.length ?? 0,
    recordCount: recordSteps.length,
    traceSlots: traces,
  });
  const { stride } = s.batch;
  starts.forEach((p, lane) => {
    p.forEach((v, c) => {
      s.batch.theta[c * stride + lane] = v;
    });
    const own = typeof params === 'function' ? params(lane) : params;
    initialState(program, own)
      .flat()
      .forEach((v, c) => {
        s.batch.state[c * stride + lane] = v;
      });
    program.params.forEach((pp, i) => {
      s.batch.params[i * stride + lane] = own[pp.spec.name];
    });
  });
  s.recordSteps.set(recordSteps);
  s.targets.set(o.targets ?? []);
  s.traceSlot.fill(-1);
  for (let lane = 0; lane < traces; lane++) s.traceSlot[lane] = lane;
  resetProgress(s.progress, s.batch.theta);
  const cuts = o.cuts ?? [0, o.steps + 1];
  for (let i = 0; i + 1 < cuts.length; i++) {
    s.run({
      steps: o.steps,
      fromStep: cuts[i],
      toStep: cuts[i + 1],
      fStar: 0,
      stopAtTargets: o.stopAtTargets ?? false,
    });
  }
  return s;
}

/** Lane-indexed results of the first n lanes, component by component (independent of the session's stride). */
export function laneView(s: KernelSession, dim: number, stateSize: number, targetCount: number, recordCount: number) {
  const { n, stride } = s.batch;
  const pick = (a: Float64Array | Int32Array, components: number) =>
    Array.from({ length: components }, (_, c) => Array.from(a.subarray(c * stride, c * stride + n)));
  return {
    theta: pick(s.batch.theta, dim),
    state: pick(s.batch.state, stateSize),
    prevTheta: pick(s.progress.prevTheta, dim),
    hits: pick(s.progress.hits, targetCount),
    fRecord: pick(s.progress.fRecord, recordCount),
    finalF: Array.from(s.progress.finalF.subarray(0, n)),
    stopStep: Array.from(s.progress.stopStep.subarray(0, n)),
    divergedAt: Array.from(s.progress.divergedAt.subarray(0, n)),
    trace: Array.from(s.progress.trace),
  };
}
