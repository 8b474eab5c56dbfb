/**
 * Rprop, per coordinate, from the sign of p = gₜ·gₜ₋₁ (CONVENTIONS: Rprop+, iRprop−). Both branches are built
 * and `select` picks one, so every lane runs the same program. The gradient is read only through signs (of p and
 * of g), so a transform that keeps signs (the power gradient, clipping) gives Rprop back, but for a p that
 * underflows to 0 one way and not the other: none is offered.
 */
import type { NodeId } from '../expr/ir';
import { D0, D_MAX, D_MIN, ETA_MINUS, ETA_PLUS } from './params';
import type { UpdateRule, StateSpec, UpdateContext } from './types';

const PARAMS = [D0, ETA_PLUS, ETA_MINUS, D_MIN, D_MAX];
const STATE: StateSpec[] = [
  { name: 'delta', size: 'coord', init: { param: 'D0' } },
  { name: 'gPrev', size: 'coord', init: { const: 0 } },
];

/** The step-size update shared by both variants, and the sign-change test. */
function adaptStepSizes(ctx: UpdateContext, i: number) {
  const { g } = ctx;
  const gi = ctx.grad[i];
  const delta = ctx.state.delta[i];
  const p = g.mul(gi, ctx.state.gPrev[i]);
  const grow = g.binary('gt', p, g.const(0));
  const flip = g.binary('lt', p, g.const(0));
  const newDelta = g.select(
    grow,
    g.min(g.mul(ctx.param('etaPlus'), delta), ctx.param('Dmax')),
    g.select(flip, g.max(g.mul(ctx.param('etaMinus'), delta), ctx.param('Dmin')), delta),
  );
  // p = 0 (first step, or after a sign change) keeps Δ and steps −sign(g)Δ.
  const step = g.neg(g.mul(g.sign(gi), newDelta));
  // A stored gradient of 0 makes the next p = 0: no adaptation right after a sign change.
  const gPrev = g.select(flip, g.const(0), gi);
  return { flip, newDelta, step, gPrev };
}

/**
 * Rprop+ with weight-backtracking (Riedmiller & Braun): on a sign change the coordinate's previous step is undone
 * (θ ← θ − Δwₜ₋₁), Δ shrinks and gₜ₋₁ := 0. The undo step is stored as Δwₜ; it is never read, since the next p is 0.
 */
export const rprop: UpdateRule = {
  kind: 'update',
  id: 'rprop',
  label: 'Rprop+',
  paper: 'Khan, lecture slides (Riedmiller & Braun 1993)',
  rule: "p = gₜ·gₜ₋₁ per coordinate; p > 0: Δ ← min(η⁺Δ, Δmax), step −sign(g)Δ; p < 0: Δ ← max(η⁻Δ, Δmin), revert that coordinate's previous step, store gₜ₋₁ := 0; p = 0: step −sign(g)Δ",
  consumes: 'sign',
  params: PARAMS,
  state: [...STATE, { name: 'step', size: 'coord', init: { const: 0 } }],
  update(ctx) {
    const { g } = ctx;
    const delta: NodeId[] = [];
    const gPrev: NodeId[] = [];
    const step: NodeId[] = [];
    for (let i = 0; i < ctx.dim; i++) {
      const c = adaptStepSizes(ctx, i);
      delta.push(c.newDelta);
      gPrev.push(c.gPrev);
      step.push(g.select(c.flip, g.neg(ctx.state.step[i]), c.step));
    }
    return { theta: ctx.theta.map((t, i) => g.add(t, step[i])), state: { delta, gPrev, step } };
  },
};

/** iRprop− (as PyTorch's Rprop): on a sign change Δ shrinks, gₜ₋₁ := 0 and the coordinate does not move. */
export const irprop: UpdateRule = {
  kind: 'update',
  id: 'irprop',
  label: 'iRprop−',
  paper: 'Igel & Hüsken 2000 (iRprop−)',
  rule: 'on sign change shrink Δ, zero the stored gradient, no move',
  consumes: 'sign',
  params: PARAMS,
  state: STATE,
  update(ctx) {
    const { g } = ctx;
    const parts = ctx.theta.map((_, i) => adaptStepSizes(ctx, i));
    return {
      theta: ctx.theta.map((t, i) => g.select(parts[i].flip, t, g.add(t, parts[i].step))),
      state: { delta: parts.map((c) => c.newDelta), gPrev: parts.map((c) => c.gPrev) },
    };
  },
};
