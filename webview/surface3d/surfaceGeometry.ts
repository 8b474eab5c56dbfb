/**
 * The 3-D view's scene in numbers, with no DOM and no WebGL so that it runs under node:test: where a point
 * (x, y, f) of the landscape goes in the world, and the surface mesh of a grid (colours as the 2-D landscape's,
 * holes where f is not finite).
 *
 * World axes follow the camera's y-up convention: domain x → world x, f → world y (up), domain y → world −z,
 * so the view from the front has y growing away from the viewer. Each domain axis spans [−1, 1] and the
 * height [0, HEIGHT], whatever the units of f: Beale's 1e5 and a quadratic's 10 read alike.
 */
import { valueRange } from '../chartData';
import { viridis } from '../colormap';

/** f on a regular grid, row-major with y outer: f[j * nx + i] at (x_i, y_j); non-finite values are holes. */
export interface SurfaceGrid {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly nx: number;
  readonly ny: number;
  readonly f: ArrayLike<number>;
}

/** The 2-D landscape's colour scale: viridis of log10(f − f* + δ) over the grid's range of that value. */
export interface ColourScale {
  readonly fStar: number;
  readonly delta: number;
}

export type HeightMode = 'log' | 'linear';

/** Height of the surface's top over its lowest point, in half-widths of the domain. */
export const HEIGHT = 0.9;
/** More samples per side than this would only cost triangles: a 256² mesh already has 130k of them. */
export const MAX_SIDE = 256;

/** log10(f − f* + δ), NaN where f is not finite (f = −∞ is a hole, not the bottom of the scale). */
export const logValue = (f: number, s: ColourScale): number =>
  Number.isFinite(f) ? Math.log10(Math.max(f - s.fStar, 0) + s.delta) : NaN;

/**
 * Maps f to a height in [0, 1] for one height mode. The log floor is the grid's 1st percentile rather than its
 * minimum: one sample on the minimum (f − f* = 0, so log δ = −12) would otherwise be a needle ten decades deep
 * that flattens everything else.
 */
export interface HeightScale {
  readonly mode: HeightMode;
  /** The range of the mapped quantity (log10(f − f* + δ) or f) that spans heights 0 … 1. */
  readonly lo: number;
  readonly hi: number;
  /** NaN where f is not finite. */
  height(f: number): number;
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

export function heightScale(grid: SurfaceGrid, mode: HeightMode, scale: ColourScale): HeightScale {
  const logs = Float64Array.from(grid.f, (f) => logValue(f, scale));
  const sorted = mode === 'log' ? finiteSorted(logs) : finiteSorted(grid.f);
  let lo = sorted.length ? sorted[mode === 'log' ? Math.floor((sorted.length - 1) * 0.01) : 0] : 0;
  let hi = sorted.length ? sorted[sorted.length - 1] : 1;
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, lo + 0.5];
  const map = mode === 'log' ? (f: number) => logValue(f, scale) : (f: number) => f;
  return {
    mode,
    lo,
    hi,
    height: (f) => {
      if (!Number.isFinite(f)) return NaN;
      const v = (map(f) - lo) / (hi - lo);
      return v < 0 ? 0 : v > 1 ? 1 : v;
    },
  };
}

/**
 * The height mode that reads best: linear, unless it would squash half of the surface into the bottom 5 % of
 * its height (Beale, Booth's tails), where log10(f − f*) shows the valleys instead of a flat plain with spikes.
 */
export function defaultHeightMode(grid: SurfaceGrid): HeightMode {
  const sorted = finiteSorted(grid.f);
  if (sorted.length < 2) return 'linear';
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  return hi > lo && (sorted[Math.floor(sorted.length / 2)] - lo) / (hi - lo) < 0.05 ? 'log' : 'linear';
}

/** Domain (x, y) → world (x, z), both in [−1, 1]; see the module comment for the axes. */
export function toWorldXZ(grid: SurfaceGrid, x: number, y: number): [number, number] {
  return [(2 * (x - grid.x[0])) / (grid.x[1] - grid.x[0]) - 1, -((2 * (y - grid.y[0])) / (grid.y[1] - grid.y[0]) - 1)];
}

