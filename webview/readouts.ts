/**
 * Hover readouts and the "showing K of N" note. The tooltip shows numbers the host sent: the landscape's or a
 * slice's value at the nearest grid sample, the curve's at the nearest sample, a heat-map cell's. Nothing here
 * evaluates the cost function.
 */
import type { Chart } from 'chart.js';
import { formatNumber } from '../src/present/format';
import { h } from './dom';

/** A label and its formatted value: one line of a readout. */
export type ReadoutRow = readonly [label: string, value: string];

/** Gap between the pointer and the tooltip, pixels. */
const OFFSET = 12;

/** A tooltip positioned inside `host` (a positioned container), kept within it. */
export class HoverTip {
  readonly root: HTMLElement;

  constructor(private readonly host: HTMLElement) {
    host.classList.add('layer-host');
    this.root = h('div', { class: 'hover-tip hidden', role: 'tooltip' });
    host.append(this.root);
  }

  /** Shows `rows` near (x, y), in pixels from the host's top-left corner. */
  show(x: number, y: number, rows: readonly ReadoutRow[]): void {
    this.root.replaceChildren(
      ...rows.map(([label, value]) =>
        h('div', { class: 'hover-row' }, h('span', { class: 'hover-label' }, label), h('span', {}, value)),
      ),
    );
    this.root.classList.remove('hidden');
    const w = this.root.offsetWidth;
    const ht = this.root.offsetHeight;
    const room = { w: this.host.clientWidth, h: this.host.clientHeight };
    // Right of and below the pointer, flipped to the other side where it would leave the host.
    const left = x + OFFSET + w > room.w ? Math.max(0, x - OFFSET - w) : x + OFFSET;
    const top = y + OFFSET + ht > room.h ? Math.max(0, y - OFFSET - ht) : y + OFFSET;
    // CSSOM, not a style attribute: the webview's CSP allows the one and forbids the other.
    this.root.style.left = `${left}px`;
    this.root.style.top = `${top}px`;
  }

  hide(): void {
    this.root.classList.add('hidden');
  }
}

/** "x = 1.5, y = −2, f = 0.25" as rows: a point's coordinates, named, and the value there. */
export function pointRows(
  names: readonly string[],
  coords: readonly number[],
  f: number | null,
  fLabel = 'f',
): ReadoutRow[] {
  return [...names.map((n, i): ReadoutRow => [n, formatNumber(coords[i])]), [fLabel, formatNumber(f)]];
}

export interface CellReadout {
  /** The swept parameters of the cell, by symbol (η, H…). */
  readonly params: readonly (readonly [symbol: string, value: number])[];
  /** The budget T the fraction is for. */
  readonly budget: number;
  readonly fraction: number;
  readonly medianSteps: number | null;
  /** Starts that diverged, of `n`. */
  readonly diverged: number;
  readonly n: number;
}

/** A heat-map cell: η, H, f_D within T, median steps, diverged. */
export function cellRows(c: CellReadout): ReadoutRow[] {
  return [
    ...c.params.map(([s, v]): ReadoutRow => [s, formatNumber(v)]),
    [`f_D (T = ${c.budget.toLocaleString('en-US')})`, c.fraction.toFixed(2)],
    ['median steps', formatNumber(c.medianSteps)],
    ['diverged', `${c.diverged} of ${c.n}`],
  ];
}

export interface SampledGrid {
  /** Ascending sample positions. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Row-major over ys × xs; null where the function is undefined. */
  readonly values: readonly (number | null)[];
}

/** Index of the sample nearest to v in ascending `axis` (binary search). */
export function nearestIndex(axis: readonly number[], v: number): number {
  let lo = 0;
  let hi = axis.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (axis[mid] <= v) lo = mid;
    else hi = mid;
  }
  return Math.abs(axis[hi] - v) < Math.abs(v - axis[lo]) ? hi : lo;
}

/** A lookup for the landscape or a slice: the sample nearest to (x, y) and the host's value there. */
export function gridLookup(grid: SampledGrid): (x: number, y: number) => { x: number; y: number; f: number | null } {
  return (x, y) => {
    const i = nearestIndex(grid.xs, x);
    const j = nearestIndex(grid.ys, y);
    return { x: grid.xs[i], y: grid.ys[j], f: grid.values[j * grid.xs.length + i] ?? null };
  };
}

/**
 * Hover readouts over a chart's plot area: `rowsAt` gets the data coordinates under the pointer and returns the
 * rows to show, or null for none. Returns the function that detaches it.
 */
export function chartHover(
  chart: Chart,
  tip: HoverTip,
  rowsAt: (x: number, y: number) => readonly ReadoutRow[] | null,
): () => void {
  const canvas = chart.canvas;
  const move = (e: MouseEvent) => {
    const a = chart.chartArea;
    const px = e.offsetX;
    const py = e.offsetY;
    const rows =
      px >= a.left && px <= a.right && py >= a.top && py <= a.bottom
        ? rowsAt(chart.scales.x.getValueForPixel(px) ?? NaN, chart.scales.y.getValueForPixel(py) ?? NaN)
        : null;
    if (rows) tip.show(canvas.offsetLeft + px, canvas.offsetTop + py, rows);
    else tip.hide();
  };
  const leave = () => tip.hide();
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('mouseleave', leave);
  return () => {
    canvas.removeEventListener('mousemove', move);
    canvas.removeEventListener('mouseleave', leave);
  };
}

/** "showing 17 of 64 starts": said when a view draws fewer than there are, hidden when it draws them all. */
export class ShownNote {
  readonly root = h('p', { class: 'shown-note hint hidden', 'aria-live': 'polite' });

  set(shown: number, total: number, noun = 'starts'): void {
    const partial = shown < total;
    this.root.classList.toggle('hidden', !partial);
    this.root.textContent = partial
      ? `showing ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${noun}`
      : '';
  }
}
