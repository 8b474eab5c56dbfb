/**
 * The wasm-simd data kernel against the JS data kernel (the reference), driven identically (dataKernelHarness.ts):
 * bit for bit on models whose step is rational (a linear layer, squares, sums, √ in Adam), over hundreds of steps,
 * every named optimizer and the transforms chained onto them, B = 1, B = 3 under every @shuffle, full batch,
 * gradient noise on a model and on a cost function, targets, stops and divergence, odd lane counts, slices cut at
 * awkward places, and a program big enough for the wide layout (spill slots, loops over slots); within 1e−9 on
 * every example model (tanh, softplus, logsumexp: the SIMD math is within an ulp or two of Math's, and chaotic
 * steps grow that, so those are compared after a few steps, as the function kernels' tests do). And the module's
 * size: the same bytes whatever the rows and the batch, linear in the parameters.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCostFile } from '../../src/engine/expr/costParser';
import { compileJsData } from '../../src/engine/kernel/jsDataBackend';
import { generateDataModule } from '../../src/engine/kernel/wasm/dataCodegen';
import { compileWasmData } from '../../src/engine/kernel/wasm/dataKernel';
import { planData } from '../../src/engine/kernel/wasm/dataPlan';
import { chain } from '../../src/engine/optim/chain';
import { ETA } from '../../src/engine/optim/params';
import type { OptimizerConfig, UpdateRule } from '../../src/engine/optim/types';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { buildDataStepProgram } from '../../src/engine/program/dataProgram';
import { functionProblem, modelProblem, type DataProblem, type PlanOverrides } from '../../src/engine/run/dataProblem';
import { planDataRun, type DataRunSpec } from '../../src/engine/run/dataRunner';
import { planDataSweep } from '../../src/engine/run/dataSweep';
import { drive, firstDifference, type DriveOptions } from './dataKernelHarness';
import { modelFrom, teacherData } from './datafitEngine';

/** A linear layer on the teacher data: every step rational, so the two kernels agree to the last bit. */
const linear = (extra = '') => `
@data "teacher.csv"
@split 100 ordered
x = row[1:10]
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)
@param b 4 zeros
linear(W, b) = sum((W*x + b - y).^2)
@metric l1 = sum(abs(W*x + b - y))
@metric worst = max(abs(W*x + b - y))
${extra}
`;
const files = () => ({ 'teacher.csv': teacherData() });
const linearProblem = (extra: string, overrides: PlanOverrides = {}) => modelFrom(linear(extra), files(), overrides);

type Spec = Omit<DataRunSpec, 'problem' | 'optimizers' | 'seed' | 'starts'> & Partial<Pick<DataRunSpec, 'starts'>>;

/** One optimizer's lanes through both kernels; the JS result and the first difference (undefined: none). */
function compare(problem: DataProblem, optimizer: OptimizerConfig, spec: Spec, options: DriveOptions = {}) {
  const plan = planDataRun({
    problem,
    optimizers: [optimizer],
    starts: spec.starts ?? { kind: 'draw', n: 5 },
    seed: 3,
    traces: 2,
    maxPoints: spec.steps + 1,
    ...spec,
  });
  const { program, work } = plan.optimizers[0];
  const js = drive(compileJsData(program), program, problem, work, options);
  const wasm = drive(compileWasmData(program), program, problem, work, options);
  return { js, wasm, program };
}

const OPTIMIZERS: OptimizerConfig[] = [
  { id: 'gd', params: { eta: 0.05 } },
  { id: 'momentum', params: { eta: 0.02, beta: 0.9 } },
  { id: 'nag', params: { eta: 0.02, gamma: 0.9 } },
  { id: 'adam', params: { eta: 0.01 } },
  { id: 'amsgrad', params: { eta: 0.01 } },
  { id: 'rmsprop', params: { eta: 0.01 } },
  { id: 'adagrad', params: { eta: 0.05 } },
  { id: 'nasgd', params: { alpha: 0.7 } },
  { id: 'rprop', params: {} },
  { id: 'quickprop', params: { eta: 0.01 } },
  { id: 'ngd', params: { eta: 0.01 } },
  { id: 'h-gd', params: { eta: 0.05, H: 0.5 } },
  { id: 'h-adam', params: { eta: 0.01, H: 0.5 } },
  { id: 'h-nag', params: { eta: 0.02, H: 1 } },
  { id: 'h-nasgd', params: { alpha: 0.7, H: 0.5 } },
];

