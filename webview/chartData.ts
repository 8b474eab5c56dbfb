/**
 * Pure data builders for the charts: no DOM, no chart.js, so they run under node:test. Everything here
 * reshapes numbers the host computed; nothing evaluates the cost function.
 */
/// <reference path="./d3-contour.d.ts" />
import { contours } from 'd3-contour';
import { formatNumber } from '../src/present/format';
import type { CurveSeries, ResultRow, TraceSet } from '../src/shared/resultShapes';
import type { ArrowField, Bounds } from '../src/shared/viewShapes';
import { viridis } from './colormap';

export interface XY {
  x: number;
  y: number;
}

/** One trajectory in the plane drawn: its lane and its points' coordinates on the two axes. */
export interface Trace {
  readonly lane: number;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

/** The trajectories of a trace set on the plane of variables `axes` (a slice's projection): its lanes' points. */
export function planeTraces(set: TraceSet, dim: number, axes: readonly [number, number]): Trace[] {
  const R = set.steps.length;
  return Array.from(set.lanes, (lane, l) => {
    const at = (r: number, c: number) => set.theta[(l * R + r) * dim + axes[c]];
    const len = set.lengths[l];
    return {
      lane,
      xs: Array.from({ length: len }, (_, r) => at(r, 0)),
      ys: Array.from({ length: len }, (_, r) => at(r, 1)),
    };
  });
}
export interface Grid {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly values: readonly (number | null)[];
}

/** Smallest f − f* drawn on the log axis: exact zeros (a lane at the minimum) sit on this floor. */
export const LOG_FLOOR = 1e-16;

/** Range of the finite values, widened when flat so a colour scale always has a span. */
export function valueRange(values: readonly (number | null)[]): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return null;
  return lo === hi ? { lo: lo - 0.5, hi: hi + 0.5 } : { lo, hi };
}

/**
 * RGBA bytes of the heat map, one pixel per grid sample, top row = largest y (image rows run downwards while
 * ys ascend). Missing values are transparent so the panel background shows through.
 */
