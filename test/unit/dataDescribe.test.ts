// describe(): the summary behind `descent-lab data` and hovers, against plain per-column loops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDataset } from '../../src/engine/data/builtins';
import { parseCsv } from '../../src/engine/data/csv';
import type { Dataset } from '../../src/engine/data/dataset';
import { describe } from '../../src/engine/data/describe';

function iris(): Dataset {
  const r = builtinDataset('iris');
  assert.ok(r.ok);
  return r.dataset;
}

test('iris: four real measurements, one one-hot group of three, min/max/mean as plain loops give', () => {
  const d = iris();
  const s = describe(d, { size: 0.8 });
  assert.equal(s.name, 'iris');
  assert.equal(s.rows, 150);
  assert.deepEqual(s.split, { train: 120, test: 30 });
  assert.deepEqual(
    s.columns.map((c) => [c.kind, c.group]),
    [
      ['real', undefined],
      ['real', undefined],
      ['real', undefined],
      ['real', undefined],
      ['one-hot', [4, 6]],
      ['one-hot', [4, 6]],
      ['one-hot', [4, 6]],
    ],
  );
  s.columns.forEach((c, j) => {
    const xs: number[] = [];
    for (let i = 0; i < d.rows; i++) xs.push(d.values[i * 7 + j]);
    assert.equal(c.name, d.columns[j]);
    assert.equal(c.min, Math.min(...xs));
    assert.equal(c.max, Math.max(...xs));
    assert.ok(Math.abs(c.mean - xs.reduce((a, b) => a + b) / xs.length) < 1e-12);
  });
  assert.deepEqual(
    s.columns.slice(4).map((c) => c.mean),
    [1 / 3, 1 / 3, 1 / 3],
  );
});

test('kinds: ±1 labels, 0/1 flags, integers, reals; 0/1 columns that do not sum to 1 are no group', () => {
  const d = parseCsv(
    'x,label,flag,count,a,b,c,d\n' + //
      '0.5,1,0,3,1,0,0,1\n' +
      '1.5,-1,1,-2,0,1,0,0\n' +
      '2,1,1,0,0,0,1,0\n',
    { name: 'kinds.csv' },
  );
  const s = describe(d);
  assert.deepEqual(
    s.columns.map((c) => [c.name, c.kind, c.group]),
    [
      ['x', 'real', undefined],
      ['label', 'binary ±1', undefined],
      ['flag', 'binary 0/1', undefined],
      ['count', 'integer', undefined],
      ['a', 'one-hot', [4, 6]],
      ['b', 'one-hot', [4, 6]],
      ['c', 'one-hot', [4, 6]],
      ['d', 'binary 0/1', undefined],
    ],
  );
  assert.deepEqual(s.split, { train: 3, test: 0 }, 'without a split every row trains');
  const circle = builtinDataset('circle');
  assert.ok(circle.ok);
  assert.deepEqual(
    describe(circle.dataset).columns.map((c) => c.kind),
    ['real', 'real', 'binary ±1'],
  );
});

test('a split that does not fit the data is reported, not thrown', () => {
  assert.deepEqual(describe(iris(), { size: 200 }).split, {
    problem: 'the split asks for 200 training rows; the data has 150',
  });
  assert.deepEqual(describe(iris(), { size: 100, ordered: true }).split, { train: 100, test: 50 });
});
