/**
 * A model over data, lowered: what the runner and the kernels consume (issue 12, DATA-CONVENTIONS.md).
 *
 * θ is flat, P = `parameterCount` numbers: the parameters in the order the definition lists its variables
 * (`dense(W, b)`: W, then b), each row-major; parameter k occupies θ[offset, offset + size). `params` are
 * `ParamSpec`s, so `initialParameters(program.params, seed, starts)` draws the starts in this very layout.
 *
 * One per-row program, `graph` (a scalar SSA graph of the IR, hash-consed), computes for one θ and one data row:
 *
 *   loss         ℓ(θ; row), a scalar
 *   gradient[i]  ∂ℓ/∂θᵢ, i = 0 … P−1, by reverse-mode AD on the same graph, so ℓ and ∇ℓ share subexpressions
 *   metrics[k]   each `@metric`'s per-row value
 *
 * Its inputs are θ (`theta[i]` is the input node of θᵢ, named `W[i,j]`, `b[i]` or `c`, 1-based as written) and
 * the cells of the current row it reads (`columns`: each with the dataset's 0-based column index and its input
 * node, named `row[j]`, 1-based), and nothing else. Its size depends on the model alone — never on the number of
 * rows or the batch size: a kernel loops over the rows of a batch, loads `columns[k].index` of each row into
 * `columns[k].input`, evaluates, and averages ℓ and ∇ℓ over the batch (fB, gB) or the training split (F); it
 * averages each metric over the test rows (over the training rows when there are none), DATA-CONVENTIONS.
 * Outputs may be constants (a gradient entry that is identically 0, a loss that ignores the data).
 *
 * The training plan comes with the model: the dataset and its split, `@batch`, `@shuffle`, `@epochs`, `@noise`,
 * `@minimum`; the runner draws initial parameters, batch order and noise from `src/engine/data`.
 */
import type { Dataset, ParamSpec, ShuffleMode, SplitSpec } from '../data';
import type { Graph, NodeId } from '../expr/ir';
import type { SourceRange } from '../expr/sourceMap';

export interface ModelProgram {
  name: string;
  /** The definition, from its name to the end of the loss. */
  range: SourceRange;
  /** The loss as written. */
  source: string;
  data: ModelData;
  /** In the definition's variable order. */
  params: ModelParam[];
  /** P, the length of θ. */
  parameterCount: number;
  graph: Graph;
  /** P input nodes: θ₀ … θ_{P−1}. */
  theta: NodeId[];
  /** The row's cells the graph reads (loss and metrics), by ascending column index. */
  columns: ModelColumn[];
  loss: NodeId;
  /** P nodes: ∂ℓ/∂θᵢ. */
  gradient: NodeId[];
  metrics: ModelMetric[];
  /** `@batch B`; undefined: full batch (the whole training split is one batch). */
  batch?: number;
  /** `@shuffle`; 'epoch' without it. */
  shuffle: ShuffleMode;
  /** `@epochs E`; undefined: the run's step budget decides. */
  epochs?: number;
  /** `@noise sigma`: σ of the Gaussian noise added to each gradient coordinate. */
  noise?: number;
  /** `@minimum value`: f*, the least training loss; 0 without it. */
  fStar: number;
}

export interface ModelData {
  dataset: Dataset;
  /** As written after `@data`: `"teacher.csv"` (quotes included) or `spiral(noise=0.1)`. */
  reference: string;
  /** `@split`; undefined: every row trains. */
  split?: SplitSpec;
  /** The `@data` line. */
  range: SourceRange;
}

export interface ModelParam extends ParamSpec {
  /** [] (a scalar), [n] or [m, n]. */
  readonly shape: readonly [] | readonly [number] | readonly [number, number];
  /** θ[offset, offset + size) holds this parameter, row-major. */
  readonly offset: number;
  readonly size: number;
  /** The `@param` line. */
  readonly range: SourceRange;
}

export interface ModelColumn {
  /** 0-based column of the dataset. */
  index: number;
  /** The column's name (its CSV header). */
  name: string;
  input: NodeId;
}

export interface ModelMetric {
  name: string;
  output: NodeId;
  /** The expression as written. */
  source: string;
  /** The `@metric` line. */
  range: SourceRange;
}
