// From the user's choices to pool requests, and back: requests pass the worker's own validation, per-optimizer
// jobs merge into the result one request would give, and sweeps vary exactly the swept hyperparameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBuiltin } from '../../src/engine/library';
import { executeRequest, parseRunRequest } from '../../src/engine/run/request';
import { parseExpression } from '../../src/engine/expr/costParser';
import {
  mergeResults,
  parseOptimizerSettings,
  runRequests,
  shapeFromSettings,
  type FunctionChoice,
  type RunSettings,
} from '../../src/vscode/runPlan';
import { sweep } from '../../src/engine/run/sweep';
import { resolveSource } from '../../src/engine/run/request';
import { domainOf } from '../../src/engine/run/starts';
import { configLabel } from '../../src/present/params';
import { LIMITS } from '../../src/shared/limits';
import {
  BUDGET_PRESETS,
  cellCount,
  checkSweepSize,
  GRID_PRESETS,
  gridAxis,
  parseBudgets,
  sweepOptimizers,
  sweepRequest,
} from '../../src/vscode/sweepPlan';

const settings: RunSettings = {
  optimizers: ['gd:eta=0.001', 'adam'],
  steps: 300,
  starts: 12,
  seed: 7,
  target: 1e-3,
  backend: 'js',
};
const rosenbrock = (): FunctionChoice => ({
  source: { kind: 'builtin', name: 'rosenbrock' },
  fn: findBuiltin('rosenbrock')!,
});

test('optimizer settings use the CLI spec syntax', () => {
  assert.deepEqual(parseOptimizerSettings(['gd:eta=0.001', 'h-adam:H=0.5,adam']), [
    { id: 'gd', params: { eta: 0.001 } },
    { id: 'h-adam', params: { H: 0.5 } },
    { id: 'adam', params: {} },
  ]);
  assert.throws(() => parseOptimizerSettings([]), /no optimizers/);
  assert.throws(() => parseOptimizerSettings(['nope']), /unknown optimizer 'nope'/);
});

test('a function without @domain starts in [-5, 5] per variable, as in the CLI; one with it in its domain', () => {
  const g = parseExpression('g(a, b, c) = a^2 + b^2 + c^2');
  assert.deepEqual(domainOf(g), [
    [-5, 5],
    [-5, 5],
    [-5, 5],
  ]);
  assert.deepEqual(shapeFromSettings(g, settings).starts, { kind: 'random', n: 12, seed: 7, domain: domainOf(g) });
  assert.deepEqual(domainOf(findBuiltin('beale')!), [
    [-4.5, 4.5],
    [-4.5, 4.5],
  ]);
});

test('one request per optimizer; merged, they equal the single request with all optimizers', () => {
  const choice = rosenbrock();
  const configs = parseOptimizerSettings(settings.optimizers);
  const { requests, maxPoints } = runRequests(choice, configs, shapeFromSettings(choice.fn, settings));
  assert.equal(requests.length, 2);
  // 12 starts × 2 optimizers: every start traced, at every step of the run (present/traces.ts).
  assert.equal(requests[0].traces, 12);
  assert.ok(maxPoints >= settings.steps + 1);
  for (const r of requests)
    assert.deepEqual(parseRunRequest(JSON.parse(JSON.stringify(r))), { ...r, stopAtTargets: false });
  const merged = mergeResults(requests.map((r) => executeRequest(r)));
  const single = executeRequest({ ...requests[0], optimizers: configs });
  const strip = (res: typeof merged) => res.runs.map(({ timing: _t, ...rest }) => rest);
  assert.deepEqual(strip(merged), strip(single));
  assert.deepEqual(merged.starts, single.starts);
});

test('descentLab.precision reaches the requests, checked like every field; f32 runs in binary32', () => {
  const choice = rosenbrock();
  const configs = parseOptimizerSettings(['gd:eta=0.001']);
  const {
    requests: [request],
  } = runRequests(choice, configs, shapeFromSettings(choice.fn, { ...settings, precision: 'f32' }));
  const parsed = parseRunRequest(JSON.parse(JSON.stringify(request)));
  assert.equal(parsed.precision, 'f32');
  const result = executeRequest(parsed);
  assert.equal(result.runs[0].precision, 'f32');
  for (const lane of result.runs[0].final) lane.theta.forEach((v) => assert.equal(v, Math.fround(v)));
  assert.equal(parseRunRequest(JSON.parse(JSON.stringify({ ...request, precision: undefined }))).precision, 'f64');
  assert.throws(() => parseRunRequest({ ...request, precision: 'f16' }), /request\.precision: expected 'f64' or 'f32'/);
  const {
    requests: [plain],
  } = runRequests(choice, configs, shapeFromSettings(choice.fn, settings));
  assert.equal(plain.precision, 'f64');
});

