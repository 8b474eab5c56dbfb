/**
 * Optimizers in optax's shape: gradient transformations, each with declared state (its `init`) and an update
 * that builds IR, composed by `chain()` (chain.ts); a named optimizer is a chain. Numeric hyperparameters are
 * per-lane inputs (`param(name)`), never constants baked into code; choice parameters (a norm, a flag) select
 * the program's structure. One step program = f and ∇f at the gradient point, then the chain's update.
 */
import type { Graph, NodeId } from '../expr/ir';

export interface NumberParam {
  readonly kind: 'number';
  readonly name: string;
  /** How the papers write it (η, β₁, H…). */
  readonly symbol: string;
  readonly description: string;
  readonly default: number;
  /** The valid range, enforced wherever a value enters (specs, requests, sweep grids, lanes). */
  readonly min: number;
  readonly max: number;
  readonly scale: 'log' | 'linear';
}

export interface ChoiceParam {
  readonly kind: 'choice';
  readonly name: string;
  readonly symbol: string;
  readonly description: string;
  readonly choices: readonly string[];
  readonly default: string;
}

export type ParamSpec = NumberParam | ChoiceParam;

export interface StateSpec {
  readonly name: string;
  /** One value per coordinate, or one per lane. */
  readonly size: 'coord' | 'scalar';
  /** Initial value: a constant, or a numeric hyperparameter's value (e.g. Rprop's Δ₀). */
  readonly init: { readonly const: number } | { readonly param: string };
}

/** What every transform is handed while it builds its part of the step program. */
export interface BuildContext {
  readonly g: Graph;
  readonly dim: number;
  /** θₖ, the current iterate. */
  readonly theta: readonly NodeId[];
  /** Current state, by StateSpec name (a scalar state is an array of length 1). */
  readonly state: Readonly<Record<string, readonly NodeId[]>>;
  /** A per-lane numeric hyperparameter. */
  param(name: string): NodeId;
  /** A choice hyperparameter's value, fixed when the program is built. */
  choice(name: string): string;
  /** The smallest normal number of the lanes' arithmetic: 2⁻¹⁰²² (binary64) when absent, 2⁻¹²⁶ in binary32. */
  readonly smallestNormal?: number;
}

export interface UpdateContext extends BuildContext {
  /** The gradient this transform consumes: ∇f at the gradient point, after the transforms before it. */
  readonly grad: readonly NodeId[];
  /** ∇f at the gradient point, untransformed (NGD's cosine uses it). */
  readonly rawGrad: readonly NodeId[];
  /** f at the gradient point (NaSGD uses it). */
  readonly f: NodeId;
}

/** New values of state by StateSpec name; missing entries keep their value. */
export type StateUpdate = Readonly<Record<string, readonly NodeId[]>>;

export interface UpdateResult {
  readonly theta: readonly NodeId[];
  readonly state: StateUpdate;
}

/**
 * What a transform reads of the gradient it is given: its value, or only its sign per coordinate (Rprop).
 * A transform that keeps every sign changes nothing for a consumer of signs, so such a chain is not offered.
 */
export type Consumption = 'value' | 'sign';

/** What every transform declares: optax's `init` is `state`; its hyperparameters and where it comes from. */
interface TransformInfo {
  readonly id: string;
  readonly label: string;
  /** Where the rule comes from, e.g. "Baiesi 2019, A.2". */
  readonly paper: string;
  /** The rule in one line of math (for named optimizers, CONVENTIONS.md's table row). */
  readonly rule: string;
  readonly params: readonly ParamSpec[];
  readonly state: readonly StateSpec[];
}

/** Gradient → gradient (optax's scale_by_*, clip_*): the power transform, clipping. */
export interface GradientTransform extends TransformInfo {
  readonly kind: 'gradient';
  readonly consumes: Consumption;
  /** sign(output) = sign(input) in every coordinate. */
  readonly keepsSign: boolean;
  update(ctx: UpdateContext): { readonly grad: readonly NodeId[]; readonly state: StateUpdate };
}

/**
 * A learning-rate schedule: ηₖ in place of the rule's η (optax's `inject_hyperparams` with a schedule, the
 * count starting at 0 on the first update).
 */
export interface Schedule extends TransformInfo {
  readonly kind: 'schedule';
  learningRate(ctx: BuildContext, eta: NodeId): { readonly eta: NodeId; readonly state: StateUpdate };
}

/** Gradient → θₖ₊₁: an optimizer's own rule, the last element of every chain. */
export interface UpdateRule extends TransformInfo {
  readonly kind: 'update';
  readonly consumes: Consumption;
  /** The hyperparameter read every step as the step size, which a schedule may vary; none for Rprop, NGD, NaSGD. */
  readonly learningRate?: string;
  /** Where ∇f is evaluated; θₖ when absent (NAG looks ahead). */
  gradPoint?(ctx: BuildContext): readonly NodeId[];
  update(ctx: UpdateContext): UpdateResult;
}

export type Transform = GradientTransform | Schedule | UpdateRule;

/** A chain of transforms ending in an update rule: what the registry names and a step program runs. */
export interface Optimizer {
  readonly id: string;
  readonly label: string;
  readonly paper: string;
  /** The update in one line of math. */
  readonly rule: string;
  /** Every element's hyperparameters, the rule's first, with this optimizer's defaults. */
  readonly params: readonly ParamSpec[];
  /** Every element's state, in the same order as `params`. */
  readonly state: readonly StateSpec[];
  /** The elements in data-flow order: gradient transforms and schedules, then the update rule. */
  readonly transforms: readonly Transform[];
  /** What the chain reads of ∇f. */
  readonly consumes: Consumption;
  gradPoint?(ctx: BuildContext): readonly NodeId[];
  update(ctx: UpdateContext): UpdateResult;
}

/** An optimizer with its hyperparameter values, as a run asks for it. */
export interface OptimizerConfig {
  readonly id: string;
  readonly params: Readonly<Record<string, number | string>>;
}
