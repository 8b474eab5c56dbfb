/**
 * Runs of models over data, and of cost functions with gradient noise (dataProblem.ts): one or more optimizers,
 * N starts, a step budget, targets. A lane is one training run; lanes = optimizer × start, and at start r every
 * optimizer (and every sweep cell, dataSweep.ts) gets the same initial parameters, batches and noise, all drawn
 * from the run's seed as DATA-CONVENTIONS says. The result is a RunResult (F in place of f) with the data
 * outputs beside it (dataSummary.ts).
 *
 * Recorded steps: as a run records f (recordSchedule), with at most E + 1 points by default for a model
 * (E = ⌈T/nb⌉ epochs, so that F at recorded steps costs about what the training does), joined with every
 * epoch end while they fit; `maxPoints` overrides the default (`trace` records every step). Each lane-indexed
 * record holds at most MAX_RECORDED_VALUES values over the run's lanes, as a run's f does.
 */
import { initialParameters } from '../data';
import type { BackendChoice } from '../kernel/types';
import { getOptimizer } from '../optim/registry';
import type { OptimizerConfig } from '../optim/types';
import { buildDataStepProgram, type DataStepProgram } from '../program/dataProgram';
import { recordSchedule } from '../program/recordSchedule';
import { executeDataHere, type DataLaneOutput, type DataLaneWork } from './dataLanes';
import { epochSteps, type DataProblem } from './dataProblem';
import { summarizeDataOptimizer, type DataOptimizerRun } from './dataSummary';
import type { LaneHooks } from './lanes';
import { resolveParams } from './params';
import { MAX_LANES, MAX_RECORDED_VALUES, MAX_STEPS, type RunResult } from './runner';
import { makeStarts, type StartSpec } from './starts';

/** Initial parameters: N draws from the model's `@param` lines (DATA-CONVENTIONS), or a cost function's starts. */
export type DataStarts = { readonly kind: 'draw'; readonly n: number } | StartSpec;

export interface DataRunSpec {
  readonly problem: DataProblem;
  readonly optimizers: readonly OptimizerConfig[];
  readonly starts: DataStarts;
  /** The seed of the draws, the data order and the noise. */
  readonly seed: number;
  readonly steps: number;
  readonly targets: readonly number[];
  readonly stopAtTargets?: boolean;
  /** How many lanes to keep trajectories of (the first K starts; fewer when θ is large). */
  readonly traces?: number;
  readonly maxPoints?: number;
  readonly backend?: BackendChoice;
}

export interface DataPlannedOptimizer {
  readonly config: OptimizerConfig;
  readonly params: Readonly<Record<string, number | string>>;
  readonly choices: Readonly<Record<string, string>>;
  readonly program: DataStepProgram;
  readonly work: DataLaneWork;
}

export interface DataRunPlan {
  readonly spec: DataRunSpec;
  /** N × P, start after start. */
  readonly starts: Float64Array;
  readonly startCount: number;
  readonly recordSteps: Int32Array;
  readonly optimizers: readonly DataPlannedOptimizer[];
}

export interface DataRunResult extends RunResult {
  readonly seed: number;
  readonly problem: {
    readonly kind: 'model' | 'function';
    readonly trainRows: number;
    readonly testRows: number;
    readonly batch: number;
    /** Updates per epoch. */
    readonly epochSteps: number;
    readonly shuffle: string;
    readonly noise: number;
    readonly metrics: readonly string[];
  };
  readonly runs: readonly DataOptimizerRun[];
}

/** Traced values (lanes × recorded steps × (P + 1)) a run may hold. */
const MAX_TRACE_VALUES = 1 << 24;

/** θ₀ of every start, N × P. */
export function drawStarts(problem: DataProblem, starts: DataStarts, seed: number): Float64Array {
  const P = problem.variables.length;
  if (starts.kind === 'draw') {
    if (!problem.params) throw new RangeError(`${problem.name} is a cost function: its starts come from its domain`);
    if (!(Number.isInteger(starts.n) && starts.n >= 1 && starts.n <= MAX_LANES))
      throw new RangeError(`between 1 and ${MAX_LANES} starts, not ${starts.n}`);
    return initialParameters(problem.params, seed, starts.n);
  }
  if (problem.kind === 'model' && starts.kind !== 'list')
    throw new RangeError(`a model's starts are drawn from its @param lines or given as a list`);
  const points = makeStarts(starts, P);
  if (points.length === 0 || points.length > MAX_LANES)
    throw new RangeError(`between 1 and ${MAX_LANES} starts, not ${points.length}`);
  return Float64Array.from(points.flat());
}

/** The recorded steps of a data run (see the module comment). */
export function dataRecordSteps(problem: DataProblem, steps: number, lanes: number, maxPoints?: number): Int32Array {
  const nb = epochSteps(problem);
  const model = problem.kind === 'model';
  const most = Math.floor(MAX_RECORDED_VALUES / lanes);
  const wanted = maxPoints ?? (model ? Math.ceil(steps / nb) + 1 : 2000);
  const base = recordSchedule(steps, Math.max(2, Math.min(wanted, most)));
  const epochEnds = Math.floor(steps / nb) + 1;
  if (!model || base.length + epochEnds > most) return base;
  const all = new Set(base);
  for (let k = 0; k <= steps; k += nb) all.add(k);
  return Int32Array.from([...all].sort((a, b) => a - b));
}

