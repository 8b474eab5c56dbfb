/**
 * What a data run trains: a row program over rows, with the training plan resolved — a model over data
 * (its dataset split, `@batch`, `@shuffle`, `@epochs`, `@noise`, each overridable as the CLI's --batch, --epochs,
 * --noise do), or a cost function with gradient noise, which is a model of one row read by no column, trained
 * full batch: its F is f, its epochs are not reported.
 */
import { batchesPerEpoch, MAX_DATA_ROWS, splitRows, type ParamSpec, type ShuffleMode } from '../data';
import type { DataRows } from '../kernel/dataTypes';
import type { ModelProgram } from '../model';
import { functionRow, type RowProgram } from '../program/dataProgram';
import type { RunFunction } from './runner';
import type { Domain } from './starts';

export interface DataProblem {
  readonly kind: 'model' | 'function';
  readonly name: string;
  /** The loss (a model's, as written after its `=`) or the function's expression. */
  readonly source: string;
  /** θ's components as written (`W[1,2]`, `b[3]`; a function's variables). */
  readonly variables: readonly string[];
  readonly row: RowProgram;
  readonly rows: DataRows;
  readonly trainRows: number;
  readonly testRows: number;
  /** Rows per batch B (the training split's size for full batch). */
  readonly batch: number;
  readonly shuffle: ShuffleMode;
  /** σ of the gradient noise; 0 for none. */
  readonly noise: number;
  readonly fStar: number;
  /** Whether f* was given (a model's loss minimum, a function's `@minimum`); otherwise targets are on f itself. */
  readonly fStarKnown: boolean;
  /** The model's epochs (after an override); undefined: the run's step budget decides. */
  readonly epochs?: number;
  /** The model itself (its dataset, columns and parameters), for views that read more than the row program. */
  readonly model?: ModelProgram;
  /** A model's parameters: what initialParameters draws. */
  readonly params?: readonly ParamSpec[];
  readonly metrics: readonly string[];
  /** A function's domain and minima (for its random starts and reports). */
  readonly domain?: Domain;
  readonly minima: readonly (readonly number[])[];
}

/** What the CLI's --batch, --epochs and --noise (or a request) change in a model's plan. */
export interface PlanOverrides {
  readonly batch?: number;
  readonly epochs?: number;
  readonly noise?: number;
}

/** Largest σ accepted for gradient noise: past it every gradient is noise. */
export const MAX_NOISE = 1e6;

function checkOverrides(o: PlanOverrides): void {
  const count = (v: number | undefined, what: string) => {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1))
      throw new RangeError(`${what} must be an integer ≥ 1, not ${v}`);
  };
  count(o.batch, 'the batch size');
  count(o.epochs, 'the number of epochs');
  checkNoise(o.noise);
}

function checkNoise(sigma: number | undefined): void {
  if (sigma !== undefined && !(sigma >= 0 && sigma <= MAX_NOISE))
    throw new RangeError(`the noise σ must be a number in 0…${MAX_NOISE}, not ${sigma}`);
}

export function modelProblem(model: ModelProgram, overrides: PlanOverrides = {}): DataProblem {
  checkOverrides(overrides);
  const { dataset, split } = model.data;
  const { train, test } = splitRows(dataset.rows, split);
  const asked = overrides.batch ?? model.batch ?? train.length;
  // Past n_train a shuffled batch is the whole split anyway; drawn with replacement it keeps its B rows.
  if (model.shuffle === 'replace' && asked > MAX_DATA_ROWS)
    throw new RangeError(`with @shuffle replace a batch may have at most ${MAX_DATA_ROWS} rows, not ${asked}`);
  const batch = model.shuffle === 'replace' ? asked : Math.min(asked, train.length);
  return {
    kind: 'model',
    name: model.name,
    source: model.source,
    variables: model.theta.map((id) => {
      const node = model.graph.node(id);
      return node.kind === 'input' ? node.name : `θ${id}`;
    }),
    row: model,
    model,
    rows: { values: dataset.values, width: dataset.columns.length, train, metricRows: test.length ? test : train },
    trainRows: train.length,
    testRows: test.length,
    batch,
    shuffle: model.shuffle,
    noise: overrides.noise ?? model.noise ?? 0,
    fStar: model.fStar,
    // DATA-CONVENTIONS: a loss has f* = 0 unless `@minimum` says otherwise (a documented default, not a guess).
    fStarKnown: true,
    epochs: overrides.epochs ?? model.epochs,
    params: model.params,
    metrics: model.metrics.map((m) => m.name),
    minima: [],
  };
}

export function functionProblem(fn: RunFunction & { readonly source?: string }, noise: number): DataProblem {
  checkNoise(noise);
  const one = Int32Array.of(0);
  return {
    kind: 'function',
    name: fn.name,
    source: fn.source ?? fn.name,
    variables: fn.variables,
    row: functionRow(fn),
    rows: { values: new Float64Array(0), width: 0, train: one, metricRows: one },
    trainRows: 1,
    testRows: 0,
    batch: 1,
    shuffle: 'none',
    noise,
    fStar: fn.fStar ?? 0,
    fStarKnown: fn.fStar !== undefined,
    metrics: [],
    domain: fn.domain,
    minima: fn.minima,
  };
}

/** Updates per epoch, nb = ceil(n_train / B). */
export function epochSteps(problem: DataProblem): number {
  return batchesPerEpoch({ rows: problem.trainRows, batch: problem.batch, shuffle: problem.shuffle });
}

/** Rows per start in an epoch's order: n_train, or every batch's B rows with `@shuffle replace`. */
export function orderLength(problem: DataProblem): number {
  return problem.shuffle === 'replace' ? epochSteps(problem) * problem.batch : problem.trainRows;
}

/** A model's step budget from its epochs (E·nb), or undefined when it has none. */
export function epochBudget(problem: DataProblem): number | undefined {
  return problem.kind === 'model' && problem.epochs !== undefined ? problem.epochs * epochSteps(problem) : undefined;
}
