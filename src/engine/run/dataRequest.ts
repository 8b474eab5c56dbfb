/**
 * A data run as plain data, for the worker pool and its threads: the `.cost` text (or a cost function's source)
 * and the data files its `@data` lines read, as the caller read them — a worker never reads a file and never
 * parses a CSV: it gets the dataset's values (a Float64Array, which the pool puts in shared memory once per
 * dataset, so every worker reads the same bytes) and parses only the `.cost` text again, from which the model
 * and its row program are rebuilt exactly.
 */
import { arr, count, invalid, num, obj, optional, str, typed, type Check } from '../../shared/check';
import { MAX_DATA_COLUMNS, MAX_DATA_ROWS, type Dataset } from '../data';
import { CostError, formatCostError, parseCostFile } from '../expr/costParser';
import type { DataFileReader } from '../model';
import { functionProblem, MAX_NOISE, modelProblem, type DataProblem, type PlanOverrides } from './dataProblem';
import type { DataRunSpec } from './dataRunner';
import type { DataSweepSpec } from './dataSweep';
import { functionSource, RequestError, resolveSource, type FunctionSource } from './request';

/** A data file as the caller read it: `path` as written after `@data`. */
export interface DataFile {
  readonly path: string;
  readonly dataset: Dataset;
}

export interface ProblemSource {
  /** A `.cost` file with the model or function's name, or a cost function's other sources. */
  readonly fn: FunctionSource;
  /** The files the `.cost` text's `@data` lines read. */
  readonly files: readonly DataFile[];
  readonly overrides: PlanOverrides;
}

export type DataRunRequest = Omit<DataRunSpec, 'problem'> & { readonly problem: ProblemSource };
export type DataSweepRequest = Omit<DataSweepSpec, 'problem'> & { readonly problem: ProblemSource };

/** A reader that serves `files` and refuses any other path. */
export function filesReader(files: readonly DataFile[]): DataFileReader {
  return (path) => {
    const file = files.find((f) => f.path === path);
    return file ? { ok: true, dataset: file.dataset } : { ok: false, error: `no data file '${path}' was sent` };
  };
}

/**
 * The problem a source names: a model of a `.cost` file (by name), or a cost function trained with gradient
 * noise (σ from the overrides, else its @noise); a RequestError for a user's mistake.
 */
export function resolveProblem(source: ProblemSource): DataProblem {
  const { fn, overrides } = source;
  if (fn.kind === 'file') {
    const parsed = parseCostFile(fn.text, fn.path, { readData: filesReader(source.files) });
    if (parsed.errors.length) throw new RequestError(parsed.errors.map(formatCostError).join('\n'));
    const model = parsed.models.find((m) => m.name === fn.name);
    if (model) return asRequestError(() => modelProblem(model, overrides));
  }
  const cost = resolveSource(fn);
  if (overrides.batch !== undefined || overrides.epochs !== undefined)
    throw new RequestError(`${cost.name} is a cost function: a batch size and epochs belong to models over data`);
  const sigma = overrides.noise ?? cost.noise ?? 0;
  return asRequestError(() => functionProblem(cost, sigma));
}

function asRequestError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new RequestError(e.message);
    if (e instanceof CostError) throw new RequestError(formatCostError(e));
    throw e;
  }
}

const dataset: Check<Dataset> = (v, p) => {
  const d = obj<Dataset>({
    name: str(4096),
    columns: arr(str(1000), MAX_DATA_COLUMNS, 1),
    rows: count(MAX_DATA_ROWS),
    values: typed(Float64Array, MAX_DATA_ROWS * MAX_DATA_COLUMNS),
  })(v, p);
  if (d.values.length !== d.rows * d.columns.length)
    invalid(`${p}.values`, `expected ${d.rows} × ${d.columns.length} values`);
  return d;
};

const positive = optional(num({ min: 1, max: Number.MAX_SAFE_INTEGER, int: true }), undefined);

export const problemSource: Check<ProblemSource> = obj<ProblemSource>({
  fn: functionSource,
  files: arr(obj<DataFile>({ path: str(4096), dataset }), 64),
  overrides: obj<PlanOverrides>({
    batch: positive,
    epochs: positive,
    noise: optional(num({ min: 0, max: MAX_NOISE }), undefined),
  }),
});