/** Hyperparameters of OPTIMIZERS by id; every other named optimizer runs with its defaults. */
const SETTINGS = new Map(OPTIMIZERS.map((o) => [o.id, o.params]));

/**
 * Every named optimizer, then transforms chained in front of a few (clipping, schedules). The power transform's
 * H is ½ unless OPTIMIZERS says otherwise (pbSGD's default is 0.8): pow(|g|, ½) is √|g| in both kernels, bit for
 * bit, while a general H takes the SIMD pow, within its ulps (the example test runs the defaults).
 */
const EVERY: OptimizerConfig[] = [
  ...listOptimizers().map((o) => {
    const params = SETTINGS.get(o.id) ?? {};
    return { id: o.id, params: o.params.some((p) => p.name === 'H') ? { H: 0.5, ...params } : params };
  }),
  { id: 'adam+clip-norm', params: { eta: 0.01, maxNorm: 1 } },
  { id: 'momentum+clip-value+exp-decay', params: { eta: 0.02, beta: 0.9 } },
  { id: 'gd+inv-time', params: { eta: 0.05 } },
];
/** The named optimizers with their defaults. */
const DEFAULTS: OptimizerConfig[] = listOptimizers().map((o) => ({ id: o.id, params: {} }));

test('a rational model, B = 1: every optimizer bit for bit over 300 steps, slices cut at awkward places', () => {
  const problem = linearProblem('@batch 1');
  assert.ok(EVERY.length >= 30);
  for (const optimizer of EVERY) {
    // h(t)-Adam's Hₜ moves from H₀ towards 1: a general pow, within the SIMD pow's ulps, compared early
    const general = optimizer.id === 'ht-adam';
    const spec = { steps: general ? 30 : 300, targets: [] };
    const { js, wasm } = compare(problem, optimizer, spec, { cuts: [1, 2, 3, 37, 101, 250] });
    assert.equal(firstDifference(js, wasm, general ? 1e-9 : 0), undefined, optimizer.id);
    assert.ok(js.epochMetrics.every(Number.isFinite), `${optimizer.id}: finite metrics`);
  }
});

test('B = 3 under every @shuffle, and full batch, bit for bit (an odd lane count, 7 starts)', () => {
  const cases = ['@batch 3', '@batch 3\n@shuffle once', '@batch 3\n@shuffle none', '@batch 3\n@shuffle replace', ''];
  for (const extra of cases) {
    const problem = linearProblem(extra);
    for (const optimizer of [OPTIMIZERS[1], OPTIMIZERS[2], OPTIMIZERS[7]]) {
      const steps = extra === '' ? 30 : 150;
      const spec = { steps, targets: [], starts: { kind: 'draw' as const, n: 7 } };
      const { js, wasm } = compare(problem, optimizer, spec, { cuts: [5, 17, 60, 61] });
      assert.equal(firstDifference(js, wasm), undefined, `${extra || 'full batch'}, ${optimizer.id}`);
    }
  }
});

test('gradient noise on a model and on a cost function, bit for bit, slices at the buffer length', () => {
  const model = linearProblem('@batch 3\n@noise 0.05');
  const parsed = parseCostFile('f(x, y) = x^2 + 3*y^2 + x*y\n@noise 2\n', 'noise.cost');
  const fn = functionProblem(parsed.functions[0], 2);
  const points = [
    [-1.5, 2],
    [0.5, 0.5],
    [1.2, 1],
  ];
  for (const optimizer of [OPTIMIZERS[0], OPTIMIZERS[3], OPTIMIZERS[11]]) {
    const a = compare(model, optimizer, { steps: 120, targets: [] }, { noiseSteps: 7, cuts: [3] });
    assert.equal(firstDifference(a.js, a.wasm), undefined, `model, ${optimizer.id}`);
    const starts = { kind: 'list' as const, points };
    const b = compare(fn, optimizer, { steps: 200, targets: [], starts }, { noiseSteps: 13 });
    assert.equal(firstDifference(b.js, b.wasm), undefined, `function, ${optimizer.id}`);
  }
});

