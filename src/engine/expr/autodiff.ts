/**
 * Reverse-mode automatic differentiation on the IR. The adjoints are built in the same graph, so hash-consing
 * shares every subexpression between f and ∇f (e.g. cos(x) computed for f is reused by ∂sin(x)/∂x).
 */
import { Graph, type NodeId } from './ir';

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
        accumulate(n.a, g.mul(bar, unaryDerivative(g, n.op, n.a, id)));
        break;
      case 'binary':
        binaryAdjoints(g, n.op, n.a, n.b, id, bar, accumulate);
        break;
    }
  }
  return wrt.map((v) => adjoint.get(v) ?? g.const(0));
}

/** d op(a)/da, given y = op(a). */
function unaryDerivative(g: Graph, op: string, a: NodeId, y: NodeId): NodeId {
  const one = g.const(1);
  const sq = (x: NodeId) => g.mul(x, x);
  switch (op) {
    case 'neg':
      return g.const(-1);
    case 'abs':
      return g.sign(a);
    case 'sqrt':
      return g.div(g.const(0.5), y);
    case 'cbrt':
      return g.div(one, g.mul(g.const(3), sq(y)));
    case 'exp':
      return y;
    case 'expm1':
      return g.add(y, one);
    case 'log':
      return g.div(one, a);
    case 'log1p':
      return g.div(one, g.add(one, a));
    case 'log2':
      return g.div(one, g.mul(a, g.const(Math.LN2)));
    case 'log10':
      return g.div(one, g.mul(a, g.const(Math.LN10)));
    case 'sin':
      return g.unary('cos', a);
    case 'cos':
      return g.neg(g.unary('sin', a));
    case 'tan':
      return g.add(one, sq(y));
    case 'asin':
      return g.div(one, g.sqrt(g.sub(one, sq(a))));
    case 'acos':
      return g.neg(g.div(one, g.sqrt(g.sub(one, sq(a)))));
    case 'atan':
      return g.div(one, g.add(one, sq(a)));
    case 'sinh':
      return g.unary('cosh', a);
    case 'cosh':
      return g.unary('sinh', a);
    case 'tanh':
      return g.sub(one, sq(y));
    // sign and the truth-valued ops are piecewise constant.
    default:
      return g.const(0);
  }
}

function binaryAdjoints(
  g: Graph,
  op: string,
  a: NodeId,
  b: NodeId,
  y: NodeId,
  bar: NodeId,
  accumulate: (id: NodeId, contribution: NodeId) => void,
): void {
  const zero = g.const(0);
  switch (op) {
    case 'add':
      accumulate(a, bar);
      accumulate(b, bar);
      return;
    case 'sub':
      accumulate(a, bar);
      accumulate(b, g.neg(bar));
      return;
    case 'mul':
      accumulate(a, g.mul(bar, b));
      accumulate(b, g.mul(bar, a));
      return;
    case 'div':
      accumulate(a, g.div(bar, b));
      accumulate(b, g.neg(g.div(g.mul(bar, y), b)));
      return;
    case 'pow': {
      const c = g.constValue(b);
      // A constant exponent has no adjoint, and c·a^(c−1) stays defined at a ≤ 0 where a^b·log(a) would not.
      const exponentMinusOne = c === undefined ? g.sub(b, g.const(1)) : g.const(c - 1);
      accumulate(a, g.mul(bar, g.mul(b, g.pow(a, exponentMinusOne))));
      if (c === undefined) accumulate(b, g.mul(bar, g.mul(y, g.unary('log', a))));
      return;
    }
    case 'atan2': {
      // y = atan2(a, b): ∂/∂a = b/(a²+b²), ∂/∂b = −a/(a²+b²)
      const r2 = g.add(g.mul(a, a), g.mul(b, b));
      accumulate(a, g.mul(bar, g.div(b, r2)));
      accumulate(b, g.neg(g.mul(bar, g.div(a, r2))));
      return;
    }
    case 'hypot':
      accumulate(a, g.mul(bar, g.div(a, y)));
      accumulate(b, g.mul(bar, g.div(b, y)));
      return;
    case 'min':
    case 'max': {
      // At a tie the whole adjoint goes to one operand: a valid subgradient, and what max(a, b) = a ? … : … gives.
      const takesA = g.binary(op === 'min' ? 'le' : 'ge', a, b);
      accumulate(a, g.select(takesA, bar, zero));
      accumulate(b, g.select(takesA, zero, bar));
      return;
    }
    default:
      return; // comparisons and logic: piecewise constant
  }
}
