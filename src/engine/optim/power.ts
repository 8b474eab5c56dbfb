/**
 * The power gradient h = sign(g)·|g|^H as one transformation in front of any gradient-based optimizer, the way
 * optax chains gradient transformations (Baiesi 2019: "any GD method adopting the power gradient"). It replaces
 * `grad` and leaves `rawGrad` alone. With 'ht' the exponent is scalar state Hₜ = β₃Hₜ₋₁ + (1 − β₃), updated
 * before use (Baiesi 2019, eq. A.2), starting from H₀.
 *
 * H = 1 gives the base optimizer back bit for bit: Math.pow(x, 1) = x and sign(g)·|g| = g exactly (−0 included).
 */
import type { NodeId } from '../expr/ir';
import { BETA3, H, H0 } from './params';
import type { Optimizer, ParamSpec } from './types';

export type PowerSchedule = 'fixed' | 'ht';

export interface PowerMeta {
  readonly id: string;
  readonly label: string;
  readonly paper: string;
  /** Defaults that differ from the base optimizer's or the transform's (Baiesi's β₂ = 0.99, γ = 0.99…). */
  readonly defaults?: Readonly<Record<string, number | string>>;
}

function overrideDefaults(
  id: string,
  params: readonly ParamSpec[],
  defaults: Readonly<Record<string, number | string>>,
): ParamSpec[] {
  for (const name of Object.keys(defaults)) {
    if (!params.some((p) => p.name === name)) throw new Error(`${id}: no parameter '${name}' to give a default`);
  }
  return params.map((p) => {
    const d = defaults[p.name];
    if (d === undefined) return p;
    if (typeof d !== (p.kind === 'number' ? 'number' : 'string'))
      throw new Error(`${id}: default of '${p.name}' has the wrong type`);
    return { ...p, default: d } as ParamSpec;
  });
}

export function withPower(base: Optimizer, schedule: PowerSchedule, meta: PowerMeta): Optimizer {
  if (!base.gradientBased)
    throw new Error(`${meta.id}: the power transform needs a gradient-based optimizer, not '${base.id}'`);
  const own: ParamSpec[] = schedule === 'fixed' ? [H] : [H0, BETA3];
  const params = overrideDefaults(meta.id, [...base.params, ...own], meta.defaults ?? {});
  const state =
    schedule === 'fixed' ? base.state : [...base.state, { name: 'Ht', size: 'scalar', init: { param: 'H0' } } as const];
  return {
    id: meta.id,
    label: meta.label,
    paper: meta.paper,
    gradientBased: true,
    params,
    state,
    ...(base.gradPoint ? { gradPoint: (ctx) => base.gradPoint!(ctx) } : {}),
    update(ctx) {
      const { g } = ctx;
      let exponent: NodeId;
      if (schedule === 'fixed') {
        exponent = ctx.param('H');
      } else {
        const beta3 = ctx.param('beta3');
        exponent = g.add(g.mul(beta3, ctx.state.Ht[0]), g.sub(g.const(1), beta3));
      }
      const h = ctx.grad.map((x) => g.mul(g.sign(x), g.pow(g.abs(x), exponent)));
      const result = base.update({ ...ctx, grad: h });
      return schedule === 'fixed' ? result : { theta: result.theta, state: { ...result.state, Ht: [exponent] } };
    },
  };
}
