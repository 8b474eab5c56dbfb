/** A dataset: numbers only, rows × columns, one Float64Array shared by every lane that trains on it. */

export interface Dataset {
  /** The file name or the built-in reference (`spiral(n=400)`), for messages and summaries. */
  readonly name: string;
  /** Column names (a CSV's header), unique and non-empty; `row.NAME` in a `.cost` file refers to them. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** rows × columns.length, row-major: cell (i, j) is values[i·columns.length + j]. */
  readonly values: Float64Array;
}

/** Issue 12's limits (README "Datasets"): past each a clear error, never a slow run or an exhausted heap. */
export const MAX_DATA_ROWS = 100_000;
export const MAX_DATA_COLUMNS = 100;
/** 50 MB of CSV text (decimal megabytes); callers can compare a file's size before reading or decoding it. */
export const MAX_CSV_BYTES = 50_000_000;
