/**
 * The loss landscape along a path (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing the Loss Landscape of
 * Neural Nets", §7): the iterates θ₀ … θₙ of one training run, centred on the final iterate, M = [θᵢ − θₙ]; the two
 * principal directions d₁, d₂ of M (PCA of the iterates, the top eigenvectors of MᵀM, found through the Gram
 * matrix MMᵀ since a path has far fewer points than θ has coordinates); each iterate's coordinates
 * (⟨θᵢ − θₙ, d₁⟩, ⟨θᵢ − θₙ, d₂⟩) on that plane; and the training loss F(θₙ + a d₁ + b d₂) on a grid of the plane,
 * evaluated by the kernel's own per-row code (rowLoss.ts). Other optimizers' paths from the same start are
 * projected on the same plane, with their distance off it (the plane was fitted to the first path only).
 */
import type { DataProblem } from './dataProblem';
import { rowLoss } from './rowLoss';
import { symmetricEigen } from './symmetricEigen';

/** A run's iterates: θ at each recorded step. */
export interface PathIterates {
  readonly steps: readonly number[];
  readonly thetas: readonly (readonly number[])[];
}

export interface PathPlane {
  /** θₙ, the final iterate: the plane's origin. */
  readonly origin: readonly number[];
  /** d₁, d₂: orthonormal. */
  readonly directions: readonly [readonly number[], readonly number[]];
  /** The share of Σ‖θᵢ − θₙ‖² along each direction (Li et al. print it on the axes). */
  readonly explained: readonly [number, number];
}

export interface ProjectedPath {
  readonly steps: readonly number[];
  readonly a: readonly number[];
  readonly b: readonly number[];
  /** ‖θᵢ − θₙ − a d₁ − b d₂‖: how far the iterate lies off the plane. */
  readonly off: readonly number[];
}

export interface PathProjection extends PathPlane {
  readonly path: ProjectedPath;
  readonly others: readonly ProjectedPath[];
  /** F(θₙ + a d₁ + b d₂) row-major over bs × as (both ascending). */
  readonly grid: { readonly as: readonly number[]; readonly bs: readonly number[]; readonly loss: Float64Array };
}

/** Iterates the PCA reads at most (evenly spread over the path, the first and last kept): bounds the eigenproblem. */
export const MAX_PCA_ITERATES = 200;
/** Largest side of the loss grid. */
export const MAX_PROJECTION_SIDE = 201;

const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
};

const unit = (v: readonly number[]) => {
  const norm = Math.sqrt(dot(v, v));
  return v.map((x) => x / norm);
};

/** A unit vector orthogonal to the unit vector d (Gram–Schmidt on the coordinate axis d leans on least). */
function orthogonalTo(d: readonly number[]): number[] {
  let j = 0;
  for (let i = 1; i < d.length; i++) if (Math.abs(d[i]) < Math.abs(d[j])) j = i;
  return unit(d.map((x, i) => (i === j ? 1 : 0) - d[j] * x));
}

/** The PCA plane of a path, centred on its final iterate. */
export function pathPlane(path: PathIterates): PathPlane {
  const n = path.thetas.length;
  if (n === 0) throw new RangeError('a path needs at least one iterate');
  const P = path.thetas[0].length;
  if (P < 2) throw new RangeError('a plane needs at least two parameters');
  const origin = [...path.thetas[n - 1]];
  const picked = n <= MAX_PCA_ITERATES ? path.thetas : spread(path.thetas, MAX_PCA_ITERATES);
  const m = picked.length;
  const M = picked.map((t) => t.map((x, i) => x - origin[i]));
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) gram[i * m + j] = gram[j * m + i] = dot(M[i], M[j]);
  const total = M.reduce((s, r) => s + dot(r, r), 0);
  const { values, vectors } = symmetricEigen(gram, m);
  const direction = (k: number): number[] | null => {
    // Below rounding of the Gram matrix's entries a direction is noise (a path along one line has no second).
    if (!(values[k] > 1e-12 * total)) return null;
    // Mᵀu is an eigenvector of MᵀM with ‖Mᵀu‖² = λ.
    const d = new Array<number>(P).fill(0);
    for (let i = 0; i < m; i++) for (let c = 0; c < P; c++) d[c] += vectors[k][i] * M[i][c];
    return unit(d);
  };
  let d1 = direction(0) ?? origin.map((_, i) => (i === 0 ? 1 : 0));
  const second = m > 1 ? direction(1) : null;
  let d2 = second ? unit(second.map((x, i) => x - dot(second, d1) * d1[i])) : orthogonalTo(d1);
  // Signs: the start at a ≤ 0 (the path runs rightwards to the origin), the farthest point off d₁ at b ≥ 0.
  if (dot(M[0], d1) > 0) d1 = d1.map((x) => -x);
  let far = 0;
  for (const r of M) if (Math.abs(dot(r, d2)) > Math.abs(far)) far = dot(r, d2);
  if (far < 0) d2 = d2.map((x) => -x);
  const share = (k: number) => (total > 0 && values.length > k ? Math.max(0, values[k]) / total : 0);
  // A direction of rounding noise (or one made up to complete the plane) holds none of the path.
  return { origin, directions: [d1, d2], explained: [share(0), second ? share(1) : 0] };
}

