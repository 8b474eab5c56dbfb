/**
 * Drives a data kernel (kernel/dataTypes.ts) the way run/dataLanes.ts does — the same orders and noise from
 * src/engine/data, per start — but with slices cut where a test says (and where the contract requires: at
 * epoch ends when the order changes each epoch, at the noise buffer's length), for backend-against-backend tests.
 */
import { epochOrder, gradientNoise } from '../../src/engine/data';
import { resetDataProgress, type DataKernel, type DataLaneProgress } from '../../src/engine/kernel/dataTypes';
import { fillLaneInputs } from '../../src/engine/run/lanes';
import type { DataLaneWork } from '../../src/engine/run/dataLanes';
import { epochSteps, orderLength, type DataProblem } from '../../src/engine/run/dataProblem';
import type { DataStepProgram } from '../../src/engine/program/dataProgram';

export interface DriveOptions {
  /** Slice ends to cut at besides the required ones (any steps in 1…T). */
  readonly cuts?: readonly number[];
  /** Steps of σ·z per slice buffer (default: the whole run). */
  readonly noiseSteps?: number;
}

/** Every per-lane output compacted to n lanes, with the final θ and state. */
export type DriveResult = { [K in keyof DataLaneProgress]: number[] } & { theta: number[]; state: number[] };

export function drive(
  kernel: DataKernel,
  program: DataStepProgram,
  problem: DataProblem,
  work: DataLaneWork,
  options: DriveOptions = {},
): DriveResult {
  const n = work.startIndex.length;
  const P = program.dim;
  const starts = [...new Set(work.startIndex)].sort((a, b) => a - b);
  const nb = epochSteps(problem);
  const L = orderLength(problem);
  const perEpoch = problem.shuffle === 'epoch' || problem.shuffle === 'replace';
  const noiseSteps = problem.noise > 0 ? (options.noiseSteps ?? work.steps + 1) : 0;
  const epochCount = work.epochs ? Math.floor(work.steps / nb) + 1 : 0;
  const session = kernel.prepare(
    {
      n,
      targetCount: work.targets.length,
      recordCount: work.recordSteps.length,
      traceSlots: work.traceCount,
      epochCount,
      startSlots: starts.length,
      orderLength: L,
      noiseSteps,
    },
    problem.rows,
  );
  const { stride } = session.batch;
  for (let lane = 0; lane < n; lane++) {
    for (let c = 0; c < P; c++) session.batch.theta[c * stride + lane] = work.theta0[lane * P + c];
    session.laneStart[lane] = starts.indexOf(work.startIndex[lane]);
    session.traceSlot[lane] = lane < work.traceCount ? lane : -1;
  }
  fillLaneInputs(program, work.laneParams, session.batch);
  session.recordSteps.set(work.recordSteps);
  session.targets.set(work.targets);
  resetDataProgress(session.progress);
  const plan = { rows: problem.trainRows, batch: problem.batch, shuffle: problem.shuffle };
  const cuts = [...new Set([...(options.cuts ?? []), work.steps + 1])].sort((a, b) => a - b);
  for (let from = 0; from <= work.steps && session.progress.stopStep.some((k, lane) => lane < n && k < 0);) {
    const epoch = Math.floor(from / nb);
    if (from === 0 || (perEpoch && from % nb === 0)) {
      starts.forEach((r, s) => {
        const perm = epochOrder(work.seed, r, epoch, plan);
        for (let i = 0; i < L; i++) session.order[s * L + i] = problem.rows.train[perm[i]];
      });
    }
    let to = cuts.find((k) => k > from)!;
    if (perEpoch) to = Math.min(to, (epoch + 1) * nb);
    if (noiseSteps > 0) {
      to = Math.min(to, from + noiseSteps);
      starts.forEach((r, s) => {
        const z = gradientNoise(work.seed, r, from, to - from, P);
        for (let i = 0; i < z.length; i++) session.noise[s * noiseSteps * P + i] = problem.noise * z[i];
      });
    }
    session.run({
      steps: work.steps,
      fromStep: from,
      toStep: to,
      fStar: work.fStar,
      stopAtTargets: work.stopAtTargets,
      batch: problem.batch,
      epochSteps: nb,
      noisy: noiseSteps > 0,
    });
    from = to;
  }
  const compact = (a: Float64Array | Int32Array) =>
    Array.from({ length: a.length / stride }, (_, c) => Array.from(a.subarray(c * stride, c * stride + n))).flat();
  const progress = Object.fromEntries(
    Object.entries(session.progress).map(([k, a]) => [k, k === 'trace' ? Array.from(a) : compact(a)]),
  ) as { [K in keyof DataLaneProgress]: number[] };
  return { ...progress, theta: compact(session.batch.theta), state: compact(session.batch.state) };
}

/** The first field and index where two results differ beyond `tolerance` (relative), or undefined. */
export function firstDifference(a: DriveResult, b: DriveResult, tolerance = 0): string | undefined {
  for (const key of Object.keys(a) as (keyof DriveResult)[]) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return `${key}: ${x.length} values, not ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      if (Object.is(x[i], y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i]))) continue;
      if (tolerance > 0 && Math.abs(x[i] - y[i]) <= tolerance * Math.max(Math.abs(x[i]), Math.abs(y[i]))) continue;
      return `${key}[${i}]: ${x[i]} vs ${y[i]}`;
    }
  }
  return undefined;
}
