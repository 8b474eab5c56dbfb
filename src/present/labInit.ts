/**
 * The Lab's `init` message: the functions it can show, every optimizer with its hyperparameter metadata (symbols,
 * ranges, scales: what the views write instead of names) and its colour, and the settings its controls start from.
 */
import type { CostFunction } from '../engine/expr/costParser';
import { optimizersJson } from '../engine/optim/registry';
import type { FunctionInfo, LabSettings, OptimizerMeta } from '../shared/runShapes';
import { optimizerColour } from './colours';

export function functionInfo(fn: CostFunction, origin: FunctionInfo['origin'], name = fn.name): FunctionInfo {
  return {
    name,
    variables: fn.variables,
    expression: fn.source,
    domain: fn.domain ?? null,
    minima: fn.minima,
    fStar: fn.fStar ?? null,
    origin,
  };
}

export function optimizerMetas(): OptimizerMeta[] {
  return optimizersJson().map((o) => ({
    id: o.id,
    label: o.label,
    paper: o.paper,
    rule: o.rule,
    transforms: o.transforms.map((t) => ({ id: t.id, consumes: t.consumes })),
    params: o.parameters,
    colour: optimizerColour(o.id),
  }));
}

/** The controls' starting values: random starts, steps and target from the settings, the chosen optimizers. */
export function labSettings(
  fn: string,
  s: { readonly starts: number; readonly seed: number; readonly steps: number; readonly target: number },
  optimizers: LabSettings['optimizers'],
): LabSettings {
  return { fn, optimizers, starts: { kind: 'random', n: s.starts, seed: s.seed }, steps: s.steps, target: s.target };
}
