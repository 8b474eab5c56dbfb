/**
 * A run: one cost function, one or more optimizers, N start points, a step budget and targets. Each lane
 * carries its own start and hyperparameters; lanes of one optimizer run as one kernel batch.
 */
import type { BackendChoice, Precision } from '../kernel/types';
import { executeHere, type LaneHooks, type LaneOutput, type LaneWork } from './lanes';
import { getOptimizer } from '../optim/registry';
import { resolveParams } from './params';
import type { OptimizerConfig } from '../optim/types';
import { detectOrbit, type Orbit } from './orbit';
import { makeStarts, type Domain, type StartSpec } from './starts';
import { recordSchedule } from '../program/recordSchedule';
import { mean, median, quantileSorted } from './statistics';
import type { CostProgram, StepProgram } from '../program/stepProgram';
import { cachedGradient, cachedProgram } from './planCache';
import { traceData, tracePoints, type TraceData } from './traceData';

export interface RunFunction extends CostProgram {
  readonly name: string;
  readonly variables: readonly string[];
  /** The expression as written, when the function came from text. */
  readonly source?: string;
  readonly domain?: Domain;
  readonly minima: readonly (readonly number[])[];
  /** f at the known minimum; absent when unknown, and targets are then on f itself (f* = 0, CONVENTIONS.md). */
  readonly fStar?: number;
}

export interface RunSpec {
  readonly fn: RunFunction;
  readonly optimizers: readonly OptimizerConfig[];
  readonly starts: StartSpec;
  readonly steps: number;
  readonly targets: readonly number[];
  /** Stop each lane once it has reached every target (sweeps); runs otherwise go to the budget. */
  readonly stopAtTargets?: boolean;
  /** How many lanes to keep trajectories of (the first K starts). */
  readonly traces?: number;
  /** At most this many recorded steps per curve and trajectory. */
  readonly maxPoints?: number;
  readonly backend?: BackendChoice;
  /** binary64 (the default) or binary32 lanes. */
  readonly precision?: Precision;
}

/** Hooks a caller can give a run: progress between kernel slices, and a way to stop early. */
export type RunHooks = LaneHooks;

/** Recorded f values (lanes × recorded steps) a run may hold; beyond it the curves are decimated further. */
export const MAX_RECORDED_VALUES = 1 << 24;

export interface TargetStats {
  readonly reached: number;
  readonly median: number | null;
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** k, the number of updates, per lane; null when not reached. */
  readonly perLane: readonly (number | null)[];
}

export interface LaneFinal {
  readonly theta: readonly number[];
  readonly f: number;
  readonly steps: number;
  readonly divergedAt: number | null;
  readonly orbit: Orbit | null;
}

export interface OptimizerRun {
  readonly optimizer: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly n: number;
  /** Lanes that reached the tightest target and did not diverge (CONVENTIONS.md: a diverged lane is not converged). */
  readonly converged: number;
  readonly diverged: number;
  readonly orbits: number;
  readonly stepsToTarget: Readonly<Record<string, TargetStats>>;
  readonly final: readonly LaneFinal[];
  readonly curves: {
    readonly steps: readonly number[];
    readonly median: readonly number[];
    readonly q1: readonly number[];
    readonly q3: readonly number[];
    readonly mean: readonly number[];
    readonly fractionConverged: readonly number[];
  };
  /** The traced lanes' trajectories, compact (what the Lab draws). */
  readonly traceData: TraceData;
  /** The same, one object per point; built when first read. */
  readonly traces: ReturnType<typeof tracePoints>;
  readonly timing: { readonly seconds: number; readonly laneSteps: number; readonly nsPerLaneStep: number };
  readonly backend: string;
  /** The step every lane still running had reached when the run was stopped early; null when it ran to its end. */
  readonly stoppedAt: number | null;
  readonly precision: Precision;
}

export interface RunResult {
  readonly fn: {
    readonly name: string;
    readonly variables: readonly string[];
    /** The expression as written ('' for a function built in IR). */
    readonly source: string;
    /** 0 when unknown: then targets and curves are on f itself. */
    readonly fStar: number;
    readonly fStarKnown: boolean;
    readonly domain?: Domain;
    readonly minima: readonly (readonly number[])[];
  };
  readonly starts: readonly (readonly number[])[];
  readonly startSpec: StartSpec;
  readonly steps: number;
  readonly targets: readonly number[];
  readonly runs: readonly OptimizerRun[];
  /**
   * The furthest step an optimizer stopped early had reached (its own step is in `runs`); null when every
   * optimizer ran to its end. Optimizers that waited for a worker stop at step 0.
   */
  readonly stoppedAt: number | null;
}

