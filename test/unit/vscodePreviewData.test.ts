// The dataset preview's message, without VS Code or a browser: it passes the protocol's check, its table and
// scatter rows are the dataset's own, the split is marked where splitRows puts it, and the colourings are the
// label classes known from the data (iris in file order: 50 setosa, 50 versicolor, 50 virginica; circle: ±1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinDataset, splitRows, type Dataset } from '../../src/engine/data';
import { parsePreviewMessage, parsePreviewReply, PREVIEW_SCATTER_ROWS } from '../../src/shared/dataPreviewProtocol';
import { previewMessage, sampleRows } from '../../src/vscode/previewData';

const load = (ref: string): Dataset => {
  const r = builtinDataset(ref);
  assert.ok(r.ok, ref);
  return r.dataset;
};

test('iris: 50 table rows in file order, all 150 in the scatter, the 30 test rows marked, species as one class column', () => {
  const iris = load('iris');
  const split = { size: 120, seed: 1 };
  const m = parsePreviewMessage(previewMessage(iris, { title: 'iris', kind: 'built-in', split }));
  assert.equal(m.rows, 150);
  assert.deepEqual(m.split, { train: 120, test: 30 });
  assert.deepEqual([...m.table.rows], [...Array(50).keys()]);
  assert.deepEqual([...m.table.values], [...iris.values.subarray(0, 50 * 7)]);
  assert.equal(m.scatter.rows.length, 150);
  const test = new Set(splitRows(150, split).test);
  assert.deepEqual(
    [...m.scatter.test],
    [...m.scatter.rows].map((r) => (test.has(r) ? 1 : 0)),
  );
  assert.equal(
    m.scatter.test.reduce((a, b) => a + b, 0),
    30,
  );
  assert.deepEqual(
    m.colourings.map((c) => c.name),
    ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'setosa / versicolor / virginica'],
  );
  const species = m.colourings[4];
  assert.deepEqual(species.classes, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(
    [...species.values],
    [...Array(150).keys()].map((r) => Math.floor(r / 50)),
  );
  assert.equal(m.colourings[0].classes, null, 'a real column colours by value');
  assert.deepEqual(m.initial, { x: 0, y: 1, colour: 4 });
  assert.match(
    m.subtitle,
    /^built-in: 150 rows × 7 columns; split: 120 train, 30 test \(shuffled with split seed 1\)$/,
  );
  assert.equal(m.columns[4].kind, 'one-hot');
});

test('circle: the ±1 label is a two-class colouring and the default; without @split no row is a test row', () => {
  const circle = load('circle(n=200)');
  const m = parsePreviewMessage(previewMessage(circle, { title: 'circle(n=200)', kind: 'built-in' }));
  assert.equal(m.split, null);
  assert.ok(m.table.test.every((t) => t === 0) && m.scatter.test.every((t) => t === 0));
  const label = m.colourings[m.initial.colour];
  assert.equal(label.name, 'label');
  assert.deepEqual(label.classes, ['-1', '1']);
  for (let k = 0; k < 200; k++) assert.equal(label.values[k], circle.values[k * 3 + 2] === 1 ? 1 : 0);
  assert.deepEqual([m.initial.x, m.initial.y], [0, 1]);
  assert.match(m.subtitle, /no @split: all 200 rows train/);
});

test(`a large dataset: ${PREVIEW_SCATTER_ROWS} evenly spaced rows in the scatter, said in the subtitle`, () => {
  const big = load('spiral(n=20000)');
  const m = parsePreviewMessage(
    previewMessage(big, { title: 'spiral(n=20000)', kind: 'built-in', split: { size: 0.5 } }),
  );
  assert.equal(m.scatter.rows.length, PREVIEW_SCATTER_ROWS);
  assert.deepEqual([...m.scatter.rows.subarray(0, 3)], [0, 4, 8]);
  assert.equal(m.scatter.values[2 * 3 + 1], big.values[8 * 3 + 1]);
  assert.match(m.subtitle, /the scatter shows 5,000 evenly spaced rows$/);
  assert.deepEqual([...sampleRows(10, 4)], [0, 2, 5, 7]);
  assert.deepEqual([...sampleRows(3, 4)], [0, 1, 2]);
});

test('a real-valued last column colours by value; a column of a few whole numbers is a class column', () => {
  const data: Dataset = {
    name: 'd.csv',
    columns: ['a', 'grade', 'y'],
    rows: 4,
    values: Float64Array.from([0.5, 3, 0.25, 1.5, 1, 0.75, 2.5, 3, 1.25, 3.5, 2, -0.5]),
  };
  const m = parsePreviewMessage(previewMessage(data, { title: 'd.csv', kind: 'CSV file' }));
  assert.deepEqual(m.colourings[1].classes, ['1', '2', '3']);
  assert.deepEqual([...m.colourings[1].values], [2, 0, 2, 1]);
  assert.equal(m.colourings[2].classes, null);
  assert.deepEqual([...m.colourings[2].values], [0.25, 0.75, 1.25, -0.5]);
  assert.deepEqual(m.initial, { x: 0, y: 1, colour: 2 });
});

test('the protocol refuses malformed messages both ways', () => {
  const good = previewMessage(load('iris'), { title: 'iris', kind: 'built-in' });
  const bad = (patch: object, why: RegExp) =>
    assert.throws(() => parsePreviewMessage({ ...good, ...patch }), why, JSON.stringify(Object.keys(patch)));
  bad({ type: 'other' }, /unknown message type/);
  bad({ table: { ...good.table, values: good.table.values.subarray(1) } }, /expected 50 rows of 7 values/);
  const nan = Float64Array.from(good.scatter.values);
  nan[5] = NaN;
  bad({ scatter: { ...good.scatter, values: nan } }, /scatter\.values\[5\]: expected a finite number/);
  const species = { ...good.colourings[4], values: Float64Array.from(good.colourings[4].values, () => 3) };
  bad({ colourings: [...good.colourings.slice(0, 4), species] }, /class indices below 3/);
  bad({ initial: { x: 9, y: 0, colour: 0 } }, /initial/);
  bad({ rows: -1 }, /rows/);
  assert.deepEqual(parsePreviewReply({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.throws(() => parsePreviewReply({ type: 'run' }), /unknown message type/);
  assert.throws(() => parsePreviewReply('ready'), /expected an object/);
});
