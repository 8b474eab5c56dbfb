/**
 * Messages between the host and the dataset preview webview: the host sends one `dataset` message with every
 * number the page shows (the first rows, a sample of rows for the scatter, the colourings, the column
 * summaries); the page only chooses among them and draws. Both directions are checked on receipt. Imports only
 * src/shared, so the webview bundle can use it.
 */
import { arr, count, dispatch, invalid, literal, nullable, num, obj, str, type Check, typed } from './check';

/** At most this many rows in the table and in the scatter. */
export const PREVIEW_TABLE_ROWS = 50;
export const PREVIEW_SCATTER_ROWS = 5000;
/** Columns of a dataset (MAX_DATA_COLUMNS) and so colourings: each column, or a one-hot group for several. */
export const PREVIEW_MAX_COLUMNS = 100;
/** A categorical colouring has at most this many classes; a column with more distinct values is continuous. */
export const PREVIEW_MAX_CLASSES = 12;

export interface PreviewColumn {
  readonly name: string;
  /** describe()'s kind: one-hot, binary ±1, binary 0/1, integer or real. */
  readonly kind: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** What the scatter's colour can be: one column's values, or classes (a one-hot group, a label column). */
export interface PreviewColouring {
  readonly name: string;
  /** Class names, or null for a continuous colouring. */
  readonly classes: readonly string[] | null;
  /** Per scatter row: the class index (0-based), or the value. */
  readonly values: Float64Array;
}

export interface PreviewDataset {
  readonly type: 'dataset';
  readonly title: string;
  /** What the numbers are: the source and the split, in words. */
  readonly subtitle: string;
  readonly rows: number;
  readonly columns: readonly PreviewColumn[];
  /** Training and test rows, or null without a split (every row trains). */
  readonly split: { readonly train: number; readonly test: number } | null;
  /** The first rows in file order: their 0-based indices, values (row-major), and 1 where a row is a test row. */
  readonly table: { readonly rows: Int32Array; readonly values: Float64Array; readonly test: Int32Array };
  /** The rows drawn in the scatter (all, or evenly spaced ones), laid out as the table's. */
  readonly scatter: { readonly rows: Int32Array; readonly values: Float64Array; readonly test: Int32Array };
  readonly colourings: readonly PreviewColouring[];
  /** The columns first shown on x and y, and the colouring first used (the label). */
  readonly initial: { readonly x: number; readonly y: number; readonly colour: number };
}

export type PreviewToWebview = PreviewDataset;
export type PreviewToHost = { readonly type: 'ready' };

/** A Float64Array of finite numbers. */
const finite =
  (max: number): Check<Float64Array> =>
  (v, p) => {
    const a = typed(Float64Array, max)(v, p);
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i])) invalid(`${p}[${i}]`, `expected a finite number, got ${a[i]}`);
    return a;
  };

const rowsBlock = (maxRows: number) =>
  obj<PreviewDataset['table']>({
    rows: typed(Int32Array, maxRows),
    values: finite(maxRows * PREVIEW_MAX_COLUMNS),
    test: typed(Int32Array, maxRows),
  });

const column = obj<PreviewColumn>({ name: str(200), kind: str(40), min: num(), max: num(), mean: num() });

const colouring = obj<PreviewColouring>({
  name: str(2000),
  classes: nullable(arr(str(200), PREVIEW_MAX_CLASSES, 1)),
  values: finite(PREVIEW_SCATTER_ROWS),
});

const dataset: Check<PreviewDataset> = (v, p) => {
  const m = obj<PreviewDataset>({
    type: literal('dataset'),
    title: str(500),
    subtitle: str(2000),
    rows: count(),
    columns: arr(column, PREVIEW_MAX_COLUMNS, 1),
    split: nullable(obj({ train: count(), test: count() })),
    table: rowsBlock(PREVIEW_TABLE_ROWS),
    scatter: rowsBlock(PREVIEW_SCATTER_ROWS),
    colourings: arr(colouring, PREVIEW_MAX_COLUMNS, 1),
    initial: obj({ x: count(), y: count(), colour: count() }),
  })(v, p);
  const width = m.columns.length;
  for (const key of ['table', 'scatter'] as const) {
    const b = m[key];
    if (b.values.length !== b.rows.length * width || b.test.length !== b.rows.length)
      invalid(`${p}.${key}`, `expected ${b.rows.length} rows of ${width} values and ${b.rows.length} split marks`);
  }
  m.colourings.forEach((c, k) => {
    if (c.values.length !== m.scatter.rows.length)
      invalid(`${p}.colourings[${k}].values`, `expected ${m.scatter.rows.length} values, one per scatter row`);
    if (c.classes && c.values.some((x) => !Number.isInteger(x) || x < 0 || x >= c.classes!.length))
      invalid(`${p}.colourings[${k}].values`, `expected class indices below ${c.classes.length}`);
  });
  if (m.initial.x >= width || m.initial.y >= width || m.initial.colour >= m.colourings.length)
    invalid(`${p}.initial`, 'a column or colouring that is not there');
  return m;
};

export function parsePreviewMessage(v: unknown): PreviewToWebview {
  return dispatch<PreviewToWebview>({ dataset }, v);
}

export function parsePreviewReply(v: unknown): PreviewToHost {
  return dispatch<PreviewToHost>({ ready: obj<PreviewToHost>({ type: literal('ready') }) }, v);
}
