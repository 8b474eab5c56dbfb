/**
 * Patterns of a step program that the wasm kernel emits in fewer instructions than node by node. Each gives, bit
 * for bit, the value of the nodes it replaces (the JS backend's, which the tests compare to the last bit): the
 * kernel is throughput-bound once W pairs hide the step's latency, so every instruction saved counts.
 */
import type { Graph, IrNode, NodeId } from '../../expr/ir';
import { PAIRS, type PairedMathFn } from './simdMath';

export interface StepPatterns {
  /**
   * sin and cos (sinh and cosh) of one argument, which share their reduction: one call gives both, bit for bit
   * what the separate functions give. Node → [pair function, first result, second result].
   */
  readonly partners: ReadonlyMap<NodeId, readonly [PairedMathFn, NodeId, NodeId]>;
  /** Loop-invariant exponents H of pow(|x|, H) nodes: the kernel tests H = ½ and H = 1 once per call and lane pair. */
  readonly flaggedExponents: ReadonlySet<NodeId>;
  /** The power transform's sign(x)·pow(|x|, H) with a flagged H: product node → x, H. */
  readonly products: ReadonlyMap<NodeId, { readonly x: NodeId; readonly exponent: NodeId }>;
  /** a + (−b) or (−b) + a, emitted as a − b (IEEE 754 defines a − b as a + (−b)): sum node → [a, b]. */
  readonly differences: ReadonlyMap<NodeId, readonly [NodeId, NodeId]>;
  /** The step's nodes to emit, in order: a folded sign, pow or neg node only if something else uses it. */
  readonly emitted: readonly NodeId[];
  /** The values a node's code reads. */
  operands(id: NodeId): readonly NodeId[];
}

/**
 * `changing`: inputs that change from step to step though no step node computes them (θ and the optimizer's state);
 * an exponent among them is not loop-invariant, so it is not flagged.
 */
export function findStepPatterns(
  g: Graph,
  perStep: readonly NodeId[],
  outputs: readonly NodeId[],
  changing: ReadonlySet<NodeId> = new Set(),
): StepPatterns {
  const inStep = new Set(perStep);
  const unaryOf = (id: NodeId, op: string) => {
    const n = g.node(id);
    return n.kind === 'unary' && n.op === op ? n.a : undefined;
  };
  // one pass over the step: its binary nodes, and its unary nodes by operation and argument
  const binaries: { id: NodeId; n: IrNode & { kind: 'binary' } }[] = [];
  const unaries = new Map<string, Map<NodeId, NodeId>>();
  for (const id of perStep) {
    const n = g.node(id);
    if (n.kind === 'binary') binaries.push({ id, n });
    else if (n.kind === 'unary') {
      let byArg = unaries.get(n.op);
      if (!byArg) unaries.set(n.op, (byArg = new Map()));
      byArg.set(n.a, id);
    }
  }

  const partners = new Map<NodeId, [PairedMathFn, NodeId, NodeId]>();
  for (const [name, [firstOp, secondOp]] of Object.entries(PAIRS) as [PairedMathFn, readonly [string, string]][]) {
    const firsts = unaries.get(firstOp);
    for (const [arg, second] of unaries.get(secondOp) ?? []) {
      const first = firsts?.get(arg);
      if (first === undefined) continue;
      partners.set(first, [name, first, second]);
      partners.set(second, [name, first, second]);
    }
  }

  const flaggedExponents = new Set(
    binaries
      .filter(
        ({ n }) =>
          n.op === 'pow' &&
          unaryOf(n.a, 'abs') !== undefined &&
          !inStep.has(n.b) &&
          !changing.has(n.b) &&
          !g.isConst(n.b),
      )
      .map(({ n }) => n.b),
  );

  const products = new Map<NodeId, { x: NodeId; exponent: NodeId }>();
  for (const { id, n } of binaries) {
    if (n.op !== 'mul') continue;
    for (const [s, p] of [
      [n.a, n.b],
      [n.b, n.a],
    ]) {
      const x = unaryOf(s, 'sign');
      const pow = g.node(p);
      if (
        x !== undefined &&
        pow.kind === 'binary' &&
        pow.op === 'pow' &&
        unaryOf(pow.a, 'abs') === x &&
        flaggedExponents.has(pow.b)
      ) {
        products.set(id, { x, exponent: pow.b });
        break;
      }
    }
  }

  const differences = new Map<NodeId, [NodeId, NodeId]>();
  const negated = (id: NodeId) => (inStep.has(id) ? unaryOf(id, 'neg') : undefined);
  for (const { id, n } of binaries) {
    if (n.op !== 'add') continue;
    const [b, a] = [negated(n.b), negated(n.a)];
    if (b !== undefined) differences.set(id, [n.a, b]);
    else if (a !== undefined) differences.set(id, [n.b, a]);
  }

  // each node's operands made once: emitters and planners ask for them many times per node
  const known = new Map<NodeId, readonly NodeId[]>();
  const operands = (id: NodeId): readonly NodeId[] => {
    let list = known.get(id);
    if (list === undefined) {
      const product = products.get(id);
      list = product ? [product.x, product.exponent] : (differences.get(id) ?? operandsOf(g.node(id)));
      known.set(id, list);
    }
    return list;
  };
  const needed = new Set(outputs);
  for (const id of [...perStep].reverse()) if (needed.has(id)) operands(id).forEach((o) => needed.add(o));
  return {
    partners,
    flaggedExponents,
    products,
    differences,
    emitted: perStep.filter((id) => needed.has(id)),
    operands,
  };
}

function operandsOf(n: IrNode): NodeId[] {
  switch (n.kind) {
    case 'unary':
      return [n.a];
    case 'binary':
      return [n.a, n.b];
    case 'select':
      return [n.c, n.a, n.b];
    default:
      return [];
  }
}