/** f at (x, y) by bilinear interpolation of the grid: what the surface shows there (NaN next to a hole). */
export function sampleGrid(grid: SurfaceGrid, x: number, y: number): number {
  const u = ((x - grid.x[0]) / (grid.x[1] - grid.x[0])) * (grid.nx - 1);
  const v = ((y - grid.y[0]) / (grid.y[1] - grid.y[0])) * (grid.ny - 1);
  if (!(u >= 0 && u <= grid.nx - 1 && v >= 0 && v <= grid.ny - 1)) return NaN;
  const i = Math.min(grid.nx - 2, Math.floor(u));
  const j = Math.min(grid.ny - 2, Math.floor(v));
  const s = u - i;
  const t = v - j;
  const at = (a: number, b: number) => grid.f[(j + b) * grid.nx + i + a];
  return (1 - t) * ((1 - s) * at(0, 0) + s * at(1, 0)) + t * ((1 - s) * at(0, 1) + s * at(1, 1));
}

/** Every `stride`-th index of 0 … n − 1, always keeping the last. */
function strided(n: number, max: number): number[] {
  const stride = Math.ceil(n / max);
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += stride) out.push(i);
  out.push(n - 1);
  return out;
}

export interface SurfaceMesh {
  readonly position: Float32Array;
  readonly normal: Float32Array;
  readonly colour: Float32Array;
  /** Two triangles per grid cell whose four corners are finite, counter-clockwise seen from above. */
  readonly index: Uint16Array;
}

export function surfaceMesh(grid: SurfaceGrid, heights: HeightScale, scale: ColourScale): SurfaceMesh {
  const is = strided(grid.nx, MAX_SIDE);
  const js = strided(grid.ny, MAX_SIDE);
  const nx = is.length;
  const ny = js.length;
  const range = valueRange(Array.from(grid.f, (f) => logValue(f, scale))) ?? { lo: 0, hi: 1 };
  const position = new Float32Array(nx * ny * 3);
  const colour = new Float32Array(nx * ny * 3);
  const finite = new Uint8Array(nx * ny);
  for (let b = 0; b < ny; b++) {
    for (let a = 0; a < nx; a++) {
      const k = b * nx + a;
      const f = grid.f[js[b] * grid.nx + is[a]];
      const x = grid.x[0] + ((grid.x[1] - grid.x[0]) * is[a]) / Math.max(1, grid.nx - 1);
      const y = grid.y[0] + ((grid.y[1] - grid.y[0]) * js[b]) / Math.max(1, grid.ny - 1);
      const [wx, wz] = toWorldXZ(grid, x, y);
      finite[k] = Number.isFinite(f) ? 1 : 0;
      position.set([wx, finite[k] ? heights.height(f) * HEIGHT : 0, wz], 3 * k);
      const rgb = viridis((logValue(f, scale) - range.lo) / (range.hi - range.lo));
      colour.set([rgb[0] / 255, rgb[1] / 255, rgb[2] / 255], 3 * k);
    }
  }
  const index: number[] = [];
  for (let b = 0; b + 1 < ny; b++) {
    for (let a = 0; a + 1 < nx; a++) {
      const k = b * nx + a;
      if (finite[k] && finite[k + 1] && finite[k + nx] && finite[k + nx + 1])
        index.push(k, k + 1, k + nx, k + 1, k + nx + 1, k + nx);
    }
  }
  return { position, normal: normals(position, finite, nx, ny), colour, index: Uint16Array.from(index) };
}

/** Vertex normals from differences to the finite neighbours (central inside, one-sided at edges and holes). */
function normals(p: Float32Array, finite: Uint8Array, nx: number, ny: number): Float32Array {
  const out = new Float32Array(p.length);
  const h = (k: number) => p[3 * k + 1];
  for (let b = 0; b < ny; b++) {
    for (let a = 0; a < nx; a++) {
      const k = b * nx + a;
      const side = (a0: number, b0: number, a1: number, b1: number, axis: 0 | 2) => {
        const k0 = finite[b0 * nx + a0] ? b0 * nx + a0 : k;
        const k1 = finite[b1 * nx + a1] ? b1 * nx + a1 : k;
        const d = p[3 * k1 + axis] - p[3 * k0 + axis];
        return d === 0 ? 0 : (h(k1) - h(k0)) / d;
      };
      const dx = side(Math.max(0, a - 1), b, Math.min(nx - 1, a + 1), b, 0);
      const dz = side(a, Math.max(0, b - 1), a, Math.min(ny - 1, b + 1), 2);
      const len = Math.hypot(dx, 1, dz);
      out.set([-dx / len, 1 / len, -dz / len], 3 * k);
    }
  }
  return out;
}
