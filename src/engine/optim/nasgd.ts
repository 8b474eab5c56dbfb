import { ALPHA, CLIP, LOWER_BOUND } from './params';
import type { UpdateRule } from './types';

/**
 * Norm-adapted descent (Sprunger 2020, Alg. 1): θ ← θ − min(1, α(f − L)/‖g‖²)·g, f taken at θ; clip = 0 drops the
 * min(1, ·); no step when ‖g‖ = 0 (CONVENTIONS: NaSGD).
 */
export const nasgd: UpdateRule = {
  kind: 'update',
  id: 'nasgd',
  label: 'NaSGD',
  paper: 'Sprunger 2020, Alg. 1',
  rule: 'θ ← θ − min(1, α(f − L)/‖g‖²)·g',
  consumes: 'value',
  params: [ALPHA, LOWER_BOUND, CLIP],
  state: [],
  update(ctx) {
    const { g, theta, grad } = ctx;
    const norm2 = g.sum(grad.map((x) => g.mul(x, x)));
    const ratio = g.div(g.mul(ctx.param('alpha'), g.sub(ctx.f, ctx.param('L'))), norm2);
    const factor = ctx.choice('clip') === '1' ? g.min(g.const(1), ratio) : ratio;
    const moves = g.binary('gt', norm2, g.const(0));
    return { theta: theta.map((t, i) => g.select(moves, g.sub(t, g.mul(factor, grad[i])), t)), state: {} };
  },
};
