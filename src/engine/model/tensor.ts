/**
 * Tensors of a model over data: scalars, vectors and matrices held as arrays of scalar IR nodes, row-major,
 * with mathjs's semantics (DATA-CONVENTIONS "The `.cost` form"). A shape is [] (a scalar), [n] (a vector) or
 * [m, n] (a matrix). Operations check shapes and throw ShapeError, which the lowering turns into a CostError
 * at the operator. Node counts: elementwise operations and reductions O(size), a matrix product O(m·k·n);
 * every sum runs left to right (the order fixes the rounding).
 */
import type { Graph, NodeId } from '../expr/ir';

export type Shape = readonly [] | readonly [number] | readonly [number, number];

export interface Tensor {
  readonly shape: Shape;
  /** size(shape) nodes, row-major. */
  readonly data: readonly NodeId[];
}

/** A shape that does not fit the operation; the message names both shapes. */
export class ShapeError extends Error {}

export const scalar = (x: NodeId): Tensor => ({ shape: [], data: [x] });

/** Dimensions as a Shape (at most two: higher ranks are refused before they get here). */
export function shapeOf(dims: readonly number[]): Shape {
  if (dims.length === 0) return [];
  return dims.length === 1 ? [dims[0]] : [dims[0], dims[1]];
}
export const isScalar = (t: Tensor): boolean => t.shape.length === 0;

export function describe(shape: Shape): string {
  if (shape.length === 0) return 'a scalar';
  if (shape.length === 1) return `a ${shape[0]}-vector`;
  return `a ${shape[0]}×${shape[1]} matrix`;
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, k) => d === b[k]);

export function map(t: Tensor, f: (x: NodeId) => NodeId): Tensor {
  return { shape: t.shape, data: t.data.map((x) => f(x)) };
}

/** Elementwise, a scalar broadcasting to the other shape (mathjs's `+ - .* ./ .^` and comparisons). */
export function zip(a: Tensor, b: Tensor, f: (x: NodeId, y: NodeId) => NodeId, verb: string): Tensor {
  if (isScalar(a)) return map(b, (y) => f(a.data[0], y));
  if (isScalar(b)) return map(a, (x) => f(x, b.data[0]));
  if (!sameShape(a.shape, b.shape))
    throw new ShapeError(`cannot ${verb} ${describe(a.shape)} and ${describe(b.shape)}`);
  return { shape: a.shape, data: a.data.map((x, i) => f(x, b.data[i])) };
}

/**
 * mathjs's `*`: a scalar scales; matrix·vector, vector·matrix and matrix·matrix are matrix products, where a
 * vector stands for a column on the right and a row on the left; vector·vector is the dot product.
 */
export function matmul(g: Graph, a: Tensor, b: Tensor): Tensor {
  if (isScalar(a) || isScalar(b)) return zip(a, b, (x, y) => g.mul(x, y), 'multiply');
  const [m, k] = a.shape.length === 1 ? [1, a.shape[0]] : (a.shape as readonly [number, number]);
  const [k2, n] = b.shape.length === 1 ? [b.shape[0], 1] : (b.shape as readonly [number, number]);
  if (k !== k2) {
    throw new ShapeError(
      `cannot multiply ${describe(a.shape)} by ${describe(b.shape)} (inner dimensions ${k} ≠ ${k2})`,
    );
  }
  const data: NodeId[] = [];
  const terms: NodeId[] = new Array<NodeId>(k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) terms[p] = g.mul(a.data[i * k + p], b.data[p * n + j]);
      data.push(g.sum(terms));
    }
  }
  const shape: Shape = a.shape.length === 1 ? (b.shape.length === 1 ? [] : [n]) : b.shape.length === 1 ? [m] : [m, n];
  return { shape, data };
}

/** mathjs's `'`: a matrix is transposed; a vector or a scalar is itself. */
export function transpose(t: Tensor): Tensor {
  if (t.shape.length < 2) return t;
  const [m, n] = t.shape as readonly [number, number];
  const data: NodeId[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) data.push(t.data[i * n + j]);
  return { shape: [n, m], data };
}

