/**
 * The train/test split, DATA-CONVENTIONS.md "Split". `@split N` (a count) or `@split 0.8` (a fraction of the
 * rows, floored) puts that many rows in the training split and the rest in the test split. Rows are first
 * shuffled by Fisher–Yates with the stream mulberry32(splitSeed), splitSeed = 0 unless `@split N seed S`;
 * `@split N ordered` keeps file order. Without `@split` every row trains.
 *
 * Where the convention is silent: a size strictly between 0 and 1 is a fraction, an integer ≥ 1 a count (so
 * `@split 1` is one row, as in scikit-learn's train_size); the training split may not be empty, the test split
 * may. Both splits keep the shuffled order, which is the order `@shuffle none` trains in.
 */
import { fisherYates, identity } from './batchOrder';
import { mulberry32 } from './random';

export interface SplitSpec {
  /** A count (an integer ≥ 1) or a fraction in (0, 1). */
  readonly size: number;
  /** splitSeed; 0 when absent. */
  readonly seed?: number;
  /** Keep file order (no shuffle). */
  readonly ordered?: boolean;
}

export interface Split {
  /** Dataset rows (0-based), in split order. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** What is wrong with a split of `rows` rows, for a message at the directive; undefined when it is fine. */
export function splitProblem(spec: SplitSpec, rows: number): string | undefined {
  const { size } = spec;
  if (spec.ordered && spec.seed !== undefined) return "'ordered' keeps file order; it takes no seed";
  if (spec.seed !== undefined && !(Number.isInteger(spec.seed) && spec.seed >= 0 && spec.seed <= 0xffffffff))
    return `the split seed must be an integer from 0 to 4294967295, not ${spec.seed}`;
  if (!Number.isFinite(size) || size <= 0)
    return `the split must be a row count (an integer ≥ 1) or a fraction between 0 and 1, not ${size}`;
  if (size >= 1 && !Number.isInteger(size))
    return `the split ${size} is neither a row count (an integer) nor a fraction below 1`;
  const count = trainCount(size, rows);
  if (count < 1) return `a fraction ${size} of ${rows} rows leaves no training row`;
  if (count > rows) return `the split asks for ${count} training rows; the data has ${rows}`;
  return undefined;
}

/** Training rows for a valid size: the count, or floor(size·rows) for a fraction. */
export function trainCount(size: number, rows: number): number {
  return size < 1 ? Math.floor(size * rows) : size;
}

/** The split of rows 0…rows−1; without a spec every row trains, in file order. Throws on an invalid spec. */
export function splitRows(rows: number, spec?: SplitSpec): Split {
  if (!spec) return { train: identity(rows), test: new Int32Array(0) };
  const problem = splitProblem(spec, rows);
  if (problem) throw new RangeError(problem);
  const order = identity(rows);
  if (!spec.ordered) fisherYates(order, mulberry32(spec.seed ?? 0));
  const count = trainCount(spec.size, rows);
  return { train: order.slice(0, count), test: order.slice(count) };
}
