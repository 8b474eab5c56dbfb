/** `descent-lab sweep`: success fraction f_D(T) over a grid of η, H or any hyperparameter, on the worker pool. */
import type { CostFunction } from '../engine/expr/costParser';
import { getOptimizer } from '../engine/optim/registry';
import type { DataProblem } from '../engine/run/dataProblem';
import type { DataSweepRequest } from '../engine/run/dataRequest';
import type { SweepRequest } from '../engine/run/pool/workerPool';
import { MAX_STEPS } from '../engine/run/runner';
import { dataRunTable, dataSweepCsv, dataSweepJson } from '../present/dataExport';
import { parseGrid, type GridAxis } from '../engine/run/sweep';
import { sweepCsv, sweepJson, sweepSummary } from '../present/sweepExport';
import { defineCommand, type Values } from './command';
import { checkWritable, writeTextFile } from './files';
import { DATA_OPTIONS, INIT_OPTION, planOverrides } from './dataArgs';
import { dataSeed, dataStarts, dataSteps } from './dataRun';
import { resolveTarget } from './functionArg';
import { optimizerList } from './optimizersCommand';
import {
  backend,
  BACKEND_OPTION,
  precision,
  PRECISION_OPTION,
  functionOnlyPrecision,
  budgets,
  domainFor,
  FN_OPTION,
  JSON_OPTION,
  optOption,
  startSpec,
  startsOptions,
  target,
} from './options';
import { onPool, workerCount, WORKERS_OPTION } from './poolJob';
import { quote, UsageError } from './usageError';

/** The options of a sweep (also `report --sweep`'s). */
export const SWEEP_OPTIONS = {
  ...FN_OPTION,
  ...optOption('nag,h-nag,adam,h-adam'),
  eta: { type: 'string', arg: 'G', help: 'η grid: lo:hi:n (log-spaced) or a list a,b,c (default 1e-4:1e1:6)' },
  H: { type: 'string', arg: 'G', help: 'H grid: lo:hi:n (linear) or a list' },
  param: {
    type: 'string',
    multiple: true,
    arg: 'name=G',
    help: 'a grid over any hyperparameter, e.g. beta1=0.8:0.99:5',
  },
  ...startsOptions(100),
  budgets: {
    type: 'string',
    arg: 'LIST',
    help: 'step budgets T (default 100,1000,10000; a model runs its epochs, else the largest T)',
  },
  target: {
    type: 'string',
    arg: 'τ',
    help: 'a start succeeds when f − f* ≤ τ (default 1e-4; a model has none unless given)',
  },
  ...DATA_OPTIONS,
  ...INIT_OPTION,
  ...BACKEND_OPTION,
  ...PRECISION_OPTION,
  ...WORKERS_OPTION,
} as const;

function grid(values: Values<typeof SWEEP_OPTIONS>, optimizerIds: readonly string[]): GridAxis[] {
  const axes: GridAxis[] = [];
  const scaleOf = (name: string): 'log' | 'linear' => {
    for (const id of optimizerIds) {
      const p = getOptimizer(id).params.find((x) => x.name === name);
      if (p?.kind === 'number') return p.scale;
    }
    throw new UsageError(`no optimizer of this sweep has a hyperparameter ${quote(name)}`);
  };
  const axis = (name: string, option: string, text: string) => {
    try {
      axes.push({ name, values: parseGrid(text, scaleOf(name)) });
    } catch (e) {
      throw e instanceof RangeError ? new UsageError(`--${option}: ${e.message}`) : e;
    }
  };
  if (values.eta !== undefined) axis('eta', 'eta', values.eta);
  if (values.H !== undefined) axis('H', 'H', values.H);
  for (const p of values.param ?? []) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/s.exec(p);
    if (!m) throw new UsageError(`--param takes name=grid (e.g. beta1=0.8:0.99:5), not ${quote(p)}`);
    if (axes.some((a) => a.name === m[1])) throw new UsageError(`the grid of ${quote(m[1])} is given twice`);
    axis(m[1], 'param', m[2]);
  }
  if (axes.length === 0) axes.push({ name: 'eta', values: parseGrid('1e-4:1e1:6', 'log') });
  return axes;
}

/** The sweep the options describe, as a request for the pool, with the parsed function or data problem. */
export type CliSweep =
  | { readonly kind: 'function'; readonly request: SweepRequest; readonly fn: CostFunction; readonly workers?: number }
  | {
      readonly kind: 'data';
      readonly request: DataSweepRequest;
      readonly problem: DataProblem;
      readonly workers?: number;
    };

export function sweepRequest(values: Values<typeof SWEEP_OPTIONS>): CliSweep {
  const resolved = resolveTarget(values.fn, planOverrides(values));
  const optimizers = optimizerList(values.opt, 'nag,h-nag,adam,h-adam');
  const axes = grid(
    values,
    optimizers.map((o) => o.id),
  );
  const common = { optimizers, grid: axes, backend: backend(values.backend) };
  const workers = workerCount(values);
  if (resolved.kind === 'data') {
    functionOnlyPrecision(values.precision);
    const { problem } = resolved;
    const request: DataSweepRequest = {
      ...common,
      problem: resolved.source,
      starts: dataStarts(values, resolved, 100),
      seed: dataSeed(values),
      steps: dataSteps({ epochs: values.epochs }, problem, Math.max(...budgets(values.budgets)), MAX_STEPS),
      targets: values.target === undefined && problem.kind === 'model' ? [] : [target(values.target)],
    };
    return { kind: 'data', request, problem, workers };
  }
  if (values.init !== undefined)
    throw new UsageError('--init gives the parameters of a model over data; a cost function has --starts-file');
  const { fn, source } = resolved;
  const dim = fn.variables.length;
  const request: SweepRequest = {
    ...common,
    fn: source,
    starts: startSpec(values, domainFor(values, fn.domain, dim), dim, 100),
    budgets: budgets(values.budgets),
    target: target(values.target),
    precision: precision(values.precision),
  };
  return { kind: 'function', fn, request, workers };
}

export const sweepCommand = defineCommand({
  name: 'sweep',
  synopsis: '--fn F [--opt O,…] [--eta G] [--H G] [--param name=G] [options]',
  summary:
    'success fraction f_D within step budgets over a grid of η, H or any hyperparameter (a model: losses, metrics)',
  options: {
    ...SWEEP_OPTIONS,
    csv: { type: 'string', arg: 'FILE', help: 'also write the cells as CSV' },
    ...JSON_OPTION,
  },
  async run(values, io) {
    const planned = sweepRequest(values);
    if (values.csv !== undefined) checkWritable(values.csv, '--csv');
    if (planned.kind === 'data') {
      const { request, problem, workers } = planned;
      const result = await onPool(workers, io, values.json ? undefined : 'sweep', (pool, job) =>
        pool.sweepData(request, job),
      );
      if (values.csv !== undefined) writeTextFile(values.csv, dataSweepCsv(result), '--csv');
      await io.out(
        values.json
          ? JSON.stringify(dataSweepJson(result))
          : `${problem.name}: ${result.startCount} starts (seed ${result.seed}), ${result.steps} steps per cell\n` +
              dataRunTable(result.cells, problem.metrics, request.targets),
      );
      return;
    }
    const { request, workers } = planned;
    const result = await onPool(workers, io, values.json ? undefined : 'sweep', (pool, job) =>
      pool.sweep(request, job),
    );
    if (values.csv !== undefined) writeTextFile(values.csv, sweepCsv(result), '--csv');
    await io.out(values.json ? JSON.stringify(sweepJson(result)) : sweepSummary(result));
  },
});
