/**
 * Every optimizer by id, their metadata, and the spec syntax of the CLI, the settings and the Lab:
 *
 *   list    = spec { "," spec }
 *   spec    = element { "+" element }          a "+" starts an element only before a letter (1e+3 is a number)
 *   element = id { ":" name "=" value }
 *
 * The first element is a named optimizer (gd, h-adam…); each further one a transform chained in front of it,
 * acting on ∇f in the order written: `adam:eta=0.01+clip-norm:maxNorm=1+exp-decay:decayRate=0.999`. Its id is
 * the elements' ids joined by "+" (`adam+clip-norm+exp-decay`) and its hyperparameters are one flat set (names
 * are unique within a chain), so a composition runs, sweeps and travels like any named optimizer.
 */
import { chain, ChainError, chainsWith } from './chain';
import { clipNorm, clipValue } from './clip';
import { NAMED } from './named';
import { rangeError } from './params';
import { expDecay, inverseTimeDecay } from './schedules';
import type { Optimizer, OptimizerConfig, ParamSpec, Transform } from './types';

/** The transforms a spec may chain onto any optimizer that they can change. */
const MODIFIERS: readonly Transform[] = [clipNorm, clipValue, expDecay, inverseTimeDecay];

const BY_ID: ReadonlyMap<string, Optimizer> = new Map(NAMED.map((o) => [o.id, o]));
const MODIFIER_BY_ID: ReadonlyMap<string, Transform> = new Map(MODIFIERS.map((t) => [t.id, t]));

/** Every named optimizer: the base rules, the papers' compositions, then the h-<id> compositions. */
export function listOptimizers(): readonly Optimizer[] {
  return NAMED;
}

/** The transforms that `+` chains onto an optimizer. */
export function listModifiers(): readonly Transform[] {
  return MODIFIERS;
}

const unknownOptimizer = (id: string) =>
  `unknown optimizer '${id.length > 40 ? `${id.slice(0, 40)}…` : id}'; valid ids: ${NAMED.map((x) => x.id).join(', ')}`;
const unknownModifier = (id: string) =>
  `unknown transform '${id.length > 40 ? `${id.slice(0, 40)}…` : id}'; after '+': ${MODIFIERS.map((t) => t.id).join(', ')}`;

/** `base` with `modifiers` in front of it, acting on ∇f in the order given. Throws ChainError (part = index). */
function compose(base: Optimizer, modifiers: readonly Transform[]): Optimizer {
  if (modifiers.length === 0) return base;
  const parts = [...modifiers, base];
  return chain(
    {
      id: [base.id, ...modifiers.map((t) => t.id)].join('+'),
      label: [base.label, ...modifiers.map((t) => t.label)].join(' + '),
      paper: [base.paper, ...modifiers.map((t) => `${t.label}: ${t.paper}`)].join('; '),
      rule: parts.map((p) => p.rule).join('; '),
    },
    ...parts,
  );
}

/** A named optimizer, or a `+`-joined composition of one with modifiers (`adam+clip-norm`). */
export function getOptimizer(id: string): Optimizer {
  const [name, ...rest] = id.split('+');
  const base = BY_ID.get(name);
  if (base === undefined) throw new RangeError(unknownOptimizer(name));
  const modifiers = rest.map((m, i) => {
    const t = MODIFIER_BY_ID.get(m);
    if (t === undefined) throw new RangeError(unknownModifier(m));
    if (rest.indexOf(m) !== i) throw new RangeError(`${m} is chained twice`);
    return t;
  });
  return compose(base, modifiers);
}

