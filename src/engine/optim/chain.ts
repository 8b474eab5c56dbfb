/**
 * chain(): optax's `chain` (optax/transforms/_combining.py) for step programs. The gradient flows through the
 * gradient transforms in order; schedules turn the rule's learning rate η into ηₖ; the update rule, last, makes
 * θₖ₊₁. A part may itself be a chain (h-Adam + clipping = chain(clip, chain(power, adam))): its elements are
 * spliced in, and its hyperparameters keep its defaults.
 *
 * A chain that cannot change the result is refused: a transform that keeps every sign, in front of a rule that
 * reads only signs (Rprop), gives that rule back exactly; a schedule needs a rule with a learning rate.
 */
import type { NodeId } from '../expr/ir';
import type { Consumption, Optimizer, ParamSpec, StateSpec, StateUpdate, Transform, UpdateRule } from './types';

/** A composition a user asked for that would change nothing, or has nothing to act on. */
export class ChainError extends RangeError {
  constructor(
    message: string,
    /** Index of the offending part in the chain's parts. */
    readonly part: number,
  ) {
    super(message);
    this.name = 'ChainError';
  }
}

export interface ChainMeta {
  readonly id: string;
  readonly label: string;
  readonly paper: string;
  readonly rule: string;
  /** Defaults that differ from the parts' own (Baiesi's β₂ = 0.99, γ = 0.99…). */
  readonly defaults?: Readonly<Record<string, number | string>>;
}

type Part = Transform | Optimizer;

const isOptimizer = (p: Part): p is Optimizer => 'transforms' in p;

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

function unique<T extends { readonly name: string }>(id: string, what: string, items: readonly T[]): readonly T[] {
  const seen = new Set<string>();
  for (const x of items) {
    if (seen.has(x.name)) throw new Error(`${id}: two elements of the chain have a ${what} '${x.name}'`);
    seen.add(x.name);
  }
  return items;
}

/**
 * What the elements from `from` on read of the gradient they are handed: only its sign when the rule reads only
 * signs and every gradient transform in between keeps them.
 */
function consumption(elements: readonly Transform[], from: number, rule: UpdateRule): Consumption {
  const rest = elements.slice(from);
  return rule.consumes === 'sign' && rest.every((t) => t.kind !== 'gradient' || t.keepsSign) ? 'sign' : 'value';
}

/** Why `parts` make no sense together (a ChainError naming the part), or nothing. */
function check(parts: readonly Part[], elements: readonly Transform[], rule: UpdateRule): void {
  let at = 0;
  parts.forEach((part, index) => {
    const own = isOptimizer(part) ? part.transforms : [part];
    for (const t of own) {
      at++;
      if (t === rule) continue;
      if (t.kind === 'update') throw new ChainError(`${t.id} is an optimizer: a chain has one, at its end`, index);
      if (t.kind === 'schedule' && rule.learningRate === undefined)
        throw new ChainError(`${rule.id} has no learning rate for ${t.id} to vary`, index);
      if (t.kind === 'gradient' && t.keepsSign && consumption(elements, at, rule) === 'sign')
        throw new ChainError(
          `${rule.id} reads only the sign of the gradient, which ${t.id} keeps: the result would be ${rule.id}'s`,
          index,
        );
    }
  });
}

/** The parts composed, the last one ending in the update rule. */
export function chain(meta: ChainMeta, ...parts: readonly Part[]): Optimizer {
  const elements = parts.flatMap((p) => (isOptimizer(p) ? p.transforms : [p]));
  const rule = elements.at(-1);
  if (rule?.kind !== 'update') throw new Error(`${meta.id}: a chain ends with an update rule`);
  check(parts, elements, rule);
  // The rule's part first, so that η, β… come before H, and state keeps the rule's layout.
  const ordered = [parts.at(-1)!, ...parts.slice(0, -1)];
  const params = overrideDefaults(
    meta.id,
    unique(
      meta.id,
      'parameter',
      ordered.flatMap((p) => p.params),
    ),
    meta.defaults ?? {},
  );
  const state: readonly StateSpec[] = unique(
    meta.id,
    'state',
    ordered.flatMap((p) => p.state),
  );
  const lr = rule.learningRate;
  return {
    id: meta.id,
    label: meta.label,
    paper: meta.paper,
    rule: meta.rule,
    params,
    state,
    transforms: elements,
    consumes: consumption(elements, 0, rule),
    ...(rule.gradPoint ? { gradPoint: (ctx) => rule.gradPoint!(ctx) } : {}),
    update(ctx) {
      let grad = ctx.grad;
      let eta: NodeId | undefined;
      const next: Record<string, readonly NodeId[]> = {};
      const keep = (s: StateUpdate) => Object.assign(next, s);
      for (const t of elements.slice(0, -1)) {
        if (t.kind === 'gradient') {
          const r = t.update({ ...ctx, grad });
          grad = r.grad;
          keep(r.state);
        } else if (t.kind === 'schedule') {
          const r = t.learningRate(ctx, eta ?? ctx.param(lr!));
          eta = r.eta;
          keep(r.state);
        }
      }
      // Without a schedule the rule sees the context as it is: its IR is exactly the rule's own.
      const param = eta === undefined ? ctx.param : (name: string) => (name === lr ? eta! : ctx.param(name));
      const result = rule.update({ ...ctx, grad, param });
      return { theta: result.theta, state: keep(result.state) };
    },
  };
}

/** A rule on its own: the one-element chain that a named base optimizer is. */
export function single(rule: UpdateRule): Optimizer {
  return chain(rule, rule);
}

/** Whether `transform` in front of `optimizer` can change its result; the reason when not. */
export function chainsWith(transform: Transform, optimizer: Optimizer): string | null {
  try {
    chain({ ...optimizer, id: `${optimizer.id}+${transform.id}` }, transform, optimizer);
    return null;
  } catch (e) {
    if (e instanceof ChainError) return e.message;
    throw e;
  }
}
