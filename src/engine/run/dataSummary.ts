/**
 * One optimizer's data lanes, summarized over its starts: what a run reports per optimizer and a sweep per cell
 * (so a cell and a run with the same hyperparameters give the same summary).
 *
 *   curves        F − f* at recorded steps (median, quartiles, mean), as f of a run: a stopped lane holds its
 *                 last value, a diverged one counts as +∞
 *   minibatch     fB of the update from θₖ at recorded steps k, over the lanes that made it
 *   rosetta       the equivalent hyperparameters of that update (Sprunger 2020 §3.2, DATA-CONVENTIONS "Rosetta
 *                 stone"): η_eq = −⟨s, gB⟩/‖gB‖² and α_eq = −⟨s, gB⟩/fB, s = θₖ₊₁ − θₖ — for NaSGD η_eq is its
 *                 min(1, α fB/‖gB‖²), for GD α_eq is η‖gB‖²/fB (up to the rounding of s) — for every optimizer,
 *                 over the lanes where it is defined (‖gB‖ = 0 or fB = 0 leaves it out)
 *   epochs        per epoch e = 0 … (0 is before training) at step e·nb: F and each metric; a lane that stopped
 *                 holds its last epoch, a diverged one counts as +∞ in F and is left out of the metrics;
 *                 `perStart` keeps each start's own values at the epochs it reached (the per-epoch CSV)
 */
import { laneSlice } from './laneArrays';
import { quantileSorted } from './statistics';
import type { DataLaneOutput, DataLaneWork } from './dataLanes';
import { epochSteps, type DataProblem } from './dataProblem';
import type { DataPlannedOptimizer } from './dataRunner';
import { curves, targetStats, type LaneFinal, type OptimizerRun } from './runner';
import { traceData, tracePoints } from './traceData';

export interface SeriesStats {
  readonly median: readonly number[];
  readonly q1: readonly number[];
  readonly q3: readonly number[];
  readonly mean: readonly number[];
}

export interface DataOptimizerRun extends OptimizerRun {
  readonly minibatch: SeriesStats;
  readonly rosetta: { readonly etaEq: SeriesStats; readonly alphaEq: SeriesStats };
  readonly epochs: {
    readonly epoch: readonly number[];
    readonly step: readonly number[];
    readonly loss: SeriesStats;
    readonly metrics: Readonly<Record<string, SeriesStats>>;
    /** Per start (lane): F and each metric (problem.metrics order) at the epochs e = 0 … it reached. */
    readonly perStart: readonly {
      readonly loss: readonly number[];
      readonly metrics: readonly (readonly number[])[];
    }[];
  };
}

/** Per point, quartiles and mean over the lanes of `value(point, lane)`, NaN values left out (NaN when all are). */
export function seriesStats(points: number, n: number, value: (point: number, lane: number) => number): SeriesStats {
  const stats = { median: [] as number[], q1: [] as number[], q3: [] as number[], mean: [] as number[] };
  const column = new Float64Array(n);
  for (let p = 0; p < points; p++) {
    let count = 0;
    for (let lane = 0; lane < n; lane++) {
      const v = value(p, lane);
      if (!Number.isNaN(v)) column[count++] = v;
    }
    const sorted = column.subarray(0, count).sort();
    stats.median.push(quantileSorted(sorted, 0.5));
    stats.q1.push(quantileSorted(sorted, 0.25));
    stats.q3.push(quantileSorted(sorted, 0.75));
    stats.mean.push(count ? sorted.reduce((s, v) => s + v, 0) / count : NaN);
  }
  return stats;
}

/** Lanes [from, to) of an output, as an output of their own. */
export function laneRange(out: DataLaneOutput, from: number, to: number): DataLaneOutput {
  const { n } = out;
  const pick = <A extends Float64Array | Int32Array>(a: A): A => laneSlice(a, n, from, to);
  const P1 = out.dim + 1;
  const R = out.fRecord.length / n;
  const traced = out.trace.length / (R * P1);
  const trace = out.trace.slice(Math.min(from, traced) * R * P1, Math.min(to, traced) * R * P1);
  const stopStep = pick(out.stopStep);
  const laneSteps = stopStep.reduce((s, k) => s + k + 1, 0);
  return {
    ...out,
    n: to - from,
    theta: pick(out.theta),
    finalF: pick(out.finalF),
    stopStep,
    divergedAt: pick(out.divergedAt),
    hits: pick(out.hits),
    fRecord: pick(out.fRecord),
    minibatch: pick(out.minibatch),
    gradNorm2: pick(out.gradNorm2),
    descent: pick(out.descent),
    epochLoss: pick(out.epochLoss),
    epochMetrics: pick(out.epochMetrics),
    trace,
    // The batch's time, shared out by the lane-steps each part made.
    seconds: out.laneSteps ? (out.seconds * laneSteps) / out.laneSteps : 0,
    laneSteps,
  };
}

