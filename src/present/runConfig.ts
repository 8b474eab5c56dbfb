/**
 * The configuration a run or sweep ran with (shared/runShapes.ts: RunConfig), built from what the host asked the
 * engine for, or from the result itself: every hyperparameter resolved, the function as it was, the starts as
 * random N + seed or as points. A view sets its controls from it, so what is shown is what ran.
 */
import { getOptimizer } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import { resolveParams } from '../engine/run/params';
import type { RunResult } from '../engine/run/runner';
import type { StartSpec } from '../engine/run/starts';
import type { RunConfig, RunStarts } from '../shared/runShapes';

/** What the configuration says of the function. */
export interface ConfigFunction {
  /** The key the Lab knows it by (a file's function, `built-in#name`…). */
  readonly key: string;
  readonly variables: readonly string[];
  readonly expression: string;
  /** Undefined when the function has no @minimum. */
  readonly fStar?: number;
}

export function startsOf(spec: StartSpec): RunStarts {
  switch (spec.kind) {
    case 'random':
      return { kind: 'random', n: spec.n, seed: spec.seed };
    case 'grid':
      return { kind: 'grid', perAxis: spec.perAxis };
    case 'list':
      return { kind: 'list', points: spec.points };
  }
}

/** The tightest target, which the rows count against (0 for a run with none: nothing counts as converged). */
export const tightest = (targets: readonly number[]): number => (targets.length ? Math.min(...targets) : 0);

/** The configuration of a run about to start: each optimizer's hyperparameters with the registry's defaults. */
export function runConfig(
  fn: ConfigFunction,
  optimizers: readonly OptimizerConfig[],
  starts: StartSpec,
  steps: number,
  target: number,
): RunConfig {
  return {
    fn: fn.key,
    variables: fn.variables,
    expression: fn.expression,
    fStar: fn.fStar ?? null,
    optimizers: optimizers.map((o) => ({ id: o.id, params: resolveParams(getOptimizer(o.id), o.params) })),
    starts: startsOf(starts),
    steps,
    target,
  };
}

/** The configuration a finished run ran with, from its result; `key` names the function as the Lab does. */
export function resultConfig(result: RunResult, key = result.fn.name): RunConfig {
  return {
    fn: key,
    variables: result.fn.variables,
    expression: result.fn.source,
    fStar: result.fn.fStarKnown ? result.fn.fStar : null,
    optimizers: result.runs.map((r) => ({ id: r.optimizer, params: r.params })),
    starts: startsOf(result.startSpec),
    steps: result.steps,
    target: tightest(result.targets),
  };
}