/** Epoch records (F and each metric per epoch end and lane) a run may hold. */
function checkEpochRecords(problem: DataProblem, steps: number, lanes: number): void {
  if (problem.kind !== 'model') return;
  const values = (Math.floor(steps / epochSteps(problem)) + 1) * (problem.metrics.length + 1) * lanes;
  if (values > MAX_RECORDED_VALUES)
    throw new RangeError(
      `${steps} steps make ${Math.floor(steps / epochSteps(problem))} epochs: with ${lanes} lanes their records would ` +
        `hold ${values} values, more than ${MAX_RECORDED_VALUES}; give fewer steps or starts, or a larger batch`,
    );
}

/** `lanesPerStart`: lanes each start will have (a sweep's cells), which bound the records; optimizers by default. */
export function planDataRun(spec: DataRunSpec, lanesPerStart = spec.optimizers.length): DataRunPlan {
  const { problem } = spec;
  if (!(Number.isInteger(spec.steps) && spec.steps >= 0 && spec.steps <= MAX_STEPS))
    throw new RangeError(`steps must be an integer in 0…${MAX_STEPS}, not ${spec.steps}`);
  if (spec.targets.some((t) => !(t >= 0 && Number.isFinite(t)))) throw new RangeError('targets must be finite and ≥ 0');
  if (spec.optimizers.length === 0) throw new RangeError('a run needs at least one optimizer');
  if (!(Number.isInteger(spec.seed) && spec.seed >= 0 && spec.seed <= 0xffffffff))
    throw new RangeError(`the seed must be an integer in 0…4294967295, not ${spec.seed}`);
  const P = problem.variables.length;
  const starts = drawStarts(problem, spec.starts, spec.seed);
  const N = starts.length / P;
  const lanes = N * lanesPerStart;
  if (lanes > MAX_LANES)
    throw new RangeError(`this run needs ${lanes} lanes (configurations × starts); at most ${MAX_LANES}`);
  checkEpochRecords(problem, spec.steps, lanes);
  const recordSteps = dataRecordSteps(problem, spec.steps, lanes, spec.maxPoints);
  const R = recordSteps.length;
  const traceCount = Math.min(spec.traces ?? 16, N, Math.floor(MAX_TRACE_VALUES / (R * (P + 1))));
  if ((spec.traces ?? 0) > 0 && traceCount === 0)
    throw new RangeError(
      `a trajectory would hold ${R * (P + 1)} values (${R} recorded steps × ${P + 1}); at most ${MAX_TRACE_VALUES}`,
    );
  const startIndex = Int32Array.from({ length: N }, (_, r) => r);
  const optimizers = spec.optimizers.map((config): DataPlannedOptimizer => {
    const optimizer = getOptimizer(config.id);
    const params = resolveParams(optimizer, config.params);
    const choices = Object.fromEntries(
      Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const numbers = Object.fromEntries(
      Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'),
    );
    return {
      config,
      params,
      choices,
      program: buildDataStepProgram(problem.row, optimizer, choices),
      work: {
        theta0: starts,
        startIndex,
        laneParams: Array.from({ length: N }, () => numbers),
        seed: spec.seed,
        traceCount,
        steps: spec.steps,
        targets: spec.targets,
        stopAtTargets: spec.stopAtTargets ?? false,
        recordSteps,
        fStar: problem.fStar,
        epochs: problem.kind === 'model',
      },
    };
  });
  return { spec, starts, startCount: N, recordSteps, optimizers };
}

/** A data run on this thread (the CLI and tests; the pool shares the plan and the summary). */
export function runData(spec: DataRunSpec, hooks: LaneHooks = {}): DataRunResult {
  const plan = planDataRun(spec);
  return summarizeDataRun(plan, executeDataHere(spec.problem, plan.optimizers, spec.backend, hooks));
}

export function summarizeDataRun(plan: DataRunPlan, outputs: readonly DataLaneOutput[]): DataRunResult {
  const { spec, starts, startCount } = plan;
  const { problem } = spec;
  const P = problem.variables.length;
  const points = Array.from({ length: startCount }, (_, r) => Array.from(starts.subarray(r * P, (r + 1) * P)));
  return {
    fn: {
      name: problem.name,
      variables: problem.variables,
      fStar: problem.fStar,
      domain: problem.domain,
      minima: problem.minima,
    },
    starts: points,
    startSpec: spec.starts.kind === 'draw' ? { kind: 'list', points } : spec.starts,
    steps: spec.steps,
    targets: spec.targets,
    seed: spec.seed,
    problem: {
      kind: problem.kind,
      trainRows: problem.trainRows,
      testRows: problem.testRows,
      batch: problem.batch,
      epochSteps: epochSteps(problem),
      shuffle: problem.shuffle,
      noise: problem.noise,
      metrics: problem.metrics,
    },
    runs: plan.optimizers.map((o, i) => summarizeDataOptimizer(problem, o, outputs[i])),
  };
}
