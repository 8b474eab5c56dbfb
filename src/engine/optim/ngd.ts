/**
 * Normalised gradient descent (Kolasiński 2018): θ ← θ − λ D/‖D‖ with D = V, Vₖ = m Vₖ₋₁ + gₖ (V₋₁ = 0, so
 * V₀ = g₀); no step when ‖D‖ = 0. With adaptive = 1, after the step λ ← clip(λ(1 + β cos(gₖ, gₖ₋₁)), λmin, λmax),
 * cos := 0 at the first step or when a norm is 0, always from the raw gradients (CONVENTIONS: NGD).
 *
 * Momentum is the number m, not a choice: m = 0 gives plain NGD bit for bit, since 0·V + g = g exactly for
 * finite V (and V stays finite while g does). λ is scalar state starting at η, constant unless adaptive.
 */
import type { Graph, NodeId } from '../expr/ir';
import { ADAPTIVE, ETA, LAM_MAX, LAM_MIN, NGD_BETA, NGD_M, NORM } from './params';
import type { UpdateRule, UpdateResult } from './types';

const square = (g: Graph, x: NodeId) => g.mul(x, x);

function l2(g: Graph, v: readonly NodeId[]): NodeId {
  return g.sqrt(g.sum(v.map((x) => square(g, x))));
}

/** ‖v‖ for the chosen normalising function; std is the population standard deviation of the components. */
function norm(g: Graph, kind: string, v: readonly NodeId[]): NodeId {
  const n = g.const(v.length);
  switch (kind) {
    case 'l2':
      return l2(g, v);
    case 'linf':
      return v.map((x) => g.abs(x)).reduce((a, b) => g.max(a, b));
    case 'rms':
      return g.sqrt(g.div(g.sum(v.map((x) => square(g, x))), n));
    case 'std': {
      const mean = g.div(g.sum(v), n);
      return g.sqrt(g.div(g.sum(v.map((x) => square(g, g.sub(x, mean)))), n));
    }
    default:
      throw new Error(`ngd: unknown norm '${kind}'`);
  }
}

/** cos(a, b), or 0 when either norm is 0. */
function cosine(g: Graph, a: readonly NodeId[], b: readonly NodeId[]): NodeId {
  const na = l2(g, a);
  const nb = l2(g, b);
  const dot = g.sum(a.map((x, i) => g.mul(x, b[i])));
  const zero = g.const(0);
  const defined = g.binary('and', g.binary('gt', na, zero), g.binary('gt', nb, zero));
  return g.select(defined, g.div(dot, g.mul(na, nb)), zero);
}

export const ngd: UpdateRule = {
  kind: 'update',
  id: 'ngd',
  label: 'NGD',
  paper: 'Kolasiński 2018, Alg. 1',
  rule: 'θ ← θ − λ D/‖D‖, norm ∈ {L2, L∞, std, rms}; no step if ‖D‖ = 0',
  consumes: 'value',
  params: [ETA, NORM, ADAPTIVE, NGD_BETA, LAM_MIN, LAM_MAX, NGD_M],
  state: [
    { name: 'lambda', size: 'scalar', init: { param: 'eta' } },
    { name: 'V', size: 'coord', init: { const: 0 } },
    { name: 'gPrev', size: 'coord', init: { const: 0 } },
  ],
  update(ctx): UpdateResult {
    const { g, theta } = ctx;
    const lambda = ctx.state.lambda[0];
    const m = ctx.param('m');
    const V = ctx.state.V.map((vi, i) => g.add(g.mul(m, vi), ctx.grad[i]));
    const size = norm(g, ctx.choice('norm'), V);
    const moves = g.binary('gt', size, g.const(0));
    const next = theta.map((t, i) => g.select(moves, g.sub(t, g.mul(lambda, g.div(V[i], size))), t));
    if (ctx.choice('adaptive') === '0') return { theta: next, state: { V } };
    // Kolasiński 2018, Alg. 1: the learning-rate update, from raw gradients even with momentum (his §5).
    const cos = cosine(g, ctx.rawGrad, ctx.state.gPrev);
    const grown = g.mul(lambda, g.add(g.const(1), g.mul(ctx.param('beta'), cos)));
    const clipped = g.min(g.max(grown, ctx.param('lamMin')), ctx.param('lamMax'));
    return { theta: next, state: { V, lambda: [clipped], gPrev: ctx.rawGrad } };
  },
};
