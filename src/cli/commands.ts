/** The `descent-lab` commands: functions, optimizers, trace, run. */
import type { CostFunction } from '../engine/expr/costParser';
import { printGradient } from '../engine/expr/prettyPrint';
import { gradient } from '../engine/expr/autodiff';
import { builtinFunctions } from '../engine/library';
import { listModifiers, listOptimizers, optimizersJson, parseOptimizerList } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import { run, type RunSpec } from '../engine/run/runner';
import { backend, domainFor, integer, numberList, point, startSpec, type Values } from './options';
import { resolveFunction } from './functionArg';
import { formatNumber as num } from '../present/format';
import { runJson } from '../present/runExport';
import { table } from '../present/textTable';
import { UsageError } from './usageError';

type Out = (text: string) => void;

export function functionsCommand(values: Values, out: Out): void {
  const fns = builtinFunctions();
  if (values.json) {
    out(
      JSON.stringify(
        {
          functions: fns.map((f) => ({
            name: f.name,
            variables: f.variables,
            expression: f.source,
            domain: f.domain ?? null,
            minima: f.minima,
            fStar: f.fStar ?? null,
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  out(
    table(
      ['name', 'f', 'domain', 'minima'],
      fns.map((f) => [
        `${f.name}(${f.variables.join(', ')})`,
        f.source.replace(/\s+/g, ' '),
        f.domain ? f.domain.map(([a, b]) => `[${a}, ${b}]`).join('×') : '–',
        f.minima.map((m) => `(${m.map((v) => num(v)).join(', ')})`).join(' '),
      ]),
    ),
  );
  if (values.fn !== undefined) {
    const fn = resolveFunction(values.fn);
    out(`\n∇${fn.name}:\n${printGradient(fn.graph, gradient(fn.graph, fn.output, fn.inputs), fn.variables)}`);
  }
}

export function optimizersCommand(values: Values, out: Out): void {
  if (values.json) {
    out(JSON.stringify(optimizersJson(), null, 2));
    return;
  }
  out(
    table(
      ['id', 'optimizer', 'source', 'hyperparameters (defaults)'],
      listOptimizers().map((o) => [o.id, o.label, o.paper, o.params.map((p) => `${p.name}=${p.default}`).join(' ')]),
    ),
  );
  out('\nAn optimizer that reads the gradient value also takes the power transform as h-<id> (e.g. h-rmsprop:H=0.5).');
  const chained = listModifiers().map((t) => `${t.id}:${t.params.map((p) => `${p.name}=${p.default}`).join(':')}`);
  out(`Transforms chain onto it with +: ${chained.join(', ')} (e.g. adam:eta=0.001+clip-norm:maxNorm=1).`);
}

export function optimizerList(values: Values, fallback: string): OptimizerConfig[] {
  try {
    return parseOptimizerList(values.opt ?? fallback);
  } catch (e) {
    throw new UsageError(`--opt: ${(e as Error).message}`);
  }
}

function requireFn(values: Values) {
  if (values.fn === undefined)
    throw new UsageError('--fn is required (a built-in name, file.cost#name, or an expression)');
  return resolveFunction(values.fn);
}

export function engineCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function traceCommand(values: Values, out: Out): void {
  const fn = requireFn(values);
  const dim = fn.variables.length;
  const opts = optimizerList(values, 'gd');
  if (opts.length !== 1) throw new UsageError(`trace follows one optimizer; --opt names ${opts.length}`);
  const steps = integer(values.steps, 'steps', 100, 0, 1_000_000);
  const domain = domainFor(values, fn.domain, dim);
  const starts =
    values.from !== undefined
      ? { kind: 'list' as const, points: [point(values.from, dim, 'from')] }
      : { kind: 'random' as const, n: 1, seed: integer(values.seed, 'seed', 1, 0, 2 ** 32 - 1), domain };
  const result = engineCall(() =>
    run({
      fn,
      optimizers: opts,
      starts,
      steps,
      targets: values.targets ? numberList(values.targets, 'targets') : [],
      traces: 1,
      maxPoints: steps + 1,
      backend: backend(values.backend),
    }),
  );
  const lane = result.runs[0];
  const iterates = lane.traces[0].points;
  if (values.json) {
    out(JSON.stringify({ iterates: iterates.map((p) => ({ step: p.step, theta: p.theta, f: p.f })) }));
    return;
  }
  out(
    `${lane.label} on ${fn.name}(${fn.variables.join(', ')}) from (${iterates[0].theta.map((v) => num(v)).join(', ')}), ${steps} steps`,
  );
  out(
    table(
      ['k', ...fn.variables, 'f'],
      iterates.map((p) => [String(p.step), ...p.theta.map((v) => num(v)), num(p.f)]),
    ),
  );
  const final = lane.final[0];
  if (final.divergedAt !== null) out(`diverged at step ${final.divergedAt}`);
  if (final.orbit)
    out(
      `ended on a 2-state orbit; midpoint (${final.orbit.midpoint.map((v) => num(v)).join(', ')}), f = ${num(final.orbit.f)}`,
    );
}

/** The run the `run` options describe (also `report`'s run); `traces` is the default of --traces. */
export function runSpec(values: Values, traces = 0): RunSpec & { fn: CostFunction } {
  const fn = requireFn(values);
  const dim = fn.variables.length;
  return {
    fn,
    optimizers: optimizerList(values, 'gd,adam'),
    starts: startSpec(values, domainFor(values, fn.domain, dim), dim, 100),
    steps: integer(values.steps, 'steps', 1000, 0, 100_000_000),
    targets: values.targets ? numberList(values.targets, 'targets') : [1e-4],
    traces: integer(values.traces, 'traces', traces, 0, 1000),
    backend: backend(values.backend),
  };
}

export function runCommand(values: Values, out: Out): void {
  const spec = runSpec(values);
  const { fn, steps, targets } = spec;
  const result = engineCall(() => run(spec));
  if (values.json) {
    out(JSON.stringify(runJson(result)));
    return;
  }
  out(
    `${fn.name}(${fn.variables.join(', ')}), f* = ${num(result.fn.fStar)}; ${result.starts.length} starts; ${steps} steps; k = number of updates`,
  );
  out(
    table(
      [
        'optimizer',
        'hyperparameters',
        'converged',
        'diverged',
        ...targets.map((t) => `median k to ${num(t)}`),
        'ns/lane-step',
      ],
      result.runs.map((r) => [
        r.label,
        Object.entries(r.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        `${r.converged}/${r.n}`,
        String(r.diverged),
        ...targets.map((t) => num(r.stepsToTarget[String(t)].median)),
        num(r.timing.nsPerLaneStep),
      ]),
    ),
  );
}
