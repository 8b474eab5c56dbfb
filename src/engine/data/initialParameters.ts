/**
 * Initial parameters ("starts") of a model over data, DATA-CONVENTIONS.md "Random numbers": one stream
 * mulberry32(seed); for start r = 0, 1, …, N−1 in turn, each `@param` in the order of the definition's
 * variables, each element in row-major order: uniform takes one draw, normal two, zeros/ones/const none.
 * Every start takes the same number of draws, so start r begins at draw r·(draws per start) and one start can
 * be drawn on its own (`startParameters`) without drawing the starts before it.
 */
import { normalDraw, streamAt, uniformDraw } from './random';

export type ParamInit =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'normal'; readonly mu: number; readonly sigma: number };

/** One `@param NAME SHAPE INIT` line: shape [] or [1] is a scalar, [n] a vector, [m, n] a matrix. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

export function paramSize(p: ParamSpec): number {
  return p.shape.reduce((a, b) => a * b, 1);
}

/** θ's length: every parameter's elements, in the definition's order. */
export function parameterCount(params: readonly ParamSpec[]): number {
  return params.reduce((n, p) => n + paramSize(p), 0);
}

function drawsPerElement(init: ParamInit): number {
  return init.kind === 'uniform' ? 1 : init.kind === 'normal' ? 2 : 0;
}

export function drawsPerStart(params: readonly ParamSpec[]): number {
  return params.reduce((n, p) => n + paramSize(p) * drawsPerElement(p.init), 0);
}

/** θ of start r (flat, the definition's order, matrices row-major). */
export function startParameters(params: readonly ParamSpec[], seed: number, start: number): Float64Array {
  const next = streamAt(seed, start * drawsPerStart(params));
  const theta = new Float64Array(parameterCount(params));
  let k = 0;
  for (const p of params) {
    const size = paramSize(p);
    for (let i = 0; i < size; i++) theta[k++] = element(p.init, next);
  }
  return theta;
}

/** Starts 0…starts−1, one after the other: starts × parameterCount, row-major. */
export function initialParameters(params: readonly ParamSpec[], seed: number, starts: number): Float64Array {
  const size = parameterCount(params);
  const all = new Float64Array(starts * size);
  for (let r = 0; r < starts; r++) all.set(startParameters(params, seed, r), r * size);
  return all;
}

function element(init: ParamInit, next: () => number): number {
  switch (init.kind) {
    case 'zeros':
      return 0;
    case 'ones':
      return 1;
    case 'const':
      return init.value;
    case 'uniform':
      return uniformDraw(next, init.lo, init.hi);
    case 'normal':
      return normalDraw(next, init.mu, init.sigma);
  }
}
