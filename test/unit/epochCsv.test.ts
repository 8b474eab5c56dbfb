/**
 * The per-epoch CSV of a model run: a row per configuration, start and epoch, whose training loss is F at that
 * epoch's θ — checked against F written plainly from the run's traced iterates — and whose metric is the test
 * accuracy counted plainly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelProblem } from '../../src/engine/run/dataProblem';
import { runData } from '../../src/engine/run/dataRunner';
import { epochCsv } from '../../src/present/epochCsv';
import { parseWith } from './modelHarness';

test('per-epoch CSV: F and the test accuracy of every start at every epoch, as computed plainly from θ', () => {
  const parsed = parseWith(`@data circle(noise=0.1)
@split 0.8 seed 1
x = [row.x1, row.x2]
y = row.label
@param w 2 uniform(-1, 1)
@param c 1 zeros
logistic(w, c) = softplus(-y * (dot(w, x) + c))
@batch 50
@metric accuracy = y * (dot(w, x) + c) > 0
`);
  assert.deepEqual(parsed.errors, []);
  const problem = modelProblem(parsed.models[0]);
  const nb = 8;
  const result = runData({
    problem,
    optimizers: [
      { id: 'gd', params: { eta: 0.05 } },
      { id: 'nasgd', params: { alpha: 0.5 } },
    ],
    starts: { kind: 'draw', n: 3 },
    seed: 11,
    steps: 3 * nb,
    targets: [],
    traces: 3,
  });
  const lines = epochCsv(result).trim().split('\n');
  const head = lines[0].split(',');
  assert.deepEqual(head, [
    'configuration',
    'optimizer',
    'eta',
    'alpha',
    'L',
    'clip',
    'start',
    'epoch',
    'step',
    'training_loss',
    'accuracy',
  ]);
  assert.equal(lines.length, 1 + 2 * 3 * 4, 'two configurations × three starts × epochs 0…3');
  const { values } = parsed.models[0].data.dataset;
  const at = (r: number, j: number) => values[r * 3 + j];
  const f = (t: readonly number[], r: number) => t[0] * at(r, 0) + t[1] * at(r, 1) + t[2];
  const train = Array.from(problem.rows.train);
  const test_ = Array.from(problem.rows.metricRows);
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const [configuration, optimizer] = cells;
    const [start, epoch, step, loss, accuracy] = cells.slice(6).map(Number);
    const run = result.runs.find((r) => r.optimizer === optimizer)!;
    assert.match(configuration, optimizer === 'gd' ? /^gd:eta=0\.05$/ : /^nasgd:alpha=0\.5:/);
    assert.equal(step, epoch * nb);
    const theta = run.traces[start].points.find((p) => p.step === step)!.theta;
    const F = train.reduce((s, r) => s + Math.log1p(Math.exp(-at(r, 2) * f(theta, r))), 0) / train.length;
    assert.ok(Math.abs(loss - F) <= 1e-12 * F, `${configuration} start ${start} epoch ${epoch}: ${loss} against ${F}`);
    const right = test_.filter((r) => at(r, 2) * f(theta, r) > 0).length / test_.length;
    assert.ok(Math.abs(accuracy - right) < 1e-12, `accuracy ${accuracy} against ${right}`);
  }
});
