/**
 * Hyperparameter specs shared by the optimizers, so that η, β₁, ε… are described once. Defaults follow
 * CONVENTIONS.md and the seed papers; an optimizer whose paper uses another default takes `withDefault`.
 */
import type { ChoiceParam, NumberParam, ParamSpec } from './types';

function num(
  name: string,
  symbol: string,
  description: string,
  def: number,
  min: number,
  max: number,
  scale: 'log' | 'linear',
): NumberParam {
  return { kind: 'number', name, symbol, description, default: def, min, max, scale };
}

function choice(
  name: string,
  symbol: string,
  description: string,
  choices: readonly string[],
  def: string,
): ChoiceParam {
  return { kind: 'choice', name, symbol, description, choices, default: def };
}

/** The same spec with another default (a paper's own value). */
export function withDefault<P extends ParamSpec>(spec: P, value: P['default']): P {
  return { ...spec, default: value };
}

export const ETA = num('eta', 'η', 'learning rate', 0.01, 1e-6, 10, 'log');
export const MOMENTUM_BETA = num('beta', 'β', 'momentum: fraction of the previous step kept', 0.9, 0, 0.9999, 'linear');
export const GAMMA = num(
  'gamma',
  'γ',
  'damping of the velocity; the gradient is taken at θ − γv',
  0.9,
  0,
  0.9999,
  'linear',
);
export const RHO = num('rho', 'ρ', 'decay rate of the squared-gradient average', 0.9, 0, 0.9999, 'linear');
export const BETA1 = num('beta1', 'β₁', 'decay rate of the first-moment average', 0.9, 0, 0.9999, 'linear');
export const BETA2 = num('beta2', 'β₂', 'decay rate of the second-moment average', 0.999, 0, 0.99999, 'linear');
export const EPS = num('eps', 'ε', 'added to the denominator √v (outside the square root)', 1e-8, 1e-16, 1, 'log');

export const H = num(
  'H',
  'H',
  'exponent of the power gradient h = sign(g)·|g|^H (1 gives the plain optimizer)',
  0.5,
  0,
  2,
  'linear',
);
export const H0 = num('H0', 'H₀', 'initial exponent of the h(t) schedule', 0.5, 0, 2, 'linear');
export const BETA3 = num(
  'beta3',
  'β₃',
  'decay of the exponent towards 1: Hₜ = β₃Hₜ₋₁ + (1 − β₃)',
  0.999,
  0,
  0.99999,
  'linear',
);

// Sprunger 2020 uses α = 0.7 in Tables 1–2 and recommends α ∈ [0.2, 2].
export const ALPHA = num('alpha', 'α', 'fraction of f − L to remove per step', 0.7, 0, 2, 'linear');
export const LOWER_BOUND = num('L', 'L', 'lower bound of f (usually 0)', 0, -1e6, 1e6, 'linear');
export const CLIP = choice('clip', 'clip', 'cap the step factor α(f − L)/‖g‖² at 1 (Sprunger Alg. 1)', ['0', '1'], '1');

export const NORM = choice(
  'norm',
  '‖·‖',
  'normalising function: L2, L∞, population std or root mean square',
  ['l2', 'linf', 'std', 'rms'],
  'l2',
);
export const ADAPTIVE = choice(
  'adaptive',
  'adaptive λ',
  'adapt λ from the cosine of consecutive gradients (Kolasiński Alg. 1)',
  ['0', '1'],
  '0',
);
export const NGD_BETA = num('beta', 'β', 'step of the λ adaptation: λ ← λ(1 + β cos)', 0.5, 0, 0.9999, 'linear');
export const LAM_MIN = num('lamMin', 'λmin', 'lower clip of the adapted λ', 1e-6, 1e-12, 1, 'log');
export const LAM_MAX = num('lamMax', 'λmax', 'upper clip of the adapted λ', 0.1, 1e-6, 10, 'log');
export const NGD_M = num(
  'm',
  'm',
  'momentum of the normalised direction V ← mV + g (0: none; Kolasiński §5 uses 0.9)',
  0,
  0,
  0.9999,
  'linear',
);

export const D0 = num('D0', 'Δ₀', 'initial step size of every coordinate', 0.1, 1e-6, 10, 'log');
export const ETA_PLUS = num(
  'etaPlus',
  'η⁺',
  'step growth factor when the gradient keeps its sign',
  1.2,
  1,
  2,
  'linear',
);
export const ETA_MINUS = num(
  'etaMinus',
  'η⁻',
  'step shrink factor when the gradient changes sign',
  0.5,
  0,
  1,
  'linear',
);
export const D_MIN = num('Dmin', 'Δmin', 'smallest step size', 1e-6, 1e-12, 1, 'log');
export const D_MAX = num('Dmax', 'Δmax', 'largest step size', 50, 1e-3, 1e3, 'log');

export const MU = num('mu', 'μ', 'maximum growth factor of a Quickprop step', 1.75, 1, 4, 'linear');

export const MAX_NORM = num(
  'maxNorm',
  'c',
  'largest L2 norm of the gradient: a longer one is scaled down to it',
  1,
  1e-6,
  1e6,
  'log',
);
export const MAX_DELTA = num('maxDelta', 'c', 'largest absolute value of a gradient component', 1, 1e-6, 1e6, 'log');
export const DECAY_RATE = num(
  'decayRate',
  'r',
  'factor of the learning rate per step: ηₖ = η·rᵏ',
  0.999,
  0,
  1,
  'linear',
);
export const DECAY_STEPS = num(
  'decaySteps',
  'K',
  'steps after which the learning rate has halved: ηₖ = η/(1 + k/K)',
  1000,
  1,
  1e8,
  'log',
);

/**
 * Why `value` is not a valid value of `spec`, or null. Ranges hold wherever a value enters: optimizer specs,
 * run requests, sweep grids and each lane of a kernel batch.
 */
export function rangeError(spec: ParamSpec, value: number | string): string | null {
  if (spec.kind === 'choice') {
    return spec.choices.includes(String(value))
      ? null
      : `${spec.name} must be one of ${spec.choices.join('|')}, not '${value}'`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${spec.name} needs a finite number, not '${value}'`;
  if (value < spec.min || value > spec.max)
    return `${spec.name} = ${value} is outside its range ${spec.min}…${spec.max}`;
  return null;
}
