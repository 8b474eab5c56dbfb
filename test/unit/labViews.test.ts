// What the host computes for the Lab's views, against independent references: curves and slices against mathjs
// evaluating the same text, the internals' arrows against central differences and GD's own update rule, the
// configuration of a run against the request that made it, the trace budget, and the optimizer colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from 'mathjs';
import { parseCostFile, parseExpression } from '../../src/engine/expr/costParser';
import { listOptimizers } from '../../src/engine/optim/registry';
import { executeRequest, type RunRequest } from '../../src/engine/run/request';
import { optimizerColour, variantOf } from '../../src/present/colours';
import { internals } from '../../src/present/internals';
import { curveMessage, landscapeMessage, slicePoint, viewMessage } from '../../src/present/landscape';
import { resultConfig, runConfig } from '../../src/present/runConfig';
import { runResultMessage } from '../../src/present/runMessages';
import { SHOWN_LANES, TRACE_BUDGET, tracePlan } from '../../src/present/traces';
import { parseHostMessage } from '../../src/shared/webviewProtocol';
import { asPosted } from './helpers';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} ≉ ${b}`);

test('one variable: the curve f(x) over the domain, as mathjs computes it; f* unknown says so', () => {
  const g1 = parseExpression('g1(x) = (x-2)^2 + 1');
  const msg = curveMessage(g1, 'g1');
  parseHostMessage(asPosted(msg));
  assert.deepEqual(msg.bounds, [-5, 5]);
  assert.equal(msg.fStar, null);
  assert.equal(msg.title, 'g1(x)');
  msg.xs.forEach((x, i) => close(msg.f[i]!, Number(evaluate('(x-2)^2 + 1', { x })), 1e-12, `f(${x})`));
  const log = curveMessage(parseExpression('h(t) = log(t)'), 'h', [-1, 1]);
  assert.equal(log.f[0], null, 'log of a negative number is not drawn');
  assert.equal(viewMessage(g1, 'g1').type, 'curve');
});

test('three variables: a slice through two of them at the first @minimum, as mathjs computes it', () => {
  const text =
    'w(x, y, z) = (x - 1)^2 + 2*(y + 0.5)^2 + 3*(z - 2)^2 + x*z\n@domain [-3, 3] x [-3, 3] x [-3, 3]\n@minimum (1, -0.5, 2)\n';
  const [w] = parseCostFile(text, 'w.cost').functions;
  const fStar = Number(evaluate('(x - 1)^2 + 2*(y + 0.5)^2 + 3*(z - 2)^2 + x*z', { x: 1, y: -0.5, z: 2 }));
  // x across, z up; y fixed at the minimum's −0.5.
  const msg = viewMessage(w, 'w', { axes: [0, 2], bounds: null, at: { kind: 'minimum' } });
  assert.equal(msg.type, 'landscape');
  if (msg.type !== 'landscape') return;
  parseHostMessage(asPosted(msg));
  assert.equal(msg.title, 'slice at y = -0.5');
  assert.deepEqual(msg.at, [1, -0.5, 2]);
  assert.deepEqual(msg.bounds, { xMin: -3, xMax: 3, yMin: -3, yMax: 3 });
  assert.equal(msg.base, fStar);
  assert.deepEqual(msg.minima, [[1, 2]]);
  for (const [i, j] of [
    [0, 0],
    [119, 119],
    [40, 77],
  ]) {
    const [x, z] = [msg.xs[i], msg.ys[j]];
    const f = Number(evaluate('(x - 1)^2 + 2*(y + 0.5)^2 + 3*(z - 2)^2 + x*z', { x, y: -0.5, z }));
    close(msg.values[j * 120 + i]!, Math.log10(f - fStar + msg.delta), 1e-9, `(${x}, ${z})`);
  }
  // Other slice points: the domain's centre, or a point given (a trajectory's, during playback).
  assert.deepEqual(slicePoint(w, { kind: 'centre' }), [0, 0, 0]);
  const at = viewMessage(w, 'w', {
    axes: [1, 2],
    bounds: [
      [-1, 1],
      [0, 1],
    ],
    at: { kind: 'point', point: [0.25, 9, 9] },
  });
  assert.ok(at.type === 'landscape' && at.title === 'slice at x = 0.25' && at.bounds.yMax === 1);
});

test('no @minimum: the landscape is relative to the lowest f shown, and says f* is unknown', () => {
  const hill = parseExpression('hill(x, y) = -x^2 - y^2');
  const msg = landscapeMessage(hill, 'hill', undefined, 21)!;
  parseHostMessage(asPosted(msg));
  assert.equal(msg.fStar, null);
  assert.equal(msg.base, -50);
  const lowest = Math.min(...msg.values.map((v) => v!));
  close(lowest, Math.log10(msg.delta), 1e-12, 'the lowest cell sits at log δ');
  assert.ok(msg.delta > 1e-12, 'δ scaled to the range shown, so one cell does not stretch the colours');
});

test('internals: −∇f against central differences, the power gradient, and GD’s step is −η∇f', () => {
  const text = 'q(x, y) = 0.5*x^2 + 2*y^2 + x*y';
  const q = parseExpression(text);
  const eta = 0.05;
  const request: RunRequest = {
    fn: { kind: 'expression', text },
    optimizers: [{ id: 'gd', params: { eta } }],
    starts: {
      kind: 'list',
      points: [
        [1, 1],
        [-2, 0.5],
      ],
    },
    steps: 40,
    targets: [1e-8],
    traces: 2,
    backend: 'js',
  };
  const msg = runResultMessage(1, executeRequest(request));
  const [set] = internals(q, msg.optimizers, 10, 20);
  assert.deepEqual(
    Array.from(set.steps),
    [...Array(11).keys()].map((k) => k + 10),
  );
  assert.equal(set.H, 0.5);
  const f = (x: number, y: number) => Number(evaluate('0.5*x^2 + 2*y^2 + x*y', { x, y }));
  const t = msg.optimizers[0].traces;
  const R = t.steps.length;
  for (let l = 0; l < 2; l++)
    for (let w = 0; w < 11; w++) {
      const r = w + 10;
      const [x, y] = t.theta.subarray((l * R + r) * 2, (l * R + r) * 2 + 2);
      const h = 1e-6;
      const gx = (f(x + h, y) - f(x - h, y)) / (2 * h);
      const gy = (f(x, y + h) - f(x, y - h)) / (2 * h);
      const k = (l * 11 + w) * 2;
      close(set.gradient[k], -gx, 1e-6, 'd/dx');
      close(set.gradient[k + 1], -gy, 1e-6, 'd/dy');
      close(set.power[k], -Math.sign(gx) * Math.abs(gx) ** 0.5, 1e-6, 'power');
      close(set.step[k], -eta * gx, 1e-6, 'GD step x');
      close(set.step[k + 1], -eta * gy, 1e-6, 'GD step y');
    }
  // The last step has no next iterate: no step arrow there.
  const end = internals(q, msg.optimizers, 40, 40)[0];
  assert.ok(Number.isNaN(end.step[0]) && Number.isFinite(end.gradient[0]));
});

test('what ran: the configuration of a request equals the one read from its result, and round-trips', () => {
  const [b] = parseCostFile('b(x, y) = x^2 + 3*y^2\n', 'b.cost').functions;
  const starts = {
    kind: 'random' as const,
    n: 5,
    seed: 9,
    domain: [
      [-1, 1],
      [-1, 1],
    ] as [number, number][],
  };
  const asked = runConfig(
    { key: 'b.cost#b', variables: b.variables, expression: b.source, fStar: b.fStar },
    [{ id: 'adam', params: { eta: 0.02 } }],
    starts,
    30,
    1e-5,
  );
  const result = executeRequest({
    fn: { kind: 'file', text: 'b(x, y) = x^2 + 3*y^2\n', name: 'b', path: 'b.cost' },
    optimizers: [{ id: 'adam', params: { eta: 0.02 } }],
    starts,
    steps: 30,
    targets: [1e-5],
  });
  assert.deepEqual(resultConfig(result, 'b.cost#b'), asked);
  // Every hyperparameter is there, the defaults included; no @minimum: f* unknown.
  assert.deepEqual(Object.keys(asked.optimizers[0].params).sort(), ['beta1', 'beta2', 'eps', 'eta']);
  assert.equal(asked.fStar, null);
  const msg = runResultMessage(2, result, { config: asked });
  assert.deepEqual(parseHostMessage(asPosted(msg)), msg);
});

test('trace budget: 64 starts × 1,000 steps × 3 optimizers at every step; beyond, all lanes up to 256, decimated', () => {
  assert.deepEqual(tracePlan(64, 3), { lanes: 64, maxPoints: Math.floor(TRACE_BUDGET / 192) });
  assert.ok(tracePlan(64, 3).maxPoints >= 1001);
  const big = tracePlan(4096, 5);
  assert.equal(big.lanes, SHOWN_LANES);
  assert.ok(big.lanes * 5 * big.maxPoints <= TRACE_BUDGET);
  assert.ok(tracePlan(1, 1).maxPoints <= 8000, 'within the protocol’s curve limit');
});

test('colours: one per optimizer id whatever else runs, paired by base, readable on dark and light editors', () => {
  const ids = listOptimizers().map((o) => o.id);
  // Stable: a function of the id alone.
  assert.deepEqual(ids.map(optimizerColour), [...ids].reverse().map(optimizerColour).reverse());
  assert.equal(optimizerColour('adam'), '#c66605');
  // A base and its power variants share a hue in different tones; no two ids of the registry share a colour.
  assert.deepEqual(variantOf('h-adam'), { base: 'adam', variant: 1 });
  assert.deepEqual(variantOf('ht-adam'), { base: 'adam', variant: 2 });
  assert.equal(new Set(ids.map(optimizerColour)).size, ids.length);
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  for (const id of [...ids, 'an-unknown-one']) {
    const y = luminance(optimizerColour(id));
    assert.ok(contrast(y, luminance('#1e1e1e')) >= 3, `${id} on the dark editor`);
    assert.ok(contrast(y, luminance('#ffffff')) >= 3, `${id} on the light editor`);
  }
});

test('a start where f is not finite: its trajectory is empty and the result still passes the check', () => {
  const result = executeRequest({
    fn: { kind: 'expression', text: 'log(x) + y^2' },
    optimizers: [{ id: 'gd', params: {} }],
    starts: {
      kind: 'list',
      points: [
        [-1, 1],
        [2, 1],
      ],
    },
    steps: 20,
    targets: [1e-6],
    traces: 2,
    backend: 'js',
  });
  const msg = runResultMessage(1, result);
  assert.deepEqual(parseHostMessage(asPosted(msg)), msg);
  const t = msg.optimizers[0].traces;
  assert.deepEqual(Array.from(t.lengths), [0, 21]);
  assert.equal(msg.optimizers[0].row.diverged, 1);
});
