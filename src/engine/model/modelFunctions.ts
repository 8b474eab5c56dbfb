/**
 * The functions a model may call, over tensors: the cost language's functions (one argument: elementwise, as
 * `map(v, f)` is in mathjs; several: scalars only), the activations `sigmoid relu softplus` (elementwise),
 * `logsumexp softmax`, the reductions `sum mean dot norm max min` and `transpose`. Names are looked up in Maps.
 */
import type { Graph, NodeId } from '../expr/ir';
import { BUILTINS, type Builtin } from '../expr/mathFunctions';
import * as T from './tensor';
import { describe, isScalar, scalar, ShapeError, type Tensor } from './tensor';

export interface TensorFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Throws ShapeError for arguments of the wrong shapes. */
  apply(g: Graph, args: readonly Tensor[]): Tensor;
}

type Elementwise = (g: Graph, x: NodeId) => NodeId;

/**
 * σ(x) = 1/(1 + t) for x ≥ 0 and t/(1 + t) for x < 0, t = exp(−|x|) ∈ (0, 1]: neither branch can overflow, so the
 * unused one adds no 0·∞ to the adjoints, and each keeps full relative precision in its tail (σ(−30) ≈ 9.36e−14 to
 * the last digits, where 0.5 + 0.5·tanh(x/2) is 2e−4 off, relatively). |x| is written as a select on the same test so that
 * the derivative at 0 is σ'(0) = 1/4 (through abs it would be 0, sign(0) being 0).
 */
function sigmoid(g: Graph, x: NodeId): NodeId {
  const nonNegative = g.binary('ge', x, g.const(0));
  const t = g.unary('exp', g.select(nonNegative, g.neg(x), x));
  const d = g.add(g.const(1), t);
  return g.select(nonNegative, g.div(g.const(1), d), g.div(t, d));
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(exp(−|x|)), with max and |·| selected as in sigmoid. */
function softplus(g: Graph, x: NodeId): NodeId {
  const nonNegative = g.binary('ge', x, g.const(0));
  const t = g.unary('exp', g.select(nonNegative, g.neg(x), x));
  return g.add(g.select(nonNegative, x, g.const(0)), g.unary('log1p', t));
}

/** max(x, 0) with relu'(0) = 0, as PyTorch and JAX; a NaN stays NaN (divergence must stay visible). */
function relu(g: Graph, x: NodeId): NodeId {
  return g.select(g.binary('le', x, g.const(0)), g.const(0), x);
}

const ACTIVATIONS: ReadonlyMap<string, Elementwise> = new Map([
  ['sigmoid', sigmoid],
  ['softplus', softplus],
  ['relu', relu],
]);

const one = (apply: (g: Graph, t: Tensor) => Tensor): TensorFunction => ({
  minArgs: 1,
  maxArgs: 1,
  apply: (g, [t]) => apply(g, t),
});
const reduction = (reduce: (g: Graph, t: Tensor) => NodeId): TensorFunction => one((g, t) => scalar(reduce(g, t)));
const elementwise = (f: Elementwise): TensorFunction => one((g, t) => T.map(t, (x) => f(g, x)));

/** One argument: its largest (smallest) element; several: the cost language's max (min) of scalars. */
function extremum(op: 'max' | 'min'): TensorFunction {
  const ofScalars = BUILTINS.get(op)!;
  return {
    minArgs: 1,
    maxArgs: Infinity,
    apply: (g, args) => {
      if (args.length === 1) return scalar(T.extremum(g, args[0], op));
      const tensor = args.find((a) => !isScalar(a));
      if (tensor) {
        throw new ShapeError(
          `${op}() of several arguments takes scalars, not ${describe(tensor.shape)}; ` +
            `for the ${op === 'max' ? 'largest' : 'smallest'} element of a vector or matrix write ${op}(v)`,
        );
      }
      return scalar(
        ofScalars.build(
          g,
          args.map((a) => a.data[0]),
        ),
      );
    },
  };
}

const MODEL_FUNCTIONS: ReadonlyMap<string, TensorFunction> = new Map<string, TensorFunction>([
  ...[...ACTIVATIONS].map(([name, f]): [string, TensorFunction] => [name, elementwise(f)]),
  ['logsumexp', reduction(T.logsumexp)],
  ['softmax', one(T.softmax)],
  ['sum', reduction(T.sum)],
  ['mean', reduction(T.mean)],
  ['norm', reduction(T.norm)],
  ['dot', { minArgs: 2, maxArgs: 2, apply: (g, [a, b]) => scalar(T.dot(g, a, b)) }],
  ['max', extremum('max')],
  ['min', extremum('min')],
  ['transpose', one((_g, t) => T.transpose(t))],
]);

/** Every function name a model knows (`map` included), for suggestions and reserved names. */
export const MODEL_FUNCTION_NAMES: readonly string[] = [
  ...new Set([...MODEL_FUNCTIONS.keys(), ...BUILTINS.keys(), 'map']),
];

/** The function called `name` (not `map`, which takes a function), or undefined. */
export function tensorFunction(name: string): TensorFunction | undefined {
  const own = MODEL_FUNCTIONS.get(name);
  if (own) return own;
  const builtin = BUILTINS.get(name);
  return builtin && fromBuiltin(name, builtin);
}

/** The function `map(v, f)` may apply: an activation or a cost-language function of one argument. */
export function elementwiseFunction(name: string): Elementwise | undefined {
  const activation = ACTIVATIONS.get(name);
  if (activation) return activation;
  const builtin = BUILTINS.get(name);
  return builtin && builtin.minArgs <= 1 ? (g, x) => builtin.build(g, [x]) : undefined;
}

function fromBuiltin(name: string, builtin: Builtin): TensorFunction {
  return {
    minArgs: builtin.minArgs,
    maxArgs: builtin.maxArgs,
    apply: (g, args) => {
      if (args.length === 1 && builtin.minArgs <= 1) return T.map(args[0], (x) => builtin.build(g, [x]));
      const tensor = args.find((a) => !isScalar(a));
      if (tensor)
        throw new ShapeError(`${name}() of ${args.length} arguments takes scalars, not ${describe(tensor.shape)}`);
      return scalar(
        builtin.build(
          g,
          args.map((a) => a.data[0]),
        ),
      );
    },
  };
}
