// Export Results: the CSV tables read back (with a small RFC 4180 reader written here) give the run's numbers;
// the run JSON is the one `run --json` writes, valid JSON with null for non-finite numbers; only real PNG data
// URLs are accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeRequest } from '../../src/engine/run/request';
import { aggregatesCsv, lanesCsv, runJson } from '../../src/present/runExport';
import { pngBytes } from '../../src/vscode/pngData';

function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

const result = executeRequest({
  fn: { kind: 'expression', text: '(1-x)^2 + 100*(y-x^2)^2' },
  optimizers: [
    { id: 'adam', params: { eta: 0.05 } },
    { id: 'gd', params: { eta: 5 } },
  ],
  starts: {
    kind: 'random',
    n: 6,
    seed: 11,
    domain: [
      [-2, 2],
      [-1, 3],
    ],
  },
  steps: 800,
  targets: [1e-2, 1e-5],
});

test('lanes CSV: one row per optimizer and lane with start, first hits, final point', () => {
  const [header, ...rows] = readCsv(lanesCsv(result));
  assert.deepEqual(header, [
    'optimizer',
    'label',
    'lane',
    'start_x',
    'start_y',
    'first_hit_0.01',
    'first_hit_0.00001',
    'final_x',
    'final_y',
    'final_f',
    'steps',
    'diverged_at',
  ]);
  assert.equal(rows.length, 12);
  rows.forEach((r, k) => {
    const run = result.runs[Math.floor(k / 6)];
    const lane = k % 6;
    assert.equal(r[0], run.optimizer);
    assert.equal(Number(r[2]), lane);
    assert.deepEqual([Number(r[3]), Number(r[4])], result.starts[lane]);
    const hit = run.stepsToTarget['0.01'].perLane[lane];
    assert.equal(r[5], hit === null ? '' : String(hit));
    assert.equal(Number(r[9]), run.final[lane].f);
    assert.equal(r[11], run.final[lane].divergedAt === null ? '' : String(run.final[lane].divergedAt));
  });
  assert.ok(
    rows.some((r) => r[11] !== ''),
    'GD with η = 5 diverges on some lane',
  );
});

test('aggregates CSV: one row per optimizer; counts and step statistics per target', () => {
  const [header, ...rows] = readCsv(aggregatesCsv(result));
  assert.equal(rows.length, 2);
  const col = (name: string) => header.indexOf(name);
  rows.forEach((r, i) => {
    const run = result.runs[i];
    assert.equal(Number(r[col('converged')]), run.converged);
    assert.equal(Number(r[col('diverged')]), run.diverged);
    assert.equal(Number(r[col('reached_steps_0.01')]), run.stepsToTarget['0.01'].reached);
    const median = run.stepsToTarget['0.01'].median;
    assert.equal(r[col('median_steps_0.01')], median === null ? '' : String(median));
  });
  assert.match(rows[0][col('params')], /eta=0\.05/);
});

test('JSON: the run --json contract with curves; Infinity and NaN are written null, so the text stays JSON', () => {
  const parsed = JSON.parse(JSON.stringify(runJson(result), null, 2));
  assert.equal(parsed.runs.length, 2);
  assert.deepEqual(parsed.starts, result.starts);
  assert.equal(parsed.seed, 11);
  const gd = result.runs[1];
  assert.ok(gd.diverged > 0, 'GD with η = 5 diverges on Rosenbrock');
  // Its median f − f* leaves the finite numbers a few steps in.
  const k = gd.curves.median.findIndex((v) => !Number.isFinite(v));
  assert.ok(k > 0);
  assert.equal(parsed.runs[1].curves.median[k], null);
  assert.equal(parsed.runs[1].curves.median[k - 1], gd.curves.median[k - 1]);
  assert.deepEqual(parsed.runs[0].curves.steps, result.runs[0].curves.steps);
  assert.deepEqual(parsed.runs[0].curves.median, result.runs[0].curves.median);
});

test('JSON for Export: compact by default (no curves, no trajectories), with status and f* as the run had them', () => {
  const full = JSON.stringify(runJson(result));
  const compact = JSON.parse(JSON.stringify(runJson(result, { detail: 'compact' }), null, 2));
  assert.ok(compact.runs.every((r: object) => !('curves' in r) && !('traces' in r)));
  // Every lane's outcome stays: its end and its first hit of each target.
  assert.equal(compact.runs[0].final.length, 6);
  assert.deepEqual(compact.runs[0].stepsToTarget, JSON.parse(full).runs[0].stepsToTarget);
  assert.deepEqual([compact.status, compact.stoppedAt, compact.fStar], ['done', null, null]);
  // 64 starts × 1,000 steps × 3 optimizers, traced as the Lab traces them: the compact file is small.
  const big = executeRequest({
    fn: { kind: 'builtin', name: 'beale' },
    optimizers: ['gd', 'adam', 'h-adam'].map((id) => ({ id, params: {} })),
    starts: {
      kind: 'random',
      n: 64,
      seed: 1,
      domain: [
        [-4.5, 4.5],
        [-4.5, 4.5],
      ],
    },
    steps: 1000,
    targets: [1e-6],
    traces: 64,
  });
  const bytes = JSON.stringify(runJson(big, { detail: 'compact' }), null, 2).length;
  assert.ok(bytes < 300_000, `compact: ${bytes} bytes`);
  assert.equal(JSON.parse(JSON.stringify(runJson(big))).fStar, 0);
});

test('PNG data URLs: the signature is checked', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  assert.deepEqual(pngBytes(`data:image/png;base64,${png.toString('base64')}`), new Uint8Array(png));
  assert.equal(pngBytes(`data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`), undefined);
  assert.equal(pngBytes('data:text/html;base64,AAAA'), undefined);
});
