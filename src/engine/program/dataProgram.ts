/**
 * The data step program (issue 12, DATA-CONVENTIONS.md): what one step of a model over data — or of a cost
 * function with gradient noise — computes, for a kernel to compile. Two IR graphs, neither of which depends on
 * the number of rows or the batch size:
 *
 *   row graph (`row`, a RowProgram: a ModelProgram, or a cost function as a model of one row and no columns)
 *     inputs θ (P) and the row's columns; outputs ℓ, ∇ℓ (P) and the metrics. A kernel evaluates it in loops
 *     over rows, with θ bound to the gradient point (minibatch), to θₖ (training loss F) or to θₖ (metrics).
 *   optimizer graph (`graph`), built by the optimizer's own builders, unchanged
 *     inputs θₖ, optimizer state, per-lane hyperparameters, gB (P) and fB; outputs the gradient point
 *     (`point`, θₖ itself unless the optimizer looks ahead, NAG: θ − γv), θₖ₊₁ (`next`), each state's next
 *     value, and the Rosetta-stone quantities ‖gB‖² (`gradNorm2`) and −⟨θₖ₊₁ − θₖ, gB⟩ (`descent`).
 *
 * One step k of one lane (a kernel may reorder work only where the result is bit for bit the same):
 *   1. at θₖ, when it is needed (below): F = (Σ ℓ(θₖ; row) over the training rows, in split order) / n_train
 *   2. at θₖ, when k is a recorded step: record F (and θₖ for traced lanes)
 *   3. when k = e·nb (an epoch end, e = 0 … — epoch 0 is the start): record F as epoch e's training loss and
 *      each metric's (Σ over the test rows, in split order) / n_test — over the training rows when there are
 *      no test rows
 *   4. targets on F − f* (only when targets are asked for: F is then computed every step); divergence when a
 *      coordinate of θₖ is non-finite or |θᵢ| > 1e10 (tested every step) or F is non-finite (when computed);
 *      stop at k = T, on divergence, or when every target is reached and the run stops at targets
 *   5. the update: p = point(θₖ, state); the batch b = k mod nb of epoch ⌊k/nb⌋ is rows
 *      order[b·B … min((b+1)·B, L) − 1] of the lane's start's order for that epoch; sum ℓ and ∇ℓ at p over
 *      those rows in that order, starting from 0; fB = Σℓ / count, gB,ᵢ = Σ∂ᵢℓ / count; gB,ᵢ += σ·zₖ,ᵢ
 *      (DATA-CONVENTIONS "Gradient noise": before any transform; the host supplies σ·z, see below); then
 *      θₖ₊₁ and the state from the optimizer graph, fed gB and fB (NaSGD's f is fB)
 *   6. at recorded steps, also fB, ‖gB‖² and −⟨θₖ₊₁ − θₖ, gB⟩ of this update (NaN at k = T: no update)
 * F is needed at every step when targets are asked for, else only at recorded steps, epoch ends, the last
 * step and a step whose θ diverged: a run without targets (the benchmark) pays n_train rows only that often.
 *
 * What a kernel is given per batch of lanes (kernel/dataTypes.ts): the dataset's values once (row-major, shared
 * by all lanes), the training and test row lists, per lane its θ, state and hyperparameters and the index of
 * its start, per start the current epoch's row order (dataset rows; every lane of that start reads it), and,
 * with noise, per start a buffer of σ·z for the slice's steps. A lane's θ, state, gradient accumulators and the
 * gradient point are its own and can live in memory when they do not fit in registers; nothing per lane grows
 * with the rows. The noise comes as a buffer rather than a generator in the kernel so that every backend adds
 * the same bits (z needs log and cos, which a SIMD kernel evaluates within an ulp or two of Math's), each z is
 * drawn once per start rather than once per lane, and the kernel's code does not change with σ.
 */
import { gradient } from '../expr/autodiff';
import { Graph, type NodeId } from '../expr/ir';
import type { NumberParam, Optimizer } from '../optim/types';
import { stepScaffold, stepSlots, type CostProgram, type ProgramInput, type StateSlot } from './stepProgram';

