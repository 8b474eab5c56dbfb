import { ETA, MOMENTUM_BETA } from './params';
import type { UpdateRule } from './types';

/** Heavy ball with η inside the velocity: Δ ← βΔ − η g(θ); θ ← θ + Δ (CONVENTIONS: Momentum, slides). */
export const momentum: UpdateRule = {
  kind: 'update',
  id: 'momentum',
  label: 'Momentum',
  paper: 'Khan, lecture slides',
  rule: 'Δ ← βΔ − η g(θ); θ ← θ + Δ',
  consumes: 'value',
  learningRate: 'eta',
  params: [ETA, MOMENTUM_BETA],
  state: [{ name: 'v', size: 'coord', init: { const: 0 } }],
  update(ctx) {
    const { g, theta, grad } = ctx;
    const eta = ctx.param('eta');
    const beta = ctx.param('beta');
    const v = ctx.state.v.map((vi, i) => g.sub(g.mul(beta, vi), g.mul(eta, grad[i])));
    return { theta: theta.map((t, i) => g.add(t, v[i])), state: { v } };
  },
};
