/**
 * A dataset's summary for `descent-lab data FILE.csv|NAME` and editor hovers: rows, and per column its range,
 * mean and kind, and the split's counts. Kinds, first match wins:
 *   'one-hot'  one of ≥ 2 adjacent 0/1 columns whose sum is exactly 1 in every row (a class encoding)
 *   'binary ±1' every value is −1 or 1;  'binary 0/1' every value is 0 or 1
 *   'integer'  every value is a whole number;  'real' the rest
 */
import type { Dataset } from './dataset';
import { splitProblem, trainCount, type SplitSpec } from './split';

export type ColumnKind = 'one-hot' | 'binary ±1' | 'binary 0/1' | 'integer' | 'real';

export interface ColumnSummary {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly kind: ColumnKind;
  /** For a one-hot column, its group's first and last column (0-based, both included). */
  readonly group?: readonly [first: number, last: number];
}

export interface DatasetSummary {
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly ColumnSummary[];
  /** Training and test rows under the split (every row trains without one); a problem with the split instead. */
  readonly split: { readonly train: number; readonly test: number } | { readonly problem: string };
}

export function describe(data: Dataset, split?: SplitSpec): DatasetSummary {
  const width = data.columns.length;
  const at = (i: number, j: number) => data.values[i * width + j];
  const all = (j: number, test: (v: number) => boolean) => {
    for (let i = 0; i < data.rows; i++) if (!test(at(i, j))) return false;
    return true;
  };
  const zeroOne = data.columns.map((_, j) => all(j, (v) => v === 0 || v === 1));
  const groups = oneHotGroups(data, zeroOne);
  const columns = data.columns.map((name, j): ColumnSummary => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < data.rows; i++) {
      const v = at(i, j);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    const group = groups.find(([first, last]) => first <= j && j <= last);
    const kind: ColumnKind = group
      ? 'one-hot'
      : all(j, (v) => v === -1 || v === 1)
        ? 'binary ±1'
        : zeroOne[j]
          ? 'binary 0/1'
          : all(j, Number.isInteger)
            ? 'integer'
            : 'real';
    return { name, min, max, mean: sum / data.rows, kind, ...(group && { group }) };
  });
  const problem = split && splitProblem(split, data.rows);
  const train = split ? trainCount(split.size, data.rows) : data.rows;
  return {
    name: data.name,
    rows: data.rows,
    columns,
    split: problem ? { problem } : { train, test: data.rows - train },
  };
}

/**
 * One-hot groups, left to right: from a 0/1 column j, the shortest run of adjacent 0/1 columns j…e (e > j)
 * whose row sums are all exactly 1, if no row sum passes 1 on the way; the search goes on after e.
 */
function oneHotGroups(data: Dataset, zeroOne: readonly boolean[]): [number, number][] {
  const width = data.columns.length;
  const groups: [number, number][] = [];
  const sums = new Float64Array(data.rows);
  for (let j = 0; j < width; j++) {
    if (!zeroOne[j]) continue;
    sums.fill(0);
    for (let e = j; e < width && zeroOne[e]; e++) {
      let exceeds = false;
      let allOne = true;
      for (let i = 0; i < data.rows; i++) {
        sums[i] += data.values[i * width + e];
        exceeds ||= sums[i] > 1;
        allOne &&= sums[i] === 1;
      }
      if (exceeds) break;
      if (allOne && e > j) {
        groups.push([j, e]);
        j = e;
        break;
      }
    }
  }
  return groups;
}
