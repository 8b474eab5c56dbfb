/**
 * `descent-lab bench`: the issue's workload — h-Adam (η = 0.01, β₁ = 0.9, β₂ = 0.99, ε = 1e−8, H = 0.5), f
 * tested every step against a 1e−4 first-hit target, N = 4096 random starts, one worker — on Beale, V4 and
 * Rosenbrock, for the wasm-simd and JS backends, in two workloads: every lane stepping all T = 2000 steps (the
 * peers' workload; Beale on wasm-simd also at T = 20,000) and lanes stopping at the target. With `--peers DIR` the
 * peers (benchPeers.ts) run between our cases, round by round, and the ratios are printed. Medians over rounds
 * after a warm-up; a naive mathjs baseline; the compile latency from text to a ready module.
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
import type { KernelShape } from '../engine/kernel/wasm/kernelPlan';
import { calibrate, SHAPES, type ProgramKind } from '../engine/kernel/wasm/loopShape';
import { SMALLEST_NORMAL, type Backend, type Precision } from '../engine/kernel/types';
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
import {
  PEER_REPS,
  peerFn,
  peerRatios,
  peersDir,
  rateLine,
  ratioLines,
  runPeer,
  type Measured,
  type PeerCase,
  type Ratio,
} from './benchPeers';
import { defineCommand, type OptionTable } from './command';
import { functionOnlyPrecision, integer, JSON_OPTION, precision as precisionOption, PRECISION_OPTION } from './options';
import { UsageError } from './usageError';

const FUNCTIONS = ['beale', 'baiesi_v4', 'rosenbrock'] as const;
const OPTIMIZER = { id: 'h-adam', params: { eta: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 } };
const N = 4096;
const STEPS = 2000;
/** The long run of the issue (per-step cost within 10 % of the short one's). */
const LONG_STEPS = 20_000;
const ROUNDS = 5;
/** The mathjs baseline is ~10⁴× slower: it runs a smaller batch, and says so. */
const BASELINE = { n: 64, steps: 100 };

/** every lane steps all T steps (no lane stops at the target), or lanes stop once f − f* ≤ 1e−4. */
export type Workload = 'all steps' | 'to target';

export interface BenchCase {
  fn: string;
  optimizer: string;
  n: number;
  steps: number;
  backend: string;
  workload: Workload;
  precision: Precision;
  /** Median over rounds. */
  trajStepsPerSec: number;
  /** Each round's rate. */
  rates: number[];
  compileMs: number | null;
}

export interface PeerResult extends PeerCase {
  stepsPerSec: number;
  rates: number[];
}

export interface BenchResult {
  /** The loop shapes the wasm kernels took per kind of program (chosen at first use by measuring: loopShape.ts). */
  calibration: Record<ProgramKind, { shape: string; nsPerLaneStep: Record<string, number> }>;
  cases: BenchCase[];
  peers: PeerResult[];
  ratios: Ratio[];
}

interface OwnCase {
  readonly fn: (typeof FUNCTIONS)[number];
  readonly backend: Backend;
  readonly workload: Workload;
  readonly steps: number;
}

const OWN_CASES: readonly OwnCase[] = [
  ...FUNCTIONS.flatMap((fn) =>
    (['wasm-simd', 'js'] as const).flatMap((backend) =>
      (['all steps', 'to target'] as const).map((workload) => ({ fn, backend, workload, steps: STEPS })),
    ),
  ),
  { fn: 'beale', backend: 'wasm-simd', workload: 'all steps', steps: LONG_STEPS },
];

/** The peers' cases: the hand-written kernel on Beale at both T, the closure on each function at T = 2000. */
const PEER_CASES: readonly PeerCase[] = [
  { impl: 'wasm_beale.js', fn: 'beale', steps: STEPS },
  { impl: 'wasm_beale.js', fn: 'beale', steps: LONG_STEPS },
  ...FUNCTIONS.filter((fn) => peerFn(fn)).map((fn) => ({ impl: 'js_closure.js' as const, fn, steps: STEPS })),
];

declare const performance: { now(): number };

function request(c: OwnCase, n: number, steps: number, precision: Precision): RunRequest {
  return {
    fn: { kind: 'builtin', name: c.fn },
    optimizers: [OPTIMIZER],
    steps,
    targets: [1e-4],
    stopAtTargets: c.workload === 'to target',
    traces: 0,
    backend: c.backend,
    precision,
    starts: { kind: 'random', n, seed: 1, domain: findBuiltin(c.fn)!.domain! },
  };
}

