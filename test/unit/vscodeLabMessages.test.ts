// What the host sends to the webviews: every message passes the protocol's own validator; the landscape's
// values are checked against mathjs evaluating the same text, the arrow field against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from 'mathjs';
import { parseExpression } from '../../src/engine/expr/costParser';
import { findBuiltin } from '../../src/engine/library';
import { executeRequest } from '../../src/engine/run/request';
import { functionInfo, labSettings, optimizerMetas } from '../../src/present/labInit';
import { arrowField, landscapeMessage } from '../../src/present/landscape';
import { progressMessage, runResultMessage } from '../../src/present/runMessages';
import { optimizerColour } from '../../src/present/colours';
import type { RunRequest } from '../../src/engine/run/request';
import { parseHostMessage } from '../../src/shared/webviewProtocol';
import { asPosted } from './helpers';
import { mergeResults, runRequests, shapeFromSettings } from '../../src/vscode/runPlan';
import { buildCatalog } from '../../src/vscode/functionCatalog';

const beale = findBuiltin('beale')!;

test('init: every catalog function and every optimizer passes the protocol check', () => {
  const entries = buildCatalog([
    { uri: 'file:///w/a.cost', fileName: '/w/a.cost', text: 'beale(x, y) = x^2 + y^2\nmine(u) = u^4\n' },
    { uri: 'untitled:Untitled-1', fileName: 'untitled:Untitled-1', text: 'mine(v) = v^2\n' },
  ]);
  // A file's function keeps its name; a second file's and a shadowed built-in are qualified.
  assert.deepEqual(
    entries.slice(0, 3).map((e) => [e.key, e.origin]),
    [
      ['beale', 'file'],
      ['mine', 'file'],
      ['Untitled-1#mine', 'file'],
    ],
  );
  assert.ok(entries.some((e) => e.key === 'built-in#beale' && e.origin === 'builtin'));
  assert.ok(entries.some((e) => e.key === 'rosenbrock' && e.origin === 'builtin'));
  assert.deepEqual(entries[0].source, {
    kind: 'file',
    text: 'beale(x, y) = x^2 + y^2\nmine(u) = u^4\n',
    name: 'beale',
    path: '/w/a.cost',
  });
  const msg = {
    type: 'init' as const,
    functions: entries.map((e) => functionInfo(e.fn, e.origin, e.key)),
    optimizers: optimizerMetas(),
    settings: labSettings('rosenbrock', { steps: 100, starts: 8, seed: 1, target: 1e-6 }, [{ id: 'adam', params: {} }]),
    liveLimit: 2e7,
  };
  // No @minimum: f* is unknown, and says so.
  assert.equal(msg.functions.find((f) => f.name === 'mine')?.fStar, null);
  assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(msg))), msg);
});

test('landscape: log10(f − f* + δ) on the grid, as mathjs computes it from the same text', () => {
  const text = '(x*y^3 - x + 2.625)^2 + (x*y^2 - x + 2.25)^2 + (x*y - x + 1.5)^2';
  const msg = landscapeMessage(beale, 'beale', { xMin: -1, xMax: 4, yMin: -2, yMax: 2 }, 21)!;
  assert.equal(msg.type, 'landscape');
  if (msg.type !== 'landscape') return;
  parseHostMessage(JSON.parse(JSON.stringify(msg)));
  assert.equal(msg.xs.length, 21);
  assert.equal(msg.values.length, 21 * 21);
  for (const [i, j] of [
    [0, 0],
    [20, 20],
    [16, 12],
    [5, 17],
  ]) {
    const x = msg.xs[i];
    const y = msg.ys[j];
    const f = Number(evaluate(text, { x, y }));
    assert.ok(Math.abs(msg.values[j * 21 + i]! - Math.log10(f + msg.delta)) < 1e-9, `(${x}, ${y})`);
  }
  assert.deepEqual(msg.minima, [[3, 0.5]]);
  assert.equal(landscapeMessage(parseExpression('g(a) = a^2'), 'g'), undefined);
});

test('arrow field: −∇f matches central differences; the power field is −sign(∇f)|∇f|^H', () => {
  const fn = parseExpression('g(x, y) = sin(x)*y^2 + exp(x/3)');
  const field = arrowField(fn, { xMin: -2, xMax: 2, yMin: -1, yMax: 3 }, 0.5, 5);
  const h = 1e-6;
  const f = (x: number, y: number) => Math.sin(x) * y * y + Math.exp(x / 3);
  field.ys.forEach((y, j) =>
    field.xs.forEach((x, i) => {
      const k = j * 5 + i;
      const gx = (f(x + h, y) - f(x - h, y)) / (2 * h);
      const gy = (f(x, y + h) - f(x, y - h)) / (2 * h);
      assert.ok(Math.abs(field.gradient.u[k] + gx) < 1e-6 && Math.abs(field.gradient.v[k] + gy) < 1e-6, `(${x}, ${y})`);
      assert.ok(Math.abs(field.power.u[k] + Math.sign(gx) * Math.abs(gx) ** 0.5) < 1e-6);
    }),
  );
});

