/**
 * Hyperparameters as people read them: the registry's symbols (η, β₁, H…) and scales, so that no view maps
 * names to symbols again, and the label of one configuration.
 */
import { getOptimizer, listOptimizers } from '../engine/optim/registry';
import type { ParamSpec } from '../engine/optim/types';
import { formatNumber } from './format';

/** The parameter `name` of the first of `optimizerIds` that has it, else of any optimizer; undefined when none has. */
export function paramSpec(name: string, optimizerIds: readonly string[] = []): ParamSpec | undefined {
  const optimizers = [...optimizerIds.map(getOptimizer), ...listOptimizers()];
  for (const o of optimizers) {
    const p = o.params.find((x) => x.name === name);
    if (p) return p;
  }
  return undefined;
}

/** How the papers write the parameter (η for `eta`); the name itself when no optimizer has it. */
export const paramSymbol = (name: string, optimizerIds: readonly string[] = []): string =>
  paramSpec(name, optimizerIds)?.symbol ?? name;

/** The name of one configuration, e.g. `h-Adam · η=0.001, H=0.5`: the optimizer and its values on `axes`. */
export function configLabel(
  optimizerId: string,
  params: Readonly<Record<string, number | string>>,
  axes: readonly string[],
): string {
  const optimizer = getOptimizer(optimizerId);
  const shown = axes
    .filter((a) => typeof params[a] === 'number')
    .map((a) => `${paramSymbol(a, [optimizerId])}=${formatNumber(params[a] as number)}`);
  return shown.length ? `${optimizer.label} · ${shown.join(', ')}` : optimizer.label;
}