export async function bench(
  options: {
    rounds?: number;
    n?: number;
    /** The steps of the short cases (the long ones take 10× as many). */
    steps?: number;
    /** The peers' folder, checked (peersDir). */
    peers?: string;
    /** The lanes' arithmetic of our cases (the peers are binary64). */
    precision?: Precision;
    log?: (s: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<BenchResult> {
  const rounds = options.rounds ?? ROUNDS;
  const precision = options.precision ?? 'f64';
  const n = options.n ?? N;
  const short = options.steps ?? STEPS;
  const stepsOf = (steps: number) => (steps === STEPS ? short : (steps / STEPS) * short);
  const log = options.log ?? (() => {});
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), size: 1 }, availableParallelism());
  const job = { signal: options.signal };
  const own = OWN_CASES.map((c) => ({ ...c, steps: stepsOf(c.steps), rates: [] as number[] }));
  const peers = options.peers ? PEER_CASES.map((c) => ({ ...c, steps: stepsOf(c.steps), rates: [] as number[] })) : [];
  const ownLabel = (c: OwnCase) =>
    `${c.backend}${precision === 'f32' ? ' (f32)' : ''}${c.workload === 'to target' ? ' (to target)' : ''}`;
  try {
    for (const c of own) await pool.run(request(c, n, Math.min(c.steps, 200), precision), job);
    log(calibrationLine());
    for (let round = 0; round < rounds; round++) {
      // Own cases and peers alternate, so that a slower or busier stretch of the machine hits both; a round's
      // figure is the median of PEER_REPS runs on both sides (a peer's process reports that median).
      for (const c of own) {
        const reps: number[] = [];
        for (let r = 0; r < PEER_REPS; r++) {
          const t = (await pool.run(request(c, n, c.steps, precision), job)).runs[0].timing;
          reps.push(t.laneSteps / t.seconds);
        }
        c.rates.push(median(reps)!);
      }
      for (const p of peers) p.rates.push(await runPeer(options.peers!, p, n, options.signal));
      log(`round ${round + 1} of ${rounds}`);
    }
  } finally {
    await pool.dispose();
  }
  const measured = (label: string, c: { fn: string; steps: number; rates: number[] }): Measured => ({ label, ...c });
  for (const c of own) log(rateLine(measured(ownLabel(c), c)));
  for (const p of peers) log(rateLine(measured(p.impl, p)));
  const cases: BenchCase[] = own.map((c) => ({
    fn: c.fn,
    optimizer: OPTIMIZER.id,
    n,
    steps: c.steps,
    backend: c.backend,
    workload: c.workload,
    precision,
    trajStepsPerSec: median(c.rates)!,
    rates: c.rates,
    compileMs:
      c.backend === 'wasm-simd' && c.steps === short && c.workload === 'all steps'
        ? compileLatency(c.fn, precision)
        : null,
  }));
  for (const fn of FUNCTIONS) {
    const { source, variables, domain } = findBuiltin(fn)!;
    cases.push({
      fn,
      optimizer: OPTIMIZER.id,
      ...BASELINE,
      backend: 'mathjs (baseline)',
      workload: 'to target',
      precision: 'f64',
      trajStepsPerSec: mathjsBaseline(source, variables, domain!),
      rates: [],
      compileMs: null,
    });
  }
  const ratios = peerRatios(
    own.filter((c) => c.workload === 'all steps').map((c) => ({ ...measured(c.backend, c), backend: c.backend })),
    peers.map((p) => ({ ...measured(p.impl, p), impl: p.impl })),
  );
  const calibrated = (kind: ProgramKind) => {
    const { shape, nsPerLaneStep } = calibrate(kind);
    const each = Object.fromEntries(SHAPES.map((s, i) => [shapeName(s), nsPerLaneStep[i]]));
    return { shape: shapeName(shape), nsPerLaneStep: each };
  };
  return {
    calibration: { arithmetic: calibrated('arithmetic'), math: calibrated('math') },
    cases,
    peers: peers.map((p) => ({ ...p, stepsPerSec: median(p.rates)! })),
    ratios,
  };
}

const shapeName = (s: KernelShape) => `${s.layout} W=${s.pairs}`;

/**
 * `loop shapes: arithmetic blocked W=2 (calibration, ns per lane-step: …); math …`. The pool compiles the modules
 * on this thread (and posts them to the workers), so the shapes measured here are those the cases ran.
 */
function calibrationLine(): string {
  const kinds = (['arithmetic', 'math'] as const).map((kind) => {
    const { shape, nsPerLaneStep } = calibrate(kind);
    const each = SHAPES.map((s, i) => `${shapeName(s)} ${nsPerLaneStep[i].toFixed(2)}`).join(', ');
    return `${kind} ${shapeName(shape)} (calibration, ns per lane-step: ${each})`;
  });
  return `loop shapes: ${kinds.join('; ')}`;
}

