/**
 * An engine sweep → the protocol's SweepData: what the Lab panel draws from a `sweepResult` message and what the
 * HTML reports embed. Each axis carries its registry scale and symbol. Non-finite numbers become null.
 */
import type { SweepResult } from '../engine/run/sweep';
import type { Pair } from '../shared/runShapes';
import type { SweepAxis, SweepData } from '../shared/sweepShapes';
import { paramSpec } from './params';

function axis(result: SweepResult, name: string, values: readonly number[]): SweepAxis {
  const spec = paramSpec(name, [...new Set(result.cells.map((c) => c.optimizer))]);
  return {
    name,
    symbol: spec?.symbol ?? name,
    scale: spec?.kind === 'number' ? spec.scale : 'linear',
    values: [...values],
  };
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

export function sweepData(result: SweepResult): SweepData {
  const budgets = [...result.budgets].sort((a, b) => a - b);
  return {
    fn: result.fn.name,
    variables: result.fn.variables,
    target: result.target,
    budgets,
    axes: result.grid.map((a) => axis(result, a.name, a.values)),
    n: result.starts.length,
    starts: result.fn.variables.length === 2 ? result.starts.map((s): Pair => [s[0], s[1]]) : [],
    cells: result.cells.map((c) => ({
      optimizer: c.optimizer,
      label: c.label,
      params: c.params,
      fraction: budgets.map((T) => c.fraction[String(T)]),
      medianSteps: finite(c.medianSteps),
      meanSteps: finite(c.meanSteps),
      diverged: c.diverged,
      orbits: c.orbits,
      perStart: c.perStart,
      divergedStarts: c.divergedStarts,
    })),
    nsPerLaneStep: result.nsPerLaneStep,
    backend: result.backend,
  };
}
