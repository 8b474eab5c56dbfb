/** `descent-lab trace`: the iterates of one optimizer from one start, as a table or JSON. */
import { run, type RunResult } from '../engine/run/runner';
import type { DataRunRequest } from '../engine/run/dataRequest';
import type { DataStarts } from '../engine/run/dataRunner';
import type { RunRequest } from '../engine/run/request';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { defineCommand, type Io, type Values } from './command';
import { DATA_OPTIONS, INIT_OPTION, planOverrides } from './dataArgs';
import { dataSeed, dataStarts, dataSteps, type DataTarget } from './dataRun';
import { resolveTarget } from './functionArg';
import { optimizerList } from './optimizersCommand';
import {
  backend,
  precision,
  PRECISION_OPTION,
  functionOnlyPrecision,
  BACKEND_OPTION,
  RANDOM_START_OPTIONS,
  domainFor,
  FN_OPTION,
  integer,
  JSON_OPTION,
  optOption,
  point,
  seed,
  stepsOption,
  targets,
  TARGETS_OPTION,
} from './options';
import { onPool, workerCount, WORKERS_OPTION } from './poolJob';
import { UsageError } from './usageError';

const MAX_TRACE_STEPS = 1_000_000;
/**
 * Traces this long go to a worker thread, where Ctrl-C can stop them; shorter ones take less time than
 * starting a worker (~0.1 s) and run here. Both give the same numbers.
 */
export const POOL_TRACE_STEPS = 100_000;

const TRACE_OPTIONS = {
  ...FN_OPTION,
  ...optOption('gd'),
  from: { type: 'string', arg: 'x,y', help: 'the start point (default: a random point of the domain, from --seed)' },
  ...RANDOM_START_OPTIONS,
  ...stepsOption(100, MAX_TRACE_STEPS),
  ...DATA_OPTIONS,
  ...INIT_OPTION,
  targets: { ...TARGETS_OPTION.targets, help: 'f − f* thresholds to report (default none)' },
  ...BACKEND_OPTION,
  ...PRECISION_OPTION,
  ...WORKERS_OPTION,
  ...JSON_OPTION,
} as const;

export const traceCommand = defineCommand({
  name: 'trace',
  synopsis: '--fn F [--opt O] [--from x,y] [options]',
  summary:
    'the iterates θₖ and f(θₖ) of one optimizer from one start (a model: start 0 of --seed, f its training loss)',
  options: TRACE_OPTIONS,
  async run(values, io) {
    const target = resolveTarget(values.fn, planOverrides(values));
    if (target.kind === 'data') return traceData(values, io, target);
    if (values.init !== undefined)
      throw new UsageError('--init gives the parameters of a model over data; a cost function starts at --from');
    const { fn, source } = target;
    const dim = fn.variables.length;
    const opts = optimizerList(values.opt, 'gd');
    if (opts.length !== 1) throw new UsageError(`trace follows one optimizer; --opt names ${opts.length}`);
    const steps = integer(values.steps, 'steps', 100, 0, MAX_TRACE_STEPS);
    if (values.from !== undefined && (values.seed !== undefined || values.domain !== undefined))
      throw new UsageError('--seed and --domain draw a random start: they have no use with --from');
    const request: RunRequest = {
      fn: source,
      optimizers: opts,
      starts:
        values.from !== undefined
          ? { kind: 'list', points: [point(values.from, dim, 'from')] }
          : { kind: 'random', n: 1, seed: seed(values.seed), domain: domainFor(values, fn.domain, dim) },
      steps,
      targets: values.targets === undefined ? [] : targets(values.targets),
      traces: 1,
      backend: backend(values.backend),
      precision: precision(values.precision),
    };
    const workers = workerCount(values);
    const spec = { ...request, maxPoints: steps + 1 };
    const result: RunResult =
      steps >= POOL_TRACE_STEPS
        ? await onPool(workers, io, values.json ? undefined : 'trace', (pool, job) => pool.run(spec, job))
        : inThread(() => run({ ...spec, fn }));
    const lane = result.runs[0];
    const iterates = lane.traces[0].points;
    if (values.json) {
      await io.out(JSON.stringify({ iterates: iterates.map((p) => ({ step: p.step, theta: p.theta, f: p.f })) }));
      return;
    }
    await io.out(
      `${lane.label} on ${fn.name}(${fn.variables.join(', ')}) from (${iterates[0].theta.map((v) => num(v)).join(', ')}), ${steps} steps`,
    );
    await io.out(
      table(
        ['k', ...fn.variables, 'f'],
        iterates.map((p) => [String(p.step), ...p.theta.map((v) => num(v)), num(p.f)]),
      ),
    );
    const final = lane.final[0];
    if (final.divergedAt !== null) await io.out(`diverged at step ${final.divergedAt}`);
    if (final.orbit)
      await io.out(
        `ended on a 2-state orbit; midpoint (${final.orbit.midpoint.map((v) => num(v)).join(', ')}), f = ${num(final.orbit.f)}`,
      );
  },
});

