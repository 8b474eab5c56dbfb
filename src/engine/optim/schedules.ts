/**
 * Learning-rate schedules: ηₖ in place of the rule's η at the step after k updates (k = 0 on the first update,
 * as optax counts), from per-lane hyperparameters and a scalar state, so a sweep over the decay is one batch.
 */
import { DECAY_RATE, DECAY_STEPS } from './params';
import type { Schedule } from './types';

/**
 * ηₖ = η·rᵏ: optax.exponential_decay with transition_steps = 1. rᵏ is kept as a running product (one
 * multiplication per step, exact to the same rounding in every backend) rather than a pow per step.
 */
export const expDecay: Schedule = {
  kind: 'schedule',
  id: 'exp-decay',
  label: 'exponential decay',
  paper: 'optax.exponential_decay',
  rule: 'ηₖ = η·rᵏ',
  params: [DECAY_RATE],
  state: [{ name: 'decayFactor', size: 'scalar', init: { const: 1 } }],
  learningRate(ctx, eta) {
    const { g } = ctx;
    const factor = ctx.state.decayFactor[0];
    return { eta: g.mul(eta, factor), state: { decayFactor: [g.mul(factor, ctx.param('decayRate'))] } };
  },
};

/** ηₖ = η/(1 + k/K): Darken & Moody 1990's search-then-converge schedule (Keras InverseTimeDecay, rate 1). */
export const inverseTimeDecay: Schedule = {
  kind: 'schedule',
  id: 'inv-time',
  label: 'inverse-time decay',
  paper: 'Darken & Moody 1990',
  rule: 'ηₖ = η/(1 + k/K)',
  params: [DECAY_STEPS],
  state: [{ name: 'decayCount', size: 'scalar', init: { const: 0 } }],
  learningRate(ctx, eta) {
    const { g } = ctx;
    const k = ctx.state.decayCount[0];
    const scaled = g.div(eta, g.add(g.const(1), g.div(k, ctx.param('decaySteps'))));
    return { eta: scaled, state: { decayCount: [g.add(k, g.const(1))] } };
  },
};
