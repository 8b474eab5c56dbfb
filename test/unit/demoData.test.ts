/**
 * The demo's data experiments at a reduced size (4 and 2 starts, 2 epochs), on real worker threads: their shapes;
 * Sprunger §3's per-epoch test distance against the plain implementation of datafitPlain.ts; the Rosetta stone of
 * the report (Fig. 6a–c) recomputed with DATA-CONVENTIONS' formulas from traced iterates; the Powerball heat maps'
 * layout, and γ = 1 equal to plain SGD and SGD with momentum bit for bit.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runDense, denseClaims, denseConfigs, type DenseResult } from '../../src/cli/demoDense';
import { finalAccuracy, powerballCell, runPowerball, type PowerballResult } from '../../src/cli/demoPowerball';
import { exampleModel } from '../../src/cli/demoProtocol';
import { denseSection, powerballSection } from '../../src/cli/demoReport';
import { POWERBALL, SPRUNGER_DENSE } from '../../src/engine/library/papers';
import { runData } from '../../src/engine/run/dataRunner';
import { sweepData } from '../../src/engine/run/dataSweep';
import { WorkerPool } from '../../src/engine/run/pool/workerPool';
import { elementwise, teacherRows } from './datafitEngine';
import {
  denseLayer,
  fisherYates,
  mix,
  mulberry32,
  plainOptimizers,
  plainSplit,
  plainStarts,
  plainTrain,
  type PlainOptimizer,
} from './datafitPlain';

const N = 4;
const EPOCHS = 2;
const STEPS = EPOCHS * 100;
const DENSE_PARAMS = [
  { size: 40, init: ['uniform', -0.5, 0.5] as ['uniform', number, number] },
  { size: 4, init: ['zeros'] as ['zeros'] },
];

let pool: WorkerPool;
let dense: DenseResult;
let powerball: PowerballResult;

before(async () => {
  pool = new WorkerPool({ workerScript: join(__dirname, '../../dist/worker.js'), size: 2 });
  dense = await runDense(pool, 'js', { starts: N, epochs: EPOCHS });
  powerball = await runPowerball(pool, 'js', { starts: 2, epochs: EPOCHS });
});
after(() => pool.dispose());

const meanOf = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const rows = teacherRows();
const { train, test: testRows } = plainSplit(rows.length, 100);

test('Sprunger §3: one sweep per family over its grid, every start of every cell, epochs 0…E, lane-steps counted', () => {
  assert.equal(dense.families.length, SPRUNGER_DENSE.families.length);
  let lanes = 0;
  dense.families.forEach(({ family, sweep }) => {
    assert.equal(sweep.cells.length, family.optimizers.length * family.grid.values.length, family.title);
    for (const cell of sweep.cells) {
      assert.equal(cell.n, N);
      assert.equal(cell.diverged, 0);
      assert.deepEqual(cell.epochs.step, [0, 100, 200]);
      assert.equal(cell.epochs.metrics[SPRUNGER_DENSE.metric].mean.length, EPOCHS + 1);
      lanes += cell.n;
    }
  });
  // A lane runs steps 0…T (T updates, T + 1 evaluations of the loss).
  assert.equal(dense.timing.laneSteps, lanes * (STEPS + 1));
  assert.equal(denseConfigs(dense).length, lanes / N);
  assert.deepEqual(
    denseClaims(dense).map((c) => c.where),
    SPRUNGER_DENSE.claims.map((c) => c.where),
  );
});

test("Sprunger §3: the demo's mean test distance per epoch is the plain implementation's, start by start drawn as DATA-CONVENTIONS says", () => {
  const starts = plainStarts(DENSE_PARAMS, SPRUNGER_DENSE.seed, N);
  const checks: [string, number, () => PlainOptimizer][] = [
    ['GD (μ = 0)', 0.1, () => plainOptimizers.gd(0.1)],
    ['Momentum μ = 0.9', 0.01, () => plainOptimizers.momentum(0.01, 0.9)],
    ['Adam', 0.003, () => plainOptimizers.adam(0.003)],
    ['NaSGD', 0.7, () => plainOptimizers.nasgd(0.7)],
  ];
  for (const [family, value, optimizer] of checks) {
    const config = denseConfigs(dense).find((c) => c.family.title === family && c.value === value)!;
    const plain = starts.map((theta0, r) =>
      plainTrain({
        model: denseLayer,
        rows,
        train,
        test: testRows,
        batch: 1,
        shuffle: 'epoch',
        seed: SPRUNGER_DENSE.seed,
        start: r,
        theta0,
        steps: STEPS,
        optimizer: optimizer(),
      }),
    );
    const expected = Array.from({ length: EPOCHS + 1 }, (_, e) => meanOf(plain.map((p) => p.epochMetric[e])));
    const ours = config.cell.epochs.metrics[SPRUNGER_DENSE.metric].mean;
    assert.ok(elementwise(ours, expected) <= 1e-12, `${config.label}: ${ours} against ${expected}`);
  }
});

/** Start r's training rows of step k: the epoch's Fisher–Yates shuffle of stream mulberry32(mix(seed, r) ^ 0x6A09E667). */
function batchRow(seed: number, start: number, k: number): number[] {
  const order = mulberry32((mix(seed, start) ^ 0x6a09e667) >>> 0);
  let perm: number[] = [];
  for (let e = 0; e <= Math.floor(k / 100); e++)
    perm = fisherYates(
      Array.from({ length: 100 }, (_, i) => i),
      order,
    );
  return rows[train[perm[k % 100]]];
}

