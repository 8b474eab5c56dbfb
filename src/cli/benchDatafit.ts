/**
 * `descent-lab bench`'s data-fit case, the workload of the data-fit peers (shared/perf-peers/datafit): Sprunger's
 * dense layer R¹⁰ → R⁴ with tanh on its 100 training rows, batch 1, 45 epochs (4,500 steps), 50 starts × 27
 * configurations — momentum μ ∈ {0, 0.5, 0.9} × η ∈ {0.001 … 0.1}, Adam × 4 η, NaSGD × 8 α — the test metric at
 * every epoch end (and, beyond the peers' work, the training loss there too).
 *
 * - Per core: each data backend in this thread (the kernel a worker runs), lane-steps (lanes × 4,500 updates, the
 *   peers' count) per second of wall time and of CPU time, min and median of the repetitions after a warm-up, with
 *   the machine's load beside them: other processes share its two cores, and under load the CPU-time figure is
 *   the one that still measures the kernel (the peers' figures are wall times on an idle machine).
 * - End to end: text to numbers (parsing, compilation, the workers' runs) on a pool as large as the machine.
 * - Compile: text → a ready wasm-simd data module, for this model and for a 2,002-parameter layer.
 * - `--peers DIR` (the performance peers' folder, shared/perf-peers): the data-fit peers' plain-JS implementation
 *   run beside (node DIR/datafit/datafit_js.js), its own printed rate. The project never depends on that folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { compileWasmData } from '../engine/kernel/wasm/dataKernel';
import { SPRUNGER_DENSE, type DataFamily } from '../engine/library/papers';
import { getOptimizer } from '../engine/optim/registry';
import { buildDataStepProgram } from '../engine/program/dataProgram';
import { compileJsData } from '../engine/kernel/jsDataBackend';
import { executeDataLanes } from '../engine/run/dataLanes';
import { epochSteps, type DataProblem } from '../engine/run/dataProblem';
import { resolveProblem, type ProblemSource } from '../engine/run/dataRequest';
import { planDataSweep, type DataSweepSpec } from '../engine/run/dataSweep';
import { WorkerPool } from '../engine/run/pool/workerPool';
import { median } from '../engine/run/statistics';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { exampleModel } from './demoProtocol';
import { shownPath, UsageError } from './usageError';

declare const performance: { now(): number };

const ETAS = [0.001, 0.003, 0.01, 0.03, 0.1];
/** The peers' 27 configurations (their common.js), in the demo's family form. */
export const DATAFIT_FAMILIES: readonly DataFamily[] = [
  ...[0, 0.5, 0.9].map((beta) => ({
    title: `Momentum μ = ${beta}`,
    optimizers: [{ id: 'momentum', params: { beta } }],
    grid: { name: 'eta', values: ETAS },
  })),
  {
    title: 'Adam',
    optimizers: [{ id: 'adam', params: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } }],
    grid: { name: 'eta', values: [3e-4, 1e-3, 3e-3, 1e-2] },
  },
  {
    title: 'NaSGD',
    optimizers: [{ id: 'nasgd', params: {} }],
    grid: { name: 'alpha', values: [0.1, 0.3, 0.5, 0.7, 1, 1.5, 1.7, 2] },
  },
];
const STARTS = 50;
const EPOCHS = 45;
/** Repetitions per backend: the JS kernel takes ~5× longer. */
const REPS = { 'wasm-simd': 5, js: 3 } as const;
/** The figure the issue sets (§5): JAX on one core of this machine, lane-steps/s at the median and the min. */
export const JAX_ONE_CORE = { median: 5.67e6, min: 8.17e6 };

export interface DatafitRate {
  readonly backend: string;
  readonly laneSteps: number;
  /** Seconds per repetition (min, median), of wall time and of this process's CPU time. */
  readonly wall: { readonly min: number; readonly median: number };
  readonly cpu: { readonly min: number; readonly median: number };
  /** 1-minute load average before and after. */
  readonly load: readonly [number, number];
}

