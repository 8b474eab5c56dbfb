/** Engine side of the data-fit tests: a `.cost` model trained by the engine, read back lane by lane, every step. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../src/engine/data';
import type { OptimizerConfig } from '../../src/engine/optim/types';
import { executeDataHere } from '../../src/engine/run/dataLanes';
import { modelProblem, type PlanOverrides } from '../../src/engine/run/dataProblem';
import { planDataRun, type DataRunSpec } from '../../src/engine/run/dataRunner';
import { memoryData, parseWith } from './modelHarness';

/** The peers' teacher.csv (test/fixtures), read plainly. */
export function teacherRows(): number[][] {
  const lines = readFileSync(join(__dirname, '../fixtures/teacher.csv'), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => line.split(',').map(Number));
}

export const teacherData = (): Dataset =>
  memoryData([...Array.from({ length: 10 }, (_, k) => `x${k + 1}`), 'y1', 'y2', 'y3', 'y4'], teacherRows());

export function modelFrom(text: string, files: Record<string, Dataset>, overrides: PlanOverrides = {}) {
  const parsed = parseWith(text, files);
  assert.deepEqual(parsed.errors, []);
  return modelProblem(parsed.models[0], overrides);
}

export interface EngineLane {
  theta: number[][];
  F: number[];
  fB: number[];
  epochMetric: number[];
}

/** Every iterate of every start of one optimizer: traces of all lanes, every step recorded. */
export function engineLanes(
  problem: DataRunSpec['problem'],
  optimizer: OptimizerConfig,
  options: { starts: DataRunSpec['starts']; seed: number; steps: number },
): EngineLane[] {
  const plan = planDataRun({
    problem,
    optimizers: [optimizer],
    starts: options.starts,
    seed: options.seed,
    steps: options.steps,
    targets: [],
    traces: 1_000,
    maxPoints: options.steps + 1,
    backend: 'js',
  });
  const [out] = executeDataHere(problem, plan.optimizers, 'js');
  const { n, dim } = out;
  const R = plan.recordSteps.length;
  assert.equal(R, options.steps + 1);
  return Array.from({ length: n }, (_, lane) => {
    const at = (r: number) => (lane * R + r) * (dim + 1);
    return {
      theta: Array.from({ length: R }, (_, r) => Array.from(out.trace.subarray(at(r), at(r) + dim))),
      F: Array.from({ length: R }, (_, r) => out.trace[at(r) + dim]),
      fB: Array.from({ length: R - 1 }, (_, r) => out.minibatch[r * n + lane]),
      epochMetric: Array.from({ length: out.epochCount }, (_, e) => out.epochMetrics[e * out.metricCount * n + lane]),
    };
  });
}

/** ‖a − b‖∞ / ‖b‖∞ (0 when both are 0). */
export function relative(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return diff === 0 ? 0 : diff / size;
}

/** The largest |aᵢ − bᵢ| / |bᵢ| (0 where they are equal). */
export function elementwise(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(0, ...a.map((x, i) => (x === b[i] ? 0 : Math.abs(x - b[i]) / Math.abs(b[i]))));
}

/**
 * The largest relative difference over a lane's iterates (each θₖ as a vector), training losses, minibatch
 * losses and epoch metrics (each number on its own).
 */
export function agreement(
  engine: EngineLane,
  plain: { theta: number[][]; F: number[]; fB: number[]; epochMetric: number[] },
) {
  assert.equal(engine.theta.length, plain.theta.length);
  return Math.max(
    ...engine.theta.map((t, k) => relative(t, plain.theta[k])),
    elementwise(engine.F, plain.F),
    elementwise(engine.fB, plain.fB),
    elementwise(engine.epochMetric, plain.epochMetric),
  );
}