test('the Rosetta stone of the report (Fig. 6a–c): η_eq and α_eq from traced iterates by DATA-CONVENTIONS, the fading by α_eq > 2', () => {
  const { problem } = exampleModel(SPRUNGER_DENSE.model);
  const etas = [0.1, 0.3];
  // A cell equals a run of its configuration: these runs trace every iterate of every start.
  const traced = runData({
    problem,
    optimizers: [
      { id: 'nasgd', params: { alpha: SPRUNGER_DENSE.rosettaAlpha } },
      ...etas.map((eta) => ({ id: 'gd', params: { eta } })),
    ],
    starts: { kind: 'draw', n: N },
    seed: SPRUNGER_DENSE.seed,
    steps: STEPS,
    targets: [],
    traces: N,
    maxPoints: STEPS + 1,
    backend: 'js',
  });
  /** Mean over starts of a quantity of the update from θₖ (traced), fB and gB by the plain layer. */
  const meanAt = (run: number, k: number, q: (fB: number, norm2: number) => number) =>
    meanOf(
      traced.runs[run].traces.map((t, r) => {
        const theta = t.points[k].theta;
        const row = batchRow(SPRUNGER_DENSE.seed, r, k);
        const g = denseLayer.grad(theta, row);
        return q(
          denseLayer.loss(theta, row),
          g.reduce((s, x) => s + x * x, 0),
        );
      }),
    );
  const section = denseSection(dense);
  const eta = section.rosetta.etaEq.series[0];
  const alpha = SPRUNGER_DENSE.rosettaAlpha;
  eta.steps.forEach((k, i) => {
    if (k === STEPS) return assert.equal(eta.mean[i], null, 'no update at k = T');
    const expected = meanAt(0, k, (fB, n2) => Math.min(1, (alpha * fB) / n2));
    // s = θₖ₊₁ − θₖ is rounded: agreement to the rounding of a step against θ.
    assert.ok(elementwise([eta.mean[i]!], [expected]) <= 1e-9, `η_eq at step ${k}: ${eta.mean[i]} against ${expected}`);
  });
  const gdValues = SPRUNGER_DENSE.families[0].grid.values;
  etas.forEach((g, j) => {
    const index = gdValues.indexOf(g);
    const series = section.rosetta.alphaEq.series[index];
    const progress = section.rosetta.progress.series[index];
    const expected = new Map<number, number>();
    series.steps.forEach((k, i) => {
      if (k === STEPS) return;
      expected.set(
        k,
        meanAt(1 + j, k, (fB, n2) => (g * n2) / fB),
      );
      assert.ok(elementwise([series.mean[i]!], [expected.get(k)!]) <= 1e-9, `α_eq of GD η = ${g} at step ${k}`);
    });
    // Fig. 6c: a test-distance point is faded when the mean α_eq of the last update recorded at or before it > 2.
    progress.steps.forEach((k, i) => {
      const last = Math.max(...[...expected.keys()].filter((s) => s <= k));
      assert.equal(progress.faded![i], expected.get(last)! > SPRUNGER_DENSE.alphaLimit, `η = ${g}, step ${k}`);
    });
  });
  assert.ok(
    section.rosetta.progress.series[gdValues.indexOf(0.3)].faded!.some((f) => f),
    'GD η = 0.3 steps with α_eq > 2',
  );
});

test('Powerball: the γ × η heat maps hold the median final accuracy of each cell, rows γ ascending, the γ = 1 row marked', () => {
  assert.equal(
    powerball.sweep.cells.length,
    POWERBALL.optimizers.length * POWERBALL.etas.length * POWERBALL.gammas.length,
  );
  const section = powerballSection(powerball);
  POWERBALL.optimizers.forEach(({ id }, m) => {
    const map = section.heatmaps[m];
    const etas = [...POWERBALL.etas].sort((a, b) => a - b);
    const gammas = [...POWERBALL.gammas].sort((a, b) => a - b);
    assert.deepEqual(map.xAxis.values, etas);
    assert.deepEqual(map.yAxis.values, gammas);
    assert.equal(map.markRow, gammas.indexOf(1));
    gammas.forEach((g, j) =>
      etas.forEach((eta, i) =>
        assert.equal(map.values[j * etas.length + i], finalAccuracy(powerballCell(powerball, id, eta, g))),
      ),
    );
  });
  assert.equal(section.early.charts[0].series.length, POWERBALL.gammas.length);
  for (const s of section.early.charts[0].series) assert.deepEqual(s.steps, [0, 40, 80]);
});

test('Powerball: γ = 1 is plain SGD and SGD with momentum 0.9, bit for bit, cell by cell', () => {
  const { problem } = exampleModel(POWERBALL.model);
  const plain = sweepData({
    problem,
    optimizers: [
      { id: 'gd', params: {} },
      { id: 'momentum', params: { beta: 0.9 } },
    ],
    grid: [{ name: 'eta', values: POWERBALL.etas }],
    starts: { kind: 'draw', n: 2 },
    seed: POWERBALL.seed,
    steps: EPOCHS * 40,
    targets: [],
    backend: 'js',
  });
  for (const [pb, id] of [
    ['pbsgd', 'gd'],
    ['pbsgdm', 'momentum'],
  ]) {
    for (const eta of POWERBALL.etas) {
      const ours = powerballCell(powerball, pb, eta, 1);
      const reference = plain.cells.find((c) => c.optimizer === id && c.params.eta === eta)!;
      assert.deepEqual(
        ours.final.map((f) => f.theta),
        reference.final.map((f) => f.theta),
        `${pb} η = ${eta}`,
      );
      assert.deepEqual(ours.epochs, reference.epochs);
      assert.deepEqual(ours.curves, reference.curves);
    }
  }
});