/** Largest batch a single run accepts: lanes × (dim + state + params) doubles must stay well inside memory. */
export const MAX_LANES = 1 << 20;
export const MAX_STEPS = 100_000_000;

/** One optimizer of a run, ready to execute: its program and every lane's start and hyperparameters. */
export interface PlannedOptimizer {
  readonly config: OptimizerConfig;
  readonly params: Readonly<Record<string, number | string>>;
  readonly choices: Readonly<Record<string, string>>;
  readonly program: StepProgram;
  readonly work: LaneWork;
}

/** Everything a run computes before stepping: checked inputs, starts, programs, the recording schedule. */
export interface RunPlan {
  readonly spec: RunSpec;
  readonly fStar: number;
  readonly starts: readonly (readonly number[])[];
  readonly optimizers: readonly PlannedOptimizer[];
}

export function planRun(spec: RunSpec): RunPlan {
  const fn = spec.fn;
  const dim = fn.inputs.length;
  if (!(Number.isInteger(spec.steps) && spec.steps >= 0 && spec.steps <= MAX_STEPS)) {
    throw new RangeError(`steps must be an integer in 0…${MAX_STEPS}, not ${spec.steps}`);
  }
  if (spec.targets.some((t) => !(t >= 0 && Number.isFinite(t)))) throw new RangeError('targets must be finite and ≥ 0');
  if (spec.optimizers.length === 0) throw new RangeError('a run needs at least one optimizer');
  const starts = makeStarts(spec.starts, dim);
  const n = starts.length;
  if (n === 0 || n > MAX_LANES) throw new RangeError(`between 1 and ${MAX_LANES} start points, not ${n}`);
  const fStar = fn.fStar ?? 0;
  const withGrad = cachedGradient(fn);
  const maxPoints = Math.max(2, Math.min(spec.maxPoints ?? 2000, Math.floor(MAX_RECORDED_VALUES / n)));
  const recordSteps = recordSchedule(spec.steps, maxPoints);
  const optimizers = spec.optimizers.map((config): PlannedOptimizer => {
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
      program: cachedProgram(withGrad, optimizer, choices, spec.precision ?? 'f64'),
      work: {
        starts,
        laneParams: starts.map(() => numbers),
        traceCount: Math.min(spec.traces ?? 16, n),
        steps: spec.steps,
        targets: spec.targets,
        stopAtTargets: spec.stopAtTargets ?? false,
        recordSteps,
        fStar,
        precision: spec.precision ?? 'f64',
      },
    };
  });
  return { spec, fStar, starts, optimizers };
}

/** A run on this thread (the CLI and tests; the extension runs through the worker pool, which shares the plan). */
export function run(spec: RunSpec, hooks: RunHooks = {}): RunResult {
  const plan = planRun(spec);
  return summarizeRun(plan, executeHere(plan.optimizers, spec.backend, hooks));
}

/** The run's result from each optimizer's lane output (all lanes, in order). */
export function summarizeRun(plan: RunPlan, outputs: readonly LaneOutput[]): RunResult {
  const { spec, fStar, starts } = plan;
  const fn = spec.fn;
  const runs = plan.optimizers.map((o, i) => summarizeOptimizer(fn, o, outputs[i]));
  const stopped = runs.flatMap((r) => (r.stoppedAt === null ? [] : [r.stoppedAt]));
  return {
    fn: {
      name: fn.name,
      variables: fn.variables,
      source: fn.source ?? '',
      fStar,
      fStarKnown: fn.fStar !== undefined,
      domain: fn.domain,
      minima: fn.minima,
    },
    starts,
    startSpec: spec.starts,
    steps: spec.steps,
    targets: spec.targets,
    runs,
    stoppedAt: stopped.length ? Math.max(...stopped) : null,
  };
}

function summarizeOptimizer(fn: RunFunction, planned: PlannedOptimizer, out: LaneOutput): OptimizerRun {
  const { work, program } = planned;
  const { n } = out;
  const targets = work.targets;
  const tightest = targets.length ? targets.indexOf(Math.min(...targets)) : -1;
  const final = laneFinals(fn, work, out, tightest);
  const stepsToTarget = targetStats(out.hits, n, targets, out.divergedAt);
  const optimizer = program.optimizer;
  const traced = traceData(out, work.recordSteps, work.traceCount, final);
  let points: ReturnType<typeof tracePoints> | undefined;
  return {
    optimizer: optimizer.id,
    label: optimizer.label,
    params: planned.params,
    n,
    converged: tightest >= 0 ? stepsToTarget[String(targets[tightest])].reached : 0,
    diverged: final.filter((l) => l.divergedAt !== null).length,
    orbits: final.filter((l) => l.orbit !== null).length,
    stepsToTarget,
    final,
    curves: curves(out, shownSteps(work.recordSteps, out.stoppedAt), work.fStar, tightest),
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
    stoppedAt: out.stoppedAt >= 0 ? out.stoppedAt : null,
    precision: out.precision,
  };
}

