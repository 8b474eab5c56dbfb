// The presentation layer against independent references: the number formatter against the number it prints
// (read back with Number, within half a unit of its last digit), sweep CSV read back cell by cell, symbols from
// the optimizer registry's metadata, the one default domain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBuiltin } from '../../src/engine/library';
import { listOptimizers } from '../../src/engine/optim/registry';
import { DEFAULT_INTERVAL, domainOf } from '../../src/engine/run/starts';
import { sweep } from '../../src/engine/run/sweep';
import { formatNumber } from '../../src/present/format';
import { configLabel, paramSymbol } from '../../src/present/params';
import { sweepCsv, sweepSummary } from '../../src/present/sweepExport';
import { sweepData } from '../../src/present/sweepMessage';

test('formatNumber: digits significant, exponent form outside [1e-3, 1e6), missing values as –', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [269, '269'],
    [1645.3779, '1645'],
    [0.1156, '0.1156'],
    [-0.001, '-0.001'],
    [999_999, '1000000'],
    [1e6, '1e6'],
    [2.5e7, '2.5e7'],
    [1e-4, '1e-4'],
    [-1.23456e-7, '-1.235e-7'],
  ];
  for (const [v, text] of cases) assert.equal(formatNumber(v), text, String(v));
  assert.equal(formatNumber(null), '–');
  assert.equal(formatNumber(undefined), '–');
  assert.equal(formatNumber(Infinity), 'Infinity');
  assert.equal(formatNumber(3.5844283, { digits: 8 }), '3.5844283');
  // Read back, every printed number is within half a unit of its last significant digit.
  let x = 0.987654321e-9;
  for (let k = 0; k < 40; k++, x *= 3.7) {
    for (const digits of [4, 6, 8]) {
      const back = Number(formatNumber(x, { digits }));
      assert.ok(Math.abs(back - x) <= 0.5 * 10 ** (Math.floor(Math.log10(x)) - digits + 1) * (1 + 1e-12), `${x}`);
    }
  }
});

test('the one default domain: [-5, 5] per variable where a function has no @domain', () => {
  assert.deepEqual(DEFAULT_INTERVAL, [-5, 5]);
  assert.deepEqual(domainOf({ variables: ['a', 'b'] }), [
    [-5, 5],
    [-5, 5],
  ]);
  assert.deepEqual(domainOf(findBuiltin('beale')!), findBuiltin('beale')!.domain);
});

test('symbols come from the registry metadata: every numeric parameter of every optimizer', () => {
  for (const o of listOptimizers())
    for (const p of o.params) assert.equal(paramSymbol(p.name, [o.id]), p.symbol, `${o.id}.${p.name}`);
  assert.equal(paramSymbol('eta'), 'η');
  assert.equal(paramSymbol('nonesuch'), 'nonesuch');
  assert.equal(configLabel('h-adam', { eta: 0.001, H: 0.5, beta1: 0.9 }, ['eta', 'H']), 'h-Adam · η=0.001, H=0.5');
});

test('a sweep as CSV reads back to its cells; as a message, its axes carry symbol and scale', () => {
  const fn = findBuiltin('rosenbrock')!;
  const result = sweep({
    fn,
    optimizers: [
      { id: 'gd', params: {} },
      { id: 'h-adam', params: {} },
    ],
    grid: [
      { name: 'eta', values: [1e-3, 1e-2] },
      { name: 'H', values: [0.5] },
    ],
    starts: { kind: 'random', n: 4, seed: 5, domain: fn.domain! },
    budgets: [10, 100],
    target: 1e-3,
    backend: 'js',
  });
  const [head, ...rows] = sweepCsv(result)
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
  assert.deepEqual(head.slice(0, 5), ['optimizer', 'eta', 'H', 'fraction_T10', 'fraction_T100']);
  assert.equal(rows.length, result.cells.length);
  rows.forEach((r, i) => {
    const c = result.cells[i];
    assert.equal(r[0], c.optimizer);
    assert.equal(Number(r[1]), c.params.eta);
    assert.equal(r[2], 'H' in c.params ? String(c.params.H) : '', 'GD has no H: an empty cell');
    assert.equal(Number(r[4]), c.fraction['100']);
    assert.equal(r[7], c.medianSteps === null ? '' : String(c.medianSteps));
  });
  assert.match(sweepSummary(result).split('\n')[1], /^optimizer\s+η\s+H\s+T=10\s+T=100/);
  const data = sweepData(result);
  assert.deepEqual(
    data.axes.map((a) => [a.name, a.symbol, a.scale]),
    [
      ['eta', 'η', 'log'],
      ['H', 'H', 'linear'],
    ],
  );
});
