/**
 * Reverse-mode automatic differentiation on the IR. The adjoints are built in the same graph, so hash-consing
 * shares every subexpression between f and ∇f (e.g. cos(x) computed for f is reused by ∂sin(x)/∂x).
 *
 * The rules are tables keyed by the op unions (as jax-js keys its JVP rules by primitive), so an operation
 * without a rule is a compile error rather than a silent zero gradient; the piecewise-constant operations
 * say so with an explicit rule.
 */
import type { BinaryOp, Graph, NodeId, UnaryOp } from './ir';

/** d op(a)/da as a node, given y = op(a). */
type UnaryRule = (g: Graph, a: NodeId, y: NodeId) => NodeId;

/** Adds ā and b̄'s contributions, given y = op(a, b) and its adjoint ȳ = bar (in that order: it fixes the rounding). */
type BinaryRule = (g: Graph, n: BinaryAt, accumulate: (id: NodeId, contribution: NodeId) => void) => void;
interface BinaryAt {
  readonly a: NodeId;
  readonly b: NodeId;
  readonly y: NodeId;
  readonly bar: NodeId;
}

/** Comparisons, logic and sign: their derivative is 0 wherever it exists. */
const piecewiseConstant: UnaryRule = (g) => g.const(0);
const noAdjoint: BinaryRule = () => {};

const sq = (g: Graph, x: NodeId): NodeId => g.mul(x, x);
const reciprocal = (g: Graph, x: NodeId): NodeId => g.div(g.const(1), x);

const UNARY_RULES: { readonly [P in UnaryOp]: UnaryRule } = {
  neg: (g) => g.const(-1),
  abs: (g, a) => g.sign(a),
  sign: piecewiseConstant,
  sqrt: (g, _a, y) => g.div(g.const(0.5), y),
  cbrt: (g, _a, y) => reciprocal(g, g.mul(g.const(3), sq(g, y))),
  exp: (_g, _a, y) => y,
  expm1: (g, _a, y) => g.add(y, g.const(1)),
  log: (g, a) => reciprocal(g, a),
  log1p: (g, a) => reciprocal(g, g.add(g.const(1), a)),
  log2: (g, a) => reciprocal(g, g.mul(a, g.const(Math.LN2))),
  log10: (g, a) => reciprocal(g, g.mul(a, g.const(Math.LN10))),
  sin: (g, a) => g.unary('cos', a),
  cos: (g, a) => g.neg(g.unary('sin', a)),
  tan: (g, _a, y) => g.add(g.const(1), sq(g, y)),
  asin: (g, a) => reciprocal(g, g.sqrt(g.sub(g.const(1), sq(g, a)))),
  acos: (g, a) => g.neg(reciprocal(g, g.sqrt(g.sub(g.const(1), sq(g, a))))),
  atan: (g, a) => reciprocal(g, g.add(g.const(1), sq(g, a))),
  sinh: (g, a) => g.unary('cosh', a),
  cosh: (g, a) => g.unary('sinh', a),
  tanh: (g, _a, y) => g.sub(g.const(1), sq(g, y)),
  not: piecewiseConstant,
};

/** At a tie the whole adjoint goes to one operand: a valid subgradient, and what max(a, b) = a ? … : … gives. */
const extremum =
  (takesA: 'le' | 'ge'): BinaryRule =>
  (g, { a, b, bar }, accumulate) => {
    const zero = g.const(0);
    const picksA = g.binary(takesA, a, b);
    accumulate(a, g.select(picksA, bar, zero));
    accumulate(b, g.select(picksA, zero, bar));
  };

const BINARY_RULES: { readonly [P in BinaryOp]: BinaryRule } = {
  add: (_g, { a, b, bar }, accumulate) => {
    accumulate(a, bar);
    accumulate(b, bar);
  },
  sub: (g, { a, b, bar }, accumulate) => {
    accumulate(a, bar);
    accumulate(b, g.neg(bar));
  },
  mul: (g, { a, b, bar }, accumulate) => {
    accumulate(a, g.mul(bar, b));
    accumulate(b, g.mul(bar, a));
  },
  div: (g, { a, b, y, bar }, accumulate) => {
    accumulate(a, g.div(bar, b));
    accumulate(b, g.neg(g.div(g.mul(bar, y), b)));
  },
  pow: (g, { a, b, y, bar }, accumulate) => {
    const c = g.constValue(b);
    // A constant exponent has no adjoint, and c·a^(c−1) stays defined at a ≤ 0 where a^b·log(a) would not.
    const exponentMinusOne = c === undefined ? g.sub(b, g.const(1)) : g.const(c - 1);
    accumulate(a, g.mul(bar, g.mul(b, g.pow(a, exponentMinusOne))));
    if (c === undefined) accumulate(b, g.mul(bar, g.mul(y, g.unary('log', a))));
  },
  atan2: (g, { a, b, bar }, accumulate) => {
    // y = atan2(a, b): ∂/∂a = b/(a²+b²), ∂/∂b = −a/(a²+b²)
    const r2 = g.add(sq(g, a), sq(g, b));
    accumulate(a, g.mul(bar, g.div(b, r2)));
    accumulate(b, g.neg(g.mul(bar, g.div(a, r2))));
  },
  hypot: (g, { a, b, y, bar }, accumulate) => {
    accumulate(a, g.mul(bar, g.div(a, y)));
    accumulate(b, g.mul(bar, g.div(b, y)));
  },
  min: extremum('le'),
  max: extremum('ge'),
  lt: noAdjoint,
  le: noAdjoint,
  gt: noAdjoint,
  ge: noAdjoint,
  eq: noAdjoint,
  and: noAdjoint,
  or: noAdjoint,
};

/** ∂f/∂v for each v in `wrt` (input nodes), as nodes of `g`. */
export function gradient(g: Graph, f: NodeId, wrt: readonly NodeId[]): NodeId[] {
  const adjoint = new Map<NodeId, NodeId>([[f, g.const(1)]]);
  const accumulate = (id: NodeId, contribution: NodeId): void => {
    if (g.isConst(id) || g.isConst(contribution, 0)) return;
    const prev = adjoint.get(id);
    adjoint.set(id, prev === undefined ? contribution : g.add(prev, contribution));
  };

  for (let id = f; id >= 0; id--) {
    const bar = adjoint.get(id);
    if (bar === undefined) continue;
    const n = g.node(id);
    switch (n.kind) {
      case 'const':
      case 'input':
        break;
      case 'select':
        accumulate(n.a, g.select(n.c, bar, g.const(0)));
        accumulate(n.b, g.select(n.c, g.const(0), bar));
        break;
      case 'unary':
        accumulate(n.a, g.mul(bar, UNARY_RULES[n.op](g, n.a, id)));
        break;
      case 'binary':
        BINARY_RULES[n.op](g, { a: n.a, b: n.b, y: id, bar }, accumulate);
        break;
    }
  }
  return wrt.map((v) => adjoint.get(v) ?? g.const(0));
}