/** The recorded steps a curve covers: all of them, or those up to the step a stopped run reached. */
function shownSteps(recordSteps: Int32Array, stoppedAt: number): Int32Array {
  return stoppedAt < 0 ? recordSteps : recordSteps.filter((k) => k <= stoppedAt);
}

/**
 * Per target (keyed by its text), the first-hit steps k of the n lanes and their statistics. A lane that reached
 * a target and diverged later (f below an assumed f*, then off to −∞) has not converged.
 */
export function targetStats(
  hits: Int32Array,
  n: number,
  targets: readonly number[],
  divergedAt?: Int32Array,
): Record<string, TargetStats> {
  const stats: Record<string, TargetStats> = {};
  targets.forEach((tau, j) => {
    const perLane = Array.from({ length: n }, (_, lane) => {
      const k = hits[j * n + lane];
      return k >= 0 && !(divergedAt && divergedAt[lane] >= 0) ? k : null;
    });
    const reached = perLane.filter((k): k is number => k !== null);
    stats[String(tau)] = {
      reached: reached.length,
      median: median(reached),
      mean: mean(reached),
      min: reached.length ? Math.min(...reached) : null,
      max: reached.length ? Math.max(...reached) : null,
      perLane,
    };
  });
  return stats;
}

/** Each lane's end: last iterate, stop step, divergence, and the 2-state orbit test for lanes that did neither. */
export function laneFinals(fn: CostProgram, work: LaneWork, out: LaneOutput, tightest: number): LaneFinal[] {
  const { n, dim } = out;
  return work.starts.map((_, lane): LaneFinal => {
    const th = Array.from({ length: dim }, (_, c) => out.theta[c * n + lane]);
    const prev = Array.from({ length: dim }, (_, c) => out.prevTheta[c * n + lane]);
    const converged = tightest >= 0 && out.hits[tightest * n + lane] >= 0;
    const diverged = out.divergedAt[lane] >= 0;
    const orbit =
      converged || diverged || out.stopStep[lane] === 0
        ? null
        : detectOrbit(fn, th, prev, work.laneParams[lane].H ?? 1);
    return {
      theta: th,
      f: out.finalF[lane],
      steps: out.stopStep[lane],
      divergedAt: diverged ? out.divergedAt[lane] : null,
      orbit,
    };
  });
}

/** What curves and traces read of a batch's output (a data batch's output has the same fields). */
type RecordedOutput = Pick<
  LaneOutput,
  'n' | 'dim' | 'fRecord' | 'divergedAt' | 'finalF' | 'stopStep' | 'hits' | 'trace'
>;

/**
 * Median, quartiles and mean of f − f* over lanes per recorded step (f itself when f* is unknown: fStar is 0);
 * a stopped lane keeps its last value; a lane counts as converged from its first hit until it diverges.
 */
export function curves(out: RecordedOutput, recordSteps: Int32Array, fStar: number, tightest: number) {
  const { n } = out;
  const result = {
    steps: Array.from(recordSteps),
    median: [] as number[],
    q1: [] as number[],
    q3: [] as number[],
    mean: [] as number[],
    fractionConverged: [] as number[],
  };
  const column = new Float64Array(n);
  recordSteps.forEach((k, r) => {
    let reached = 0;
    for (let lane = 0; lane < n; lane++) {
      const recorded = out.fRecord[r * n + lane];
      const held = out.divergedAt[lane] >= 0 ? Infinity : out.finalF[lane];
      const v = (Number.isNaN(recorded) && k > out.stopStep[lane] ? held : recorded) - fStar;
      column[lane] = Number.isNaN(v) ? Infinity : v;
      const hit = tightest >= 0 ? out.hits[tightest * n + lane] : -1;
      const diverged = out.divergedAt[lane] >= 0 && out.divergedAt[lane] <= k;
      if (hit >= 0 && hit <= k && !diverged) reached++;
    }
    column.sort();
    result.median.push(quantileSorted(column, 0.5));
    result.q1.push(quantileSorted(column, 0.25));
    result.q3.push(quantileSorted(column, 0.75));
    result.mean.push(column.reduce((s, v) => s + v, 0) / n);
    result.fractionConverged.push(reached / n);
  });
  return result;
}
