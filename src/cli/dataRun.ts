/**
 * The options of a data run (a model over data, or a cost function with gradient noise) turned into a request
 * for the pool: the starts (a model's `@param` draws from --seed, or --init; a function's --from, --starts or
 * --starts-file), the step budget (--steps, or --epochs / `@epochs` epochs of ⌈n_train/B⌉ updates), the seed.
 */
import { epochBudget, type DataProblem } from '../engine/run/dataProblem';
import type { DataStarts } from '../engine/run/dataRunner';
import type { Values } from './command';
import { INIT_OPTION, readInit } from './dataArgs';
import type { ResolvedTarget } from './functionArg';
import { domainFor, integer, MAX_STARTS, seed, startSpec, startsOptions } from './options';
import { UsageError } from './usageError';

export type DataTarget = Extract<ResolvedTarget, { kind: 'data' }>;

type StartValues = Values<ReturnType<typeof startsOptions> & typeof INIT_OPTION>;

/** The starts of a data run: N draws, --init's list, or (a noisy function) its usual random or listed starts. */
export function dataStarts(values: StartValues, target: DataTarget, defaultN: number): DataStarts {
  const { problem } = target;
  if (problem.kind === 'function') {
    if (values.init !== undefined)
      throw new UsageError('--init gives the parameters of a model over data; a cost function has --starts-file');
    const dim = problem.variables.length;
    // --seed also seeds the noise, so it is no stray option beside --starts-file here.
    const listed = values['starts-file'] !== undefined ? { ...values, seed: undefined } : values;
    return startSpec(listed, domainFor(values, problem.domain, dim), dim, defaultN);
  }
  if (values['starts-file'] !== undefined)
    throw new UsageError("--starts-file lists a cost function's starts; a model's parameters come from --init");
  if (values.domain !== undefined)
    throw new UsageError("--domain bounds a cost function's starts; a model's come from its @param lines");
  if (values.init !== undefined) {
    if (values.starts !== undefined) throw new UsageError('give --starts or --init, not both');
    return { kind: 'list', points: readInit(values.init, problem) };
  }
  return { kind: 'draw', n: integer(values.starts, 'starts', defaultN, 1, MAX_STARTS) };
}

/** --steps, else the model's epochs (--epochs or `@epochs`) × ⌈n_train/B⌉, else `fallback`. */
export function dataSteps(
  values: { steps?: string; epochs?: string },
  problem: DataProblem,
  fallback: number,
  max: number,
): number {
  if (values.steps !== undefined && values.epochs !== undefined)
    throw new UsageError('give --steps or --epochs, not both');
  if (values.steps !== undefined) return integer(values.steps, 'steps', fallback, 0, max);
  const budget = epochBudget(problem) ?? fallback;
  if (budget > max) throw new UsageError(`${problem.name}'s epochs make ${budget} steps; at most ${max}`);
  return budget;
}

/** The seed of the draws, the batch order and the noise (DATA-CONVENTIONS), --seed or 1. */
export const dataSeed = (values: { seed?: string }) => seed(values.seed);