export interface DatafitBench {
  readonly rates: readonly DatafitRate[];
  /** Text to numbers on every core (compilation included), seconds. */
  readonly endToEnd: { readonly workers: number; readonly seconds: number };
  /** Text → ready wasm-simd modules of each family's optimizer, ms (median), at P parameters. */
  readonly compile: readonly { readonly parameters: number; readonly ms: number; readonly cpuMs: number }[];
  readonly peer?: { readonly impl: string; readonly seconds: number; readonly laneStepsPerSec: number };
}

/** The sweeps of the workload, `epochs` long. */
function sweeps(problem: DataProblem, epochs = EPOCHS): DataSweepSpec[] {
  return DATAFIT_FAMILIES.map((family) => ({
    problem,
    optimizers: family.optimizers,
    grid: [family.grid],
    starts: { kind: 'draw', n: STARTS },
    seed: SPRUNGER_DENSE.seed,
    steps: epochs * epochSteps(problem),
    targets: [],
    maxPoints: 2,
  }));
}

/** The whole workload once in this thread, kernels compiled beforehand: lane-steps, wall and CPU seconds. */
function inThread(problem: DataProblem, backend: 'wasm-simd' | 'js', epochs = EPOCHS) {
  const batches = sweeps(problem, epochs).map((spec) => planDataSweep(spec).optimizers[0]);
  const kernels = batches.map((b) => {
    if (backend === 'js') return compileJsData(b.program);
    const kernel = compileWasmData(b.program);
    kernel.moduleFor(b.work.targets.length);
    return kernel;
  });
  const c0 = process.cpuUsage();
  let wall = 0;
  let laneSteps = 0;
  batches.forEach((b, i) => {
    wall += executeDataLanes(kernels[i], b.program, problem, b.work).seconds;
    laneSteps += b.work.startIndex.length * b.work.steps;
  });
  const cpu = process.cpuUsage(c0);
  return { laneSteps, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

export async function benchDatafit(
  options: { peers?: string; workerScript?: string; log?: (s: string) => void } = {},
): Promise<DatafitBench> {
  const workerScript = options.workerScript ?? join(__dirname, 'worker.js');
  const log = options.log ?? (() => {});
  if (options.peers !== undefined) checkDatafitPeer(options.peers);
  const { source, problem } = exampleModel(SPRUNGER_DENSE.model);
  const rates: DatafitRate[] = [];
  for (const backend of ['wasm-simd', 'js'] as const) {
    inThread(problem, backend, 1);
    const load0 = loadavg()[0];
    const runs = Array.from({ length: REPS[backend] }, () => inThread(problem, backend));
    const spread = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs)! });
    const rate: DatafitRate = {
      backend,
      laneSteps: runs[0].laneSteps,
      wall: spread(runs.map((r) => r.wall)),
      cpu: spread(runs.map((r) => r.cpu)),
      load: [load0, loadavg()[0]],
    };
    rates.push(rate);
    log(
      `datafit ${backend}, one core: ${num(rate.laneSteps / rate.wall.median)} lane-steps/s (median of ${runs.length})`,
    );
  }
  const workers = availableParallelism();
  const pool = new WorkerPool({ workerScript, size: workers }, workers);
  let endToEnd: number;
  try {
    const onPool = (text: ProblemSource, epochs?: number) =>
      Promise.all(
        sweeps(problem, epochs).map((spec) => pool.sweepData({ ...spec, problem: text, backend: 'wasm-simd' })),
      );
    await onPool(source, 1);
    const t0 = performance.now();
    await onPool(exampleModel(SPRUNGER_DENSE.model).source);
    endToEnd = (performance.now() - t0) / 1000;
  } finally {
    await pool.dispose();
  }
  const compile = [compileLatency(source), compileLatency(wideLayer(182))];
  return {
    rates,
    endToEnd: { workers, seconds: endToEnd },
    compile,
    peer: options.peers === undefined ? undefined : runPeer(options.peers),
  };
}

