import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBuiltin } from '../../src/engine/library';
import { run } from '../../src/engine/run/runner';
import { parseGrid, sweep } from '../../src/engine/run/sweep';

test('a sweep cell gives exactly the numbers of a single run with the same parameters and starts', () => {
  const fn = findBuiltin('beale')!;
  const starts = { kind: 'random' as const, n: 40, seed: 11, domain: fn.domain! };
  for (const backend of ['js', 'wasm-simd'] as const) {
    const result = sweep({
      fn,
      optimizers: [
        { id: 'nag', params: { gamma: 0.99 } },
        { id: 'h-nag', params: {} },
        { id: 'rprop', params: {} },
      ],
      grid: [
        { name: 'eta', values: [1e-3, 1e-2, 1e-1] },
        { name: 'H', values: [0.5, 0.7] },
      ],
      starts,
      budgets: [100, 1000],
      target: 1e-4,
      backend,
    });
    // nag has η only (3 cells), h-nag η × H (6), rprop neither (1)
    assert.deepEqual(
      ['nag', 'h-nag', 'rprop'].map((id) => result.cells.filter((c) => c.optimizer === id).length),
      [3, 6, 1],
    );
    for (const cell of result.cells) {
      const single = run({
        fn,
        optimizers: [{ id: cell.optimizer, params: cell.params }],
        starts,
        steps: 1000,
        targets: [1e-4],
        stopAtTargets: true,
        backend,
      }).runs[0];
      const what = `${backend} ${cell.optimizer} ${JSON.stringify(cell.params)}`;
      assert.deepEqual(cell.perStart, single.stepsToTarget['0.0001'].perLane, what);
      assert.equal(cell.converged, single.converged, what);
      assert.equal(cell.diverged, single.diverged / single.n, what);
      assert.equal(cell.orbits, single.orbits, what);
      assert.equal(cell.medianSteps, single.stepsToTarget['0.0001'].median, what);
      assert.equal(cell.fraction['1000'], single.converged / single.n, what);
      assert.equal(
        cell.fraction['100'],
        single.stepsToTarget['0.0001'].perLane.filter((k) => k !== null && k <= 100).length / single.n,
        what,
      );
    }
  }
});

test('grids: lo:hi:n log-spaced for η (exact decades), linear for H; explicit lists; errors', () => {
  assert.deepEqual(parseGrid('1e-4:1e1:6', 'log'), [1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
  assert.deepEqual(parseGrid('0.1:1:10', 'linear'), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  assert.deepEqual(parseGrid('0.5, 0.7,1', 'linear'), [0.5, 0.7, 1]);
  assert.throws(() => parseGrid('0:1:5', 'log'), /log grid needs lo, hi > 0/);
  assert.throws(() => parseGrid('a:b:c', 'linear'), RangeError);
  assert.throws(() => parseGrid('1,,2', 'linear'), RangeError);
  const fn = findBuiltin('beale')!;
  assert.throws(
    () =>
      sweep({
        fn,
        optimizers: [{ id: 'gd', params: {} }],
        grid: [{ name: 'H', values: [0.5] }],
        starts: { kind: 'list', points: [[1, 1]] },
        budgets: [10],
        target: 1e-4,
      }),
    /no optimizer of this sweep has a hyperparameter 'H'/,
  );
});
