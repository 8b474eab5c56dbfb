/**
 * Data runs as a whole: targets and divergence on F, per-epoch metrics over starts, the Rosetta stone, a sweep
 * cell against a single run, the kernel's size against rows and batch size, and the limits (2,000 parameters,
 * 10⁵ rows × 100 columns). References are the plain implementation of datafitPlain.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataKernelSource } from '../../src/engine/kernel/jsDataSource';
import { getOptimizer } from '../../src/engine/optim/registry';
import type { OptimizerConfig } from '../../src/engine/optim/types';
import { buildDataStepProgram } from '../../src/engine/program/dataProgram';
import { runData } from '../../src/engine/run/dataRunner';
import { sweepData } from '../../src/engine/run/dataSweep';
import { quantileSorted } from '../../src/engine/run/statistics';
import { elementwise, modelFrom, teacherData, teacherRows } from './datafitEngine';
import { denseLayer, plainOptimizers, plainSplit, plainStarts, plainTrain, type PlainOptimizer } from './datafitPlain';
import { memoryData } from './modelHarness';

const DENSE = (lines = '@batch 1') => `
@data "teacher.csv"
@split 100 ordered
x = row[1:10]
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)
@param b 4 zeros
dense(W, b) = sum((tanh(W*x + b) - y).^2)
${lines}
@metric distance = norm(tanh(W*x + b) - y)
`;
const files = () => ({ 'teacher.csv': teacherData() });
const DENSE_PARAMS = [
  { size: 40, init: ['uniform', -0.5, 0.5] as ['uniform', number, number] },
  { size: 4, init: ['zeros'] as ['zeros'] },
];

function plainDense(start: number, theta0: number[], steps: number, optimizer: PlainOptimizer, seed = 1, batch = 1) {
  const rows = teacherRows();
  return plainTrain({
    model: denseLayer,
    rows,
    ...plainSplit(rows.length, 100),
    batch,
    shuffle: 'epoch',
    seed,
    start,
    theta0,
    steps,
    optimizer,
  });
}

const sortedQuantile = (values: number[], q: number) =>
  quantileSorted(
    [...values].sort((a, b) => a - b),
    q,
  );

test('targets are first hits of F − f* ≤ τ at every step (F over the training split), as the plain run finds them', () => {
  const problem = modelFrom(DENSE(), files());
  const targets = [0.5, 0.1, 0.02];
  const N = 4;
  const result = runData({
    problem,
    optimizers: [{ id: 'gd', params: { eta: 0.1 } }],
    starts: { kind: 'draw', n: N },
    seed: 2,
    steps: 300,
    targets,
    backend: 'js',
  });
  const starts = plainStarts(DENSE_PARAMS, 2, N);
  const plain = starts.map((s, r) => plainDense(r, s, 300, plainOptimizers.gd(0.1), 2));
  targets.forEach((tau) => {
    const expected = plain.map((p) => {
      const k = p.F.findIndex((f) => f <= tau);
      return k >= 0 ? k : null;
    });
    assert.deepEqual(result.runs[0].stepsToTarget[String(tau)].perLane, expected, `τ = ${tau}`);
  });
  assert.ok(result.runs[0].stepsToTarget['0.1'].reached > 0, 'some lanes reach 0.1');
});

test('divergence: a lane stops at the first k with |θᵢ| > 1e10 or F non-finite, and counts as +∞ in F', () => {
  // A linear layer, ℓ = Σⱼ (Wⱼ·x + bⱼ − yⱼ)², ∂ℓ/∂Wⱼₖ = 2rⱼxₖ: full-batch GD with η = 10 grows without bound.
  const linear = {
    loss: (t: readonly number[], row: readonly number[]) =>
      [0, 1, 2, 3].reduce((s, j) => s + residual(t, row, j) ** 2, 0),
    grad: (t: readonly number[], row: readonly number[]) => {
      const g = new Array<number>(44).fill(0);
      for (let j = 0; j < 4; j++) {
        const r = 2 * residual(t, row, j);
        for (let k = 0; k < 10; k++) g[j * 10 + k] = r * row[k];
        g[40 + j] = r;
      }
      return g;
    },
  };
  const text = DENSE('').replace('sum((tanh(W*x + b) - y).^2)', 'sum((W*x + b - y).^2)');
  const result = runData({
    problem: modelFrom(text, files()),
    optimizers: [{ id: 'gd', params: { eta: 10 } }],
    starts: { kind: 'draw', n: 3 },
    seed: 1,
    steps: 50,
    targets: [],
    backend: 'js',
  });
  const starts = plainStarts(DENSE_PARAMS, 1, 3);
  const run = result.runs[0];
  assert.equal(run.diverged, 3);
  const rows = teacherRows();
  starts.forEach((s, r) => {
    const p = plainTrain({
      model: linear,
      rows,
      ...plainSplit(rows.length, 100),
      shuffle: 'epoch',
      seed: 1,
      start: r,
      theta0: s,
      steps: 50,
      optimizer: plainOptimizers.gd(10),
    });
    const k = p.theta.findIndex((t, i) => !(Math.abs(p.F[i]) < Infinity) || t.some((x) => !(Math.abs(x) <= 1e10)));
    assert.ok(k > 0);
    assert.equal(run.final[r].divergedAt, k, `start ${r}`);
    assert.equal(run.final[r].steps, k);
  });
  assert.equal(run.curves.median.at(-1), Infinity);
  assert.equal(run.epochs.loss.median.at(-1), Infinity);
});

function residual(t: readonly number[], row: readonly number[], j: number): number {
  let z = 0;
  for (let k = 0; k < 10; k++) z += t[j * 10 + k] * row[k];
  return z + t[40 + j] - row[10 + j];
}

test('per epoch: F and the test distance of every start, summarized by median, quartiles and mean', () => {
  const problem = modelFrom(DENSE('@batch 10\n@epochs 6'), files());
  const N = 5;
  const optimizers: OptimizerConfig[] = [
    { id: 'nasgd', params: { alpha: 0.7 } },
    { id: 'momentum', params: { eta: 0.05, beta: 0.5 } },
  ];
  const result = runData({ problem, optimizers, starts: { kind: 'draw', n: N }, seed: 3, steps: 60, targets: [] });
  const starts = plainStarts(DENSE_PARAMS, 3, N);
  const plains = [() => plainOptimizers.nasgd(0.7), () => plainOptimizers.momentum(0.05, 0.5)];
  result.runs.forEach((run, i) => {
    const plain = starts.map((s, r) => plainDense(r, s, 60, plains[i](), 3, 10));
    assert.deepEqual(run.epochs.epoch, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(run.epochs.step, [0, 10, 20, 30, 40, 50, 60]);
    run.epochs.step.forEach((k, e) => {
      const F = plain.map((p) => p.F[k]);
      const distance = plain.map((p) => p.epochMetric[e]);
      const tol = 1e-12;
      assert.ok(elementwise([run.epochs.loss.median[e]], [sortedQuantile(F, 0.5)]) <= tol);
      assert.ok(elementwise([run.epochs.loss.q1[e]], [sortedQuantile(F, 0.25)]) <= tol);
      assert.ok(elementwise([run.epochs.metrics.distance.q3[e]], [sortedQuantile(distance, 0.75)]) <= tol);
      const mean = distance.reduce((s, d) => s + d, 0) / N;
      assert.ok(elementwise([run.epochs.metrics.distance.mean[e]], [mean]) <= tol);
    });
    // The training loss is recorded at every epoch end among the recorded steps.
    for (const k of run.epochs.step) assert.ok(run.curves.steps.includes(k));
  });
});

test('Rosetta stone: NaSGD’s η_eq is min(1, α fB/‖gB‖²) and GD’s α_eq is η‖gB‖²/fB, mean over starts', () => {
  const problem = modelFrom(DENSE(), files());
  const N = 6;
  const steps = 200;
  const result = runData({
    problem,
    optimizers: [
      { id: 'nasgd', params: { alpha: 0.7 } },
      { id: 'gd', params: { eta: 0.05 } },
    ],
    starts: { kind: 'draw', n: N },
    seed: 4,
    steps,
    targets: [],
    maxPoints: steps + 1,
  });
  const starts = plainStarts(DENSE_PARAMS, 4, N);
  const norm2 = (g: number[]) => g.reduce((s, x) => s + x * x, 0);
  const nasgd = starts.map((s, r) => plainDense(r, s, steps, plainOptimizers.nasgd(0.7), 4));
  const gd = starts.map((s, r) => plainDense(r, s, steps, plainOptimizers.gd(0.05), 4));
  const [nRun, gRun] = result.runs;
  assert.deepEqual(
    nRun.curves.steps,
    Array.from({ length: steps + 1 }, (_, k) => k),
  );
  for (let k = 0; k < steps; k++) {
    const eta = nasgd.map((p) => Math.min(1, (0.7 * p.fB[k]) / norm2(p.gB[k])));
    const alpha = gd.map((p) => (0.05 * norm2(p.gB[k])) / p.fB[k]);
    const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    // s = θₖ₊₁ − θₖ is rounded: agreement to the rounding of a step against θ.
    assert.ok(elementwise([nRun.rosetta.etaEq.mean[k]], [meanOf(eta)]) <= 1e-9, `η_eq at ${k}`);
    assert.ok(elementwise([gRun.rosetta.alphaEq.median[k]], [sortedQuantile(alpha, 0.5)]) <= 1e-9, `α_eq at ${k}`);
    assert.ok(elementwise([nRun.minibatch.mean[k]], [meanOf(nasgd.map((p) => p.fB[k]))]) <= 1e-12);
  }
  assert.ok(Number.isNaN(nRun.rosetta.etaEq.mean[steps]), 'no update at k = T');
});

test('a sweep cell equals a single run of its configuration', () => {
  const problem = modelFrom(DENSE('@batch 3\n@noise 0.01'), files());
  const common = { problem, starts: { kind: 'draw' as const, n: 3 }, seed: 9, steps: 90, targets: [0.3] };
  const swept = sweepData({
    ...common,
    optimizers: [
      { id: 'momentum', params: { beta: 0.5 } },
      { id: 'nasgd', params: {} },
    ],
    grid: [
      { name: 'eta', values: [0.01, 0.1] },
      { name: 'alpha', values: [0.5, 1] },
    ],
  });
  assert.equal(swept.cells.length, 4);
  for (const cell of swept.cells) {
    const single = runData({ ...common, optimizers: [{ id: cell.optimizer, params: cell.params }], traces: 0 });
    const strip = (r: object) => ({ ...r, timing: null });
    assert.deepEqual(strip(cell), strip(single.runs[0]), `${cell.optimizer} ${JSON.stringify(cell.params)}`);
  }
});

test('the data kernel’s code depends on the model, not on the rows or the batch size', () => {
  const sources = [
    ['@batch 1', 200],
    ['@batch 7', 200],
    ['', 200],
    ['@batch 1', 2000],
  ].map(([batch, rows]) => {
    const data = memoryData(
      teacherData().columns,
      Array.from({ length: rows as number }, (_, i) => teacherRows()[i % 200]),
    );
    const problem = modelFrom(DENSE(batch as string), { 'teacher.csv': data });
    return dataKernelSource(buildDataStepProgram(problem.row, getOptimizer('adam')));
  });
  for (const s of sources) assert.equal(s, sources[0]);
});

function wideData(rows: number) {
  const width = 100;
  const values = new Float64Array(rows * width);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return { name: 'wide.csv', columns: Array.from({ length: width }, (_, j) => `c${j + 1}`), rows, values };
}

test('limits: a model of 2,160 parameters compiles and trains', () => {
  const text = `
@data "wide.csv"
@split 0.9 seed 1
x = row[1:70]
y = row[71:100]
@param W 30x70 normal(0, 0.01)
@param b 30 zeros
@param a 30 ones
wide(W, b, a) = sum((a .* tanh(W*x + b) - y).^2)
@batch 8
@metric err = norm(a .* tanh(W*x + b) - y)
`;
  const t0 = performance.now();
  const problem = modelFrom(text, { 'wide.csv': wideData(1000) });
  const result = runData({
    problem,
    optimizers: [{ id: 'adam', params: { eta: 1e-3 } }],
    starts: { kind: 'draw', n: 2 },
    seed: 1,
    steps: 20,
    targets: [],
    maxPoints: 2,
  });
  console.log(`2,160 parameters: text to 20 steps of 2 lanes in ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(problem.variables.length, 2160);
  const run = result.runs[0];
  assert.equal(run.diverged, 0);
  assert.ok(run.curves.median.at(-1)! < run.curves.median[0], 'Adam lowers the training loss');
  assert.equal(run.epochs.metrics.err.median.length, 1);
});

test('limits: 10⁵ rows × 100 columns, every column read, F over every row', () => {
  const text = `
@data "wide.csv"
x = row[1:99]
y = row.c100
@param w 99 zeros
@param c 1 zeros
linear(w, c) = (dot(w, x) + c - y)^2
@batch 1000
`;
  const problem = modelFrom(text, { 'wide.csv': wideData(100_000) });
  assert.equal(problem.trainRows, 100_000);
  const result = runData({
    problem,
    optimizers: [{ id: 'gd', params: { eta: 1e-3 } }],
    starts: { kind: 'draw', n: 1 },
    seed: 1,
    steps: 5,
    targets: [],
  });
  const run = result.runs[0];
  // An epoch is 100 updates: F at k = 0 (the first epoch end) and k = T.
  assert.deepEqual(run.curves.steps, [0, 5]);
  assert.ok(run.curves.median[1] < run.curves.median[0], 'GD lowers the training loss');
});
