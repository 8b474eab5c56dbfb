// Gradient transforms and chain(): a chain against the same steps written out by hand in plain TypeScript (as
// optax tests its chains), both backends against each other, the compositions that are refused, and the ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, Graph } from '../../src/engine/expr/ir';
import { getOptimizer, listModifiers, listOptimizers, optimizersJson } from '../../src/engine/optim/registry';
import { buildStepProgram, withGradient } from '../../src/engine/program/stepProgram';
import { executeLanes } from '../../src/engine/run/lanes';
import { compileKernel } from '../../src/engine/kernel/compile';
import { recordSchedule } from '../../src/engine/program/recordSchedule';
import { referenceTrace, type Iterate } from '../../src/engine/run/reference';
import { parseRunRequest } from '../../src/engine/run/request';
import { run, type RunFunction } from '../../src/engine/run/runner';
import { sweep } from '../../src/engine/run/sweep';

function rosenbrockGraph() {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const a = g.sub(g.const(1), x);
  const b = g.sub(y, g.mul(x, x));
  return { graph: g, inputs: [x, y], output: g.add(g.mul(a, a), g.mul(g.const(100), g.mul(b, b))) };
}
const COST = withGradient(rosenbrockGraph());
const FN: RunFunction = { ...COST, name: 'rosenbrock', variables: ['x', 'y'], minima: [[1, 1]], fStar: 0 };
const START = [-1.5, 2];
const STEPS = 50;

const gradAt = (w: readonly number[]) => evaluate(COST.graph, { x: w[0], y: w[1] }, COST.grad);
const fAt = (w: readonly number[]) => evaluate(COST.graph, { x: w[0], y: w[1] }, [COST.output])[0];

function engine(id: string, params: Record<string, number>): Iterate[] {
  const o = getOptimizer(id);
  const numbers = Object.fromEntries(o.params.flatMap((p) => (p.kind === 'number' ? [[p.name, p.default]] : [])));
  return referenceTrace(buildStepProgram(COST, o), START, { ...numbers, ...params }, STEPS);
}

/** θ₀ … θ_STEPS of `step`, which maps (θ, ∇f(θ), k) to θₖ₊₁ (k updates so far). */
function byHand(step: (w: number[], g: number[], k: number) => number[]): Iterate[] {
  let w = [...START];
  const out: Iterate[] = [{ step: 0, theta: w, f: fAt(w) }];
  for (let k = 0; k < STEPS; k++) {
    w = step(w, gradAt(w), k);
    out.push({ step: k + 1, theta: w, f: fAt(w) });
  }
  return out;
}

