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

/**
 * What is the same for every lane that shares its hyperparameters: the scalar states whose next value depends only
 * on hyperparameters and such states (Adam's β₁ᵗ and β₂ᵗ, h(t)'s Hₜ, a schedule's decay factor — not NGD's λ,
 * which follows the gradient), and the step's nodes that depend on nothing else. Lanes that agree in these
 * states and their hyperparameters compute the same values for these nodes at every step, so a kernel may
 * compute them once for all such lanes (the hand-written kernels' bias-correction tables).
 */
export interface LaneUniform {
  /** Scalar state inputs that evolve from hyperparameters alone, in state order. */
  readonly states: readonly NodeId[];
  /** `perStep` nodes that depend only on hyperparameters and `states`, in node order. */
  readonly perStep: readonly NodeId[];
}

export function laneUniform(program: StepProgram, schedule: StepSchedule): LaneUniform {
  const { graph } = program;
  const scalar = program.state.filter((s) => s.spec.size === 'scalar');
  let states = new Set(scalar.flatMap((s) => s.inputs));
  // The largest set of scalar states closed under "next depends only on parameters and the set" (a fixpoint).
  for (;;) {
    const uniform = new Uint8Array(graph.size);
    for (let id = 0; id < graph.size; id++) {
      const n = graph.node(id);
      if (n.kind === 'const') uniform[id] = 1;
      else if (n.kind === 'input') uniform[id] = program.inputs.get(id)?.kind === 'param' || states.has(id) ? 1 : 0;
      else if (n.kind === 'unary') uniform[id] = uniform[n.a];
      else if (n.kind === 'binary') uniform[id] = uniform[n.a] & uniform[n.b];
      else uniform[id] = uniform[n.c] & uniform[n.a] & uniform[n.b];
    }
    const kept = new Set(
      scalar.flatMap((s) => s.inputs.filter((input, i) => states.has(input) && uniform[s.next[i]] === 1)),
    );
    if (kept.size === states.size)
      return {
        states: scalar.flatMap((s) => s.inputs).filter((id) => states.has(id)),
        perStep: schedule.perStep.filter((id) => uniform[id] === 1),
      };
    states = kept;
  }
}