/** The per-row program a data step loops over: a ModelProgram has this shape. */
export interface RowProgram {
  readonly graph: Graph;
  /** P input nodes: θ₀ … θ_{P−1}. */
  readonly theta: readonly NodeId[];
  /** The row's cells the graph reads: the dataset's 0-based column index and the input node. */
  readonly columns: readonly { readonly index: number; readonly input: NodeId }[];
  readonly loss: NodeId;
  /** P nodes: ∂ℓ/∂θᵢ. */
  readonly gradient: readonly NodeId[];
  readonly metrics: readonly { readonly name: string; readonly output: NodeId }[];
}

/** A cost function as a row program: one row that reads no column, ℓ = f, no metrics. */
export function functionRow(cost: CostProgram): RowProgram {
  return {
    graph: cost.graph,
    theta: cost.inputs,
    columns: [],
    loss: cost.output,
    gradient: gradient(cost.graph, cost.output, cost.inputs),
    metrics: [],
  };
}

/** An input of the optimizer graph: θ, state and hyperparameters as in a step program, and gB and fB. */
export type DataProgramInput =
  ProgramInput | { readonly kind: 'grad'; readonly index: number } | { readonly kind: 'loss' };

export interface DataStepProgram {
  readonly row: RowProgram;
  /** P, the length of θ. */
  readonly dim: number;
  readonly optimizer: Optimizer;
  readonly choices: Readonly<Record<string, string>>;
  /** The optimizer graph (point, update, Rosetta quantities). */
  readonly graph: Graph;
  readonly theta: readonly NodeId[];
  readonly state: readonly StateSlot[];
  readonly params: readonly { readonly spec: NumberParam; readonly input: NodeId }[];
  /** gB inputs, P. */
  readonly grad: readonly NodeId[];
  /** fB input. */
  readonly loss: NodeId;
  /** The gradient point, P nodes; the θ inputs themselves when the optimizer does not look ahead. */
  readonly point: readonly NodeId[];
  /** θₖ₊₁. */
  readonly next: readonly NodeId[];
  /** ‖gB‖² = Σ gB,ᵢ², left to right. */
  readonly gradNorm2: NodeId;
  /** −⟨θₖ₊₁ − θₖ, gB⟩: the step's length along −gB times ‖gB‖ (Rosetta stone, Sprunger 2020 §3.2). */
  readonly descent: NodeId;
  /** Every input node of `graph`, by what it holds. */
  readonly inputs: ReadonlyMap<NodeId, DataProgramInput>;
}

export const gradInputName = (i: number) => `grad${i}`;
export const LOSS_INPUT_NAME = 'lossB';

/** Whether the gradient point is θₖ itself (no look-ahead): a kernel then evaluates the batch at θₖ. */
export function pointIsTheta(program: DataStepProgram): boolean {
  return program.point.every((id, i) => id === program.theta[i]);
}

/** The next value of every θ coordinate and state component, in the order kernels write them back. */
export function dataProgramOutputs(program: DataStepProgram): NodeId[] {
  return [...program.next, ...program.state.flatMap((s) => s.next)];
}

export function buildDataStepProgram(
  row: RowProgram,
  optimizer: Optimizer,
  choices: Readonly<Record<string, string>> = {},
): DataStepProgram {
  const dim = row.theta.length;
  const scaffold = stepScaffold(optimizer, choices, dim);
  const { g, theta, ctx } = scaffold;
  const point = optimizer.gradPoint?.(ctx) ?? theta;
  const grad = Array.from({ length: dim }, (_, i) => g.input(gradInputName(i)));
  const loss = g.input(LOSS_INPUT_NAME);
  const result = optimizer.update({ ...ctx, grad, rawGrad: grad, f: loss });
  const { state, params, inputs: common } = stepSlots(scaffold, optimizer, result);
  const gradNorm2 = g.sum(grad.map((x) => g.mul(x, x)));
  const descent = g.neg(g.sum(result.theta.map((t, i) => g.mul(g.sub(t, theta[i]), grad[i]))));
  const inputs = new Map<NodeId, DataProgramInput>([
    ...common,
    ...grad.map((id, index) => [id, { kind: 'grad', index }] as const),
    [loss, { kind: 'loss' }] as const,
  ]);
  return {
    row,
    dim,
    optimizer,
    choices: scaffold.choices,
    graph: g,
    theta,
    state,
    params,
    grad,
    loss,
    point,
    next: result.theta,
    gradNorm2,
    descent,
    inputs,
  };
}
