/**
 * Which nodes of a step program a kernel computes once per lane and which every step: a node varies when it
 * depends on θ or on optimizer state; one that depends only on hyperparameters and constants is hoisted out of
 * the step loop (Adam's 1 − β₁, h(t)'s 1 − β₃…). Both backends compile from this split.
 */
import type { NodeId } from '../expr/ir';
import { programOutputs, type StepProgram } from '../program/stepProgram';
import { splitNodes } from './graphSchedule';

export interface StepSchedule {
  /** programOutputs(program). */
  readonly outputs: readonly NodeId[];
  /** Live non-constant nodes that depend only on hyperparameters, in node order. */
  readonly invariant: readonly NodeId[];
  /** Live non-constant nodes that depend on θ or state, in node order. */
  readonly perStep: readonly NodeId[];
}

export function stepSchedule(program: StepProgram): StepSchedule {
  const { graph } = program;
  const outputs = programOutputs(program);
  const { fixed, varying } = splitNodes(graph, outputs, (id) => {
    const input = program.inputs.get(id);
    if (input === undefined) throw new Error(`step program input ${id} is neither θ, state nor a parameter`);
    return input.kind !== 'param';
  });
  return { outputs, invariant: fixed, perStep: varying };
}
