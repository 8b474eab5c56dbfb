/**
 * Second-moment methods: Adagrad, RMSprop, Adam and the two AMSGrads. ε is always outside the square root
 * (CONVENTIONS). Bias corrections use β₁ᵗ, β₂ᵗ kept as scalar state products (b1t ← b1t·β₁ each step,
 * starting from 1, so t = 1 on the first update, held at 0 once they underflow) rather than a pow per step.
 */
import type { Graph, NodeId } from '../expr/ir';
import { BETA1, BETA2, EPS, ETA, RHO, withDefault } from './params';
import type { UpdateRule, UpdateContext } from './types';

/** θ − η·num/(√den + ε), coordinate by coordinate. */
function scaledStep(
  g: Graph,
  theta: readonly NodeId[],
  eta: NodeId,
  num: readonly NodeId[],
  den: readonly NodeId[],
  eps: NodeId,
) {
  return theta.map((t, i) => g.sub(t, g.div(g.mul(eta, num[i]), g.add(g.sqrt(den[i]), eps))));
}

/**
 * βᵗ ← βᵗ⁻¹·β, held at 0 once below the smallest normal number 2⁻¹⁰²² (2⁻¹²⁶ in binary32, where the same holds:
 * 1 − b rounds to 1 for b < 2⁻²⁵, and βᵗ sticks at a subnormal, 4·2⁻¹⁴⁹ for β₁ = 0.9). Left alone it would reach the smallest
 * subnormal and stay there (β·2⁻¹⁰⁷⁴ rounds back to 2⁻¹⁰⁷⁴ for β > ½), and every later step would multiply a
 * subnormal — a slow path on x86 that doubled the time per step of long runs (β₁ᵗ after ~6,700 steps for
 * β₁ = 0.9; README, Performance). No result changes: βᵗ enters only as 1 − βᵗ, and for 0 ≤ b < 2⁻¹⁰²² (< 2⁻⁵⁴,
 * half an ulp below 1) 1 − b rounds to 1 whether b is subnormal or 0; only the state βᵗ itself reads 0.
 */
function decayingPower(g: Graph, previous: NodeId, beta: NodeId, smallestNormal = 2 ** -1022): NodeId {
  const product = g.mul(previous, beta);
  return g.select(g.binary('lt', product, g.const(smallestNormal)), g.const(0), product);
}

/** EMA x ← βx + (1 − β)y. */
function ema(g: Graph, beta: NodeId, x: NodeId, y: NodeId): NodeId {
  return g.add(g.mul(beta, x), g.mul(g.sub(g.const(1), beta), y));
}

/** G ← G + g²; θ ← θ − η g/(√G + ε). */
export const adagrad: UpdateRule = {
  kind: 'update',
  id: 'adagrad',
  label: 'Adagrad',
  paper: 'Duchi, Hazan & Singer 2011',
  rule: 'G ← G + g²; θ ← θ − η g/(√G + ε)',
  consumes: 'value',
  learningRate: 'eta',
  params: [ETA, EPS],
  state: [{ name: 'G', size: 'coord', init: { const: 0 } }],
  update(ctx) {
    const { g, grad } = ctx;
    const G = ctx.state.G.map((Gi, i) => g.add(Gi, g.mul(grad[i], grad[i])));
    return { theta: scaledStep(g, ctx.theta, ctx.param('eta'), grad, G, ctx.param('eps')), state: { G } };
  },
};

/** v ← ρv + (1 − ρ)g²; θ ← θ − η g/(√v + ε); no bias correction, no centring (CONVENTIONS: RMSprop). */
export const rmsprop: UpdateRule = {
  kind: 'update',
  id: 'rmsprop',
  label: 'RMSprop',
  paper: 'Khan, lecture slides',
  rule: 'v ← ρv + (1−ρ)g²; θ ← θ − η g/(√v + ε)',
  consumes: 'value',
  learningRate: 'eta',
  params: [withDefault(ETA, 0.001), RHO, EPS],
  state: [{ name: 'v', size: 'coord', init: { const: 0 } }],
  update(ctx) {
    const { g, grad } = ctx;
    const rho = ctx.param('rho');
    const v = ctx.state.v.map((vi, i) => ema(g, rho, vi, g.mul(grad[i], grad[i])));
    return { theta: scaledStep(g, ctx.theta, ctx.param('eta'), grad, v, ctx.param('eps')), state: { v } };
  },
};

const MOMENT_STATE = [
  { name: 'm', size: 'coord', init: { const: 0 } },
  { name: 's', size: 'coord', init: { const: 0 } },
  { name: 'b1t', size: 'scalar', init: { const: 1 } },
] as const;