export function heatmapRGBA(grid: Grid, range: { lo: number; hi: number }): Uint8ClampedArray<ArrayBuffer> {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const out = new Uint8ClampedArray(new ArrayBuffer(nx * ny * 4));
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = grid.values[j * nx + i];
      const o = ((ny - 1 - j) * nx + i) * 4;
      if (v === null) continue;
      const [r, g, b] = viridis((v - range.lo) / (range.hi - range.lo));
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** `count` evenly spaced levels strictly inside the range; the values are already logarithmic. */
export function contourLevels(range: { lo: number; hi: number }, count: number): number[] {
  return Array.from({ length: count }, (_, k) => range.lo + ((k + 1) * (range.hi - range.lo)) / (count + 1));
}

/** Grid coordinate c (d3-contour puts sample i at i + 0.5) → data coordinate along `axis`, linear between samples. */
function fromGrid(axis: readonly number[], c: number): number {
  const i = Math.min(axis.length - 1, Math.max(0, c - 0.5));
  const k = Math.min(axis.length - 2, Math.floor(i));
  return axis[k] + (axis[k + 1] - axis[k]) * (i - k);
}

/**
 * Iso-lines of the grid at `levels`, in data coordinates. d3-contour returns closed polygons whose rings run
 * along the grid's border where a region is cut off; those border stretches are not iso-lines, so the rings
 * are split there.
 */
export function contourLines(grid: Grid, levels: readonly number[]): { level: number; lines: XY[][] }[] {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const values = Float64Array.from(grid.values, (v) => (v === null ? NaN : v));
  const polygons = contours()
    .size([nx, ny])
    .thresholds([...levels])(values);
  const onBorder = ([cx, cy]: number[]) => cx <= 0 || cx >= nx || cy <= 0 || cy >= ny;
  return polygons.map((mp) => {
    const lines: XY[][] = [];
    for (const polygon of mp.coordinates) {
      for (const ring of polygon) {
        let line: XY[] = [];
        for (const p of ring) {
          if (onBorder(p)) {
            if (line.length > 1) lines.push(line);
            line = [];
          } else {
            line.push({ x: fromGrid(grid.xs, p[0]), y: fromGrid(grid.ys, p[1]) });
          }
        }
        if (line.length > 1) lines.push(line);
      }
    }
    return { level: mp.value, lines };
  });
}

/**
 * All trajectories of one optimizer as one line dataset: traces joined with a NaN point between them (chart.js
 * breaks the line there), plus which indices are starts and ends for their markers. A diverging trace is cut
 * where it leaves `home` grown by `margin` spans on each side, at the crossing point and without an end marker:
 * canvas paths with coordinates near 1e15 pixels are dropped whole.
 */
export function trajectoryPoints(
  traces: readonly Trace[],
  home: Bounds | null = null,
  margin = 4,
): { points: XY[]; starts: Set<number>; ends: Set<number> } {
  const points: XY[] = [];
  const starts = new Set<number>();
  const ends = new Set<number>();
  const box = home && {
    xMin: home.xMin - margin * (home.xMax - home.xMin),
    xMax: home.xMax + margin * (home.xMax - home.xMin),
    yMin: home.yMin - margin * (home.yMax - home.yMin),
    yMax: home.yMax + margin * (home.yMax - home.yMin),
  };
  const inside = (x: number, y: number) => !box || (x >= box.xMin && x <= box.xMax && y >= box.yMin && y <= box.yMax);
  for (const t of traces) {
    if (t.xs.length === 0 || !inside(t.xs[0], t.ys[0])) continue;
    if (points.length) points.push({ x: NaN, y: NaN });
    starts.add(points.length);
    let left = false;
    for (let k = 0; k < t.xs.length; k++) {
      if (inside(t.xs[k], t.ys[k])) {
        points.push({ x: t.xs[k], y: t.ys[k] });
        continue;
      }
      points.push(crossing(points[points.length - 1], { x: t.xs[k], y: t.ys[k] }, box!));
      left = true;
      break;
    }
    if (!left) ends.add(points.length - 1);
  }
  return { points, starts, ends };
}

/** Where the segment from `a` (inside) to `b` (outside) crosses the box's edge. */
function crossing(a: XY, b: XY, box: Bounds): XY {
  let t = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (b.x > box.xMax) t = Math.min(t, (box.xMax - a.x) / dx);
  if (b.x < box.xMin) t = Math.min(t, (box.xMin - a.x) / dx);
  if (b.y > box.yMax) t = Math.min(t, (box.yMax - a.y) / dy);
  if (b.y < box.yMin) t = Math.min(t, (box.yMin - a.y) / dy);
  if (!Number.isFinite(t)) t = 0;
  return { x: a.x + t * dx, y: a.y + t * dy };
}

export type XAxisMode = 'step' | 'time';

/**
 * f on a symmetric log scale, sign(f)·log10(1 + |f|): when f* is unknown the curves are f itself, which may be
 * negative and run off to ±10³⁰⁰; near 0 the scale is linear, far from it each decade takes the same room.
 */
export const symlog = (v: number): number => Math.sign(v) * Math.log10(1 + Math.abs(v));

/** A tick of the symmetric log axis, in f: "1e3", "-1e2", "0" at whole decades, nothing between them. */
export function symlogTick(y: number): string {
  if (!Number.isInteger(y)) return '';
  return y === 0 ? '0' : `${y < 0 ? '-' : ''}1e${Math.abs(y)}`;
}

/**
 * The symmetric log axis's range: the curves' values, but no more than `headroom` decades above where they start
 * (a diverging lane going up does not flatten the rest; going down is progress and is kept).
 */
export function symlogRange(series: readonly CurveSeries[], headroom = 3): { min: number; max: number } | null {
  let [lo, hi, start] = [Infinity, -Infinity, -Infinity];
  for (const s of series) {
    for (const ys of [s.median, s.q1, s.q3])
      for (const v of ys)
        if (v !== null && Number.isFinite(v)) [lo, hi] = [Math.min(lo, symlog(v)), Math.max(hi, symlog(v))];
    for (const v of [s.median[0], s.q3[0]]) if (v !== null && v !== undefined) start = Math.max(start, symlog(v));
  }
  if (lo > hi) return null;
  const max = Math.ceil(Math.min(hi, Number.isFinite(start) ? start + headroom : hi));
  const min = Math.floor(lo);
  return { min, max: max > min ? max : min + 1 };
}

/**
 * Median and quartile band of f − f* for a log-scale chart: x is the step, or the wall time in ms
 * (step × ns per lane-step, Baiesi 2019, Fig. 2 plots against time). Zeros sit on LOG_FLOOR; non-finite
 * values (diverged lanes) leave gaps. With `log` false (f itself, when f* is unknown) values go on the symmetric
 * log scale (`symlog`) instead.
 */
export function curveData(
  series: CurveSeries,
  mode: XAxisMode,
  nsPerStep: number | null,
  log = true,
): { median: XY[]; q1: XY[]; q3: XY[] } {
  const x = (step: number) => (mode === 'time' && nsPerStep !== null ? (step * nsPerStep) / 1e6 : step);
  const pts = (ys: readonly (number | null)[]) =>
    series.steps.map((s, k) => {
      const v = ys[k];
      return { x: x(s), y: v === null || !Number.isFinite(v) ? NaN : log ? Math.max(LOG_FLOOR, v) : symlog(v) };
    });
  return { median: pts(series.median), q1: pts(series.q1), q3: pts(series.q3) };
}

/**
 * Decades shown on the log axis: from the smallest positive value to the largest, but no more than `headroom`
 * decades above where the curves start, so a few diverging lanes (q3 → 1e100) do not flatten every curve.
 */
export function logAxisRange(series: readonly CurveSeries[], headroom = 3): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = 0;
  let start = 0;
  for (const s of series) {
    for (const ys of [s.median, s.q1, s.q3]) {
      for (const v of ys) {
        if (v === null || !Number.isFinite(v)) continue;
        hi = Math.max(hi, v);
        if (v > 0) lo = Math.min(lo, v);
      }
    }
    for (const v of [s.median[0], s.q3[0]])
      if (v !== null && v !== undefined && Number.isFinite(v)) start = Math.max(start, v);
  }
  if (hi === 0) return null;
  const cap = start > 0 ? Math.min(hi, start * 10 ** headroom) : hi;
  const min = 10 ** Math.floor(Math.log10(Math.max(LOG_FLOOR, Math.min(lo, cap))));
  const max = 10 ** Math.ceil(Math.log10(cap));
  return { min, max: max > min ? max : min * 10 };
}

