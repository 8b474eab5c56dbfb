/**
 * The step program: f and ∇f of the cost function inlined at the optimizer's gradient point, the optimizer's
 * update, and f at the current iterate for the target and divergence tests — one IR graph that every backend
 * compiles into one fused loop per lane. Kernels compile it and runs plan with it; it depends on neither.
 */
import { gradient } from '../expr/autodiff';
import { Graph, type NodeId } from '../expr/ir';
import type { BuildContext, NumberParam, Optimizer, StateSpec, UpdateResult } from '../optim/types';

/** What a backend needs of a cost function: its IR, its inputs in variable order, and its output. */
export interface CostProgram {
  readonly graph: Graph;
  readonly inputs: readonly NodeId[];
  readonly output: NodeId;
}

export interface StateSlot {
  readonly spec: StateSpec;
  /** One input node per component (dim for 'coord' state, 1 for 'scalar'). */
  readonly inputs: readonly NodeId[];
  readonly next: readonly NodeId[];
}

/**
 * What an input node of a step program holds: a coordinate of θ, a component of a state slot (both change every
 * step), or a numeric hyperparameter (fixed per lane: what depends only on these is computed once per lane).
 */
export type ProgramInput =
  | { readonly kind: 'theta'; readonly index: number }
  | { readonly kind: 'state'; readonly slot: number; readonly index: number }
  | { readonly kind: 'param'; readonly index: number };

export interface StepProgram {
  readonly graph: Graph;
  readonly dim: number;
  readonly optimizer: Optimizer;
  /** Choice hyperparameters this program was built for. */
  readonly choices: Readonly<Record<string, string>>;
  /** θₖ inputs. */
  readonly theta: readonly NodeId[];
  readonly state: readonly StateSlot[];
  /** Numeric hyperparameters, each a per-lane input, in the optimizer's declared order. */
  readonly params: readonly { readonly spec: NumberParam; readonly input: NodeId }[];
  /** f(θₖ). */
  readonly f: NodeId;
  /** θₖ₊₁. */
  readonly next: readonly NodeId[];
  /** Every input node of `graph`, by what it holds. */
  readonly inputs: ReadonlyMap<NodeId, ProgramInput>;
}

/** f(θₖ), θₖ₊₁ and every state's next value: what one step computes, in the order kernels write them back. */
export function programOutputs(program: StepProgram): NodeId[] {
  return [program.f, ...program.next, ...program.state.flatMap((s) => s.next)];
}

export const thetaInputName = (i: number) => `theta${i}`;
export const stateInputName = (state: string, i: number) => `state:${state}${i}`;
export const paramInputName = (param: string) => `param:${param}`;

/** ∇f of a cost function, built once and reused for every step program made from it. */
export function withGradient(cost: CostProgram): CostProgram & { readonly grad: readonly NodeId[] } {
  return { ...cost, grad: gradient(cost.graph, cost.output, cost.inputs) };
}

/** Copies `outputs` of `src` into `dst`, with src's input nodes replaced by `substitute` (by input position). */
export function inline(
  src: Graph,
  outputs: readonly NodeId[],
  srcInputs: readonly NodeId[],
  substitute: readonly NodeId[],
  dst: Graph,
): NodeId[] {
  const map = new Map<NodeId, NodeId>(srcInputs.map((id, i) => [id, substitute[i]]));
  const last = outputs.reduce((m, o) => Math.max(m, o), -1);
  for (let id = 0; id <= last; id++) {
    if (map.has(id)) continue;
    const n = src.node(id);
    const at = (x: NodeId) => map.get(x)!;
    switch (n.kind) {
      case 'const':
        map.set(id, dst.const(n.value));
        break;
      case 'input':
        throw new Error(`cost function input '${n.name}' has no substitute`);
      case 'unary':
        map.set(id, dst.unary(n.op, at(n.a)));
        break;
      case 'binary':
        map.set(id, dst.binary(n.op, at(n.a), at(n.b)));
        break;
      case 'select':
        map.set(id, dst.select(at(n.c), at(n.a), at(n.b)));
        break;
    }
  }
  return outputs.map((o) => map.get(o)!);
}

/** Every choice hyperparameter's value: the one given, else its default; a value it does not offer is a bug. */
export function resolveChoices(
  optimizer: Optimizer,
  choices: Readonly<Record<string, string>>,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const p of optimizer.params) {
    if (p.kind !== 'choice') continue;
    const v = choices[p.name] ?? p.default;
    if (!p.choices.includes(v))
      throw new Error(`${optimizer.id}: ${p.name} must be one of ${p.choices.join('|')}, not '${v}'`);
    resolved[p.name] = v;
  }
  return resolved;
}