function spread<T>(items: readonly T[], count: number): T[] {
  return Array.from({ length: count }, (_, k) => items[Math.round((k * (items.length - 1)) / (count - 1))]);
}

/** A path's coordinates on the plane. */
export function projectOnto(plane: PathPlane, path: PathIterates): ProjectedPath {
  const [d1, d2] = plane.directions;
  const a: number[] = [];
  const b: number[] = [];
  const off: number[] = [];
  for (const t of path.thetas) {
    if (t.length !== plane.origin.length)
      throw new RangeError(`an iterate has ${t.length} numbers; the plane's θ has ${plane.origin.length}`);
    const r = t.map((x, i) => x - plane.origin[i]);
    const ai = dot(r, d1);
    const bi = dot(r, d2);
    a.push(ai);
    b.push(bi);
    off.push(Math.sqrt(Math.max(0, dot(r, r) - ai * ai - bi * bi)));
  }
  return { steps: [...path.steps], a, b, off };
}

/** F (the mean loss over the training rows; f itself for a cost function) at θₙ + a d₁ + b d₂ on a grid. */
export function planeLoss(
  problem: DataProblem,
  plane: PathPlane,
  as: readonly number[],
  bs: readonly number[],
): Float64Array {
  if (plane.origin.length !== problem.variables.length)
    throw new RangeError(
      `the plane's θ has ${plane.origin.length} numbers; ${problem.name} has ${problem.variables.length}`,
    );
  const loss = rowLoss(problem.row);
  const { values, width, train } = problem.rows;
  const [d1, d2] = plane.directions;
  const th = new Float64Array(plane.origin.length);
  const out = new Float64Array(as.length * bs.length);
  for (let j = 0; j < bs.length; j++)
    for (let i = 0; i < as.length; i++) {
      for (let c = 0; c < th.length; c++) th[c] = plane.origin[c] + as[i] * d1[c] + bs[j] * d2[c];
      out[j * as.length + i] = loss.sum(th, values, width, train, 0, train.length) / train.length;
    }
  return out;
}

/**
 * The whole view: the plane of `path`, it and `others` projected, and F on a side × side grid covering every
 * projected point with `pad` of the span added on each side.
 */
export function projectPath(
  problem: DataProblem,
  path: PathIterates,
  others: readonly PathIterates[] = [],
  opts: { readonly side?: number; readonly pad?: number } = {},
): PathProjection {
  const side = opts.side ?? 41;
  if (!(Number.isInteger(side) && side >= 2 && side <= MAX_PROJECTION_SIDE))
    throw new RangeError(`the grid side must be an integer in 2…${MAX_PROJECTION_SIDE}, not ${side}`);
  const pad = opts.pad ?? 0.25;
  const plane = pathPlane(path);
  const main = projectOnto(plane, path);
  const projected = others.map((o) => projectOnto(plane, o));
  const bounds = (pick: (p: ProjectedPath) => readonly number[]) => {
    const all = [main, ...projected].flatMap(pick).filter(Number.isFinite);
    return [Math.min(0, ...all), Math.max(0, ...all)] as const;
  };
  const ba = bounds((p) => p.a);
  const bb = bounds((p) => p.b);
  // A path along one line leaves the other axis flat: each axis spans at least a fifth of the other.
  const spanA = Math.max(ba[1] - ba[0], (bb[1] - bb[0]) / 5) || 1;
  const spanB = Math.max(bb[1] - bb[0], spanA / 5);
  const axis = ([lo, hi]: readonly [number, number], span: number) => {
    const mid = (lo + hi) / 2;
    const from = mid - span * (0.5 + pad);
    const to = mid + span * (0.5 + pad);
    return Array.from({ length: side }, (_, k) => from + ((to - from) * k) / (side - 1));
  };
  const as = axis(ba, spanA);
  const bs = axis(bb, spanB);
  return { ...plane, path: main, others: projected, grid: { as, bs, loss: planeLoss(problem, plane, as, bs) } };
}
