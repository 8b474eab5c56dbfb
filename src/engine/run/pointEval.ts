/** Evaluating a cost function (or its gradient) at one point with the IR interpreter: for single points only. */
import { evaluate, type NodeId } from '../expr/ir';
import type { CostProgram } from '../program/stepProgram';

export function pointInputs(fn: CostProgram, point: readonly number[]): Record<string, number> {
  const inputs: Record<string, number> = {};
  fn.inputs.forEach((id, i) => {
    const node = fn.graph.node(id);
    if (node.kind === 'input') inputs[node.name] = point[i];
  });
  return inputs;
}

export function evaluateAt(fn: CostProgram, point: readonly number[], outputs: readonly NodeId[]): number[] {
  return evaluate(fn.graph, pointInputs(fn, point), outputs);
}

export function valueAt(fn: CostProgram, point: readonly number[]): number {
  return evaluateAt(fn, point, [fn.output])[0];
}