test('targets, stops at targets and divergence: a sweep of η where lanes stop at different steps', () => {
  const problem = linearProblem('@batch 1');
  for (const stopAtTargets of [false, true]) {
    const plan = planDataSweep({
      problem,
      optimizers: [{ id: 'gd', params: {} }],
      grid: [{ name: 'eta', values: [0.01, 0.1, 0.3, 0.7] }],
      starts: { kind: 'draw', n: 5 },
      seed: 9,
      steps: 400,
      targets: [2, 0.5, 0.05],
      stopAtTargets,
      maxPoints: 401,
    });
    const { program, work } = plan.optimizers[0];
    const options = { cuts: [1, 40, 41, 199] };
    const js = drive(compileJsData(program), program, problem, work, options);
    const wasm = drive(compileWasmData(program), program, problem, work, options);
    assert.equal(firstDifference(js, wasm), undefined, `stopAtTargets ${stopAtTargets}`);
    assert.ok(
      js.divergedAt.some((k) => k > 0),
      'some lanes diverge',
    );
    assert.ok(
      js.hits.some((k) => k >= 0),
      'some lanes reach targets',
    );
    if (stopAtTargets)
      assert.ok(
        js.stopStep.some((k) => k > 0 && k < 400),
        'some lanes stop early',
      );
  }
});

/**
 * An update whose state reads θₖ after θₖ₊₁ is computed (`trail`) and keeps θₖ itself (`prev`): θ cannot be
 * updated in place, and the kernel must see that (dataPlan.ts's inPlaceSlots); no built-in optimizer has this shape.
 */
const trailing: UpdateRule = {
  kind: 'update',
  id: 'trailing',
  label: 'trailing',
  paper: 'test',
  rule: 'θ ← θ − η g; prev ← θ; trail ← trail/2 + θ',
  consumes: 'value',
  params: [ETA],
  state: [
    { name: 'prev', size: 'coord', init: { const: 0 } },
    { name: 'trail', size: 'coord', init: { const: 0 } },
  ],
  update(ctx) {
    const { g, theta, grad } = ctx;
    const eta = ctx.param('eta');
    const next = theta.map((t, i) => g.sub(t, g.mul(eta, grad[i])));
    const trail = ctx.state.trail.map((s, i) => g.add(g.mul(s, g.const(0.5)), theta[i]));
    return { theta: next, state: { prev: theta, trail } };
  },
};

test('an update whose state reads θₖ after θₖ₊₁: θ goes through next, bit for bit', () => {
  const problem = linearProblem('@batch 2');
  const optimizer = chain({ id: 'trailing', label: 'trailing', paper: 'test', rule: trailing.rule }, trailing);
  const plan = planDataRun({
    problem,
    optimizers: [{ id: 'gd', params: { eta: 0.05 } }],
    starts: { kind: 'draw', n: 3 },
    seed: 4,
    steps: 60,
    targets: [],
    maxPoints: 61,
  });
  const program = buildDataStepProgram(problem.row, optimizer);
  const { work } = plan.optimizers[0];
  const js = drive(compileJsData(program), program, problem, work, { cuts: [7] });
  const wasm = drive(compileWasmData(program), program, problem, work, { cuts: [7] });
  assert.equal(firstDifference(js, wasm), undefined);
  assert.ok(
    planData(program)
      .optimizer.inPlace.slice(0, program.dim)
      .every((x) => !x),
    'θ is not updated in place',
  );
});