/** The optimizer of a named or composed id, or undefined when there is none (a saved id may be stale). */
export function findOptimizer(id: string): Optimizer | undefined {
  try {
    return getOptimizer(id);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

function paramJson(p: ParamSpec) {
  const { name, symbol, description } = p;
  return p.kind === 'number'
    ? { name, kind: p.kind, symbol, description, default: p.default, min: p.min, max: p.max, scale: p.scale }
    : { name, kind: p.kind, symbol, description, default: p.default, choices: [...p.choices] };
}

/** A transform's kind and what it reads of the gradient ('none' for a schedule, which reads η). */
function transformJson(t: Transform) {
  return {
    id: t.id,
    kind: t.kind,
    label: t.label,
    paper: t.paper,
    rule: t.rule,
    consumes: t.kind === 'schedule' ? ('none' as const) : t.consumes,
    keepsSign: t.kind === 'gradient' ? t.keepsSign : null,
  };
}

/** What `descent-lab optimizers --json` prints and the Lab's optimizer cards show. */
export function optimizersJson() {
  return NAMED.map((o) => ({
    id: o.id,
    label: o.label,
    paper: o.paper,
    rule: o.rule,
    consumes: o.consumes,
    transforms: o.transforms.map(transformJson),
    /** Ids of the transforms that `+` can chain onto it (README, The command line). */
    modifiers: MODIFIERS.filter((m) => chainsWith(m, o) === null).map((m) => m.id),
    parameters: o.params.map(paramJson),
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

function parseValue(id: string, spec: ParamSpec, text: string, column: number): number | string {
  const value = spec.kind === 'choice' ? text : text.trim() === '' ? NaN : Number(text);
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new OptimizerSpecError(`${id}: ${spec.name} needs a finite number, not '${text}'`, column);
  const why = rangeError(spec, value);
  if (why !== null) throw new OptimizerSpecError(`${id}: ${why}`, column);
  return value;
}

/** `text` split before every "+" that is followed by a letter, with each piece's column. */
function elements(text: string, column: number): { text: string; column: number }[] {
  const out: { text: string; column: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(/\+(?=\s*[A-Za-z])/g)) {
    out.push({ text: text.slice(start, m.index), column: column + start });
    start = m.index + 1;
  }
  out.push({ text: text.slice(start), column: column + start });
  return out;
}

/**
 * "h-adam:eta=0.01:H=0.5+clip-norm:maxNorm=1" → { id: 'h-adam+clip-norm', params: { eta: 0.01, H: 0.5,
 * maxNorm: 1 } }; parameters not given keep their defaults. Values outside a parameter's range are errors.
 */
export function parseOptimizerSpec(text: string, column = 1): OptimizerConfig {
  const parts = elements(text, column);
  const params: Record<string, number | string> = {};
  let base: Optimizer | undefined;
  const modifiers: Transform[] = [];
  for (const [index, part] of parts.entries()) {
    const fields = part.text.split(':');
    const id = fields[0].trim();
    if (index > 0 && modifiers.some((t) => t.id === id))
      throw new OptimizerSpecError(`${id} is chained twice`, part.column);
    const element = index === 0 ? BY_ID.get(id) : MODIFIER_BY_ID.get(id);
    if (element === undefined) {
      const why = id === '' ? 'an empty element' : index === 0 ? unknownOptimizer(id) : unknownModifier(id);
      throw new OptimizerSpecError(why, part.column);
    }
    if (index === 0) base = element as Optimizer;
    else modifiers.push(element as Transform);
    let at = part.column + fields[0].length + 1;
    for (const field of fields.slice(1)) {
      const eq = field.indexOf('=');
      if (eq < 0) throw new OptimizerSpecError(`${id}: expected name=value, not '${field}'`, at);
      const name = field.slice(0, eq).trim();
      const spec = element.params.find((p) => p.name === name);
      if (spec === undefined) {
        const own = element.params.map((p) => p.name).join(', ') || 'none';
        throw new OptimizerSpecError(`${id} has no parameter '${name}'; its parameters: ${own}`, at);
      }
      if (name in params) throw new OptimizerSpecError(`${id}: ${name} is given twice`, at);
      params[name] = parseValue(id, spec, field.slice(eq + 1).trim(), at + eq + 1);
      at += field.length + 1;
    }
  }
  try {
    return { id: compose(base!, modifiers).id, params };
  } catch (e) {
    if (e instanceof ChainError) throw new OptimizerSpecError(e.message, parts[e.part + 1].column);
    throw e;
  }
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
