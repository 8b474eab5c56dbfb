/** `descent-lab sweep`: success fraction f_D(T) over a grid of η, H or any hyperparameter. */
import { writeFileSync } from 'node:fs';
import { getOptimizer } from '../engine/optim/registry';
import type { CostFunction } from '../engine/expr/costParser';
import { parseGrid, sweep, type GridAxis, type SweepResult, type SweepSpec } from '../engine/run/sweep';
import { resolveFunction } from './functionArg';
import { backend, domainFor, numberList, startSpec, type Values } from './options';
import { engineCall, optimizerList } from './commands';
import { progressBar } from './progressBar';
import { sweepCsv, sweepJson, sweepSummary } from '../present/sweepExport';
import { UsageError } from './usageError';

function grid(values: Values, optimizerIds: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  const scaleOf = (name: string): 'log' | 'linear' => {
    for (const id of optimizerIds) {
      const p = getOptimizer(id).params.find((x) => x.name === name);
      if (p?.kind === 'number') return p.scale;
    }
    throw new UsageError(`no optimizer of this sweep has a hyperparameter '${name}'`);
  };
  const axis = (name: string, text: string) => {
    try {
      axes.push({ name, values: parseGrid(text, scaleOf(name)) });
    } catch (e) {
      throw e instanceof RangeError
        ? new UsageError(`--${name === 'eta' || name === 'H' ? name : 'param'}: ${e.message}`)
        : e;
    }
  };
  if (values.eta !== undefined) axis('eta', values.eta);
  if (values.H !== undefined) axis('H', values.H);
  for (const p of values.param ?? []) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(p);
    if (!m) throw new UsageError(`--param takes name=grid (e.g. beta1=0.8:0.99:5), not '${p}'`);
    axis(m[1], m[2]);
  }
  if (axes.length === 0) axes.push({ name: 'eta', values: parseGrid('1e-4:1e1:6', 'log') });
  return axes;
}

/** The sweep the `sweep` options describe (also `report --sweep`'s). */
export function sweepSpec(values: Values): SweepSpec & { fn: CostFunction } {
  if (values.fn === undefined) throw new UsageError('--fn is required');
  const fn = resolveFunction(values.fn);
  const dim = fn.variables.length;
  const optimizers = optimizerList(values, 'nag,h-nag,adam,h-adam');
  const budgets = values.budgets ? numberList(values.budgets, 'budgets') : [100, 1000, 10000];
  if (budgets.some((b) => !Number.isInteger(b) || b < 0 || b > 100_000_000))
    throw new UsageError('--budgets are step counts: integers ≥ 0');
  const target = values.target ? numberList(values.target, 'target')[0] : 1e-4;
  const starts = startSpec(values, domainFor(values, fn.domain, dim), dim, 100);
  const axes = grid(
    values,
    optimizers.map((o) => o.id),
  );
  return { fn, optimizers, grid: axes, starts, budgets, target, backend: backend(values.backend) };
}

/** Runs a sweep with a progress bar on a terminal (none with --json). */
export function runSweep(spec: SweepSpec, quiet: boolean): SweepResult {
  const bar = progressBar('sweep', !quiet);
  try {
    return engineCall(() => sweep(spec, { onProgress: bar.update }));
  } finally {
    bar.done();
  }
}

export function sweepCommand(values: Values, out: (s: string) => void): void {
  const spec = sweepSpec(values);
  const result = runSweep(spec, !!values.json);
  if (values.csv !== undefined) writeFileSync(values.csv, sweepCsv(result));
  if (values.json) {
    out(JSON.stringify(sweepJson(result)));
    return;
  }
  out(sweepSummary(result));
}
