import { ETA, MU, withDefault } from './params';
import type { UpdateRule } from './types';

/**
 * Quickprop (Fahlman 1988, as in Khan's slides): per coordinate, the secant step Δwₜ = gₜ/(gₜ₋₁ − gₜ)·Δwₜ₋₁.
 * CONVENTIONS' edge cases: when Δwₜ₋₁ = 0 (the first step included) a GD step −η g; when gₜ, gₜ₋₁ have the same
 * sign and |gₜ| ≥ |gₜ₋₁| (the secant points backwards or is undefined) the maximal step μΔwₜ₋₁; otherwise the
 * secant step with |Δwₜ| capped at μ|Δwₜ₋₁|. Fahlman's extra −ηg term is not added. "Same sign" compares
 * sign(gₜ) with sign(gₜ₋₁), so gₜ = gₜ₋₁ (a zero denominator) always takes the μΔwₜ₋₁ branch.
 */
export const quickprop: UpdateRule = {
  kind: 'update',
  id: 'quickprop',
  label: 'Quickprop',
  paper: 'Khan, lecture slides (Fahlman 1988)',
  rule: 'Δwₜ = gₜ/(gₜ₋₁ − gₜ)·Δwₜ₋₁ per coordinate',
  consumes: 'value',
  learningRate: 'eta',
  params: [withDefault(ETA, 0.001), MU],
  state: [
    { name: 'gPrev', size: 'coord', init: { const: 0 } },
    { name: 'dwPrev', size: 'coord', init: { const: 0 } },
  ],
  update(ctx) {
    const { g } = ctx;
    const eta = ctx.param('eta');
    const mu = ctx.param('mu');
    const dw = ctx.grad.map((gi, i) => {
      const gp = ctx.state.gPrev[i];
      const dwp = ctx.state.dwPrev[i];
      const limit = g.mul(mu, g.abs(dwp));
      const secant = g.mul(g.div(gi, g.sub(gp, gi)), dwp);
      const capped = g.max(g.min(secant, limit), g.neg(limit));
      const growing = g.binary('and', g.binary('eq', g.sign(gi), g.sign(gp)), g.binary('ge', g.abs(gi), g.abs(gp)));
      const quick = g.select(growing, g.mul(mu, dwp), capped);
      return g.select(g.binary('eq', dwp, g.const(0)), g.neg(g.mul(eta, gi)), quick);
    });
    return { theta: ctx.theta.map((t, i) => g.add(t, dw[i])), state: { gPrev: ctx.grad, dwPrev: dw } };
  },
};
