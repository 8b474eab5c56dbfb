/**
 * The slowest, plainest way to run a step program: the IR interpreter, one lane, one step at a time. Tests
 * use it as the meaning of a program; backends must agree with it.
 */
import { evaluate } from '../expr/ir';
import {
  initialState,
  paramInputName,
  programOutputs,
  stateInputName,
  thetaInputName,
  type StepProgram,
} from '../program/stepProgram';

export interface Iterate {
  readonly step: number;
  readonly theta: number[];
  readonly f: number;
}

/** θ₀ … θ_steps and f at each (no stopping: the caller decides what a non-finite value means). */
export function referenceTrace(
  program: StepProgram,
  start: readonly number[],
  params: Readonly<Record<string, number>>,
  steps: number,
): Iterate[] {
  const outputs = programOutputs(program);
  let theta = [...start];
  let state = initialState(program, params);
  const fixed: Record<string, number> = {};
  for (const { spec } of program.params) {
    const v = params[spec.name];
    if (v === undefined) throw new Error(`no value for hyperparameter '${spec.name}'`);
    fixed[paramInputName(spec.name)] = v;
  }
  const iterates: Iterate[] = [];
  for (let k = 0; ; k++) {
    const inputs: Record<string, number> = { ...fixed };
    theta.forEach((v, i) => {
      inputs[thetaInputName(i)] = v;
    });
    program.state.forEach(({ spec }, s) =>
      state[s].forEach((v, i) => {
        inputs[stateInputName(spec.name, i)] = v;
      }),
    );
    const [f, ...rest] = evaluate(program.graph, inputs, outputs);
    iterates.push({ step: k, theta, f });
    if (k === steps) return iterates;
    theta = rest.slice(0, program.dim);
    let at = program.dim;
    state = program.state.map(({ inputs: ins }) => {
      const v = rest.slice(at, at + ins.length);
      at += ins.length;
      return v;
    });
  }
}
