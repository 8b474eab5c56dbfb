/**
 * Sweeps: a grid over hyperparameters × optimizers × start points as one batch per optimizer — every lane
 * carries its own hyperparameters, so a sweep is a bigger batch, not a loop of runs. Lanes stop once they
 * reach the target or diverge. Per cell: the success fraction f_D(T) within each step budget T (Baiesi
 * 2019, Fig. 3) and within time budgets (from the measured time per step), steps to target, divergence and
 * 2-state orbits.
 */
import type { BackendChoice, Precision } from '../kernel/types';
import { getOptimizer } from '../optim/registry';
import type { NumberParam, OptimizerConfig } from '../optim/types';
import { executeHere, type LaneOutput } from './lanes';
import { resolveParams } from './params';
import { laneFinals, MAX_LANES, planRun, type PlannedOptimizer, type RunFunction, type RunHooks } from './runner';
import { makeStarts, type StartSpec } from './starts';
import { mean, median } from './statistics';

export interface GridAxis {
  readonly name: string;
  readonly values: readonly number[];
}

export interface SweepSpec {
  readonly fn: RunFunction;
  readonly optimizers: readonly OptimizerConfig[];
  /** Each axis varies the hyperparameter of that name in every optimizer that has it. */
  readonly grid: readonly GridAxis[];
  readonly starts: StartSpec;
  /** Step budgets T (the run lasts max T). */
  readonly budgets: readonly number[];
  /** Time budgets in seconds, judged with each optimizer's measured time per step (optional). */
  readonly timeBudgets?: readonly number[];
  readonly target: number;
  readonly backend?: BackendChoice;
  readonly precision?: Precision;
}

export interface SweepCell {
  readonly optimizer: string;
  readonly label: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly n: number;
  /** f_D: fraction of starts with f − f* ≤ target within T steps, by T. */
  readonly fraction: Readonly<Record<string, number>>;
  /** The same within a time budget (seconds), by budget. */
  readonly fractionByTime: Readonly<Record<string, number>>;
  readonly converged: number;
  /** Over converged lanes; k is the number of updates. */
  readonly medianSteps: number | null;
  readonly meanSteps: number | null;
  /** Fraction of starts that diverged. */
  readonly diverged: number;
  /** Lanes caught on a 2-state orbit. */
  readonly orbits: number;
  /** Per start: steps to target (null when not reached), for outcome maps. */
  readonly perStart: readonly (number | null)[];
  readonly divergedStarts: readonly boolean[];
}

export interface SweepResult {
  readonly fn: { readonly name: string; readonly variables: readonly string[]; readonly fStar: number };
  readonly target: number;
  readonly budgets: readonly number[];
  readonly timeBudgets: readonly number[];
  readonly grid: readonly GridAxis[];
  readonly starts: readonly (readonly number[])[];
  readonly startSpec: StartSpec;
  readonly cells: readonly SweepCell[];
  /** Measured time per lane-step, by optimizer id. */
  readonly nsPerLaneStep: Readonly<Record<string, number>>;
  readonly backend: string;
  /** The step a stopped sweep reached: then only the budgets up to it are judged (`budgets`); null when done. */
  readonly stoppedAt: number | null;
  readonly precision: Precision;
}

/** Cells of one optimizer: the product of the grid axes it has (one cell when it has none). */
export interface CellPlan {
  readonly params: Record<string, number | string>;
}

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly starts: readonly (readonly number[])[];
  readonly optimizers: readonly PlannedOptimizer[];
  readonly cells: readonly (readonly CellPlan[])[];
  readonly steps: number;
}

/** Each optimizer's cells: the product of the grid axes it has, each value range-checked (one cell without any). */
export function gridCells(optimizers: readonly OptimizerConfig[], grid: readonly GridAxis[]): CellPlan[][] {
  for (const axis of grid) {
    if (axis.values.length === 0 || !axis.values.every(Number.isFinite))
      throw new RangeError(`the grid of ${axis.name} must be finite numbers`);
    const owners = optimizers.filter((o) =>
      getOptimizer(o.id).params.some((p) => p.kind === 'number' && p.name === axis.name),
    );
    if (owners.length === 0) throw new RangeError(`no optimizer of this sweep has a hyperparameter '${axis.name}'`);
  }
  return optimizers.map((config) => {
    const optimizer = getOptimizer(config.id);
    const axes = grid.filter((a) =>
      optimizer.params.some((p): p is NumberParam => p.kind === 'number' && p.name === a.name),
    );
    const combos = axes.reduce<Record<string, number>[]>(
      (acc, a) => acc.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v }))),
      [{}],
    );
    return combos.map((combo): CellPlan => ({ params: resolveParams(optimizer, { ...config.params, ...combo }) }));
  });
}

