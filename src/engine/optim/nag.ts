import { ETA, GAMMA } from './params';
import type { UpdateRule } from './types';

/**
 * Look-ahead NAG: g = ∇f(θ − γv); v ← γv + η g; θ ← θ − v (Baiesi 2019, eq. A.1 with H = 1; the slides' form
 * with dw = −v). Not the Sutskever/PyTorch reparametrisation (CONVENTIONS: NAG).
 */
export const nag: UpdateRule = {
  kind: 'update',
  id: 'nag',
  label: 'NAG',
  paper: 'Khan, lecture slides; Baiesi 2019, A.1',
  rule: 'g = ∇f(θ − γv); v ← γv + η g; θ ← θ − v',
  consumes: 'value',
  learningRate: 'eta',
  params: [ETA, GAMMA],
  state: [{ name: 'v', size: 'coord', init: { const: 0 } }],
  gradPoint(ctx) {
    const { g, theta } = ctx;
    const gamma = ctx.param('gamma');
    return theta.map((t, i) => g.sub(t, g.mul(gamma, ctx.state.v[i])));
  },
  update(ctx) {
    const { g, theta, grad } = ctx;
    const eta = ctx.param('eta');
    const gamma = ctx.param('gamma');
    const v = ctx.state.v.map((vi, i) => g.add(g.mul(gamma, vi), g.mul(eta, grad[i])));
    return { theta: theta.map((t, i) => g.sub(t, v[i])), state: { v } };
  },
};