export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Arrows of the −∇f or the power-transformed field at the host's sample points, scaled so the longest is
 * `fill` of a grid cell: the relative lengths are the point of Baiesi 2019, Fig. 1.
 */
export function arrowSegments(field: ArrowField, which: 'gradient' | 'power', fill = 0.9): Segment[] {
  const { u, v } = field[which];
  const cellX = (field.xs[field.xs.length - 1] - field.xs[0]) / (field.xs.length - 1);
  const cellY = (field.ys[field.ys.length - 1] - field.ys[0]) / (field.ys.length - 1);
  let longest = 0;
  u.forEach((ui, k) => {
    longest = Math.max(longest, Math.hypot(ui / cellX, v[k] / cellY));
  });
  if (longest === 0) return [];
  const s = fill / longest;
  const out: Segment[] = [];
  field.ys.forEach((y, j) =>
    field.xs.forEach((x, i) => {
      const k = j * field.xs.length + i;
      out.push({ x0: x, y0: y, x1: x + u[k] * s, y1: y + v[k] * s });
    }),
  );
  return out;
}

/** A results-table row as text cells: converged/N, diverged, median steps to target, time per step. */
export function rowCells(row: ResultRow): [string, string, string, string] {
  return [
    `${row.converged}/${row.n}`,
    String(row.diverged),
    formatNumber(row.medianSteps),
    `${formatNumber(row.nsPerStep)} ns`,
  ];
}
