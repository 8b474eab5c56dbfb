/**
 * What a sweep command asks for, as plain data (no vscode, so it is unit-tested): the grids of η and H with their
 * presets, the step budgets, the optimizers that have the swept hyperparameters, and the one sweep request the
 * worker pool runs as a batch (every lane carries its own hyperparameters).
 */
import { findOptimizer, getOptimizer } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import type { SweepRequest } from '../engine/run/pool/workerPool';
import { parseGrid, type GridAxis } from '../engine/run/sweep';
import { paramSpec, paramSymbol } from '../present/params';
import { LIMITS } from '../shared/limits';
import type { FunctionChoice, RunShape } from './runPlan';

export type SweepKind = 'eta' | 'H' | 'etaH';
export type SweepAxisName = 'eta' | 'H';

export const SWEEP_AXES: Readonly<Record<SweepKind, readonly SweepAxisName[]>> = {
  eta: ['eta'],
  H: ['H'],
  etaH: ['eta', 'H'],
};
/** `η`, `H`, `η × H`: the swept parameters as the registry writes them. */
export const sweepTitle = (kind: SweepKind): string => SWEEP_AXES[kind].map((a) => paramSymbol(a)).join(' × ');
const ETA = paramSymbol('eta');
const H = paramSymbol('H');

export interface GridPreset {
  /** The grid in the CLI's syntax: `lo:hi:n` or a list `a,b,c`. */
  readonly text: string;
  readonly label: string;
  readonly detail: string;
}

/** The first preset is the default (the papers' grids: Baiesi Fig. 3 for η, H from 0.1 to 1). */
export const GRID_PRESETS: Readonly<Record<SweepAxisName, readonly GridPreset[]>> = {
  eta: [
    { text: '1e-4:1e1:6', label: `${ETA} = 10⁻⁴ … 10¹, 6 values`, detail: 'one per decade, as in Baiesi 2019, Fig. 3' },
    { text: '1e-4:1e1:16', label: `${ETA} = 10⁻⁴ … 10¹, 16 values`, detail: 'three per decade' },
    { text: '1e-3:1e0:10', label: `${ETA} = 10⁻³ … 10⁰, 10 values`, detail: 'a finer look at the usual range' },
    { text: '1e-6:1e0:7', label: `${ETA} = 10⁻⁶ … 10⁰, 7 values`, detail: 'small steps, one per decade' },
  ],
  H: [
    { text: '0.1:1:10', label: `${H} = 0.1 … 1, 10 values`, detail: `steps of 0.1; ${H} = 1 is the plain gradient` },
    { text: '0.05:1:20', label: `${H} = 0.05 … 1, 20 values`, detail: 'steps of 0.05' },
    { text: '0.1:0.9:5', label: `${H} = 0.1 … 0.9, 5 values`, detail: 'steps of 0.2' },
  ],
};

export interface BudgetPreset {
  readonly text: string;
  readonly detail: string;
}

export const BUDGET_PRESETS: readonly BudgetPreset[] = [
  { text: '100, 1000, 10000', detail: 'Baiesi 2019, Fig. 3: f_D within 10², 10³ and 10⁴ steps' },
  { text: '1000', detail: 'one chart: f_D within 10³ steps' },
  { text: '100, 1000, 10000, 100000', detail: 'up to 10⁵ steps (lanes stop at the target, but slow ones run long)' },
];

/** Per axis: at most this many values (a heat map of 64 × 64 cells is already beyond reading). */
export const MAX_AXIS_VALUES = 64;
/** The longest budget a sweep from the editor may ask for. */
export const MAX_BUDGET = 1_000_000;

/** The values of a grid typed by the user, spaced by the registry's scale (η log, H linear) as in the CLI. */
export function gridAxis(name: SweepAxisName, text: string): GridAxis {
  const spec = paramSpec(name);
  const values = parseGrid(text, spec?.kind === 'number' ? spec.scale : 'linear');
  const symbol = paramSymbol(name);
  if (values.length > MAX_AXIS_VALUES)
    throw new RangeError(`at most ${MAX_AXIS_VALUES} values of ${symbol}, not ${values.length}`);
  if (name === 'eta' && values.some((v) => !(v > 0))) throw new RangeError(`${symbol} must be > 0`);
  if (name === 'H' && values.some((v) => !(v > 0 && v <= 4))) throw new RangeError(`${symbol} must be in (0, 4]`);
  return { name, values: [...new Set(values)].sort((a, b) => a - b) };
}

/** Budgets typed by the user: step counts separated by commas, sorted, without repeats. */
export function parseBudgets(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.some((s) => s === '') || values.some((v) => !Number.isInteger(v) || v < 1 || v > MAX_BUDGET)) {
    throw new RangeError(
      `budgets are step counts from 1 to ${MAX_BUDGET.toLocaleString('en-US')}, separated by commas`,
    );
  }
  if (values.length > 6) throw new RangeError('at most 6 budgets (one chart each)');
  return [...new Set(values)].sort((a, b) => a - b);
}

const params = (id: string) =>
  new Set(
    getOptimizer(id)
      .params.filter((p) => p.kind === 'number')
      .map((p) => p.name),
  );

/**
 * The optimizers a sweep varies: each chosen one that has every swept hyperparameter, or else its power variant
 * h-<id> when H is swept and that variant has them. With none left: h-GD when H is swept, GD otherwise.
 */
export function sweepOptimizers(axes: readonly SweepAxisName[], chosen: readonly OptimizerConfig[]): OptimizerConfig[] {
  const fits = (id: string) => findOptimizer(id) !== undefined && axes.every((a) => params(id).has(a));
  const out: OptimizerConfig[] = [];
  for (const c of chosen) {
    const id = [c.id, ...(axes.includes('H') ? [`h-${c.id}`] : [])].find(fits);
    if (id && !out.some((o) => o.id === id)) out.push({ id, params: c.params });
  }
  return out.length ? out : [{ id: axes.includes('H') ? 'h-gd' : 'gd', params: {} }];
}

/** The number of cells: every optimizer here has every axis (sweepOptimizers), so it is optimizers × grid points. */
export function cellCount(configs: readonly OptimizerConfig[], axes: readonly GridAxis[]): number {
  return configs.length * axes.reduce((n, a) => n * a.values.length, 1);
}

/** A sweep whose result the panel could not take is refused before it starts, with what to change. */
export function checkSweepSize(cells: number, starts: number): void {
  if (starts > LIMITS.starts)
    throw new RangeError(`a sweep takes at most ${LIMITS.starts} starts, not ${starts}: lower descentLab.starts`);
  if (cells > LIMITS.sweepCells)
    throw new RangeError(
      `${cells} cells is more than the ${LIMITS.sweepCells} a sweep may have: use a coarser grid or fewer optimizers`,
    );
  if (cells * starts > LIMITS.sweepLanes) {
    throw new RangeError(
      `${cells} cells × ${starts} starts is more than ${LIMITS.sweepLanes.toLocaleString('en-US')} trajectories: lower descentLab.starts or use a coarser grid`,
    );
  }
}

/** One request: the pool spreads its lanes (cells × starts) over the workers. */
export function sweepRequest(
  choice: FunctionChoice,
  configs: readonly OptimizerConfig[],
  axes: readonly GridAxis[],
  budgets: readonly number[],
  shape: RunShape,
): SweepRequest {
  return {
    fn: choice.source,
    optimizers: configs,
    grid: axes,
    starts: shape.starts,
    budgets,
    target: shape.target,
    backend: shape.backend,
    precision: shape.precision ?? 'f64',
  };
}