test('runResult and progress: valid, with one row per optimizer and the numbers of the run', () => {
  const choice = { source: { kind: 'builtin' as const, name: 'beale' }, fn: beale };
  const shape = shapeFromSettings(beale, {
    optimizers: [],
    steps: 400,
    starts: 16,
    seed: 2,
    target: 1e-4,
    backend: 'js',
  });
  const { requests, maxPoints } = runRequests(
    choice,
    [
      { id: 'gd', params: { eta: 0.01 } },
      { id: 'h-adam', params: {} },
    ],
    shape,
  );
  const result = mergeResults(requests.map((r) => executeRequest({ ...r, maxPoints } as RunRequest)));
  const msg = runResultMessage(4, result);
  assert.deepEqual(parseHostMessage(asPosted(msg)), msg);
  if (msg.type !== 'runResult') return;
  assert.equal(msg.starts.length, 16 * 2);
  assert.deepEqual(Array.from(msg.starts.subarray(2, 4)), result.starts[1]);
  assert.deepEqual(
    msg.optimizers.map((o) => o.curves.id),
    ['gd', 'h-adam'],
  );
  msg.optimizers.forEach((o, i) => {
    const run = result.runs[i];
    const hits = run.stepsToTarget['0.0001'].perLane.filter((k) => k !== null).length;
    assert.equal(o.row.converged, hits);
    assert.equal(o.row.n, 16);
    // Every start is traced, at every one of the 401 steps (within the trace budget).
    assert.deepEqual(Array.from(o.traces.lanes), [...Array(16).keys()]);
    assert.deepEqual(Array.from(o.traces.steps), [...Array(401).keys()]);
    const R = o.traces.steps.length;
    run.traces.forEach((t, l) => {
      assert.equal(o.traces.lengths[l], t.points.length);
      t.points.forEach((p, r) => {
        assert.deepEqual(Array.from(o.traces.theta.subarray((l * R + r) * 2, (l * R + r + 1) * 2)), p.theta);
        assert.equal(o.traces.f[l * R + r], p.f);
      });
    });
    assert.equal(o.curves.colour, optimizerColour(run.optimizer));
  });
  // What ran: the starts as random N + seed, every hyperparameter resolved.
  assert.deepEqual(msg.config.starts, { kind: 'random', n: 16, seed: 2 });
  assert.deepEqual(msg.config.optimizers[1].params, result.runs[1].params);
  assert.equal(msg.config.fStar, 0);
  // A sweep has the same optimizer in several cells: the series ids stay unique and the labels name the cells.
  const twice = { ...result, runs: [result.runs[0], result.runs[0]] };
  const sweep = runResultMessage(5, twice, { labels: ['GD · η=0.1', 'GD · η=1'] });
  parseHostMessage(asPosted(sweep));
  if (sweep.type === 'runResult') {
    assert.deepEqual(
      sweep.optimizers.map((o) => [o.curves.id, o.curves.label]),
      [
        ['gd#1', 'GD · η=0.1'],
        ['gd#2', 'GD · η=1'],
      ],
    );
  }
  const progress = progressMessage(4, 400, 0.5, result.runs.slice(0, 1));
  assert.equal(progress.type === 'progress' && progress.step, 200);
  assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(progress))), progress);
});

test('a diverging run: non-finite values travel as null and still pass the protocol check', () => {
  const result = executeRequest({
    fn: { kind: 'expression', text: 'x^2 + y^2' },
    optimizers: [{ id: 'gd', params: { eta: 5 } }],
    starts: {
      kind: 'list',
      points: [
        [1, 1],
        [0.5, -0.5],
      ],
    },
    steps: 2000,
    targets: [1e-6],
    traces: 2,
  });
  assert.equal(result.runs[0].diverged, 2);
  const msg = runResultMessage(1, result);
  parseHostMessage(asPosted(msg));
  if (msg.type === 'runResult') {
    assert.ok(msg.optimizers[0].curves.median.includes(null));
    // A diverging trajectory ends where it diverged (|θ| > 1e10), at its last finite point.
    const t = msg.optimizers[0].traces;
    const len = t.lengths[0];
    assert.ok(len > 1);
    assert.equal(t.ends[0], result.runs[0].final[0].divergedAt);
    assert.equal(t.ends[0], t.steps[len - 1]);
  }
});
