/**
 * The decision boundary of a model whose inputs are two columns (issue 11 §2, TensorFlow Playground's main view,
 * for any model written in a `.cost` file): the model's output over a grid of the input plane at a given θ.
 *
 * A model in a `.cost` file is a loss ℓ(θ; row), not a network with a designated output node, so its output is
 * read off the loss by putting each value of the target in the row (rowLoss.ts: the kernel's own per-row code):
 *
 *   binary target (two values lo < hi)   s(x) = ℓ(θ; x, lo) − ℓ(θ; x, hi): positive where the model prefers hi.
 *                                        For a negative log-likelihood it is the log-odds log p(hi|x)/p(lo|x), so
 *                                        the logistic loss softplus(−y f) on labels ±1 gives s = f exactly, and the
 *                                        boundary s = 0 is where the model is undecided (p = ½).
 *   any other target (regression)        ŷ(x) = argmin_t ℓ(θ; x, t), from a parabola through ℓ at t = m − d, m,
 *                                        m + d (m, d the target's mean and standard deviation over the rows):
 *                                        exact for every loss quadratic in t (squared error); NaN where ℓ is not
 *                                        convex in t there.
 *
 * The plane: the two input columns and the target column the model reads. By default a model that reads exactly
 * three columns, the last (by column order) being the target, as the built-in 2-D sets (x1, x2, label) and most
 * CSV files lay them out; a caller may name them instead.
 */
import { splitRows } from '../data';
import type { ModelColumn, ModelProgram } from '../model';
import { rowLoss } from './rowLoss';

export interface BoundaryPlane {
  readonly x: ModelColumn;
  readonly y: ModelColumn;
  readonly target: ModelColumn;
  readonly kind: 'binary' | 'regression';
  /** Binary: the target's two values, ascending. Regression: the target's mean and standard deviation. */
  readonly levels: readonly [number, number];
}

export interface BoundaryGrid {
  /** Ascending sample positions along the plane's x and y columns. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Row-major over ys × xs: s(x) for a binary target, ŷ(x) for regression (see the module comment). */
  readonly values: Float64Array;
}

export interface PlanePoints {
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** The target of each row. */
  readonly target: readonly number[];
}

/** Largest grid side: 200 × 200 evaluations of the loss per target value. */
export const MAX_BOUNDARY_SIDE = 200;

/** Binary or regression, decided from the target's distinct values over all rows. */
function targetLevels(model: ModelProgram, column: number): Pick<BoundaryPlane, 'kind' | 'levels'> {
  const { values, columns, rows } = model.data.dataset;
  const w = columns.length;
  const distinct = new Set<number>();
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i * w + column];
    sum += v;
    if (distinct.size <= 2) distinct.add(v);
  }
  if (distinct.size === 2) {
    const [lo, hi] = [...distinct].sort((a, b) => a - b);
    return { kind: 'binary', levels: [lo, hi] };
  }
  const mean = sum / rows;
  let ss = 0;
  for (let i = 0; i < rows; i++) ss += (values[i * w + column] - mean) ** 2;
  return { kind: 'regression', levels: [mean, Math.sqrt(ss / rows) || 1] };
}

/**
 * The plane of a model: its two input columns and its target (0-based dataset columns; by default the model's
 * three columns, the last one the target). Throws a RangeError saying why a model has none.
 */
export function boundaryPlane(
  model: ModelProgram,
  choice?: { readonly x: number; readonly y: number; readonly target: number },
): BoundaryPlane {
  const read = model.columns;
  const names = read.map((c) => c.name).join(', ');
  let picked: ModelColumn[];
  if (choice) {
    const find = (index: number) => {
      const c = read.find((r) => r.index === index);
      if (!c) throw new RangeError(`${model.name} does not read column ${index + 1}; it reads ${names || 'none'}`);
      return c;
    };
    picked = [find(choice.x), find(choice.y), find(choice.target)];
    if (new Set(picked).size < 3) throw new RangeError('the two inputs and the target must be three columns');
    if (read.length > 3)
      throw new RangeError(`${model.name} reads ${read.length} columns (${names}); a plane fixes only three`);
  } else {
    if (read.length !== 3)
      throw new RangeError(
        `${model.name} reads ${read.length} column${read.length === 1 ? '' : 's'}${names ? ` (${names})` : ''}: a decision ` +
          'boundary needs two input columns and a target',
      );
    picked = [...read];
  }
  const [x, y, target] = picked;
  return { x, y, target, ...targetLevels(model, target.index) };
}

