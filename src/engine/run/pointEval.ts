/** Evaluating a cost function (or its gradient) at one point with the IR interpreter: for single points only. */
import { evaluate, type NodeId } from '../expr/ir';
import type { CostProgram } from '../program/stepProgram';

/** Own properties even for a variable named `__proto__` (an assignment would set the prototype instead). */
export function pointInputs(fn: CostProgram, point: readonly number[]): Record<string, number> {
  return Object.fromEntries(
    fn.inputs.flatMap((id, i) => {
      const node = fn.graph.node(id);
      return node.kind === 'input' ? [[node.name, point[i]]] : [];
    }),
  );
}

export function evaluateAt(fn: CostProgram, point: readonly number[], outputs: readonly NodeId[]): number[] {
  return evaluate(fn.graph, pointInputs(fn, point), outputs);
}

export function valueAt(fn: CostProgram, point: readonly number[]): number {
  return evaluateAt(fn, point, [fn.output])[0];
}
