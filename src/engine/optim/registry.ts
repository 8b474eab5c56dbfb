/**
 * Every optimizer by id, their hyperparameter metadata, and the `id:name=value:…` spec syntax of the CLI.
 * `h-<id>` is the power transform on any gradient-based base optimizer; the named compositions (pbsgd, h-nag,
 * h-adam…) are the same transform with their papers' defaults.
 */
import { adagrad, adam, amsgrad, amsgradMax, rmsprop } from './adaptive';
import { gd } from './gd';
import { momentum } from './momentum';
import { nag } from './nag';
import { nasgd } from './nasgd';
import { ngd } from './ngd';
import { withPower } from './power';
import { quickprop } from './quickprop';
import { irprop, rprop } from './rprop';
import type { Optimizer, OptimizerConfig, ParamSpec } from './types';

const BASE: readonly Optimizer[] = [
  gd,
  momentum,
  nag,
  adagrad,
  rmsprop,
  adam,
  amsgrad,
  amsgradMax,
  rprop,
  irprop,
  quickprop,
  ngd,
  nasgd,
];

const POWERBALL = 'Powerball SGD paper';
// Baiesi 2019: H = 1/2, β₂ = 0.99; η = 10⁻² for the NAG variants and 10⁻¹ for the rest gave the best runs (Fig. 2).
const NAMED: readonly Optimizer[] = [
  ...BASE,
  // The Powerball SGD paper's practical guide: "γ = 0.8 seems a proper setting in most cases" (§4).
  withPower(gd, 'fixed', {
    id: 'pbsgd',
    label: 'Powerball SGD (pbSGD)',
    paper: `${POWERBALL}, Alg. 1`,
    defaults: { H: 0.8 },
  }),
  withPower(momentum, 'fixed', {
    id: 'pbsgdm',
    label: 'Powerball SGD with momentum (pbSGDM)',
    paper: `${POWERBALL}, Alg. 2`,
    defaults: { H: 0.8 },
  }),
  withPower(gd, 'fixed', { id: 'h-gd', label: 'h-GD', paper: 'Baiesi 2019, eq. 1' }),
  withPower(nag, 'fixed', { id: 'h-nag', label: 'h-NAG', paper: 'Baiesi 2019, A.1', defaults: { gamma: 0.99 } }),
  withPower(adam, 'fixed', {
    id: 'h-adam',
    label: 'h-Adam',
    paper: 'Baiesi 2019, A.2 (constant H)',
    defaults: { eta: 0.1, beta2: 0.99 },
  }),
  withPower(adam, 'ht', {
    id: 'ht-adam',
    label: 'h(t)-Adam',
    paper: 'Baiesi 2019, A.2',
    defaults: { eta: 0.1, beta2: 0.99 },
  }),
  withPower(amsgrad, 'fixed', {
    id: 'h-amsgrad',
    label: 'h-AMSGrad',
    paper: 'Baiesi 2019, A.3',
    defaults: { eta: 0.1 },
  }),
];

/** h-<id> for every gradient-based base optimizer that has no named composition. */
const GENERIC: readonly Optimizer[] = BASE.filter(
  (b) => b.gradientBased && !NAMED.some((o) => o.id === `h-${b.id}`),
).map((b) =>
  withPower(b, 'fixed', {
    id: `h-${b.id}`,
    label: `h-${b.label}`,
    paper: `${b.paper}; power gradient: Baiesi 2019`,
    defaults: b.params.some((p) => p.name === 'beta2') ? { beta2: 0.99 } : {},
  }),
);

const ALL: readonly Optimizer[] = [...NAMED, ...GENERIC];
const BY_ID: ReadonlyMap<string, Optimizer> = new Map(ALL.map((o) => [o.id, o]));

/** Every optimizer: the named ones first, then the h-<id> compositions. */
export function listOptimizers(): readonly Optimizer[] {
  return ALL;
}

export function getOptimizer(id: string): Optimizer {
  const o = BY_ID.get(id);
  if (o === undefined) throw new RangeError(`unknown optimizer '${id}'; valid ids: ${ALL.map((x) => x.id).join(', ')}`);
  return o;
}

/** What `descent-lab optimizers --json` prints. */
export function optimizersJson() {
  return ALL.map((o) => ({
    id: o.id,
    label: o.label,
    paper: o.paper,
    gradientBased: o.gradientBased,
    parameters: o.params.map((p) =>
      p.kind === 'number'
        ? {
            name: p.name,
            kind: p.kind,
            symbol: p.symbol,
            description: p.description,
            default: p.default,
            min: p.min,
            max: p.max,
            scale: p.scale,
          }
        : {
            name: p.name,
            kind: p.kind,
            symbol: p.symbol,
            description: p.description,
            default: p.default,
            choices: [...p.choices],
          },
    ),
  }));
}

/** A user's mistake in an optimizer spec; `column` is 1-based within the text that was parsed. */
export class OptimizerSpecError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (column ${column})`);
    this.name = 'OptimizerSpecError';
  }
}

function parseValue(o: Optimizer, spec: ParamSpec, text: string, column: number): number | string {
  if (spec.kind === 'choice') {
    if (!spec.choices.includes(text)) {
      throw new OptimizerSpecError(
        `${o.id}: ${spec.name} must be one of ${spec.choices.join('|')}, not '${text}'`,
        column,
      );
    }
    return text;
  }
  const v = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v))
    throw new OptimizerSpecError(`${o.id}: ${spec.name} needs a finite number, not '${text}'`, column);
  return v;
}

/** "h-adam:eta=0.01:H=0.5" → { id: 'h-adam', params: { eta: 0.01, H: 0.5 } }; parameters not given keep defaults. */
export function parseOptimizerSpec(text: string, column = 1): OptimizerConfig {
  const fields = text.split(':');
  const id = fields[0].trim();
  const o = BY_ID.get(id);
  if (o === undefined) {
    throw new OptimizerSpecError(`unknown optimizer '${id}'; valid ids: ${ALL.map((x) => x.id).join(', ')}`, column);
  }
  const params: Record<string, number | string> = {};
  let at = column + fields[0].length + 1;
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new OptimizerSpecError(`${o.id}: expected name=value, not '${field}'`, at);
    const name = field.slice(0, eq).trim();
    const spec = o.params.find((p) => p.name === name);
    if (spec === undefined) {
      throw new OptimizerSpecError(
        `${o.id} has no parameter '${name}'; its parameters: ${o.params.map((p) => p.name).join(', ')}`,
        at,
      );
    }
    if (name in params) throw new OptimizerSpecError(`${o.id}: ${name} is given twice`, at);
    params[name] = parseValue(o, spec, field.slice(eq + 1).trim(), at + eq + 1);
    at += field.length + 1;
  }
  return { id: o.id, params };
}

/** "gd:eta=0.1156,nasgd:alpha=1.9" → one config per comma-separated spec. */
export function parseOptimizerList(text: string): OptimizerConfig[] {
  const configs: OptimizerConfig[] = [];
  let column = 1;
  for (const part of text.split(',')) {
    const lead = part.length - part.trimStart().length;
    if (part.trim() === '') throw new OptimizerSpecError('empty optimizer spec', column);
    configs.push(parseOptimizerSpec(part.trim(), column + lead));
    column += part.length + 1;
  }
  return configs;
}
