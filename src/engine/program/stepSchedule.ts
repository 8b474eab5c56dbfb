/**
 * Which nodes of a step program a kernel computes once per lane and which every step: a node varies when it
 * depends on θ or on optimizer state; one that depends only on hyperparameters and constants is hoisted out of
 * the step loop (Adam's 1 − β₁, h(t)'s 1 − β₃…). Both backends compile from this split.
 */
import type { NodeId } from '../expr/ir';
import { programOutputs, type StepProgram } from '../program/stepProgram';

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
  const live = new Uint8Array(graph.size);
  for (const o of outputs) live[o] = 1;
  for (let id = graph.size - 1; id >= 0; id--) {
    if (!live[id]) continue;
    const n = graph.node(id);
    if (n.kind === 'unary') live[n.a] = 1;
    else if (n.kind === 'binary') {
      live[n.a] = 1;
      live[n.b] = 1;
    } else if (n.kind === 'select') {
      live[n.c] = 1;
      live[n.a] = 1;
      live[n.b] = 1;
    }
  }
  const varies = new Uint8Array(graph.size);
  const invariant: NodeId[] = [];
  const perStep: NodeId[] = [];
  for (let id = 0; id < graph.size; id++) {
    const n = graph.node(id);
    if (n.kind === 'input') {
      const input = program.inputs.get(id);
      if (input === undefined) throw new Error(`step program input '${n.name}' is neither θ, state nor a parameter`);
      varies[id] = input.kind === 'param' ? 0 : 1;
      continue;
    }
    if (n.kind === 'unary') varies[id] = varies[n.a];
    else if (n.kind === 'binary') varies[id] = varies[n.a] | varies[n.b];
    else if (n.kind === 'select') varies[id] = varies[n.c] | varies[n.a] | varies[n.b];
    if (!live[id] || n.kind === 'const') continue;
    (varies[id] ? perStep : invariant).push(id);
  }
  return { outputs, invariant, perStep };
}
