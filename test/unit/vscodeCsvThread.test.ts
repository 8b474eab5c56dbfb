// CSV files parsed off the extension host's thread (src/vscode/csvThread.ts) with the built worker
// (dist/csvWorker.js) in a real worker thread: the same dataset, bit for bit, and the same located error as
// parseCsv in place; small files never start the worker; a worker's malformed reply is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/engine/data';
import { CostError } from '../../src/engine/expr/costParser';
import { CsvThread, INLINE_BYTES } from '../../src/vscode/csvThread';

const WORKER = join(__dirname, '../../dist/csvWorker.js');

/** A CSV of about `mb` megabytes: 8 columns of decimals. */
function bigCsv(mb: number): string {
  const lines = ['a,b,c,d,e,f,g,h'];
  for (let i = 0; lines.length * 80 < mb * 1e6; i++)
    lines.push(Array.from({ length: 8 }, (_, j) => (Math.sin(i * 8 + j) * 1e3).toFixed(6)).join(','));
  return lines.join('\n') + '\n';
}

const bytes = (text: string) => new TextEncoder().encode(text);

test('a 3 MB file goes through the worker and comes back as parseCsv reads it in place, bit for bit', async () => {
  const text = bigCsv(3);
  assert.ok(text.length > INLINE_BYTES);
  const thread = new CsvThread(WORKER);
  try {
    const r = await thread.parse(bytes(text), 'big.csv');
    const want = parseCsv(text, { name: 'big.csv' });
    assert.ok(r.ok);
    assert.deepEqual(r.dataset.columns, want.columns);
    assert.equal(r.dataset.rows, want.rows);
    assert.deepEqual(Buffer.from(r.dataset.values.buffer), Buffer.from(want.values.buffer));
    assert.equal(r.dataset.name, 'big.csv');
  } finally {
    thread.dispose();
  }
});

test('a bad cell in a large file: the same message and position as in place, and the worker goes on working', async () => {
  const lines = bigCsv(2).split('\n');
  lines[1234] = lines[1234].replace(/,[^,]+,/, ',1.2.3,');
  const text = lines.join('\n');
  let want: CostError | undefined;
  try {
    parseCsv(text, { name: 'bad.csv' });
  } catch (e) {
    want = e as CostError;
  }
  assert.ok(want instanceof CostError);
  assert.equal(want.range.line, 1235);
  const thread = new CsvThread(WORKER);
  try {
    const [bad, good] = await Promise.all([
      thread.parse(bytes(text), 'bad.csv'),
      thread.parse(bytes(bigCsv(1.5)), 'g.csv'),
    ]);
    assert.ok(!bad.ok && bad.error instanceof CostError);
    assert.equal(bad.error.message, want.message);
    assert.deepEqual(bad.error.range, want.range);
    assert.equal(bad.error.source, 'bad.csv');
    assert.ok(good.ok);
  } finally {
    thread.dispose();
  }
});

test('a small file is parsed in place: no worker is started', async () => {
  const thread = new CsvThread('/nonexistent/worker.js');
  const r = await thread.parse(bytes('x,y\n1,2\n'), 's.csv');
  assert.ok(r.ok);
  assert.deepEqual([...r.dataset.values], [1, 2]);
  thread.dispose();
});

test("a worker's malformed reply is refused, and closing the reader rejects what is pending", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-worker-'));
  const script = (reply: string) => {
    const path = join(dir, `w${Math.random().toString(36).slice(2)}.js`);
    writeFileSync(
      path,
      `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (job) => ${reply});\n`,
    );
    return path;
  };
  const big = bytes(bigCsv(1.2));
  const wrongCount = new CsvThread(
    script(
      "parentPort.postMessage({ kind: 'dataset', id: job.id, columns: ['a'], rows: 2, values: new Float64Array(1) })",
    ),
  );
  await assert.rejects(wrongCount.parse(big.slice(), 'x.csv'), /1 values for 2 rows of 1 columns/);
  wrongCount.dispose();
  const wrongShape = new CsvThread(script("parentPort.postMessage({ kind: 'dataset', id: job.id, columns: 'a' })"));
  await assert.rejects(wrongShape.parse(big.slice(), 'x.csv'), /csv reply\.columns: expected an array/);
  wrongShape.dispose();
  const silent = new CsvThread(script('undefined'));
  const pending = silent.parse(big.slice(), 'x.csv');
  silent.dispose();
  await assert.rejects(pending, /the CSV reader was closed/);
});
