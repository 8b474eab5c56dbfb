/**
 * A finished sweep as the Lab and the reports draw it (Baiesi 2019, Fig. 3: f_D(η, T) is the fraction of starts
 * converged within T steps), with its checker: per-budget and per-start arrays agree, fractions lie in [0, 1],
 * steps within the largest budget.
 */
import {
  arr,
  ascending,
  bool,
  count,
  fail,
  invalid,
  isObj,
  literal,
  num,
  nullable,
  obj,
  record,
  str,
  type Check,
} from './check';
import { LIMITS } from './limits';
import { hyperParams, pair, type HyperParams, type Point } from './runShapes';

/** A hyperparameter the sweep varies, with its registry scale (η is log-spaced, H linear) and symbol. */
export interface SweepAxis {
  readonly name: string;
  /** How views write the axis (η, H, β₁…), from the optimizers' parameter metadata. */
  readonly symbol: string;
  readonly scale: 'log' | 'linear';
  readonly values: readonly number[];
}

/** One optimizer at one grid point. */
export interface SweepCellData {
  readonly optimizer: string;
  readonly label: string;
  /** Every hyperparameter of the cell, the swept ones included. */
  readonly params: HyperParams;
  /** f_D per budget, in the order of `SweepData.budgets`. */
  readonly fraction: readonly number[];
  /** Over converged starts; steps are updates k. */
  readonly medianSteps: number | null;
  readonly meanSteps: number | null;
  /** Fraction of starts that diverged. */
  readonly diverged: number;
  readonly orbits: number;
  /** Per start: steps to target, null when not reached within the largest budget. */
  readonly perStart: readonly (number | null)[];
  readonly divergedStarts: readonly boolean[];
}

export interface SweepData {
  readonly fn: string;
  readonly variables: readonly string[];
  readonly target: number;
  /** Step budgets T, ascending. */
  readonly budgets: readonly number[];
  readonly axes: readonly SweepAxis[];
  /** Number of starts per cell. */
  readonly n: number;
  /** The start points when the function has two variables (the outcome map), else empty. */
  readonly starts: readonly Point[];
  readonly cells: readonly SweepCellData[];
  /** Measured time per lane-step, by optimizer id. */
  readonly nsPerLaneStep: Readonly<Record<string, number>>;
  readonly backend: string;
}

export const sweepAxis: Check<SweepAxis> = (v, p) => {
  const a = obj<SweepAxis>({
    name: str(64),
    symbol: str(32),
    scale: literal('log', 'linear'),
    values: arr(num(), LIMITS.gridAxis),
  })(v, p);
  if (a.values.length === 0) invalid(`${p}.values`, 'a sweep axis needs at least 1 value');
  if (new Set(a.values).size !== a.values.length) invalid(`${p}.values`, 'values must be distinct');
  if (a.scale === 'log' && a.values.some((x) => !(x > 0))) invalid(`${p}.values`, 'a log axis needs values > 0');
  return a;
};
export const fraction = num({ min: 0, max: 1 });
const sweepCell =
  (budgets: number, n: number, maxSteps: number): Check<SweepCellData> =>
  (v, p) => {
    const c = obj<SweepCellData>({
      optimizer: str(64),
      label: str(),
      params: hyperParams,
      fraction: arr(fraction, LIMITS.budgets),
      medianSteps: nullable(num({ min: 0, max: maxSteps })),
      meanSteps: nullable(num({ min: 0, max: maxSteps })),
      diverged: fraction,
      orbits: count(n),
      perStart: arr(nullable(num({ min: 0, max: maxSteps, int: true })), LIMITS.starts),
      divergedStarts: arr(bool, LIMITS.starts),
    })(v, p);
    if (c.fraction.length !== budgets)
      invalid(`${p}.fraction`, `${c.fraction.length} items, expected one per budget (${budgets})`);
    if (c.perStart.length !== n) invalid(`${p}.perStart`, `${c.perStart.length} items, expected one per start (${n})`);
    if (c.divergedStarts.length !== n)
      invalid(`${p}.divergedStarts`, `divergedStarts has ${c.divergedStarts.length} items, expected ${n}`);
    return c;
  };
export const sweepData: Check<SweepData> = (v, p) => {
  if (!isObj(v)) return fail(p, 'an object', v);
  const budgets = arr(count(1e8), LIMITS.budgets)(v.budgets, `${p}.budgets`);
  if (budgets.length === 0) invalid(`${p}.budgets`, 'a sweep needs at least 1 budget');
  ascending(`${p}.budgets`, budgets);
  const n = num({ min: 1, max: LIMITS.starts, int: true })(v.n, `${p}.n`);
  const starts = arr(pair, LIMITS.starts)(v.starts, `${p}.starts`);
  if (starts.length !== 0 && starts.length !== n)
    invalid(`${p}.starts`, `${starts.length} points, expected none or n = ${n}`);
  const cells = arr(sweepCell(budgets.length, n, budgets[budgets.length - 1]), LIMITS.sweepCells)(
    v.cells,
    `${p}.cells`,
  );
  if (cells.length * n > LIMITS.sweepLanes)
    invalid(`${p}.cells`, `${cells.length} cells × ${n} starts, more than the limit of ${LIMITS.sweepLanes}`);
  return {
    fn: str()(v.fn, `${p}.fn`),
    variables: arr(str(64), 16)(v.variables, `${p}.variables`),
    target: num({ min: 0 })(v.target, `${p}.target`),
    budgets,
    axes: arr(sweepAxis, LIMITS.sweepAxes)(v.axes, `${p}.axes`),
    n,
    starts,
    cells,
    nsPerLaneStep: record(num({ min: 0 }), LIMITS.optimizers)(v.nsPerLaneStep, `${p}.nsPerLaneStep`),
    backend: str(64)(v.backend, `${p}.backend`),
  };
};