/** θ columns a text trace shows at most; past it, the JSON has them. */
const SHOWN_PARAMETERS = 6;

/**
 * The trace of a model over data (start 0 of --seed, or --init's one start) or of a noisy function, on a worker:
 * f is the training loss F(θₖ) (for a function, f itself); the minibatch loss of each update is listed apart.
 */
async function traceData(values: Values<typeof TRACE_OPTIONS>, io: Io, target: DataTarget): Promise<void> {
  functionOnlyPrecision(values.precision);
  const { problem } = target;
  const opts = optimizerList(values.opt, 'gd');
  if (opts.length !== 1) throw new UsageError(`trace follows one optimizer; --opt names ${opts.length}`);
  const steps = dataSteps(values, problem, 100, MAX_TRACE_STEPS);
  const dim = problem.variables.length;
  let starts: DataStarts;
  if (problem.kind === 'model') {
    if (values.from !== undefined)
      throw new UsageError("--from is a cost function's start; a model's comes from --init");
    starts = dataStarts(values, target, 1);
    if (starts.kind === 'list' && starts.points.length !== 1)
      throw new UsageError(`trace follows one start; --init holds ${starts.points.length}`);
  } else {
    if (values.from !== undefined && values.domain !== undefined)
      throw new UsageError('--domain draws a random start: it has no use with --from');
    starts =
      values.from !== undefined
        ? { kind: 'list', points: [point(values.from, dim, 'from')] }
        : { kind: 'random', n: 1, seed: seed(values.seed), domain: domainFor(values, problem.domain, dim) };
  }
  const request: DataRunRequest = {
    problem: target.source,
    optimizers: opts,
    starts,
    seed: dataSeed(values),
    steps,
    targets: values.targets === undefined ? [] : targets(values.targets),
    traces: 1,
    maxPoints: steps + 1,
    backend: backend(values.backend),
  };
  const result = await onPool(workerCount(values), io, values.json ? undefined : 'trace', (pool, job) =>
    pool.runData(request, job),
  );
  const lane = result.runs[0];
  const iterates = lane.traces[0].points;
  const minibatch = lane.curves.steps
    .map((step, r) => ({ step, f: lane.minibatch.median[r] }))
    .filter((m) => !Number.isNaN(m.f));
  if (values.json) {
    const thetaF = iterates.map((p) => ({ step: p.step, theta: p.theta, f: p.f }));
    await io.out(JSON.stringify({ iterates: thetaF, minibatch }));
    return;
  }
  const model = problem.kind === 'model';
  const shown = !model || dim <= SHOWN_PARAMETERS ? problem.variables : [];
  await io.out(
    model
      ? `${lane.label} on ${problem.name} (${dim} parameters${shown.length ? '' : ', in the JSON'}), start 0 of seed ${request.seed}, ${steps} steps; ` +
          'f is the training loss at θₖ, fB the minibatch loss of the update from θₖ'
      : `${lane.label} on ${problem.name}(${problem.variables.join(', ')}) from (${iterates[0].theta.map((v) => num(v)).join(', ')}), ` +
          `${steps} steps, gradient noise σ = ${num(problem.noise)} from seed ${request.seed}`,
  );
  const fB = new Map(minibatch.map((m) => [m.step, m.f]));
  await io.out(
    table(
      ['k', ...shown, 'f', ...(model ? ['fB'] : [])],
      iterates.map((p) => [
        String(p.step),
        ...(shown.length ? p.theta.map((v) => num(v)) : []),
        num(p.f),
        ...(model ? [num(fB.get(p.step))] : []),
      ]),
    ),
  );
  const final = lane.final[0];
  if (final.divergedAt !== null) await io.out(`diverged at step ${final.divergedAt}`);
}

/** An engine call on this thread: its RangeErrors (bad ranges the options did not catch) are the user's. */
export function inThread<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}