function assertIdentical(a: readonly Iterate[], b: readonly Iterate[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((it, k) =>
    it.theta.forEach((v, i) =>
      assert.ok(Object.is(v, b[k].theta[i]), `${what}: θ${i} at k=${k}: ${v} vs ${b[k].theta[i]}`),
    ),
  );
}

const clipNormByHand = (g: number[], c: number) => {
  const n = Math.sqrt(g[0] * g[0] + g[1] * g[1]);
  return n < c ? g : g.map((x) => (x / n) * c);
};

test('gd+clip-norm is GD on the gradient rescaled to norm c when longer (optax.clip_by_global_norm)', () => {
  const [eta, c] = [1e-3, 5];
  const expected = byHand((w, g) => {
    const h = clipNormByHand(g, c);
    return w.map((wi, i) => wi - eta * h[i]);
  });
  assertIdentical(engine('gd+clip-norm', { eta, maxNorm: c }), expected, 'gd+clip-norm');
  // The clip was active: plain GD goes elsewhere.
  assert.notDeepEqual(engine('gd', { eta })[STEPS].theta, expected[STEPS].theta);
});

test('momentum+clip-value clips each coordinate to [−c, c] before the heavy-ball step', () => {
  const [eta, beta, c] = [1e-3, 0.9, 2];
  let v = [0, 0];
  const expected = byHand((w, g) => {
    v = v.map((vi, i) => beta * vi - eta * Math.min(Math.max(g[i], -c), c));
    return w.map((wi, i) => wi + v[i]);
  });
  assertIdentical(engine('momentum+clip-value', { eta, beta, maxDelta: c }), expected, 'momentum+clip-value');
});

test('gd+exp-decay steps with ηₖ = η·rᵏ, k = 0 on the first update', () => {
  const [eta, r] = [1e-3, 0.9];
  let factor = 1;
  const expected = byHand((w, g) => {
    const etaK = eta * factor;
    factor *= r;
    return w.map((wi, i) => wi - etaK * g[i]);
  });
  assertIdentical(engine('gd+exp-decay', { eta, decayRate: r }), expected, 'gd+exp-decay');
});

test('momentum+inv-time steps with ηₖ = η/(1 + k/K) inside the velocity', () => {
  const [eta, beta, K] = [1e-3, 0.9, 10];
  let v = [0, 0];
  const expected = byHand((w, g, k) => {
    const etaK = eta / (1 + k / K);
    v = v.map((vi, i) => beta * vi - etaK * g[i]);
    return w.map((wi, i) => wi + v[i]);
  });
  assertIdentical(engine('momentum+inv-time', { eta, beta, decaySteps: K }), expected, 'momentum+inv-time');
});

test('chained transforms act on ∇f in the order written, before the power transform of h-GD', () => {
  const [eta, H, c, r] = [1e-3, 0.5, 5, 0.95];
  let factor = 1;
  const expected = byHand((w, g) => {
    const h = clipNormByHand(g, c).map((x) => Math.sign(x) * Math.pow(Math.abs(x), H));
    const etaK = eta * factor;
    factor *= r;
    return w.map((wi, i) => wi - etaK * h[i]);
  });
  const id = 'h-gd+clip-norm+exp-decay';
  assertIdentical(engine(id, { eta, H, maxNorm: c, decayRate: r }), expected, id);
  assert.deepEqual(
    getOptimizer(id).transforms.map((t) => t.id),
    ['clip-norm', 'exp-decay', 'power', 'gd'],
  );
});

test('every modifier on every optimizer it chains with: wasm-simd ≡ js, to the last bit but through pow', () => {
  for (const o of listOptimizers()) {
    for (const modifier of optimizersJson().find((x) => x.id === o.id)!.modifiers) {
      const id = `${o.id}+${modifier}`;
      const spec = {
        fn: FN,
        optimizers: [{ id, params: {} }],
        starts: { kind: 'grid' as const, perAxis: 2, domain: [[-2, 2] as const, [-1, 3] as const] },
        steps: 30,
        targets: [1e-6],
        traces: 4,
      };
      const [js, wasm] = (['js', 'wasm-simd'] as const).map((backend) => run({ ...spec, backend }).runs[0]);
      // The kernel's vector pow is exact only for H = ½, 1, −1, 2 (README, Performance); pbSGD's 0.8 is not.
      const tol = getOptimizer(id).transforms.some((t) => t.id.startsWith('power')) ? 1e-9 : 0;
      js.traces.forEach((t, lane) =>
        t.points.forEach((p, k) =>
          p.theta.forEach((v, i) => {
            const w = wasm.traces[lane].points[k].theta[i];
            assert.ok(
              Object.is(v, w) || Math.abs(v - w) <= tol * Math.abs(v),
              `${id} lane ${lane} k=${k}: ${v} vs ${w}`,
            );
          }),
        ),
      );
    }
  }
});

test('what cannot change the result is not offered: sign-keeping transforms before Rprop, schedules without η', () => {
  const json = optimizersJson();
  const modifiersOf = (id: string) => json.find((o) => o.id === id)!.modifiers;
  assert.deepEqual(modifiersOf('rprop'), []);
  assert.deepEqual(modifiersOf('irprop'), []);
  assert.deepEqual(modifiersOf('nasgd'), ['clip-norm', 'clip-value']);
  assert.deepEqual(modifiersOf('ngd'), ['clip-norm', 'clip-value']);
  assert.deepEqual(modifiersOf('adam'), ['clip-norm', 'clip-value', 'exp-decay', 'inv-time']);
  assert.deepEqual(modifiersOf('ht-adam'), ['clip-norm', 'clip-value', 'exp-decay', 'inv-time']);
  assert.throws(
    () => getOptimizer('rprop+clip-norm'),
    /rprop reads only the sign of the gradient, which clip-norm keeps/,
  );
  assert.throws(() => getOptimizer('irprop+clip-value'), /irprop reads only the sign/);
  assert.throws(() => getOptimizer('nasgd+exp-decay'), /nasgd has no learning rate for exp-decay to vary/);
  assert.throws(() => getOptimizer('gd+clip-norm+clip-norm'), /clip-norm is chained twice/);
  assert.throws(() => getOptimizer('gd+power'), /unknown transform 'power'; after '\+': clip-norm, clip-value/);
  // Each optimizer's chain says what each element reads of the gradient.
  const hAdam = json.find((o) => o.id === 'h-adam')!;
  assert.deepEqual(
    hAdam.transforms.map((t) => [t.id, t.kind, t.consumes, t.keepsSign]),
    [
      ['power', 'gradient', 'value', true],
      ['adam', 'update', 'value', null],
    ],
  );
  assert.deepEqual(
    json.find((o) => o.id === 'rprop')!.transforms.map((t) => t.consumes),
    ['sign'],
  );
  assert.deepEqual(
    listModifiers().map((t) => t.kind),
    ['gradient', 'gradient', 'schedule', 'schedule'],
  );
});

test("values outside a parameter's range are refused by runs, sweep grids and kernel lanes", () => {
  const base = {
    fn: FN,
    starts: { kind: 'list' as const, points: [START] },
    steps: 5,
    targets: [1e-4],
    backend: 'js' as const,
  };
  assert.throws(
    () => run({ ...base, optimizers: [{ id: 'gd', params: { eta: -1 } }] }),
    /gd: eta = -1 is outside its range 0\.000001…10/,
  );
  assert.throws(
    () => run({ ...base, optimizers: [{ id: 'adam', params: { beta1: 2 } }] }),
    /adam: beta1 = 2 is outside/,
  );
  assert.throws(
    () => run({ ...base, optimizers: [{ id: 'gd+clip-norm', params: { maxNorm: 0 } }] }),
    /maxNorm = 0 is outside its range/,
  );
  assert.throws(
    () =>
      sweep({
        ...base,
        optimizers: [{ id: 'gd', params: {} }],
        grid: [{ name: 'eta', values: [0.1, 100] }],
        budgets: [5],
        target: 1e-4,
      }),
    /gd: eta = 100 is outside its range/,
  );
  // A request from a webview or another thread names the offending field.
  const request = { fn: { kind: 'builtin', name: 'rosenbrock' }, starts: base.starts, steps: 5 };
  assert.throws(
    () => parseRunRequest({ ...request, optimizers: [{ id: 'adam+clip-value', params: { maxDelta: -1 } }] }),
    /optimizers\[0\]\.params\.maxDelta: maxDelta = -1 is outside its range/,
  );
  assert.throws(() => parseRunRequest({ ...request, optimizers: [{ id: 'h-rprop' }] }), /no optimizer 'h-rprop'/);
  // A lane that reaches a kernel directly (the worker pool's path) is checked there too.
  const program = buildStepProgram(COST, getOptimizer('gd'));
  const work = {
    starts: [START, START],
    laneParams: [{ eta: 0.001 }, { eta: 50 }],
    traceCount: 0,
    steps: 5,
    targets: [],
    stopAtTargets: false,
    recordSteps: recordSchedule(5, 10),
    fStar: 0,
    precision: 'f64' as const,
  };
  assert.throws(() => executeLanes(compileKernel(program, 'js'), program, work), /lane 1: gd: eta = 50 is outside/);
});

test("the papers' grids fit the published ranges", () => {
  const range = (id: string, name: string) => {
    const p = getOptimizer(id).params.find((x) => x.name === name);
    assert.ok(p?.kind === 'number', `${id}.${name}`);
    return p;
  };
  const fits = (id: string, name: string, values: readonly number[]) => {
    const p = range(id, name);
    for (const v of values) assert.ok(p.min <= v && v <= p.max, `${id}.${name} = ${v} in ${p.min}…${p.max}`);
  };
  // Baiesi 2019, Fig. 3: η = 10ᵏ, k = −4…1, for every optimizer with η; H from 0.1 to 1.
  for (const o of listOptimizers().filter((x) => x.params.some((p) => p.name === 'eta')))
    fits(o.id, 'eta', [1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
  for (const o of listOptimizers().filter((x) => x.params.some((p) => p.name === 'H')))
    fits(o.id, 'H', [0.1, 0.25, 0.5, 0.75, 1]);
  // Sprunger 2020 recommends α ∈ [0.2, 2] and uses up to 1.9; the Powerball paper's γ = 0.4, 0.6, 0.8 and 1.
  fits('nasgd', 'alpha', [0.2, 0.7, 1.9, 2]);
  fits('pbsgd', 'H', [0.4, 0.6, 0.8, 1]);
  fits('h-nag', 'gamma', [0.9, 0.99]);
  fits('ht-adam', 'beta3', [0.999]);
});

// A copy of the reference CONVENTIONS.md (the tests never depend on anything outside the repository).
const CONVENTIONS = join(__dirname, '../fixtures/CONVENTIONS.md');
const ROWS: Readonly<Record<string, string>> = {
  gd: 'GD',
  momentum: 'Momentum (slides)',
  nag: 'NAG (slides; Baiesi A.1 with H = 1)',
  adagrad: 'Adagrad',
  rmsprop: 'RMSprop (slides)',
  adam: 'Adam (slides; Baiesi A.2 with H = 1)',
  amsgrad: 'AMSGrad (Baiesi A.3, literal; default)',
  rprop: 'Rprop+ (slides; default)',
  irprop: 'iRprop− (option)',
  quickprop: 'Quickprop (slides / Fahlman)',
  ngd: 'NGD (Kolasiński Alg. 1)',
  nasgd: 'NaSGD (Sprunger Alg. 1)',
  pbsgd: 'Powerball SGD (the "PowerSGD" paper)',
  pbsgdm: 'Powerball SGD with momentum',
  'h-gd': 'h-GD',
  'h-nag': 'h-NAG (A.1)',
  'h-adam': 'h-Adam (A.2, constant H)',
  'ht-adam': 'h(t)-Adam (A.2)',
  'h-amsgrad': 'h-AMSGrad (A.3)',
};

test("each optimizer's rule is its row of CONVENTIONS.md", () => {
  const cells = new Map(
    readFileSync(CONVENTIONS, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| /, '').trim()))
      .map((c) => [c[0], c[1]]),
  );
  for (const [id, row] of Object.entries(ROWS)) assert.equal(getOptimizer(id).rule, cells.get(row), id);
  // amsgrad-max's row reads "as above with …": its rule writes the AMSGrad row out with the running max.
  assert.match(getOptimizer('amsgrad-max').rule, /ŝₜ = max\(ŝₜ₋₁, sₜ\)/);
});