/** A dense layer of m tanh units summed to one output: 11·m parameters, in the wide layout past m ≈ 20. */
function wideLayer(m: number): ProblemSource {
  const text = [
    '@data sprunger_teacher',
    '@split 100 ordered',
    'x = row[1:10]',
    'y = row[11]',
    `@param W ${m}x10 uniform(-0.5, 0.5)`,
    `@param b ${m} zeros`,
    'layer(W, b) = (sum(tanh(W*x + b)) - y)^2',
    '@batch 1',
    '@metric err = abs(sum(tanh(W*x + b)) - y)',
  ].join('\n');
  return { fn: { kind: 'file', text, name: 'layer', path: 'layer.cost' }, files: [], overrides: {} };
}

/** Text → parse → each family's data step program → a validated, compiled wasm-simd module; median ms of 3. */
function compileLatency(source: ProblemSource): { parameters: number; ms: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let parameters = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const problem = resolveProblem(source);
    for (const family of DATAFIT_FAMILIES.slice(2))
      compileWasmData(buildDataStepProgram(problem.row, getOptimizer(family.optimizers[0].id))).moduleFor(0);
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    parameters = problem.variables.length;
  }
  return { parameters, ms: median(wall)!, cpuMs: median(cpu)! };
}

/** A usage error unless `dir` is a perf-peers folder with the data-fit peer (checked before any case runs). */
export function checkDatafitPeer(dir: string): void {
  if (!existsSync(join(dir, 'datafit', 'datafit_js.js')))
    throw new UsageError(`--peers ${shownPath(dir)}: no datafit/datafit_js.js there (the perf-peers folder)`);
}

/** The peers' plain-JS implementation, run once as its README says: its own timed region and rate. */
function runPeer(dir: string): DatafitBench['peer'] {
  const at = join(dir, 'datafit');
  const out = spawnSync(process.execPath, [join(at, 'datafit_js.js')], { cwd: at, encoding: 'utf8' });
  const fields = out.stdout.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  if (out.status !== 0 || fields.length < 5) throw new Error(`${at}/datafit_js.js failed: ${out.stderr.trim()}`);
  return { impl: fields[0], seconds: Number(fields[3]), laneStepsPerSec: Number(fields[4]) };
}

export function datafitTable(b: DatafitBench): string {
  const rate = (laneSteps: number, t: { min: number; median: number }) =>
    `${t.min.toFixed(2)} / ${t.median.toFixed(2)} s: ${num(laneSteps / t.min)} / ${num(laneSteps / t.median)}`;
  const rows = b.rates.map((r) => [
    `descent-lab ${r.backend}`,
    rate(r.laneSteps, r.wall),
    rate(r.laneSteps, r.cpu),
    `${(r.laneSteps / r.wall.min / JAX_ONE_CORE.min).toFixed(2)}× / ${(r.laneSteps / r.cpu.min / JAX_ONE_CORE.min).toFixed(2)}×`,
    `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
  ]);
  if (b.peer)
    rows.push([`peer ${b.peer.impl}`, `${b.peer.seconds.toFixed(2)} s: ${num(b.peer.laneStepsPerSec)}`, '', '', '']);
  return [
    `datafit (the data-fit peers' workload): 27 configurations × ${STARTS} starts × ${EPOCHS * 100} steps, batch 1, test metric per epoch; one core`,
    table(
      [
        'implementation',
        'wall min / median: lane-steps/s',
        'CPU min / median: lane-steps/s',
        'vs JAX min (wall / CPU)',
        'load',
      ],
      rows,
    ),
    `JAX on one core of this machine (the peers' README, wall time, idle machine): ${num(JAX_ONE_CORE.min)} lane-steps/s at its min, ${num(JAX_ONE_CORE.median)} at its median.`,
    `End to end (text to numbers, compilation included), wasm-simd on ${b.endToEnd.workers} workers: ${b.endToEnd.seconds.toFixed(2)} s.`,
    ...b.compile.map(
      (c) =>
        `Compile (text → momentum, Adam and NaSGD wasm-simd modules), P = ${num(c.parameters)}: ${c.ms.toFixed(0)} ms wall, ${c.cpuMs.toFixed(0)} ms CPU.`,
    ),
  ].join('\n');
}
