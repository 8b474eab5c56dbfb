import { ETA } from './params';
import type { UpdateRule } from './types';

/** θ ← θ − η g (CONVENTIONS: GD). */
export const gd: UpdateRule = {
  kind: 'update',
  id: 'gd',
  label: 'GD',
  paper: 'Khan, lecture slides',
  rule: 'θ ← θ − η g',
  consumes: 'value',
  learningRate: 'eta',
  params: [ETA],
  state: [],
  update(ctx) {
    const { g, theta, grad } = ctx;
    const eta = ctx.param('eta');
    return { theta: theta.map((t, i) => g.sub(t, g.mul(eta, grad[i]))), state: {} };
  },
};
