// The optimizers against golden.json (an independent implementation's first 10 iterates of 28 configurations
// on Rosenbrock and Beale) and the exact identities of CONVENTIONS.md. The cost functions are built with the
// Graph API here so these tests do not depend on the expression parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, Graph } from '../../src/engine/expr/ir';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import type { Optimizer } from '../../src/engine/optim/types';
import { referenceTrace, type Iterate } from '../../src/engine/run/reference';
import { buildStepProgram, withGradient, type CostProgram } from '../../src/engine/program/stepProgram';

import { configFor, golden, type Config } from './goldenConfig';

function rosenbrock(): CostProgram {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const a = g.sub(g.const(1), x);
  const b = g.sub(y, g.mul(x, x));
  return { graph: g, inputs: [x, y], output: g.add(g.mul(a, a), g.mul(g.const(100), g.mul(b, b))) };
}

function beale(): CostProgram {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const term = (c: number, yPower: number) => {
    const t = g.add(g.sub(g.mul(x, g.pow(y, g.const(yPower))), x), g.const(c));
    return g.mul(t, t);
  };
  return { graph: g, inputs: [x, y], output: g.sum([term(2.625, 3), term(2.25, 2), term(1.5, 1)]) };
}

const PROBLEMS = { rosenbrock: withGradient(rosenbrock()), beale: withGradient(beale()) } as const;
type ProblemKey = keyof typeof PROBLEMS;
const START: Record<ProblemKey, number[]> = { rosenbrock: [-1.5, 2], beale: [1, 1] };

function defaults(o: Optimizer): Record<string, number> {
  return Object.fromEntries(o.params.flatMap((p) => (p.kind === 'number' ? [[p.name, p.default]] : [])));
}

function trace(problem: ProblemKey, c: Config, steps = 10): Iterate[] {
  const o = getOptimizer(c.id);
  for (const name of [...Object.keys(c.numbers), ...Object.keys(c.choices)]) {
    assert.ok(
      o.params.some((p) => p.name === name),
      `${c.id} has a parameter '${name}'`,
    );
  }
  const program = buildStepProgram(PROBLEMS[problem], o, c.choices);
  return referenceTrace(program, START[problem], { ...defaults(o), ...c.numbers }, steps);
}

function close(actual: number, expected: number, what: string): void {
  const ok = Object.is(actual, expected) || Math.abs(actual - expected) <= 1e-12 * Math.abs(expected);
  assert.ok(
    ok,
    `${what}: ${actual} vs golden ${expected} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`,
  );
}

const BRANCHING = new Set(['rprop', 'irprop', 'quickprop']);

test('golden.json has 28 configurations on two problems', () => {
  assert.equal(golden.optimizers.length, 28);
  assert.deepEqual(
    golden.problems.map((p) => [p.key, p.start]),
    [
      ['rosenbrock', START.rosenbrock],
      ['beale', START.beale],
    ],
  );
});

for (const o of golden.optimizers) {
  const c = configFor(o);
  for (const problem of Object.keys(PROBLEMS) as ProblemKey[]) {
    test(`golden ${o.name} (${c.id}) on ${problem}: 11 iterates within 1e-12`, () => {
      const expected = o.runs[problem];
      assert.equal(expected.length, 11);
      const actual = trace(problem, c);
      expected.forEach((e, k) => {
        close(actual[k].f, e.f, `f at k=${k}`);
        e.theta.forEach((v, i) => close(actual[k].theta[i], v, `θ${i} at k=${k}`));
        if (!BRANCHING.has(c.id) || k === 0) return;
        // Discrete methods: the same branch every step — the direction of each move exactly, its size to 1e-12.
        e.theta.forEach((v, i) => {
          const want = v - expected[k - 1].theta[i];
          const got = actual[k].theta[i] - actual[k - 1].theta[i];
          assert.equal(Math.sign(got), Math.sign(want), `sign of step ${k}, coordinate ${i}`);
          close(Math.abs(got), Math.abs(want), `size of step ${k}, coordinate ${i}`);
        });
      });
    });
  }
}

