/**
 * The dataset preview's message, from a Dataset and its split, without `vscode`: the first rows in file order
 * with their split marked, a sample of rows for the scatter (all of them up to PREVIEW_SCATTER_ROWS, else evenly
 * spaced ones), and the ways to colour it — each one-hot group as one class column (argmax), a column of few
 * whole values as classes, any other column by value — with the label (the last one-hot group, else the last
 * column) first. Every number the page shows is computed here.
 */
import { describe, splitRows, type Dataset, type SplitSpec } from '../engine/data';
import {
  PREVIEW_MAX_CLASSES,
  PREVIEW_SCATTER_ROWS,
  PREVIEW_TABLE_ROWS,
  type PreviewColouring,
  type PreviewDataset,
} from '../shared/dataPreviewProtocol';
import { formatNumber } from '../present/format';
import { splitWords } from './modelInfo';

export interface PreviewSource {
  /** The dataset as the user wrote it: `iris`, `"teacher.csv"`. */
  readonly title: string;
  /** `built-in` or `CSV file`. */
  readonly kind: string;
  readonly split?: SplitSpec;
}

/** Evenly spaced rows, all of them when there are at most `max`. */
export function sampleRows(rows: number, max: number): Int32Array {
  if (rows <= max) return Int32Array.from({ length: rows }, (_, i) => i);
  return Int32Array.from({ length: max }, (_, k) => Math.floor((k * rows) / max));
}

function block(data: Dataset, rows: Int32Array, test: Uint8Array) {
  const width = data.columns.length;
  const values = new Float64Array(rows.length * width);
  rows.forEach((r, k) => values.set(data.values.subarray(r * width, (r + 1) * width), k * width));
  return { rows, values, test: Int32Array.from(rows, (r) => test[r]) };
}

/**
 * The colourings, in column order (a one-hot group at its first column), the columns each shows (first, last),
 * and which one is the label.
 */
export function colourings(
  data: Dataset,
  groups: readonly (readonly [number, number])[],
  rows: Int32Array,
): { colourings: PreviewColouring[]; spans: [number, number][]; label: number } {
  const width = data.columns.length;
  const at = (r: number, j: number) => data.values[r * width + j];
  const out: PreviewColouring[] = [];
  const spans: [number, number][] = [];
  let label = -1;
  for (let j = 0; j < width; j++) {
    const group = groups.find(([first]) => first === j);
    if (group) {
      const [first, last] = group;
      const classes = data.columns.slice(first, last + 1);
      const values = Float64Array.from(rows, (r) => classes.findIndex((_, c) => at(r, first + c) === 1));
      label = out.length;
      spans.push([first, last]);
      out.push({ name: classes.join(' / '), classes: classes.length <= PREVIEW_MAX_CLASSES ? classes : null, values });
      j = last;
      continue;
    }
    const distinct = new Set<number>();
    let whole = true;
    for (let r = 0; r < data.rows && whole && distinct.size <= PREVIEW_MAX_CLASSES; r++) {
      whole = Number.isInteger(at(r, j));
      distinct.add(at(r, j));
    }
    const levels = whole && distinct.size <= PREVIEW_MAX_CLASSES ? [...distinct].sort((a, b) => a - b) : null;
    const index = new Map(levels?.map((v, k) => [v, k]));
    spans.push([j, j]);
    out.push({
      name: data.columns[j],
      classes: levels && levels.map((v) => formatNumber(v)),
      values: Float64Array.from(rows, (r) => (levels ? index.get(at(r, j))! : at(r, j))),
    });
  }
  return { colourings: out, spans, label: label >= 0 ? label : out.length - 1 };
}

export function previewMessage(data: Dataset, source: PreviewSource): PreviewDataset {
  const summary = describe(data, source.split);
  const width = data.columns.length;
  const test = new Uint8Array(data.rows);
  const split = 'problem' in summary.split || !source.split ? null : summary.split;
  if (split) for (const r of splitRows(data.rows, source.split).test) test[r] = 1;
  const table = block(data, sampleRows(Math.min(data.rows, PREVIEW_TABLE_ROWS), PREVIEW_TABLE_ROWS), test);
  const scatter = block(data, sampleRows(data.rows, PREVIEW_SCATTER_ROWS), test);
  const groups = [
    ...new Map(summary.columns.flatMap((c) => (c.group ? [[c.group[0], c.group] as const] : []))).values(),
  ];
  const { colourings: colours, spans, label } = colourings(data, groups, scatter.rows);
  // x and y: the first columns that are not what the colour shows.
  const [first, last] = spans[label];
  const axes = data.columns.map((_, j) => j).filter((j) => j < first || j > last);
  const x = axes[0] ?? 0;
  const y = axes[1] ?? Math.min(1, width - 1);
  const shown =
    scatter.rows.length < data.rows
      ? `; the scatter shows ${scatter.rows.length.toLocaleString('en')} evenly spaced rows`
      : '';
  return {
    type: 'dataset',
    title: source.title,
    subtitle:
      `${source.kind}: ${data.rows.toLocaleString('en')} rows × ${width} columns; ` +
      `${splitWords(summary, split ? source.split : undefined)}${shown}`,
    rows: data.rows,
    columns: summary.columns.map((c) => ({ name: c.name, kind: c.kind, min: c.min, max: c.max, mean: c.mean })),
    split,
    table,
    scatter,
    colourings: colours,
    initial: { x, y, colour: label },
  };
}
