/** `descent-lab run`: many starts per optimizer on the worker pool, convergence statistics as a table or JSON. */
import type { CostFunction } from '../engine/expr/costParser';
import type { DataProblem } from '../engine/run/dataProblem';
import type { DataRunRequest } from '../engine/run/dataRequest';
import type { RunRequest } from '../engine/run/request';
import { MAX_STEPS } from '../engine/run/runner';
import { formatNumber as num } from '../present/format';
import { dataRunJson, dataRunTable } from '../present/dataExport';
import { runJson } from '../present/runExport';
import { table } from '../present/textTable';
import { defineCommand, type Io, type Values } from './command';
import { DATA_OPTIONS, INIT_OPTION, planOverrides } from './dataArgs';
import { dataSeed, dataStarts, dataSteps } from './dataRun';
import { resolveTarget } from './functionArg';
import { optimizerList } from './optimizersCommand';
import {
  backend,
  BACKEND_OPTION,
  domainFor,
  FN_OPTION,
  integer,
  JSON_OPTION,
  optOption,
  precision,
  PRECISION_OPTION,
  functionOnlyPrecision,
  startSpec,
  startsOptions,
  stepsOption,
  targets,
  TARGETS_OPTION,
} from './options';
import { onPool, workerCount, WORKERS_OPTION } from './poolJob';
import { UsageError } from './usageError';

/** The options of a run (also `report`'s): `traces` is the default of --traces. */
export const runOptions = (traces: number) =>
  ({
    ...FN_OPTION,
    ...optOption('gd,adam'),
    ...startsOptions(100),
    ...stepsOption(1000, MAX_STEPS),
    ...DATA_OPTIONS,
    ...INIT_OPTION,
    targets: {
      ...TARGETS_OPTION.targets,
      help: 'f − f* thresholds, e.g. 1e-2,1e-4 (default 1e-4; for a model none: targets need F at every step)',
    },
    traces: {
      type: 'string',
      arg: 'K',
      help: `keep the trajectories of the first K starts, 0…1000 (default ${traces}${traces ? '' : '; shown by --json'})`,
    },
    ...BACKEND_OPTION,
    ...PRECISION_OPTION,
    ...WORKERS_OPTION,
  }) as const;

/** The run the options describe, as a request for the pool, with the parsed function or data problem. */
export type CliRun =
  | { readonly kind: 'function'; readonly request: RunRequest; readonly fn: CostFunction; readonly workers?: number }
  | {
      readonly kind: 'data';
      readonly request: DataRunRequest;
      readonly problem: DataProblem;
      /** The cost function of a problem with gradient noise. */
      readonly fn?: CostFunction;
      readonly workers?: number;
    };

export function runRequest(values: Values<ReturnType<typeof runOptions>>, traces: number): CliRun {
  const target = resolveTarget(values.fn, planOverrides(values));
  const common = {
    optimizers: optimizerList(values.opt, 'gd,adam'),
    traces: integer(values.traces, 'traces', traces, 0, 1000),
    backend: backend(values.backend),
  };
  const workers = workerCount(values);
  if (target.kind === 'data') {
    functionOnlyPrecision(values.precision);
    const { problem } = target;
    const request: DataRunRequest = {
      ...common,
      problem: target.source,
      starts: dataStarts(values, target, 100),
      seed: dataSeed(values),
      steps: dataSteps(values, problem, 1000, MAX_STEPS),
      targets: values.targets === undefined && problem.kind === 'model' ? [] : targets(values.targets),
    };
    return { kind: 'data', request, problem, fn: target.fn, workers };
  }
  if (values.init !== undefined)
    throw new UsageError('--init gives the parameters of a model over data; a cost function has --starts-file');
  const { fn, source } = target;
  const dim = fn.variables.length;
  const request: RunRequest = {
    ...common,
    fn: source,
    starts: startSpec(values, domainFor(values, fn.domain, dim), dim, 100),
    steps: integer(values.steps, 'steps', 1000, 0, MAX_STEPS),
    targets: targets(values.targets),
    precision: precision(values.precision),
  };
  return { kind: 'function', fn, request, workers };
}

export const runCommand = defineCommand({
  name: 'run',
  synopsis: '--fn F [--opt O,…] [options]',
  summary: 'many starts per optimizer: converged, diverged, median steps to each target (a model: losses, metrics)',
  options: { ...runOptions(0), ...JSON_OPTION },
  async run(values, io) {
    const planned = runRequest(values, 0);
    if (planned.kind === 'data') return runData(planned, !!values.json, io);
    const { fn, request, workers } = planned;
    const result = await onPool(workers, io, values.json ? undefined : 'run', (pool, job) => pool.run(request, job));
    if (values.json) {
      await io.out(JSON.stringify(runJson(result)));
      return;
    }
    const { steps, targets: ts } = request;
    await io.out(
      `${fn.name}(${fn.variables.join(', ')}), f* = ${num(result.fn.fStar)}; ${result.starts.length} starts; ${steps} steps; k = number of updates` +
        (request.precision === 'f32' ? '; binary32 lanes' : ''),
    );
    await io.out(
      table(
        [
          'optimizer',
          'hyperparameters',
          'converged',
          'diverged',
          ...ts.map((t) => `median k to ${num(t)}`),
          'ns/lane-step',
        ],
        result.runs.map((r) => [
          r.label,
          Object.entries(r.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
          `${r.converged}/${r.n}`,
          String(r.diverged),
          ...ts.map((t) => num(r.stepsToTarget[String(t)].median)),
          num(r.timing.nsPerLaneStep),
        ]),
      ),
    );
  },
});

/** A data run: the table of final losses and metrics, or the run JSON with the per-epoch series. */
async function runData(planned: Extract<CliRun, { kind: 'data' }>, json: boolean, io: Io): Promise<void> {
  const { request, problem, workers } = planned;
  const result = await onPool(workers, io, json ? undefined : 'run', (pool, job) => pool.runData(request, job));
  if (json) {
    await io.out(JSON.stringify(dataRunJson(result)));
    return;
  }
  const { trainRows, testRows, batch, epochSteps } = result.problem;
  await io.out(
    problem.kind === 'model'
      ? `${problem.name}: ${problem.variables.length} parameters; ${trainRows} training rows, ${testRows} test rows; ` +
          `batch ${batch}, ${epochSteps} steps per epoch; ${result.starts.length} starts (seed ${result.seed}); ` +
          `${result.steps} steps${problem.noise ? `; gradient noise σ = ${num(problem.noise)}` : ''}; f* = ${num(problem.fStar)}`
      : `${problem.name}(${problem.variables.join(', ')}) with gradient noise σ = ${num(problem.noise)} (seed ${result.seed}); ` +
          `f* = ${num(problem.fStar)}; ${result.starts.length} starts; ${result.steps} steps`,
  );
  await io.out(dataRunTable(result.runs, problem.metrics, request.targets));
}
