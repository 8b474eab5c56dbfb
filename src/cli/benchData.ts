/**
 * `descent-lab bench --fn file.cost#model`: lane-steps per second of a model's training (or of a noisy cost
 * function) on one worker, per data backend (wasm-simd where SIMD validates, and js), and the time from text to a
 * ready kernel. The workload is the
 * file's own: its @epochs (or --steps, --epochs), its batch, N starts (--starts, default 50) × the optimizers of
 * --opt; the median of 3 runs after a warm-up. F is computed only at epoch ends (no targets, two recorded
 * points), as in the data-fit peers' timed region, which evaluates the test metric once per epoch.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compileDataKernel, resolveBackend } from '../engine/kernel/compile';
import { getOptimizer } from '../engine/optim/registry';
import { buildDataStepProgram } from '../engine/program/dataProgram';
import { resolveProblem, type DataRunRequest } from '../engine/run/dataRequest';
import { WorkerPool } from '../engine/run/pool/workerPool';
import { MAX_STEPS } from '../engine/run/runner';
import { median } from '../engine/run/statistics';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import type { Io, Values } from './command';
import { DATA_OPTIONS, planOverrides } from './dataArgs';
import { dataSeed, dataStarts, dataSteps } from './dataRun';
import { resolveTarget } from './functionArg';
import { optimizerList } from './optimizersCommand';
import { FN_OPTION, optOption, startsOptions, stepsOption } from './options';
import { UsageError } from './usageError';

export const BENCH_DATA_OPTIONS = {
  ...FN_OPTION,
  ...optOption('gd,nasgd'),
  ...startsOptions(50),
  ...stepsOption(1000, MAX_STEPS),
  ...DATA_OPTIONS,
} as const;

const REPS = 3;

declare const performance: { now(): number };

export async function benchData(values: Values<typeof BENCH_DATA_OPTIONS>, json: boolean, io: Io): Promise<void> {
  const target = resolveTarget(values.fn, planOverrides(values));
  if (target.kind !== 'data')
    throw new UsageError(`${target.fn.name} is a cost function without noise: bench measures it without --fn`);
  const request: DataRunRequest = {
    problem: target.source,
    optimizers: optimizerList(values.opt, 'gd,nasgd'),
    starts: dataStarts({ ...values, init: undefined }, target, 50),
    seed: dataSeed(values),
    steps: dataSteps(values, target.problem, 1000, MAX_STEPS),
    targets: [],
    traces: 0,
    maxPoints: 2,
  };
  const backends = resolveBackend('auto') === 'wasm-simd' ? (['wasm-simd', 'js'] as const) : (['js'] as const);
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), size: 1 }, availableParallelism());
  const cases: { fn: string; backend: string; laneSteps: number; laneStepsPerSec: number; compileMs: number }[] = [];
  try {
    for (const backend of backends) {
      const compileMs = compileLatency(request, backend);
      const job = { signal: io.signal };
      await pool.runData({ ...request, backend, steps: Math.min(request.steps, 100) }, job);
      const rates: number[] = [];
      let laneSteps = 0;
      for (let r = 0; r < REPS; r++) {
        const runs = (await pool.runData({ ...request, backend }, job)).runs;
        laneSteps = runs.reduce((s, x) => s + x.timing.laneSteps, 0);
        rates.push(laneSteps / runs.reduce((s, x) => s + x.timing.seconds, 0));
      }
      cases.push({ fn: target.problem.name, backend, laneSteps, laneStepsPerSec: median(rates)!, compileMs });
    }
  } finally {
    await pool.dispose();
  }
  if (json) return io.out(JSON.stringify({ cases }));
  await io.out(
    table(
      ['model', 'backend', 'lane-steps', 'lane-steps/s', 'compile ms'],
      cases.map((c) => [c.fn, c.backend, num(c.laneSteps), num(c.laneStepsPerSec), c.compileMs.toFixed(1)]),
    ),
  );
}

/** Text → parse (datasets as read) → each optimizer's data step program → a kernel ready for lanes; ms. */
function compileLatency(request: DataRunRequest, backend: 'wasm-simd' | 'js'): number {
  const t0 = performance.now();
  const problem = resolveProblem(request.problem);
  for (const o of request.optimizers) {
    const kernel = compileDataKernel(buildDataStepProgram(problem.row, getOptimizer(o.id)), backend);
    kernel.prepare(
      {
        n: 2,
        targetCount: 0,
        recordCount: 2,
        traceSlots: 0,
        epochCount: 1,
        startSlots: 1,
        orderLength: 1,
        noiseSteps: 0,
      },
      problem.rows,
    );
  }
  return performance.now() - t0;
}