function assertIdentical(a: Iterate[], b: Iterate[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((it, k) => {
    assert.ok(Object.is(it.f, b[k].f), `${what}: f at k=${k}: ${it.f} vs ${b[k].f}`);
    it.theta.forEach((v, i) =>
      assert.ok(Object.is(v, b[k].theta[i]), `${what}: θ${i} at k=${k}: ${v} vs ${b[k].theta[i]}`),
    );
  });
}

const STEPS = 40;

for (const problem of Object.keys(PROBLEMS) as ProblemKey[]) {
  test(`identities bit for bit on ${problem}: pbSGD(H=½) ≡ h-GD(H=½), pbSGD(H=1) ≡ GD, pbSGDM(H=1) ≡ Momentum`, () => {
    const eta = 1e-3;
    assertIdentical(
      trace(problem, { id: 'pbsgd', numbers: { eta, H: 0.5 }, choices: {} }, STEPS),
      trace(problem, { id: 'h-gd', numbers: { eta, H: 0.5 }, choices: {} }, STEPS),
      'pbsgd ≡ h-gd',
    );
    assertIdentical(
      trace(problem, { id: 'pbsgd', numbers: { eta, H: 1 }, choices: {} }, STEPS),
      trace(problem, { id: 'gd', numbers: { eta }, choices: {} }, STEPS),
      'pbsgd ≡ gd',
    );
    assertIdentical(
      trace(problem, { id: 'pbsgdm', numbers: { eta, H: 1, beta: 0.9 }, choices: {} }, STEPS),
      trace(problem, { id: 'momentum', numbers: { eta, beta: 0.9 }, choices: {} }, STEPS),
      'pbsgdm ≡ momentum',
    );
  });

  test(`h-NAG(H=1) on ${problem} is bit for bit the slides' NAG written out in plain TypeScript`, () => {
    const cost = PROBLEMS[problem];
    const grad = (w: number[]) => evaluate(cost.graph, { x: w[0], y: w[1] }, cost.grad);
    const fAt = (w: number[]) => evaluate(cost.graph, { x: w[0], y: w[1] }, [cost.output])[0];
    const [lr, beta] = [1e-3, 0.9];
    let w = [...START[problem]];
    let dw = [0, 0];
    const expected: Iterate[] = [{ step: 0, theta: w, f: fAt(w) }];
    for (let k = 1; k <= STEPS; k++) {
      const gHat = grad(w.map((wi, i) => wi + beta * dw[i]));
      dw = dw.map((d, i) => beta * d - lr * gHat[i]);
      w = w.map((wi, i) => wi + dw[i]);
      expected.push({ step: k, theta: w, f: fAt(w) });
    }
    assertIdentical(
      trace(problem, { id: 'h-nag', numbers: { eta: lr, gamma: beta, H: 1 }, choices: {} }, STEPS),
      expected,
      'h-nag',
    );
  });

  test(`NGD with m = 0 on ${problem} is bit for bit plain L2 NGD written out in plain TypeScript`, () => {
    const cost = PROBLEMS[problem];
    const evalAt = (w: number[]) => evaluate(cost.graph, { x: w[0], y: w[1] }, [cost.output, ...cost.grad]);
    const lambda = 0.01;
    let w = [...START[problem]];
    const expected: Iterate[] = [];
    for (let k = 0; k <= STEPS; k++) {
      const [f, ...gr] = evalAt(w);
      expected.push({ step: k, theta: w, f });
      const n = Math.sqrt(gr[0] * gr[0] + gr[1] * gr[1]);
      w = w.map((wi, i) => wi - lambda * (gr[i] / n));
    }
    assertIdentical(trace(problem, { id: 'ngd', numbers: { eta: lambda, m: 0 }, choices: {} }, STEPS), expected, 'ngd');
  });
}

test('Adam past the underflow of β₁ᵗ and β₂ᵗ (held at 0) is bit for bit Adam written out with the plain products', () => {
  // β > ½ leaves a plain product stuck at the smallest subnormal; 2,200 steps take both past 2⁻¹⁰²²
  const [eta, beta1, beta2, eps, steps] = [0.01, 0.6, 0.7, 1e-8, 2200];
  const cost = PROBLEMS.rosenbrock;
  const evalAt = (w: number[]) => evaluate(cost.graph, { x: w[0], y: w[1] }, [cost.output, ...cost.grad]);
  let w = [...START.rosenbrock];
  let [m, s, b1t, b2t] = [[0, 0], [0, 0], 1, 1];
  const expected: Iterate[] = [];
  for (let k = 0; k <= steps; k++) {
    const [f, ...gr] = evalAt(w);
    expected.push({ step: k, theta: w, f });
    b1t *= beta1;
    b2t *= beta2;
    m = m.map((mi, i) => beta1 * mi + (1 - beta1) * gr[i]);
    s = s.map((si, i) => beta2 * si + (1 - beta2) * (gr[i] * gr[i]));
    const [c1, c2] = [1 - b1t, 1 - b2t];
    const inverse = 1 / (c1 * c2);
    w = w.map((wi, i) => wi - (eta * (inverse * c2) * m[i]) / (Math.sqrt(s[i] * (inverse * c1)) + eps));
  }
  assert.ok(b1t > 0 && b1t < 2 ** -1022 && b2t > 0 && b2t < 2 ** -1022, `subnormal products: ${b1t}, ${b2t}`);
  assertIdentical(
    trace('rosenbrock', { id: 'adam', numbers: { eta, beta1, beta2, eps }, choices: {} }, steps),
    expected,
    'adam',
  );
});

/** Every combination of an optimizer's choice parameters. */
function choiceCombinations(o: Optimizer): Record<string, string>[] {
  return o.params.reduce<Record<string, string>[]>(
    (acc, p) => (p.kind === 'choice' ? acc.flatMap((c) => p.choices.map((v) => ({ ...c, [p.name]: v }))) : acc),
    [{}],
  );
}

const named = listOptimizers();
const bases = named.filter((o) => o.transforms.length === 1);

test('every base optimizer that reads the gradient value has an h-<id>; Rprop, which reads signs, has none', () => {
  assert.deepEqual(
    bases.filter((o) => named.some((h) => h.id === `h-${o.id}`)).map((o) => o.id),
    bases.filter((o) => o.consumes === 'value').map((o) => o.id),
  );
  assert.deepEqual(
    bases.filter((o) => o.consumes === 'sign').map((o) => o.id),
    ['rprop', 'irprop'],
  );
});

for (const base of bases.filter((o) => o.consumes === 'value')) {
  test(`h-${base.id} with H = 1 is ${base.id} bit for bit, for every choice`, () => {
    for (const choices of choiceCombinations(base)) {
      for (const problem of Object.keys(PROBLEMS) as ProblemKey[]) {
        // The base's defaults for both: h-variants may default differently (Baiesi's β₂ = 0.99, γ = 0.99).
        const numbers = { ...defaults(base), ...('eta' in defaults(base) ? { eta: 1e-3 } : {}) };
        assertIdentical(
          trace(problem, { id: `h-${base.id}`, numbers: { ...numbers, H: 1 }, choices }, STEPS),
          trace(problem, { id: base.id, numbers, choices }, STEPS),
          `h-${base.id} ${JSON.stringify(choices)} on ${problem}`,
        );
      }
    }
  });
}

test("h(t)-Adam uses H₁ = β₃H₀ + (1 − β₃) on its first step (0.5005 for Baiesi's values)", () => {
  const numbers = { eta: 0.01, H0: 0.5, beta3: 0.999 };
  const [, first] = trace('rosenbrock', { id: 'ht-adam', numbers, choices: {} }, 1);
  const [, fixed] = trace(
    'rosenbrock',
    { id: 'h-adam', numbers: { eta: 0.01, H: 0.999 * 0.5 + (1 - 0.999) }, choices: {} },
    1,
  );
  assertIdentical([first], [fixed], 'first step');
});