test('every example model and every optimizer: within 1e−9 after 12 steps', () => {
  const models = readdirSync(join(__dirname, '../../examples')).filter((file) => file.endsWith('.cost'));
  const found = models.flatMap((file) => {
    const parsed = parseCostFile(readFileSync(join(__dirname, '../../examples', file), 'utf8'), file);
    assert.deepEqual(parsed.errors, [], file);
    return parsed.models.map((model) => ({ name: `${file}#${model.name}`, model }));
  });
  assert.ok(found.length >= 5, found.map((m) => m.name).join(', '));
  for (const { name, model } of found) {
    const problem = modelProblem(model);
    for (const optimizer of [...DEFAULTS, ...EVERY.slice(DEFAULTS.length)]) {
      const { js, wasm } = compare(problem, optimizer, { steps: 12, targets: [0.1] }, { cuts: [5] });
      assert.equal(firstDifference(js, wasm, 1e-9), undefined, `${name}, ${optimizer.id}`);
    }
  }
});

/** A layer of m units summed to one output: rational, 11·m parameters, a step of ~70·m nodes. */
const wide = (m: number, extra = '', split = '@split 100 ordered') => `
@data sprunger_teacher
${split}
x = row[1:10]
y = row[11]
@param W ${m}x10 uniform(-0.5, 0.5)
@param b ${m} zeros
wide(W, b) = (sum(W*x + b) - y)^2
@metric err = abs(sum(W*x + b) - y)
${extra}
`;
const wideProblem = (m: number, extra = '', split?: string) => {
  const parsed = parseCostFile(wide(m, extra, split), 'wide.cost');
  assert.deepEqual(parsed.errors, []);
  return modelProblem(parsed.models[0]);
};

test('a program in the wide layout (spill slots, loops over slots): bit for bit, B = 1 and B = 3', () => {
  for (const extra of ['@batch 1', '@batch 3\n@noise 0.01']) {
    const problem = wideProblem(40, extra);
    const some = ['momentum', 'nag', 'adam', 'amsgrad', 'nasgd', 'rprop', 'quickprop', 'adam+clip-norm'];
    for (const optimizer of EVERY.filter((o) => some.includes(o.id))) {
      const program = buildDataStepProgram(problem.row, getOptimizer(optimizer.id));
      assert.equal(planData(program).layout, 'wide', optimizer.id);
      const spec = { steps: 40, targets: [0.01], starts: { kind: 'draw' as const, n: 3 } };
      const { js, wasm } = compare(problem, optimizer, spec, { cuts: [7, 23] });
      assert.equal(firstDifference(js, wasm), undefined, `${extra}, ${optimizer.id}`);
    }
  }
  // h-adam's general pow in the wide layout (no branch on H per node): within the SIMD pow's ulps
  const problem = wideProblem(40, '@batch 1');
  const { js, wasm } = compare(problem, OPTIMIZERS[12], { steps: 12, targets: [] });
  assert.equal(firstDifference(js, wasm, 1e-9), undefined, 'h-adam');
});

test('module size: the same bytes whatever the rows and the batch; linear in the parameters', () => {
  const bytes = (m: number, extra: string, id = 'adam', split?: string) =>
    generateDataModule(buildDataStepProgram(wideProblem(m, extra, split).row, getOptimizer(id)), 1).bytes;
  const reference = bytes(40, '@batch 1');
  for (const [extra, split] of [
    ['@batch 7'],
    ['@batch 1', '@split 150 ordered'],
    ['@batch 20\n@shuffle replace', '@split 30'],
    [''],
  ])
    assert.deepEqual(bytes(40, extra, 'adam', split), reference, `${extra || 'full batch'}, ${split ?? ''}`);
  for (const id of ['momentum', 'adam', 'nag']) {
    // P = 440, 880, 1760 (all in the wide layout): each doubling adds the same bytes, within 5%
    const [s1, s2, s4] = [40, 80, 160].map((m) => bytes(m, '@batch 1', id).length);
    const growth = (s4 - s2) / (2 * (s2 - s1));
    assert.ok(growth > 0.95 && growth < 1.05, `${id}: ${s1}, ${s2}, ${s4} bytes (growth ${growth})`);
    assert.ok(s4 / 1760 < 1000, `${id}: ${s4 / 1760} bytes per parameter`);
  }
});
