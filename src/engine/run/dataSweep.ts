/**
 * Sweeps of models over data (and of noisy cost functions): a grid over hyperparameters × optimizers × starts as
 * one batch of lanes per optimizer, each lane with its cell's hyperparameters and its start's initial parameters,
 * batches and noise (the same for every cell). Each cell is summarized exactly as a run of that configuration
 * would be (dataSummary.ts): a cell equals a single run. Lanes run to the step budget unless the sweep stops at
 * its targets.
 */
import type { BackendChoice } from '../kernel/types';
import type { OptimizerConfig } from '../optim/types';
import { executeDataHere, type DataLaneOutput } from './dataLanes';
import type { DataProblem } from './dataProblem';
import { planDataRun, type DataPlannedOptimizer, type DataStarts } from './dataRunner';
import { laneRange, summarizeDataOptimizer, type DataOptimizerRun } from './dataSummary';
import type { LaneHooks } from './lanes';
import { gridCells, type CellPlan, type GridAxis } from './sweep';

export interface DataSweepSpec {
  readonly problem: DataProblem;
  readonly optimizers: readonly OptimizerConfig[];
  readonly grid: readonly GridAxis[];
  readonly starts: DataStarts;
  readonly seed: number;
  readonly steps: number;
  readonly targets: readonly number[];
  readonly stopAtTargets?: boolean;
  readonly maxPoints?: number;
  readonly backend?: BackendChoice;
}

export interface DataSweepPlan {
  readonly spec: DataSweepSpec;
  readonly startCount: number;
  readonly optimizers: readonly DataPlannedOptimizer[];
  readonly cells: readonly (readonly CellPlan[])[];
}

export interface DataSweepResult {
  readonly name: string;
  readonly grid: readonly GridAxis[];
  readonly steps: number;
  readonly targets: readonly number[];
  readonly seed: number;
  readonly startCount: number;
  readonly metrics: readonly string[];
  /** One per cell, optimizer after optimizer, as a run of that configuration reports it (no trajectories). */
  readonly cells: readonly DataOptimizerRun[];
}

export function planDataSweep(spec: DataSweepSpec): DataSweepPlan {
  const cells = gridCells(spec.optimizers, spec.grid);
  const base = planDataRun(
    { ...spec, traces: 0 },
    cells.reduce((s, c) => s + c.length, 0),
  );
  const N = base.startCount;
  const optimizers = base.optimizers.map((o, i): DataPlannedOptimizer => {
    const count = cells[i].length;
    const theta0 = new Float64Array(count * base.starts.length);
    const startIndex = new Int32Array(count * N);
    cells[i].forEach((_, c) => {
      theta0.set(base.starts, c * base.starts.length);
      startIndex.set(o.work.startIndex, c * N);
    });
    const laneParams = cells[i].flatMap((cell) => {
      const numbers = Object.fromEntries(
        Object.entries(cell.params).filter((e): e is [string, number] => typeof e[1] === 'number'),
      );
      return Array.from({ length: N }, () => numbers);
    });
    return { ...o, work: { ...o.work, theta0, startIndex, laneParams } };
  });
  return { spec, startCount: N, optimizers, cells };
}

/** A sweep on this thread (the CLI and tests; the pool shares the plan and the summary). */
export function sweepData(spec: DataSweepSpec, hooks: LaneHooks = {}): DataSweepResult {
  const plan = planDataSweep(spec);
  return summarizeDataSweep(plan, executeDataHere(spec.problem, plan.optimizers, spec.backend, hooks));
}

export function summarizeDataSweep(plan: DataSweepPlan, outputs: readonly DataLaneOutput[]): DataSweepResult {
  const { spec, startCount: N } = plan;
  const cells = plan.optimizers.flatMap((o, i) =>
    plan.cells[i].map((cell, c) =>
      summarizeDataOptimizer(spec.problem, { ...o, params: cell.params }, laneRange(outputs[i], c * N, (c + 1) * N)),
    ),
  );
  return {
    name: spec.problem.name,
    grid: spec.grid,
    steps: spec.steps,
    targets: spec.targets,
    seed: spec.seed,
    startCount: N,
    metrics: spec.problem.metrics,
    cells,
  };
}