export function planSweep(spec: SweepSpec): SweepPlan {
  const budgets = spec.budgets;
  if (budgets.length === 0 || budgets.some((b) => !Number.isInteger(b) || b < 0))
    throw new RangeError('step budgets must be integers ≥ 0');
  const steps = Math.max(...budgets);
  const starts = makeStarts(spec.starts, spec.fn.inputs.length);
  const cells = gridCells(spec.optimizers, spec.grid);
  const lanes = cells.reduce((s, c) => s + c.length * starts.length, 0);
  if (lanes > MAX_LANES) throw new RangeError(`this sweep needs ${lanes} lanes (cells × starts); at most ${MAX_LANES}`);
  // One plan per optimizer, then every lane given its cell's hyperparameters.
  const base = planRun({
    fn: spec.fn,
    optimizers: spec.optimizers,
    starts: { kind: 'list', points: starts },
    steps,
    targets: [spec.target],
    stopAtTargets: true,
    traces: 0,
    maxPoints: 2,
    backend: spec.backend,
    precision: spec.precision,
  });
  const optimizers = base.optimizers.map((o, i): PlannedOptimizer => {
    const laneParams = cells[i].flatMap((cell) => {
      const numbers = Object.fromEntries(
        Object.entries(cell.params).filter((e): e is [string, number] => typeof e[1] === 'number'),
      );
      return starts.map(() => numbers);
    });
    return { ...o, work: { ...o.work, starts: cells[i].flatMap(() => starts), laneParams } };
  });
  return { spec, starts, optimizers, cells, steps };
}

/** A sweep on this thread (the CLI and tests; the extension sends the plan's lanes to the worker pool). */
export function sweep(spec: SweepSpec, hooks: RunHooks = {}): SweepResult {
  const plan = planSweep(spec);
  return summarizeSweep(plan, executeHere(plan.optimizers, spec.backend, hooks));
}

export function summarizeSweep(plan: SweepPlan, outputs: readonly LaneOutput[]): SweepResult {
  const { spec, starts } = plan;
  const S = starts.length;
  // Stopped early, a sweep can only say f_D for the budgets its every lane got through.
  const reached = outputs.reduce((m, o) => (o.stoppedAt >= 0 && (m < 0 || o.stoppedAt < m) ? o.stoppedAt : m), -1);
  const budgets = reached < 0 ? spec.budgets : spec.budgets.filter((T) => T <= reached);
  const timeBudgets = reached < 0 ? (spec.timeBudgets ?? []) : [];
  const nsPerLaneStep: Record<string, number> = {};
  const cells = plan.optimizers.flatMap((o, i) => {
    const out = outputs[i];
    const ns = out.laneSteps ? (out.seconds * 1e9) / out.laneSteps : 0;
    nsPerLaneStep[o.config.id] = ns;
    const finals = laneFinals(spec.fn, o.work, out, 0);
    return plan.cells[i].map((cell, c): SweepCell => {
      const lanes = Array.from({ length: S }, (_, s) => c * S + s);
      const perStart = lanes.map((lane) => (out.hits[lane] >= 0 ? out.hits[lane] : null));
      const reached = perStart.filter((k): k is number => k !== null);
      const within = (T: number) => reached.filter((k) => k <= T).length / S;
      return {
        optimizer: o.config.id,
        label: o.program.optimizer.label,
        params: cell.params,
        n: S,
        fraction: Object.fromEntries(budgets.map((T) => [String(T), within(T)])),
        fractionByTime: Object.fromEntries(
          timeBudgets.map((t) => [String(t), within(Math.floor((t * 1e9) / Math.max(ns, 1e-9)))]),
        ),
        converged: reached.length,
        medianSteps: median(reached),
        meanSteps: mean(reached),
        diverged: lanes.filter((lane) => finals[lane].divergedAt !== null).length / S,
        orbits: lanes.filter((lane) => finals[lane].orbit !== null).length,
        perStart,
        divergedStarts: lanes.map((lane) => finals[lane].divergedAt !== null),
      };
    });
  });
  return {
    fn: { name: spec.fn.name, variables: spec.fn.variables, fStar: spec.fn.fStar ?? 0 },
    target: spec.target,
    budgets,
    timeBudgets,
    grid: spec.grid,
    starts,
    startSpec: spec.starts,
    cells,
    nsPerLaneStep,
    backend: outputs[0]?.backend ?? 'js',
    stoppedAt: reached < 0 ? null : reached,
    precision: spec.precision ?? 'f64',
  };
}

/** `lo:hi:n` → n log-spaced values (η), or linearly spaced ones (H); `a,b,c` → that list. */
export function parseGrid(text: string, scale: 'log' | 'linear'): number[] {
  const range = /^\s*([^:,\s]+)\s*:\s*([^:,\s]+)\s*:\s*(\d+)\s*$/.exec(text);
  if (range) {
    const [lo, hi, count] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || count < 1 || count > 1000)
      throw new RangeError(`'${text}' is not lo:hi:n with 1 ≤ n ≤ 1000`);
    if (scale === 'log' && !(lo > 0 && hi > 0)) throw new RangeError(`a log grid needs lo, hi > 0: '${text}'`);
    return Array.from({ length: count }, (_, i) => {
      const t = count === 1 ? 0 : i / (count - 1);
      // Exact decades on a log grid: 10^(a + t(b − a)) computed from the exponents, so 1e-4:1e1:6 gives 1e-4 … 10.
      return scale === 'log'
        ? Number((10 ** (Math.log10(lo) + t * (Math.log10(hi) - Math.log10(lo)))).toPrecision(15))
        : Number((lo + t * (hi - lo)).toPrecision(15));
    });
  }
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v, i) => !Number.isFinite(v) || text.split(',')[i].trim() === '')) {
    throw new RangeError(`'${text}' is neither lo:hi:n nor a list of numbers`);
  }
  return values;
}
