/**
 * The model views' builders (src/present/modelViews.ts) on a run of examples/circle-logistic.cost, and their
 * checkers (src/shared/modelViewShapes.ts): what is built survives JSON and the checks; damaged data is refused
 * with the path of the fault; the boundary's last frame is the model's output at the run's final θ.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCostFile } from '../../src/engine/expr/costParser';
import { modelProblem } from '../../src/engine/run/dataProblem';
import { runData } from '../../src/engine/run/dataRunner';
import { modelViews } from '../../src/present/modelViews';
import { CheckError } from '../../src/shared/check';
import { modelViewsData, modelViewsMessage, selectModelRunMessage } from '../../src/shared/modelViewShapes';

const EXAMPLE = join(__dirname, '../../examples/circle-logistic.cost');

function circleRun() {
  const parsed = parseCostFile(readFileSync(EXAMPLE, 'utf8'), EXAMPLE, {
    readData: () => ({ ok: false, error: 'none' }),
  });
  assert.deepEqual(parsed.errors, []);
  const model = parsed.models[0];
  const problem = modelProblem(model);
  const result = runData({
    problem,
    optimizers: [
      { id: 'gd', params: { eta: 0.01 } },
      { id: 'adam', params: { eta: 0.05 } },
      { id: 'nasgd', params: { alpha: 0.7 } },
    ],
    starts: { kind: 'draw', n: 3 },
    seed: 1,
    steps: 5 * 40,
    targets: [],
    traces: 2,
  });
  return { model, problem, result };
}

test('model views of a run: built, through JSON, checked; the last frame is w·features + c at the final θ', () => {
  const { problem, result } = circleRun();
  const views = modelViews(problem, result, { optimizer: 1, start: 1 });
  assert.equal(views.boundaryReason, null);
  assert.equal(views.projectionReason, null);
  const back = modelViewsData(JSON.parse(JSON.stringify(views)), 'views');
  assert.deepEqual(
    back.curves.charts.map((c) => c.quantity),
    ['training loss F − f*', 'test accuracy', 'test logistic_loss', 'minibatch loss fB'],
  );
  assert.equal(back.curves.charts[1].scale, 'linear', 'an accuracy is drawn on a linear scale');
  assert.deepEqual(back.rosetta.alphaEq.references, [{ value: 2, label: 'α = 2' }]);
  const b = back.boundary!;
  assert.deepEqual([b.xLabel, b.yLabel, b.target, b.kind], ['x1', 'x2', 'label', 'binary']);
  assert.equal(b.train.x.length, 400);
  const final = result.runs[1].final[1].theta;
  const last = b.frames.at(-1)!;
  assert.equal(last.step, 200);
  const nx = b.xs.length;
  for (const [i, j] of [
    [0, 0],
    [7, 30],
    [47, 47],
    [20, 3],
  ]) {
    const [x1, x2] = [b.xs[i], b.ys[j]];
    const f = final[0] * x1 + final[1] * x2 + final[2] * x1 * x1 + final[3] * x2 * x2 + final[4];
    assert.ok(Math.abs(last.values[j * nx + i]! - f) < 1e-9 * Math.max(1, Math.abs(f)), `(${i}, ${j})`);
  }
  const p = back.projection!;
  assert.deepEqual(
    p.paths.map((x) => [x.label, x.main]),
    [
      ['Adam', true],
      ['GD', false],
      ['NaSGD', false],
    ],
  );
  assert.equal(p.paths[0].a.at(-1), 0, 'the selected path ends at the origin');
  assert.ok(p.explained[0] > 0.5 && p.explained[0] + p.explained[1] <= 1 + 1e-12);
});

test('a damaged model view is refused with the path of the fault', () => {
  const { problem, result } = circleRun();
  const views = JSON.parse(JSON.stringify(modelViews(problem, result)));
  views.boundary.frames[2].values.pop();
  assert.throws(
    () => modelViewsData(views, 'views'),
    (e: Error) =>
      e instanceof CheckError && /views\.boundary\.frames\[2\]\.values: 2303 values, expected 2304/.test(e.message),
  );
  const huge = { ...views.boundary, frames: Array.from({ length: 2000 }, () => 'not even read') };
  assert.throws(
    () => modelViewsData({ ...views, boundary: huge }, 'views'),
    /views\.boundary\.frames: 4608000 values, more than 4000000/,
  );
  views.boundary = null;
  views.projection.paths[0].main = false;
  assert.throws(() => modelViewsData(views, 'views'), /views\.projection\.paths: exactly one path is the main one/);
});

test('the Lab’s messages: modelViews (host → Lab) and selectModelRun (Lab → host), checked on receipt', () => {
  const { problem, result } = circleRun();
  const selection = { optimizer: 2, start: 0 };
  const sent = JSON.parse(
    JSON.stringify({ type: 'modelViews', runId: 7, selection, data: modelViews(problem, result, selection) }),
  );
  const got = modelViewsMessage(sent, 'modelViews');
  assert.equal(got.data.boundary!.title, 'Decision boundary: NaSGD, start 1');
  assert.deepEqual(selectModelRunMessage({ type: 'selectModelRun', runId: 7, selection }, 'selectModelRun'), {
    type: 'selectModelRun',
    runId: 7,
    selection,
  });
  assert.throws(
    () => selectModelRunMessage({ type: 'selectModelRun', runId: 7, selection: { optimizer: -1, start: 0 } }, 'm'),
    /m\.selection\.optimizer: expected a finite integer ≥ 0/,
  );
});