export function summarizeDataOptimizer(
  problem: DataProblem,
  planned: Pick<DataPlannedOptimizer, 'config' | 'params' | 'program'> & { readonly work: DataLaneWork },
  out: DataLaneOutput,
): DataOptimizerRun {
  const { work, program } = planned;
  const { n, dim } = out;
  const targets = work.targets;
  const tightest = targets.length ? targets.indexOf(Math.min(...targets)) : -1;
  const final = Array.from({ length: n }, (_, lane): LaneFinal => {
    const diverged = out.divergedAt[lane] >= 0;
    return {
      theta: Array.from({ length: dim }, (_, c) => out.theta[c * n + lane]),
      f: out.finalF[lane],
      steps: out.stopStep[lane],
      divergedAt: diverged ? out.divergedAt[lane] : null,
      orbit: null,
    };
  });
  const stepsToTarget = targetStats(out.hits, n, targets, out.divergedAt);
  const traced = traceData(out, work.recordSteps, Math.min(work.traceCount, n), final);
  let points: ReturnType<typeof tracePoints> | undefined;
  const R = work.recordSteps.length;
  const at = (a: Float64Array) => (r: number, lane: number) => a[r * n + lane];
  const ratio = (num: Float64Array, den: Float64Array) => (r: number, lane: number) => {
    const v = num[r * n + lane] / den[r * n + lane];
    return Number.isFinite(v) ? v : NaN;
  };
  return {
    optimizer: program.optimizer.id,
    label: program.optimizer.label,
    params: planned.params,
    n,
    converged: tightest >= 0 ? stepsToTarget[String(targets[tightest])].reached : 0,
    diverged: final.filter((l) => l.divergedAt !== null).length,
    orbits: 0,
    stepsToTarget,
    final,
    curves: curves(out, work.recordSteps, work.fStar, tightest),
    traceData: traced,
    get traces() {
      points ??= tracePoints(traced);
      return points;
    },
    timing: {
      seconds: out.seconds,
      laneSteps: out.laneSteps,
      nsPerLaneStep: out.laneSteps ? (out.seconds * 1e9) / out.laneSteps : 0,
    },
    backend: out.backend,
    // Data jobs are cancelled, not stopped early (the data kernel has no stop flag yet).
    stoppedAt: null,
    precision: 'f64',
    minibatch: seriesStats(R, n, at(out.minibatch)),
    rosetta: {
      etaEq: seriesStats(R, n, ratio(out.descent, out.gradNorm2)),
      alphaEq: seriesStats(R, n, ratio(out.descent, out.minibatch)),
    },
    epochs: epochSeries(problem, out),
  };
}

function epochSeries(problem: DataProblem, out: DataLaneOutput): DataOptimizerRun['epochs'] {
  const { n, epochCount, metricCount: M } = out;
  const nb = epochSteps(problem);
  /** The epoch whose record a lane shows at epoch e: e itself, or its last one when it stopped before. */
  const shown = (e: number, lane: number) => Math.min(e, Math.floor(out.stopStep[lane] / nb));
  const diverged = (e: number, lane: number) => out.divergedAt[lane] >= 0 && e * nb >= out.divergedAt[lane];
  const loss = seriesStats(epochCount, n, (e, lane) =>
    diverged(e, lane) ? Infinity : out.epochLoss[shown(e, lane) * n + lane],
  );
  const metrics = Object.fromEntries(
    problem.metrics.map((name, m) => [
      name,
      seriesStats(epochCount, n, (e, lane) =>
        diverged(e, lane) ? NaN : out.epochMetrics[(shown(e, lane) * M + m) * n + lane],
      ),
    ]),
  );
  const epoch = Array.from({ length: epochCount }, (_, e) => e);
  const perStart = Array.from({ length: n }, (_, lane) => {
    const reached = Math.min(epochCount, Math.floor(out.stopStep[lane] / nb) + 1);
    const upTo = Array.from({ length: reached }, (_, e) => e);
    return {
      loss: upTo.map((e) => out.epochLoss[e * n + lane]),
      metrics: problem.metrics.map((_, m) => upTo.map((e) => out.epochMetrics[(e * M + m) * n + lane])),
    };
  });
  return { epoch, step: epoch.map((e) => e * nb), loss, metrics, perStart };
}