/** The inputs' range over every row, widened by `pad` of its span on each side: the default extent of a grid. */
export function planeExtent(
  model: ModelProgram,
  plane: BoundaryPlane,
  pad = 0.05,
): { readonly x: readonly [number, number]; readonly y: readonly [number, number] } {
  const { values, columns, rows } = model.data.dataset;
  const w = columns.length;
  const range = (j: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      lo = Math.min(lo, values[i * w + j]);
      hi = Math.max(hi, values[i * w + j]);
    }
    const span = hi - lo || 1;
    return [lo - pad * span, hi + pad * span];
  };
  return { x: range(plane.x.index), y: range(plane.y.index) };
}

const samples = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

/** The model's output (s or ŷ) at θ on an nx × ny grid over the extent (by default planeExtent's). */
export function decisionBoundary(
  model: ModelProgram,
  plane: BoundaryPlane,
  theta: ArrayLike<number>,
  grid: {
    readonly nx: number;
    readonly ny: number;
    readonly extent?: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  },
): BoundaryGrid {
  const { nx, ny } = grid;
  for (const n of [nx, ny])
    if (!(Number.isInteger(n) && n >= 2 && n <= MAX_BOUNDARY_SIDE))
      throw new RangeError(`a grid side must be an integer in 2…${MAX_BOUNDARY_SIDE}, not ${n}`);
  if (theta.length !== model.parameterCount)
    throw new RangeError(`θ has ${theta.length} numbers; ${model.name} has ${model.parameterCount} parameters`);
  const extent = grid.extent ?? planeExtent(model, plane);
  const xs = samples(extent.x[0], extent.x[1], nx);
  const ys = samples(extent.y[0], extent.y[1], ny);
  const [a, b] = plane.levels;
  const targets = plane.kind === 'binary' ? [a, b] : [a - b, a, a + b];
  const K = targets.length;
  const w = model.data.dataset.columns.length;
  // One synthetic row per grid point and target value; the columns the model does not read stay 0.
  const X = new Float64Array(nx * ny * K * w);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      for (let k = 0; k < K; k++) {
        const o = ((j * nx + i) * K + k) * w;
        X[o + plane.x.index] = xs[i];
        X[o + plane.y.index] = ys[j];
        X[o + plane.target.index] = targets[k];
      }
  const rows = Int32Array.from({ length: nx * ny * K }, (_, r) => r);
  const th = Float64Array.from(theta);
  const loss = rowLoss(model);
  const values = new Float64Array(nx * ny);
  const l = new Float64Array(K);
  for (let p = 0; p < nx * ny; p++) {
    for (let k = 0; k < K; k++) l[k] = loss.sum(th, X, w, rows, p * K + k, p * K + k + 1);
    if (K === 2) values[p] = l[0] - l[1];
    else {
      const curvature = l[0] - 2 * l[1] + l[2];
      values[p] = curvature > 0 ? a + (b * (l[0] - l[2])) / (2 * curvature) : NaN;
    }
  }
  return { xs, ys, values };
}

/** The training and test rows on the plane, with their targets (DATA-CONVENTIONS "Split"). */
export function planePoints(model: ModelProgram, plane: BoundaryPlane): { train: PlanePoints; test: PlanePoints } {
  const { dataset, split } = model.data;
  const w = dataset.columns.length;
  const { train, test } = splitRows(dataset.rows, split);
  const pick = (rows: Int32Array): PlanePoints => ({
    x: Array.from(rows, (r) => dataset.values[r * w + plane.x.index]),
    y: Array.from(rows, (r) => dataset.values[r * w + plane.y.index]),
    target: Array.from(rows, (r) => dataset.values[r * w + plane.target.index]),
  });
  return { train: pick(train), test: pick(test) };
}
