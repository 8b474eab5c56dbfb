/**
 * An engine sweep → the protocol's SweepData: what the Lab panel draws from a `sweepResult` message and what the
 * CLI report embeds. Shared by the extension host and the CLI (no vscode, no DOM). Non-finite numbers become null.
 */
import { getOptimizer } from './engine/optim/registry';
import type { SweepResult } from './engine/run/sweep';
import type { Point, SweepAxis, SweepData } from './protocol';

function axisScale(result: SweepResult, name: string): SweepAxis['scale'] {
  for (const id of new Set(result.cells.map((c) => c.optimizer))) {
    const p = getOptimizer(id).params.find((x) => x.name === name);
    if (p?.kind === 'number') return p.scale;
  }
  return 'linear';
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

export function sweepData(result: SweepResult): SweepData {
  const budgets = [...result.budgets].sort((a, b) => a - b);
  return {
    fn: result.fn.name,
    variables: result.fn.variables,
    target: result.target,
    budgets,
    axes: result.grid.map((a) => ({ name: a.name, scale: axisScale(result, a.name), values: [...a.values] })),
    n: result.starts.length,
    starts: result.fn.variables.length === 2 ? result.starts.map((s): Point => [s[0], s[1]]) : [],
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
