/** `descent-lab run`: many starts per optimizer on the worker pool, convergence statistics as a table or JSON. */
import type { CostFunction } from '../engine/expr/costParser';
import type { RunRequest } from '../engine/run/request';
import { MAX_STEPS } from '../engine/run/runner';
import { formatNumber as num } from '../present/format';
import { runJson } from '../present/runExport';
import { table } from '../present/textTable';
import { defineCommand, type Values } from './command';
import { resolveFunction } from './functionArg';
import { optimizerList } from './optimizersCommand';
import {
  backend,
  BACKEND_OPTION,
  domainFor,
  FN_OPTION,
  integer,
  JSON_OPTION,
  optOption,
  startSpec,
  startsOptions,
  stepsOption,
  targets,
  TARGETS_OPTION,
} from './options';
import { onPool, workerCount, WORKERS_OPTION } from './poolJob';

/** The options of a run (also `report`'s): `traces` is the default of --traces. */
export const runOptions = (traces: number) =>
  ({
    ...FN_OPTION,
    ...optOption('gd,adam'),
    ...startsOptions(100),
    ...stepsOption(1000, MAX_STEPS),
    ...TARGETS_OPTION,
    traces: {
      type: 'string',
      arg: 'K',
      help: `keep the trajectories of the first K starts, 0…1000 (default ${traces}${traces ? '' : '; shown by --json'})`,
    },
    ...BACKEND_OPTION,
    ...WORKERS_OPTION,
  }) as const;

/** The run the options describe, as a request for the pool, with the parsed function. */
export function runRequest(
  values: Values<ReturnType<typeof runOptions>>,
  traces: number,
): { request: RunRequest; fn: CostFunction; workers: number | undefined } {
  const { fn, source } = resolveFunction(values.fn);
  const dim = fn.variables.length;
  return {
    fn,
    request: {
      fn: source,
      optimizers: optimizerList(values.opt, 'gd,adam'),
      starts: startSpec(values, domainFor(values, fn.domain, dim), dim, 100),
      steps: integer(values.steps, 'steps', 1000, 0, MAX_STEPS),
      targets: targets(values.targets),
      traces: integer(values.traces, 'traces', traces, 0, 1000),
      backend: backend(values.backend),
    },
    workers: workerCount(values),
  };
}

export const runCommand = defineCommand({
  name: 'run',
  synopsis: '--fn F [--opt O,…] [options]',
  summary: 'many starts per optimizer: converged, diverged, median steps to each target',
  options: { ...runOptions(0), ...JSON_OPTION },
  async run(values, io) {
    const { fn, request, workers } = runRequest(values, 0);
    const result = await onPool(workers, io, values.json ? undefined : 'run', (pool, job) => pool.run(request, job));
    if (values.json) {
      await io.out(JSON.stringify(runJson(result)));
      return;
    }
    const { steps, targets: ts } = request;
    await io.out(
      `${fn.name}(${fn.variables.join(', ')}), f* = ${num(result.fn.fStar)}; ${result.starts.length} starts; ${steps} steps; k = number of updates`,
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
