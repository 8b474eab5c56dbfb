/**
 * The loop shape of this machine's kernels, chosen by measuring at first use and kept for the process. Which
 * shape runs fastest depends on the processor (an Intel Xeon ran the locals layout 1.4× faster with W = 2 than
 * with 4; other cores prefer the blocked layout): each candidate kernel of a small fixed program (Beale, h-Adam)
 * runs until V8 has tiered it up to optimized code, then the candidates run in turn, and the one with the fastest
 * run wins: the minimum over rounds, the run no other process interrupted (a median still moves by 2× on a shared
 * 2-core machine, and picked W = 1 or W = 2 from one process to the next).
 * Programs that call the vector math library (log, sin, cosh…) are calibrated apart, on V4 (Baiesi 2019): a call is
 * a long stretch of independent work, and there W = 4 ran 8–10 % faster than the W = 2 that Beale takes.
 * Every shape gives the same bits (the tests compare each with the JS backend), so the choice changes only speed.
 */
import { parseExpression } from '../../expr/costParser';
import { getOptimizer } from '../../optim/registry';
import { buildStepProgram, initialState, withGradient, type StepProgram } from '../../program/stepProgram';
import { resetProgress, type KernelSession } from '../types';
import type { KernelShape } from './kernelPlan';
import { compileWasm } from './wasmBackend';

/** The candidates, in order of preference on a tie. */
export const SHAPES: readonly KernelShape[] = [
  { layout: 'blocked', pairs: 1 },
  { layout: 'blocked', pairs: 2 },
  { layout: 'blocked', pairs: 4 },
  { layout: 'locals', pairs: 2 },
  { layout: 'locals', pairs: 4 },
];

export interface Calibration {
  readonly shape: KernelShape;
  /** Fastest ns per lane-step of each candidate over the rounds, in SHAPES order. */
  readonly nsPerLaneStep: readonly number[];
  /** Wall time of the whole calibration. */
  readonly ms: number;
}

const LANES = 256;
/** Steps per timed call: about 0.3 ms at 10 ns per lane-step, short enough to slip between preemptions. */
const STEPS = 128;
const ROUNDS = 7;
/** Tier-up ends when every candidate's last calls agree this well, or after TIER_UP_MS. */
const STABLE = 1.15;
const TIER_UP_MS = 200;

declare const performance: { now(): number };

/** Programs with arithmetic only, and programs that call vector math functions. */
export type ProgramKind = 'arithmetic' | 'math';

/** The calibration program of each kind, with its start box. */
const COSTS: Record<ProgramKind, { readonly text: string; readonly box: number }> = {
  arithmetic: { text: 'f(x, y) = (x*y^3 - x + 2.625)^2 + (x*y^2 - x + 2.25)^2 + (x*y - x + 1.5)^2', box: 4 },
  math: { text: 'f(x, y) = log((3*x + y)^2 + 1) + cosh(4*sin((pi/2)*(3*x + y)) + x - 3*y) - 1', box: 2 },
};

const ARITHMETIC = new Set(['neg', 'abs', 'sign', 'sqrt', 'not']);

/**
 * 'math' when a step calls the vector math library: a unary function but neg, abs, sign, √ and not, or atan2 and
 * hypot (pow is mostly the power transform's, whose H = ½ and 1 take no call: it does not count).
 */
export function programKind(program: StepProgram): ProgramKind {
  const calls = program.graph.nodes.some(
    (n) =>
      (n.kind === 'unary' && !ARITHMETIC.has(n.op)) || (n.kind === 'binary' && (n.op === 'atan2' || n.op === 'hypot')),
  );
  return calls ? 'math' : 'arithmetic';
}

const calibrations = new Map<ProgramKind, Calibration>();

/** The shape measured fastest here for programs of this one's kind (measured once per kind and process). */
export function kernelShape(program: StepProgram): KernelShape {
  return calibrate(programKind(program)).shape;
}

export function calibrate(kind: ProgramKind = 'arithmetic'): Calibration {
  let c = calibrations.get(kind);
  if (!c) calibrations.set(kind, (c = measure(kind)));
  return c;
}

function measure(kind: ProgramKind): Calibration {
  const t0 = performance.now();
  const sessions = SHAPES.map((shape) => calibrationSession(shape, COSTS[kind]));
  let step = 0;
  const timeOf = (s: KernelSession) => {
    const a = performance.now();
    s.run({ steps: 1e9, fromStep: step, toStep: step + STEPS, fStar: 0, stopAtTargets: false });
    return (performance.now() - a) / (LANES * STEPS);
  };
  // Liftoff code first: run every candidate until V8's optimized code takes over and its times settle.
  const recent = SHAPES.map(() => [Infinity, Infinity, Infinity]);
  for (let settled = false; !settled && performance.now() - t0 < TIER_UP_MS; step += STEPS) {
    sessions.forEach((s, c) => {
      recent[c].shift();
      recent[c].push(timeOf(s));
    });
    settled = recent.every((r) => Math.max(...r) <= STABLE * Math.min(...r));
  }
  const times = SHAPES.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++, step += STEPS) sessions.forEach((s, c) => times[c].push(timeOf(s)));
  const fastest = times.map((t) => Math.min(...t) * 1e6);
  const best = fastest.indexOf(Math.min(...fastest));
  return { shape: SHAPES[best], nsPerLaneStep: fastest, ms: performance.now() - t0 };
}

function calibrationSession(shape: KernelShape, { text, box }: (typeof COSTS)[ProgramKind]): KernelSession {
  const cost = parseExpression(text);
  const program = buildStepProgram(withGradient(cost), getOptimizer('h-adam'));
  const params: Record<string, number> = { eta: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 };
  const s = compileWasm(program, shape).prepare({ n: LANES, targetCount: 1, recordCount: 0, traceSlots: 0 });
  const { stride } = s.batch;
  const state = initialState(program, params).flat();
  for (let lane = 0; lane < LANES; lane++) {
    // starts spread over the domain, where steps keep moving
    s.batch.theta[lane] = box * (-1 + (2 * lane) / LANES);
    s.batch.theta[stride + lane] = box * (1 - (1.75 * ((lane * 37) % LANES)) / LANES);
    state.forEach((v, c) => (s.batch.state[c * stride + lane] = v));
    program.params.forEach(({ spec }, c) => (s.batch.params[c * stride + lane] = params[spec.name]));
  }
  s.targets.set([1e-300]);
  s.traceSlot.fill(-1);
  resetProgress(s.progress, s.batch.theta);
  return s;
}
