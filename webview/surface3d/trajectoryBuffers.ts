/**
 * Trajectories as GPU-ready arrays, with no DOM and no WebGL: one instanced segment per pair of kept points
 * (the shader fades each by its step against the current one, so playback changes a uniform, not buffers) and
 * one marker per lane at its current point.
 *
 * Decimation keeps the draw cheap on a software rasteriser: at most MAX_PATH_LANES lanes get a path, spread
 * evenly over each optimizer's lanes, and the paths share SEGMENT_BUDGET segments; every lane keeps its marker.
 */
export interface SurfaceLane {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  /** f at each point; absent, the surface's own height there is used (bilinear in the grid). */
  readonly fs?: ArrayLike<number>;
  /** The iteration of each point, ascending, when the points are not one per step from step 0. */
  readonly steps?: ArrayLike<number>;
}

export interface SurfaceOptimizer {
  /** Stable id: the caller keeps one colour per id across runs. */
  readonly id: string;
  readonly label: string;
  /** Any CSS colour. */
  readonly colour: string;
  readonly lanes: readonly SurfaceLane[];
}

export const MAX_PATH_LANES = 512;
export const SEGMENT_BUDGET = 120_000;

/** World position of a lane's point, or null when it is not drawn (not finite, or off the domain). */
export type Place = (x: number, y: number, f: number | undefined) => readonly [number, number, number] | null;
export type RGB = readonly [number, number, number];

export interface PathBuffers {
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly colour: Float32Array;
  /** Step of each segment's end point. */
  readonly step: Float32Array;
  readonly count: number;
  readonly lanesDrawn: number;
  readonly lanesTotal: number;
  /** The last step of the longest lane: where playback ends. */
  readonly lastStep: number;
}

const stepOf = (lane: SurfaceLane, i: number) => (lane.steps ? lane.steps[i] : i);

/** `k` of `n` indices spread evenly over 0 … n − 1 (all of them when k ≥ n). */
export function spread(n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / Math.max(1, k - 1)));
}

/** Indices of a lane's points kept for its path: every stride-th, always the first and the last. */
export function keptPoints(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const stride = Math.ceil((n - 1) / (max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += stride) out.push(i);
  out.push(n - 1);
  return out;
}

export function pathBuffers(
  optimizers: readonly SurfaceOptimizer[],
  colours: readonly RGB[],
  place: Place,
): PathBuffers {
  const quota = Math.max(1, Math.floor(MAX_PATH_LANES / Math.max(1, optimizers.length)));
  const chosen = optimizers.map((o) => spread(o.lanes.length, quota).map((i) => o.lanes[i]));
  const lanesDrawn = chosen.reduce((s, l) => s + l.length, 0);
  const perLane = Math.max(16, Math.floor(SEGMENT_BUDGET / Math.max(1, lanesDrawn))) + 1;
  const a: number[] = [];
  const b: number[] = [];
  const colour: number[] = [];
  const step: number[] = [];
  let lastStep = 0;
  chosen.forEach((lanes, o) => {
    for (const lane of lanes) {
      const n = Math.min(lane.xs.length, lane.ys.length);
      let prev: readonly [number, number, number] | null = null;
      for (const i of keptPoints(n, perLane)) {
        const p = place(lane.xs[i], lane.ys[i], lane.fs?.[i]);
        if (prev && p) {
          a.push(...prev);
          b.push(...p);
          colour.push(...colours[o]);
          step.push(stepOf(lane, i));
        }
        prev = p;
      }
    }
  });
  for (const o of optimizers)
    for (const lane of o.lanes) if (lane.xs.length) lastStep = Math.max(lastStep, stepOf(lane, lane.xs.length - 1));
  return {
    a: Float32Array.from(a),
    b: Float32Array.from(b),
    colour: Float32Array.from(colour),
    step: Float32Array.from(step),
    count: step.length,
    lanesDrawn,
    lanesTotal: optimizers.reduce((s, o) => s + o.lanes.length, 0),
    lastStep,
  };
}

/** The index of a lane's point at step k: the last one recorded at or before k (the first before it starts). */
export function pointAt(lane: SurfaceLane, k: number): number {
  const n = Math.min(lane.xs.length, lane.ys.length);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stepOf(lane, mid) <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Every lane's current marker written into `position` and `colour` (3 floats each, capacity = all lanes);
 * returns how many were written. Lanes whose point is off the domain or not finite get none.
 */
export function writeMarkers(
  optimizers: readonly SurfaceOptimizer[],
  colours: readonly RGB[],
  place: Place,
  k: number,
  position: Float32Array,
  colour: Float32Array,
): number {
  let n = 0;
  optimizers.forEach((o, c) => {
    for (const lane of o.lanes) {
      if (!lane.xs.length) continue;
      const i = pointAt(lane, k);
      const p = place(lane.xs[i], lane.ys[i], lane.fs?.[i]);
      if (!p) continue;
      position.set(p, 3 * n);
      colour.set(colours[c], 3 * n);
      n++;
    }
  });
  return n;
}
