/**
 * The 3-D view's frame, with no DOM and no WebGL: the floor's border and grid at nice ticks of x and y, a
 * vertical f axis at the back left corner, and where their labels go (world points the view projects to the
 * screen, so the text stays crisp HTML in the theme's font).
 */
import { ticks } from 'd3-array';
import { formatNumber } from '../../src/present/format';
import { HEIGHT, toWorldXZ, type HeightScale, type SurfaceGrid } from './surfaceGeometry';

export interface AxisLabel {
  readonly text: string;
  readonly at: readonly [number, number, number];
  /** An axis name rather than a tick value. */
  readonly name: boolean;
}

export interface Axes {
  /** Line segments, two points of 3 floats each. */
  readonly lines: Float32Array;
  readonly labels: readonly AxisLabel[];
}

/** Just below the surface's lowest point, so the floor grid never cuts through the minimum. */
export const FLOOR = -0.03;
const OUT = 0.14;
const TICK = 0.05;

/** Nice values strictly inside [lo, hi]. */
const inside = (lo: number, hi: number, count: number) => ticks(lo, hi, count).filter((t) => t > lo && t < hi);

/**
 * Tick values of the height axis in the mapped quantity. In log mode they are whole decades of f − f* when
 * there are at least two, so the labels read 0.01, 1, 100 rather than 3.162.
 */
export function heightTicks(h: HeightScale): number[] {
  const all = inside(h.lo, h.hi, 4);
  if (h.mode === 'linear') return all;
  const decades = all.filter(Number.isInteger);
  return decades.length >= 2 ? decades : all;
}

export function axes(grid: SurfaceGrid, h: HeightScale, names: readonly [string, string]): Axes {
  const lines: number[] = [];
  const labels: AxisLabel[] = [];
  const segment = (p: readonly number[], q: readonly number[]) => lines.push(...p, ...q);
  const corners = [
    [-1, 1],
    [1, 1],
    [1, -1],
    [-1, -1],
  ];
  corners.forEach(([x, z], i) => segment([x, FLOOR, z], [corners[(i + 1) % 4][0], FLOOR, corners[(i + 1) % 4][1]]));
  for (const t of inside(grid.x[0], grid.x[1], 5)) {
    const [wx] = toWorldXZ(grid, t, grid.y[0]);
    segment([wx, FLOOR, -1], [wx, FLOOR, 1]);
    labels.push({ text: formatNumber(t), at: [wx, FLOOR, 1 + OUT], name: false });
  }
  for (const t of inside(grid.y[0], grid.y[1], 5)) {
    const [, wz] = toWorldXZ(grid, grid.x[0], t);
    segment([-1, FLOOR, wz], [1, FLOOR, wz]);
    labels.push({ text: formatNumber(t), at: [1 + OUT, FLOOR, wz], name: false });
  }
  labels.push({ text: names[0], at: [0, FLOOR, 1 + 2.4 * OUT], name: true });
  labels.push({ text: names[1], at: [1 + 2.4 * OUT, FLOOR, 0], name: true });
  segment([-1, FLOOR, -1], [-1, HEIGHT, -1]);
  for (const t of heightTicks(h)) {
    const y = ((t - h.lo) / (h.hi - h.lo)) * HEIGHT;
    segment([-1, y, -1], [-1 - TICK, y, -1]);
    labels.push({ text: formatNumber(h.mode === 'log' ? 10 ** t : t), at: [-1 - OUT, y, -1], name: false });
  }
  labels.push({ text: h.mode === 'log' ? 'f − f*' : 'f', at: [-1, HEIGHT + OUT, -1], name: true });
  return { lines: Float32Array.from(lines), labels };
}
