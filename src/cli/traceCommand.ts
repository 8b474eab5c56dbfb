/** `descent-lab trace`: the iterates of one optimizer from one start, as a table or JSON. */
import { run, type RunResult } from '../engine/run/runner';
import type { RunRequest } from '../engine/run/request';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { defineCommand } from './command';
import { resolveFunction } from './functionArg';
import { optimizerList } from './optimizersCommand';
import {
  backend,
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

export const traceCommand = defineCommand({
  name: 'trace',
  synopsis: '--fn F [--opt O] [--from x,y] [options]',
  summary: 'the iterates θₖ and f(θₖ) of one optimizer from one start',
  options: {
    ...FN_OPTION,
    ...optOption('gd'),
    from: { type: 'string', arg: 'x,y', help: 'the start point (default: a random point of the domain, from --seed)' },
    ...RANDOM_START_OPTIONS,
    ...stepsOption(100, MAX_TRACE_STEPS),
    targets: { ...TARGETS_OPTION.targets, help: 'f − f* thresholds to report (default none)' },
    ...BACKEND_OPTION,
    ...WORKERS_OPTION,
    ...JSON_OPTION,
  },
  async run(values, io) {
    const { fn, source } = resolveFunction(values.fn);
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

/** An engine call on this thread: its RangeErrors (bad ranges the options did not catch) are the user's. */
export function inThread<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}