/**
 * The moments shared by Adam and AMSGrad: new m, s, β₁ᵗ, and c₁ = 1 − β₁ᵗ, the first moment's bias correction.
 * m̂ = m/c₁ is never formed: the callers fold 1/c₁ into the step size, ηₜ = η/c₁ (Kingma & Ba 2015, §2's αₜ), one
 * division per lane and step instead of one per coordinate — divisions and square roots share one slow unit
 * and bound the compiled kernels (README, Performance).
 */
function moments(ctx: UpdateContext) {
  const { g, grad } = ctx;
  const beta1 = ctx.param('beta1');
  const beta2 = ctx.param('beta2');
  const b1t = decayingPower(g, ctx.state.b1t[0], beta1, ctx.smallestNormal);
  const m = ctx.state.m.map((mi, i) => ema(g, beta1, mi, grad[i]));
  const s = ctx.state.s.map((si, i) => ema(g, beta2, si, g.mul(grad[i], grad[i])));
  return { m, s, b1t, c1: g.sub(g.const(1), b1t) };
}

/** Baiesi 2019, eq. A.2 with H = 1: both moments bias-corrected. */
export const adam: UpdateRule = {
  kind: 'update',
  id: 'adam',
  label: 'Adam',
  paper: 'Khan, lecture slides; Baiesi 2019, A.2',
  rule: 'm, s EMAs; m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ); θ ← θ − η m̂/(√ŝ + ε)',
  consumes: 'value',
  learningRate: 'eta',
  params: [withDefault(ETA, 0.001), BETA1, BETA2, EPS],
  state: [...MOMENT_STATE, { name: 'b2t', size: 'scalar', init: { const: 1 } }],
  update(ctx) {
    const { g } = ctx;
    const { m, s, b1t, c1 } = moments(ctx);
    const b2t = decayingPower(g, ctx.state.b2t[0], ctx.param('beta2'), ctx.smallestNormal);
    const c2 = g.sub(g.const(1), b2t);
    // Both corrections from one division: 1/c₁ = c₂/(c₁c₂) and 1/c₂ = c₁/(c₁c₂) (c₁c₂ ≥ 1e−9 for β's in range).
    const inverse = g.div(g.const(1), g.mul(c1, c2));
    const etaT = g.mul(ctx.param('eta'), g.mul(inverse, c2));
    const sHat = s.map((si) => g.mul(si, g.mul(inverse, c1)));
    return {
      theta: scaledStep(g, ctx.theta, etaT, m, sHat, ctx.param('eps')),
      state: { m, s, b1t: [b1t], b2t: [b2t] },
    };
  },
};

/**
 * Baiesi 2019, eq. A.3 read literally (the default): ŝₜ = max(sₜ, sₜ₋₁), s not bias-corrected, s₀ = 0 — a max over
 * two consecutive EMA values. CONVENTIONS: AMSGrad.
 */
export const amsgrad: UpdateRule = {
  kind: 'update',
  id: 'amsgrad',
  label: 'AMSGrad (Baiesi A.3)',
  paper: 'Baiesi 2019, A.3',
  rule: 'm̂ = m/(1−β₁ᵗ); ŝₜ = max(sₜ, sₜ₋₁), s₀ = 0, s not bias-corrected; θ ← θ − η m̂/(√ŝ + ε)',
  consumes: 'value',
  learningRate: 'eta',
  params: [withDefault(ETA, 0.001), BETA1, withDefault(BETA2, 0.99), EPS],
  state: MOMENT_STATE,
  update(ctx) {
    const { g } = ctx;
    const { m, s, b1t, c1 } = moments(ctx);
    const sHat = s.map((si, i) => g.max(si, ctx.state.s[i]));
    return {
      theta: scaledStep(g, ctx.theta, g.div(ctx.param('eta'), c1), m, sHat, ctx.param('eps')),
      state: { m, s, b1t: [b1t] },
    };
  },
};

/** Reddi et al. 2018's running maximum ŝₜ = max(ŝₜ₋₁, sₜ), otherwise as `amsgrad` (CONVENTIONS: AMSGrad, option). */
export const amsgradMax: UpdateRule = {
  ...amsgrad,
  id: 'amsgrad-max',
  label: 'AMSGrad (running max)',
  paper: 'Reddi, Kale & Kumar 2018; Baiesi 2019, A.3',
  rule: 'm̂ = m/(1−β₁ᵗ); ŝₜ = max(ŝₜ₋₁, sₜ) (Reddi et al.); θ ← θ − η m̂/(√ŝ + ε)',
  state: [...MOMENT_STATE, { name: 'sHat', size: 'coord', init: { const: 0 } }],
  update(ctx) {
    const { g } = ctx;
    const { m, s, b1t, c1 } = moments(ctx);
    const sHat = s.map((si, i) => g.max(ctx.state.sHat[i], si));
    return {
      theta: scaledStep(g, ctx.theta, g.div(ctx.param('eta'), c1), m, sHat, ctx.param('eps')),
      state: { m, s, b1t: [b1t], sHat },
    };
  },
};
