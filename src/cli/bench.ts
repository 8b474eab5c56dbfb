/**
 * `descent-lab bench`: the workload — h-Adam (η = 0.01, β₁ = 0.9, β₂ = 0.99, ε = 1e−8, H = 0.5), f
 * tested every step against a 1e−4 first-hit target, N = 4096 random starts, T = 2000 steps, one worker — on
 * Beale, V4 and Rosenbrock, for the wasm-simd and JS backends and a naive mathjs baseline. Medians of ≥ 5
 * repetitions after a warm-up. Also the compile latency from text to a ready module. Then the data-fit peers'
 * workload on both data backends (benchDatafit.ts), with the peers' JS figure beside it given `--peers DIR`.
 */
import { availableParallelism } from 'node:os';
import {
  compileDependencies,
  cosDependencies,
  coshDependencies,
  create,
  derivativeDependencies,
  logDependencies,
  piDependencies,
  sinDependencies,
  sinhDependencies,
} from 'mathjs';
import { join } from 'node:path';
import { findBuiltin } from '../engine/library';
import { compileKernel } from '../engine/kernel/compile';
import type { Backend } from '../engine/kernel/types';
import { getOptimizer } from '../engine/optim/registry';
import { WorkerPool } from '../engine/run/pool/workerPool';
import type { RunRequest } from '../engine/run/request';
import { median } from '../engine/run/statistics';
import { buildStepProgram, withGradient } from '../engine/program/stepProgram';
import { makeStarts } from '../engine/run/starts';
import { parseExpression } from '../engine/expr/costParser';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { BENCH_DATA_OPTIONS, benchData } from './benchData';
import { benchDatafit, checkDatafitPeer, datafitTable } from './benchDatafit';
import { defineCommand } from './command';
import { JSON_OPTION } from './options';
import { UsageError } from './usageError';

const FUNCTIONS = ['beale', 'baiesi_v4', 'rosenbrock'] as const;
const OPTIMIZER = { id: 'h-adam', params: { eta: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 } };
const N = 4096;
const STEPS = 2000;
const REPS = 5;
/** The mathjs baseline is ~10⁴× slower: it runs a smaller batch, and says so. */
const BASELINE = { n: 64, steps: 100 };

export interface BenchCase {
  fn: string;
  optimizer: string;
  n: number;
  steps: number;
  backend: string;
  trajStepsPerSec: number;
  compileMs: number | null;
}

declare const performance: { now(): number };

export async function bench(
  options: { reps?: number; n?: number; steps?: number; log?: (s: string) => void; signal?: AbortSignal } = {},
): Promise<BenchCase[]> {
  const reps = options.reps ?? REPS;
  const n = options.n ?? N;
  const steps = options.steps ?? STEPS;
  const log = options.log ?? (() => {});
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), size: 1 }, availableParallelism());
  const cases: BenchCase[] = [];
  try {
    for (const name of FUNCTIONS) {
      const fn = findBuiltin(name)!;
      for (const backend of ['wasm-simd', 'js'] as Backend[]) {
        const request: RunRequest = {
          fn: { kind: 'builtin', name },
          optimizers: [OPTIMIZER],
          steps,
          targets: [1e-4],
          traces: 0,
          backend,
          starts: { kind: 'random', n, seed: 1, domain: fn.domain! },
        };
        const job = { signal: options.signal };
        await pool.run({ ...request, steps: Math.min(steps, 200) }, job);
        const rates: number[] = [];
        for (let r = 0; r < reps; r++) {
          const t = (await pool.run(request, job)).runs[0].timing;
          rates.push(t.laneSteps / t.seconds);
        }
        const compileMs = backend === 'wasm-simd' ? compileLatency(fn.source, fn.variables, reps) : null;
        cases.push({ fn: name, optimizer: 'h-adam', n, steps, backend, trajStepsPerSec: median(rates)!, compileMs });
        log(`${name} ${backend}: ${num(median(rates))} trajectory-steps/s`);
      }
      cases.push({
        fn: name,
        optimizer: 'h-adam',
        ...BASELINE,
        backend: 'mathjs (baseline)',
        trajStepsPerSec: mathjsBaseline(fn.source, fn.variables, fn.domain!),
        compileMs: null,
      });
    }
  } finally {
    await pool.dispose();
  }
  return cases;
}