/**
 * The elements at 0-based `indices` (one list per dimension); a dimension indexed by a single number rather
 * than a range is dropped from the shape, as mathjs does (`A[2, :]` is a vector, `A[2:2, :]` a 1×n matrix).
 */
export function pick(t: Tensor, indices: readonly (readonly number[])[], dropped: readonly boolean[]): Tensor {
  const rows = indices[0];
  const cols = indices[1] ?? [0];
  const n = t.shape.length === 2 ? t.shape[1] : 1;
  const data: NodeId[] = [];
  for (const i of rows) for (const j of cols) data.push(t.data[i * n + j]);
  return { shape: shapeOf(indices.map((list) => list.length).filter((_, d) => !dropped[d])), data };
}

/** Vectors and matrices from `[a, b, …]`: scalars make a vector, vectors of one length the rows of a matrix. */
export function stack(items: readonly Tensor[]): Tensor {
  const first = items[0].shape;
  if (first.length === 2)
    throw new ShapeError('an array of matrices is not supported: write a matrix as rows [[…], […]]');
  for (const t of items) {
    if (!sameShape(t.shape, first)) {
      throw new ShapeError(`the items of an array must have one shape: ${describe(first)} and ${describe(t.shape)}`);
    }
  }
  const shape: Shape = first.length === 0 ? [items.length] : [items.length, first[0]];
  return { shape, data: items.flatMap((t) => t.data) };
}

export function sum(g: Graph, t: Tensor): NodeId {
  return g.sum(t.data);
}

export function mean(g: Graph, t: Tensor): NodeId {
  return g.div(sum(g, t), g.const(t.data.length));
}

export function dot(g: Graph, a: Tensor, b: Tensor): NodeId {
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot() takes two vectors of one length, not ${describe(a.shape)} and ${describe(b.shape)}`);
  }
  return g.sum(a.data.map((x, i) => g.mul(x, b.data[i])));
}

/**
 * The L2 norm of a vector, √(Σ x²). At 0 its gradient is 0, as PyTorch's (JAX's is NaN): the square root is taken
 * of 1 there and its result discarded, so no 0·∞ reaches the adjoints. A matrix is refused: mathjs's norm of a
 * matrix is the spectral norm, numpy's and PyTorch's the Frobenius norm, and neither reading should be a surprise.
 */
export function norm(g: Graph, t: Tensor): NodeId {
  if (t.shape.length === 2) {
    throw new ShapeError(
      `norm() takes a vector, not ${describe(t.shape)}; for the Frobenius norm write sqrt(sum(W.^2))`,
    );
  }
  const squares = g.sum(t.data.map((x) => g.mul(x, x)));
  const zero = g.binary('le', squares, g.const(0));
  return g.select(zero, g.const(0), g.sqrt(g.select(zero, g.const(1), squares)));
}

/** The largest (or smallest) element, folded left to right with the binary max (min). */
export function extremum(g: Graph, t: Tensor, op: 'max' | 'min'): NodeId {
  return t.data.reduce((acc, x) => g.binary(op, acc, x));
}

/** log Σ exp(x) over all elements, as m + log Σ exp(x − m) with m the largest, so that no exp overflows. */
export function logsumexp(g: Graph, t: Tensor): NodeId {
  const m = extremum(g, t, 'max');
  return g.add(m, g.unary('log', g.sum(t.data.map((x) => g.unary('exp', g.sub(x, m))))));
}

/** exp(xᵢ − m) / Σⱼ exp(xⱼ − m) over a vector, m its largest element. */
export function softmax(g: Graph, t: Tensor): Tensor {
  if (t.shape.length === 2) throw new ShapeError(`softmax() takes a vector, not ${describe(t.shape)}`);
  const m = extremum(g, t, 'max');
  const e = t.data.map((x) => g.unary('exp', g.sub(x, m)));
  const total = g.sum(e);
  return { shape: t.shape, data: e.map((x) => g.div(x, total)) };
}
