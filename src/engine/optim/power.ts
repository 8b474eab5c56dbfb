/**
 * The power gradient h = sign(g)·|g|^H as one gradient transform in front of any optimizer that reads the
 * gradient's value (Baiesi 2019: "any GD method adopting the power gradient"). It replaces `grad` and leaves
 * `rawGrad` alone. With 'ht' the exponent is scalar state Hₜ = β₃Hₜ₋₁ + (1 − β₃), updated before use (Baiesi
 * 2019, eq. A.2), starting from H₀.
 *
 * H = 1 gives the optimizer back bit for bit: Math.pow(x, 1) = x and sign(g)·|g| = g exactly (−0 included).
 * h keeps every sign (H = 0 gives sign(g)), so it changes nothing for Rprop, which reads only signs.
 */
import type { NodeId } from '../expr/ir';
import { BETA3, H, H0 } from './params';
import type { GradientTransform, StateUpdate } from './types';

export type PowerSchedule = 'fixed' | 'ht';

export function power(schedule: PowerSchedule): GradientTransform {
  const fixed = schedule === 'fixed';
  return {
    kind: 'gradient',
    id: fixed ? 'power' : 'power-ht',
    label: fixed ? 'power gradient' : 'power gradient, h(t)',
    paper: fixed ? 'Baiesi 2019, eq. 1' : 'Baiesi 2019, A.2',
    rule: fixed ? 'h = sign(g)·abs(g)^H' : 'Hₜ = β₃Hₜ₋₁ + (1 − β₃), updated before use; h = sign(g)·abs(g)^Hₜ',
    consumes: 'value',
    keepsSign: true,
    params: fixed ? [H] : [H0, BETA3],
    state: fixed ? [] : [{ name: 'Ht', size: 'scalar', init: { param: 'H0' } }],
    update(ctx) {
      const { g } = ctx;
      let exponent: NodeId;
      if (fixed) {
        exponent = ctx.param('H');
      } else {
        const beta3 = ctx.param('beta3');
        exponent = g.add(g.mul(beta3, ctx.state.Ht[0]), g.sub(g.const(1), beta3));
      }
      const grad = ctx.grad.map((x) => g.mul(g.sign(x), g.pow(g.abs(x), exponent)));
      const state: StateUpdate = fixed ? {} : { Ht: [exponent] };
      return { grad, state };
    },
  };
}