/**
 * What an optimizer's step is built on, for a cost function's step program and a data step program alike: a new
 * graph with the θ and state inputs, the numeric hyperparameters, the resolved choices and the context the
 * optimizer's builders read. `smallestNormal` is the lanes' arithmetic's (absent: binary64's).
 */
export function stepScaffold(
  optimizer: Optimizer,
  choices: Readonly<Record<string, string>>,
  dim: number,
  smallestNormal?: number,
) {
  const g = new Graph();
  const theta = Array.from({ length: dim }, (_, i) => g.input(thetaInputName(i)));
  const stateInputs: Record<string, NodeId[]> = {};
  for (const s of optimizer.state) {
    const n = s.size === 'coord' ? dim : 1;
    stateInputs[s.name] = Array.from({ length: n }, (_, i) => g.input(stateInputName(s.name, i)));
  }
  const numberParams = optimizer.params.filter((p): p is NumberParam => p.kind === 'number');
  const resolved = resolveChoices(optimizer, choices);
  const ctx: BuildContext = {
    g,
    dim,
    theta,
    state: stateInputs,
    param(name: string): NodeId {
      if (!numberParams.some((p) => p.name === name))
        throw new Error(`${optimizer.id} has no numeric hyperparameter '${name}'`);
      return g.input(paramInputName(name));
    },
    choice(name: string): string {
      const v = resolved[name];
      if (v === undefined) throw new Error(`${optimizer.id} has no choice hyperparameter '${name}'`);
      return v;
    },
    smallestNormal,
  };
  return { g, theta, stateInputs, numberParams, choices: resolved, ctx };
}

/**
 * After the optimizer's update: its state slots (input and next value per component), the numeric
 * hyperparameters' inputs, and the program inputs every step program has (θ, state, hyperparameters).
 */
export function stepSlots(
  scaffold: ReturnType<typeof stepScaffold>,
  optimizer: Optimizer,
  result: UpdateResult,
): Pick<StepProgram, 'state' | 'params'> & { readonly inputs: [NodeId, ProgramInput][] } {
  const { g, theta, stateInputs, numberParams } = scaffold;
  const state = optimizer.state.map((spec) => {
    const inputs = stateInputs[spec.name];
    const next = result.state[spec.name] ?? inputs;
    if (next.length !== inputs.length)
      throw new Error(`${optimizer.id}: state '${spec.name}' has ${next.length} components, not ${inputs.length}`);
    return { spec, inputs, next };
  });
  const params = numberParams.map((spec) => ({ spec, input: g.input(paramInputName(spec.name)) }));
  const inputs: [NodeId, ProgramInput][] = [
    ...theta.map((id, index): [NodeId, ProgramInput] => [id, { kind: 'theta', index }]),
    ...state.flatMap((s, slot) =>
      s.inputs.map((id, index): [NodeId, ProgramInput] => [id, { kind: 'state', slot, index }]),
    ),
    ...params.map((p, index): [NodeId, ProgramInput] => [p.input, { kind: 'param', index }]),
  ];
  return { state, params, inputs };
}

/** `smallestNormal` is the lanes' arithmetic's (2⁻¹²⁶ for binary32): where decaying products are held at 0. */
export function buildStepProgram(
  cost: CostProgram & { readonly grad: readonly NodeId[] },
  optimizer: Optimizer,
  choices: Readonly<Record<string, string>> = {},
  smallestNormal = 2 ** -1022,
): StepProgram {
  const scaffold = stepScaffold(optimizer, choices, cost.inputs.length, smallestNormal);
  const { g, theta, ctx } = scaffold;
  const point = optimizer.gradPoint?.(ctx) ?? theta;
  const [fAtPoint, ...grad] = inline(cost.graph, [cost.output, ...cost.grad], cost.inputs, point, g);
  const [f] = point === theta ? [fAtPoint] : inline(cost.graph, [cost.output], cost.inputs, theta, g);
  const result = optimizer.update({ ...ctx, grad, rawGrad: grad, f: fAtPoint });
  const { state, params, inputs } = stepSlots(scaffold, optimizer, result);
  return {
    graph: g,
    dim: ctx.dim,
    optimizer,
    choices: scaffold.choices,
    theta,
    state,
    params,
    f,
    next: result.theta,
    inputs: new Map(inputs),
  };
}

/** Initial state values for one lane (of a step program or a data step program). */
export function initialState(
  program: { readonly state: readonly StateSlot[] },
  params: Readonly<Record<string, number>>,
): number[][] {
  return program.state.map(({ spec, inputs }) => {
    const v = 'const' in spec.init ? spec.init.const : params[spec.init.param];
    if (v === undefined)
      throw new Error(`no value for hyperparameter '${'param' in spec.init ? spec.init.param : ''}'`);
    return inputs.map(() => v);
  });
}
