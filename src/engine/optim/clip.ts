/**
 * Gradient clipping as gradient transforms, written as optax writes them so that their iterates can be checked
 * against it. Both keep every sign (c > 0), so neither is offered in front of Rprop.
 */
import { MAX_DELTA, MAX_NORM } from './params';
import type { GradientTransform } from './types';

/**
 * Rescale g to norm c when ‖g‖₂ ≥ c (Pascanu, Mikolov & Bengio 2013, Alg. 1), over all coordinates at once, as
 * optax.clip_by_global_norm: g stays when ‖g‖ < c, else (g/‖g‖)·c.
 */
export const clipNorm: GradientTransform = {
  kind: 'gradient',
  id: 'clip-norm',
  label: 'clip by global norm',
  paper: 'Pascanu, Mikolov & Bengio 2013, Alg. 1',
  rule: 'g ← (g/‖g‖)·c when ‖g‖ ≥ c',
  consumes: 'value',
  keepsSign: true,
  params: [MAX_NORM],
  state: [],
  update(ctx) {
    const { g } = ctx;
    const c = ctx.param('maxNorm');
    const norm = g.sqrt(g.sum(ctx.grad.map((x) => g.mul(x, x))));
    const within = g.binary('lt', norm, c);
    return { grad: ctx.grad.map((x) => g.select(within, x, g.mul(g.div(x, norm), c))), state: {} };
  },
};

/** Each coordinate clipped to [−c, c] (Mikolov 2012, as in Pascanu et al. 2013 §3.2; optax.clip). */
export const clipValue: GradientTransform = {
  kind: 'gradient',
  id: 'clip-value',
  label: 'clip by value',
  paper: 'Mikolov 2012; Pascanu, Mikolov & Bengio 2013, §3.2',
  rule: 'gᵢ ← min(max(gᵢ, −c), c)',
  consumes: 'value',
  keepsSign: true,
  params: [MAX_DELTA],
  state: [],
  update(ctx) {
    const { g } = ctx;
    const c = ctx.param('maxDelta');
    const low = g.neg(c);
    return { grad: ctx.grad.map((x) => g.min(g.max(x, low), c)), state: {} };
  },
};