test("sweep grids: the default presets are the papers' (η = 10^-4 … 10^1 by decades, H = 0.1 … 1); typed grids are checked", () => {
  assert.deepEqual(gridAxis('eta', GRID_PRESETS.eta[0].text).values, [1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
  assert.deepEqual(gridAxis('H', GRID_PRESETS.H[0].text).values, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  for (const name of ['eta', 'H'] as const)
    for (const p of GRID_PRESETS[name]) assert.doesNotThrow(() => gridAxis(name, p.text), p.text);
  assert.deepEqual(gridAxis('eta', '0.1, 0.001, 0.01, 0.1').values, [0.001, 0.01, 0.1]);
  assert.throws(() => gridAxis('eta', '0:1:3'), /log grid needs lo, hi > 0/);
  assert.throws(() => gridAxis('eta', '0.1, -1'), /η must be > 0/);
  assert.throws(() => gridAxis('H', '0:1:3'), /H must be in \(0, 4\]/);
  assert.throws(() => gridAxis('eta', '1e-4:1:65'), /at most 64 values of η/);
  assert.throws(() => gridAxis('H', 'half'), /neither lo:hi:n nor a list/);
});

test("budgets: step counts, sorted and unique; the default is Baiesi Fig. 3's", () => {
  assert.deepEqual(parseBudgets(BUDGET_PRESETS[0].text), [100, 1000, 10000]);
  assert.deepEqual(parseBudgets(' 1000,100 ,1000'), [100, 1000]);
  for (const bad of ['', '10,', '0', '1.5', '2000000', 'ten', '1,2,3,4,5,6,7'])
    assert.throws(() => parseBudgets(bad), RangeError, bad);
});

test('sweep optimizers: those with every swept parameter; for H, power variants replace the plain ones', () => {
  const chosen = parseOptimizerSettings(['gd', 'rprop', 'h-adam', 'adam']);
  assert.deepEqual(
    sweepOptimizers(['eta'], chosen).map((c) => c.id),
    ['gd', 'h-adam', 'adam'],
  );
  assert.deepEqual(
    sweepOptimizers(['H'], chosen).map((c) => c.id),
    ['h-gd', 'h-adam'],
  );
  assert.deepEqual(
    sweepOptimizers(['eta', 'H'], chosen).map((c) => c.id),
    ['h-gd', 'h-adam'],
  );
  assert.deepEqual(
    sweepOptimizers(['H'], parseOptimizerSettings(['quickprop', 'h-gd'])).map((c) => c.id),
    ['h-quickprop', 'h-gd'],
  );
  assert.deepEqual(
    sweepOptimizers(['eta'], parseOptimizerSettings(['rprop'])).map((c) => c.id),
    ['gd'],
  );
  assert.deepEqual(
    sweepOptimizers(['eta', 'H'], parseOptimizerSettings(['rprop'])).map((c) => c.id),
    ['h-gd'],
  );
  assert.deepEqual(
    sweepOptimizers(['eta'], parseOptimizerSettings(['nasgd', 'quickprop'])).map((c) => c.id),
    ['quickprop'],
  );
  // The chosen hyperparameters travel with the variant.
  assert.deepEqual(sweepOptimizers(['H'], parseOptimizerSettings(['adam:beta1=0.8'])), [
    { id: 'h-adam', params: { beta1: 0.8 } },
  ]);
});

test('an η × H sweep request: one batch whose cells are every (η, H) of every optimizer, f_D as GD theory says', () => {
  const choice: FunctionChoice = {
    source: { kind: 'expression', text: '8*x^2 + y^2/2' },
    fn: parseExpression('8*x^2 + y^2/2'),
  };
  const shape = {
    ...shapeFromSettings(choice.fn, settings),
    starts: {
      kind: 'random' as const,
      n: 10,
      seed: 3,
      domain: [
        [-1, 1],
        [-1, 1],
      ] as const,
    },
  };
  const configs = sweepOptimizers(['eta', 'H'], parseOptimizerSettings(['gd']));
  const axes = [gridAxis('eta', '1e-3:1e1:5'), gridAxis('H', '1')];
  const request = sweepRequest(choice, configs, axes, [10, 1000], shape);
  assert.deepEqual(request.budgets, [10, 1000]);
  const result = sweep({ ...request, fn: resolveSource(JSON.parse(JSON.stringify(request.fn))) });
  assert.equal(result.cells.length, cellCount(configs, axes));
  assert.deepEqual(
    result.cells.map((c) => c.params.eta),
    [1e-3, 1e-2, 1e-1, 1, 10],
  );
  // h-GD at H = 1 is GD; on 8x² + y²/2 it contracts for η < 2/16 (the stiff direction's factor |1 − 16η| < 1).
  const f = (eta: number, T: number) => result.cells.find((c) => c.params.eta === eta)!.fraction[String(T)];
  assert.equal(f(0.1, 1000), 1);
  assert.equal(f(1, 1000), 0);
  assert.equal(f(10, 1000), 0);
  assert.equal(f(1e-3, 10), 0);
  assert.equal(result.cells.find((c) => c.params.eta === 10)!.diverged, 1);
  // Labels take the registry's label and symbols: h-GD's `eta` is η.
  assert.equal(configLabel('h-gd', result.cells[2].params, ['eta', 'H']), 'h-GD · η=0.1, H=1');
  assert.equal(configLabel('gd', { eta: 1e-4 }, ['eta']), 'GD · η=1e-4');
});

test('a sweep the panel could not show is refused with what to change', () => {
  assert.doesNotThrow(() => checkSweepSize(18, 100));
  assert.throws(() => checkSweepSize(LIMITS.sweepCells + 1, 1), /coarser grid or fewer optimizers/);
  assert.throws(() => checkSweepSize(1000, 2000), /lower descentLab.starts/);
  assert.throws(() => checkSweepSize(1, LIMITS.starts + 1), new RegExp(`at most ${LIMITS.starts} starts`));
});
