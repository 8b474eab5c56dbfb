/** Random expressions over every operation of the IR, for the backends' fuzz tests (wasmFuzz, wasm32). */
import { BINARY_OPS, Graph, UNARY_OPS, type NodeId } from '../../src/engine/expr/ir';

/** Exponents of the IR's special forms: unrolled integer powers, and the fractional and negative ones. */
const EXPONENTS = [2, 3, 4, 0.5, 1.5, -1, -2, 0.3];

/** A random expression in x and y, depth-limited; `used` collects the operations it contains. */
export function randomNode(g: Graph, rnd: () => number, depth: number, used: Set<string>): NodeId {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const sub = () => randomNode(g, rnd, depth - 1, used);
  const r = rnd();
  if (depth === 0 || r < 0.2) {
    const leaf = rnd();
    if (leaf < 0.6) return g.input(pick(['x', 'y']));
    if (leaf < 0.7) return g.const(pick([Math.PI, Math.E]));
    return g.const(Number((rnd() * 6 - 2).toFixed(pick([0, 1, 3]))));
  }
  if (r < 0.3) return g.pow(sub(), rnd() < 0.8 ? g.const(pick(EXPONENTS)) : sub());
  if (r < 0.35) return g.select(sub(), sub(), sub());
  if (r < 0.65) {
    const op = pick(UNARY_OPS);
    used.add(op);
    return g.unary(op, sub());
  }
  const op = pick(BINARY_OPS);
  used.add(op);
  return g.binary(op, sub(), sub());
}