/** Text → parse → IR → ∇f → step program → a validated, compiled module; median wall time in ms. */
function compileLatency(source: string, variables: readonly string[], reps: number): number {
  const text = `f(${variables.join(', ')}) = ${source}`;
  const times: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const t0 = performance.now();
    const fn = parseExpression(text);
    const kernel = compileKernel(buildStepProgram(withGradient(fn), getOptimizer('h-adam')), 'wasm-simd');
    kernel.prepare({ n: 2, targetCount: 1, recordCount: 2, traceSlots: 0 });
    if (r > 0) times.push(performance.now() - t0);
  }
  return median(times)!;
}

/** The notebook way: mathjs compile().evaluate of f and of each math.derivative, per lane per step. */
function mathjsBaseline(
  source: string,
  variables: readonly string[],
  domain: readonly (readonly [number, number])[],
): number {
  // An instance of just compile, derivative and the functions of the three built-ins (V4: log, sin, cosh, π; their
  // derivatives: cos, sinh), made here: a full mathjs instance is created when the bundle loads and costs every
  // command of the CLI ~0.4 s.
  const { compile, derivative } = create({
    compileDependencies,
    derivativeDependencies,
    logDependencies,
    sinDependencies,
    cosDependencies,
    coshDependencies,
    sinhDependencies,
    piDependencies,
  });
  const f = compile(source);
  const grads = variables.map((v) => derivative(source, v).compile());
  const starts = makeStarts({ kind: 'random', n: BASELINE.n, seed: 1, domain }, variables.length);
  const { eta, beta1, beta2, eps, H } = OPTIMIZER.params;
  const t0 = performance.now();
  for (const start of starts) {
    const theta = [...start];
    const m = theta.map(() => 0),
      s = theta.map(() => 0);
    for (let t = 1; t <= BASELINE.steps; t++) {
      const scope = Object.fromEntries(variables.map((v, i) => [v, theta[i]]));
      if (f.evaluate(scope) <= 1e-4) break;
      theta.forEach((_, i) => {
        const g = grads[i].evaluate(scope) as number;
        const h = Math.sign(g) * Math.abs(g) ** H;
        m[i] = beta1 * m[i] + (1 - beta1) * h;
        s[i] = beta2 * s[i] + (1 - beta2) * h * h;
        theta[i] -= (eta * (m[i] / (1 - beta1 ** t))) / (Math.sqrt(s[i] / (1 - beta2 ** t)) + eps);
      });
    }
  }
  return (BASELINE.n * BASELINE.steps) / ((performance.now() - t0) / 1000);
}

export function benchTable(cases: readonly BenchCase[]): string {
  const rows = cases.map((c) => {
    const jsRate = cases.find((x) => x.fn === c.fn && x.backend === 'js')?.trajStepsPerSec;
    return [
      c.fn,
      c.backend,
      `${c.n} × ${c.steps}`,
      num(c.trajStepsPerSec),
      jsRate ? `${(c.trajStepsPerSec / jsRate).toFixed(2)}×` : '',
      c.compileMs === null ? '' : c.compileMs.toFixed(2),
    ];
  });
  return table(['function', 'backend', 'lanes × steps', 'trajectory-steps/s', 'vs js', 'compile ms'], rows);
}

const PEERS_OPTION = {
  peers: {
    type: 'string',
    arg: 'DIR',
    help: "the performance peers' folder (its datafit/datafit_js.js): the data-fit peer's JS figure beside ours",
  },
} as const;

export const benchCommand = defineCommand({
  name: 'bench',
  synopsis: '[--peers DIR] [--json] | --fn file.cost#model [--opt O,…] [--starts N] [--json]',
  summary:
    'trajectory-steps/s of h-Adam on Beale, V4 and Rosenbrock per backend, lane-steps/s of the data-fit peers’ workload; compile latency (--fn: a model’s training)',
  options: { ...JSON_OPTION, ...PEERS_OPTION, ...BENCH_DATA_OPTIONS },
  async run(values, io) {
    if (values.fn !== undefined) {
      if (values.peers !== undefined) throw new UsageError('--peers goes with the data-fit case, not with --fn');
      return benchData(values, !!values.json, io);
    }
    const given = Object.keys(values).filter((k) => k !== 'json' && k !== 'peers');
    if (given.length) throw new UsageError(`--${given[0]} describes the workload of --fn`);
    if (values.peers !== undefined) checkDatafitPeer(values.peers);
    const log = values.json ? undefined : (s: string) => io.err(s);
    const cases = await bench({ log, signal: io.signal });
    const datafit = await benchDatafit({ peers: values.peers, log });
    await io.out(values.json ? JSON.stringify({ cases, datafit }) : `${benchTable(cases)}\n\n${datafitTable(datafit)}`);
  },
});