/** Text → parse → IR → ∇f → step program → a validated, compiled module; median wall time in ms. */
function compileLatency(name: string, precision: Precision, reps = ROUNDS): number {
  const { source, variables } = findBuiltin(name)!;
  const text = `f(${variables.join(', ')}) = ${source}`;
  const times: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const t0 = performance.now();
    const fn = parseExpression(text);
    const program = buildStepProgram(withGradient(fn), getOptimizer('h-adam'), {}, SMALLEST_NORMAL[precision]);
    const kernel = compileKernel(program, 'wasm-simd', precision);
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

export function benchTable(result: BenchResult): string {
  const { cases, peers, ratios } = result;
  const rows = cases.map((c) => {
    const js = cases.find(
      (x) => x.fn === c.fn && x.workload === c.workload && x.steps === c.steps && x.backend === 'js',
    );
    return [
      c.fn,
      c.precision === 'f32' ? `${c.backend} (f32)` : c.backend,
      c.workload,
      `${c.n} × ${c.steps}`,
      num(c.trajStepsPerSec),
      c.rates.length ? num(Math.max(...c.rates)) : '',
      js ? `${(c.trajStepsPerSec / js.trajStepsPerSec).toFixed(2)}×` : '',
      c.compileMs === null ? '' : c.compileMs.toFixed(2),
    ];
  });
  const ours = table(
    ['function', 'backend', 'workload', 'lanes × steps', 'trajectory-steps/s', 'best round', 'vs js', 'compile ms'],
    rows,
  );
  const { arithmetic, math } = result.calibration;
  const shape = `loop shapes of the wasm kernels: ${arithmetic.shape} (arithmetic), ${math.shape} (math calls)`;
  if (!peers.length) return [ours, '', shape].join('\n');
  const theirs = table(
    ['peer', 'function', 'lanes × steps', 'trajectory-steps/s', 'best round'],
    peers.map((p) => [p.impl, p.fn, `${cases[0].n} × ${p.steps}`, num(p.stepsPerSec), num(Math.max(...p.rates))]),
  );
  return [ours, '', theirs, '', ...ratioLines(ratios), '', shape].join('\n');
}

const BENCH_OPTIONS = {
  peers: {
    type: 'string',
    arg: 'DIR',
    help: 'the performance peers’ folder (wasm_beale.js, js_closure.js, datafit/, npm-installed): run them alternately with ours, print ratios',
  },
  rounds: { type: 'string', arg: 'R', help: 'rounds of every case, 1…100 (default 5): medians over rounds' },
} as const satisfies OptionTable;

export const benchCommand = defineCommand({
  name: 'bench',
  synopsis:
    '[--peers DIR] [--rounds R] [--precision P] [--json] | --fn file.cost#model [--opt O,…] [--starts N] [--json]',
  summary:
    'trajectory-steps/s of h-Adam on Beale, V4 and Rosenbrock per backend, against the peers with --peers; compile latency (--fn: a model’s training)',
  options: { ...JSON_OPTION, ...BENCH_OPTIONS, ...PRECISION_OPTION, ...BENCH_DATA_OPTIONS },
  async run(values, io) {
    const { peers, rounds, json, precision, ...rest } = values;
    if (values.fn !== undefined) {
      const own = peers !== undefined ? 'peers' : rounds !== undefined ? 'rounds' : undefined;
      if (own) throw new UsageError(`--${own} is for the function bench, not --fn`);
      functionOnlyPrecision(precision);
      return benchData(rest, !!json, io);
    }
    const given = Object.keys(rest);
    if (given.length) throw new UsageError(`--${given[0]} describes the workload of --fn`);
    const roundCount = integer(rounds, 'rounds', ROUNDS, 1, 100);
    const lanes = precisionOption(precision);
    const dir = peers === undefined ? undefined : peersDir(peers);
    if (dir !== undefined) checkDatafitPeer(dir);
    const log = json ? undefined : (s: string) => io.err(s);
    const result = await bench({
      rounds: roundCount,
      peers: dir,
      precision: lanes,
      log,
      signal: io.signal,
    });
    // Then the data-fit peers' workload on both data kernels, the peers' JS figure beside it with --peers.
    const datafit = await benchDatafit({ peers: dir, log });
    await io.out(json ? JSON.stringify({ ...result, datafit }) : `${benchTable(result)}\n\n${datafitTable(datafit)}`);
  },
});
