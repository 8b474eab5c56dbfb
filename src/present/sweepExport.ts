/**
 * A finished sweep as JSON (the `sweep --json` contract), as CSV (one row per cell) and as a text table: what the
 * CLI prints and what the extension's log and Export Results write.
 */
import type { SweepResult } from '../engine/run/sweep';
import { csv } from './csv';
import { formatNumber } from './format';
import { paramSymbol } from './params';
import { table } from './textTable';

/** The `sweep --json` contract. */
export function sweepJson(r: SweepResult) {
  return {
    fn: r.fn.name,
    target: r.target,
    budgets: r.budgets,
    grid: r.grid,
    starts: r.starts,
    seed: r.startSpec.kind === 'random' ? r.startSpec.seed : null,
    backend: r.backend,
    precision: r.precision,
    nsPerLaneStep: r.nsPerLaneStep,
    cells: r.cells.map((c) => ({
      optimizer: c.optimizer,
      params: c.params,
      fraction: c.fraction,
      medianSteps: c.medianSteps,
      meanSteps: c.meanSteps,
      converged: c.converged,
      diverged: c.diverged,
      orbits: c.orbits,
      n: c.n,
    })),
  };
}

export function sweepCsv(r: SweepResult): string {
  const names = r.grid.map((a) => a.name);
  const head = [
    'optimizer',
    ...names,
    ...r.budgets.map((T) => `fraction_T${T}`),
    'converged',
    'n',
    'median_steps',
    'mean_steps',
    'diverged_fraction',
    'orbits',
  ];
  const rows = r.cells.map((c) => [
    c.optimizer,
    ...names.map((n) => (Object.hasOwn(c.params, n) ? c.params[n] : null)),
    ...r.budgets.map((T) => c.fraction[String(T)]),
    c.converged,
    c.n,
    c.medianSteps,
    c.meanSteps,
    c.diverged,
    c.orbits,
  ]);
  return csv([head, ...rows]);
}

/** A heading and one row per cell: the grid values, f_D per budget, median steps k, the diverged fraction. */
export function sweepSummary(r: SweepResult): string {
  const axes = r.grid;
  const ids = [...new Set(r.cells.map((c) => c.optimizer))];
  return (
    `${r.fn.name}: fraction of ${r.starts.length} starts reaching f − f* ≤ ${formatNumber(r.target)} within T steps (k = number of updates)\n` +
    table(
      [
        'optimizer',
        ...axes.map((a) => paramSymbol(a.name, ids)),
        ...r.budgets.map((T) => `T=${T}`),
        'median k',
        'diverged',
      ],
      r.cells.map((c) => [
        c.label,
        ...axes.map((a) => (Object.hasOwn(c.params, a.name) ? formatNumber(c.params[a.name] as number) : '–')),
        ...r.budgets.map((T) => c.fraction[String(T)].toFixed(2)),
        formatNumber(c.medianSteps),
        c.diverged.toFixed(2),
      ]),
    )
  );
}
