/**
 * Models over data through the built `descent-lab` binary: trace/run/sweep JSON shapes against the plain
 * implementation (datafitPlain.ts), --init, the --batch/--epochs/--noise overrides, `data`, reports, bench, the
 * examples, and every rejection with its position.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, NO_STACK } from './cliHarness';
import { elementwise, relative, teacherRows } from './datafitEngine';
import { denseLayer, plainOptimizers, plainSplit, plainStarts, plainTrain } from './datafitPlain';

const dir = mkdtempSync(join(tmpdir(), 'descent-lab-datafit-'));
copyFileSync(join(__dirname, '../fixtures/teacher.csv'), join(dir, 'teacher.csv'));
const DENSE = join(dir, 'dense.cost');
writeFileSync(
  DENSE,
  `# Sprunger's dense layer on the peers' teacher.csv
@data "teacher.csv"
@split 100 ordered
x = row[1:10]
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)
@param b 4 zeros
dense(W, b) = sum((tanh(W*x + b) - y).^2)
@batch 1
@epochs 3
@metric distance = norm(tanh(W*x + b) - y)
`,
);
const DENSE_PARAMS = [
  { size: 40, init: ['uniform', -0.5, 0.5] as ['uniform', number, number] },
  { size: 4, init: ['zeros'] as ['zeros'] },
];
const rows = teacherRows();

const ok = (args: string[]) => {
  const r = cli(args);
  assert.equal(r.code, 0, r.err);
  return r.out;
};
const fails = (args: string[], message: RegExp) => {
  const r = cli(args);
  assert.equal(r.code, 2, `exit code of ${args.join(' ')}: ${r.out}`);
  assert.match(r.err, message);
  assert.doesNotMatch(r.err, NO_STACK);
};

test('trace --json of a model: θ flat in variable order, f the training loss at θₖ, minibatch losses apart — as the plain run', () => {
  for (const [args, batch, noise] of [
    [[], 1, 0],
    [['--batch', '3', '--noise', '0.01'], 3, 0.01],
  ] as const) {
    const out = JSON.parse(
      ok([
        'trace',
        '--fn',
        `${DENSE}#dense`,
        '--opt',
        'nag:eta=0.05:gamma=0.5',
        '--steps',
        '40',
        '--seed',
        '7',
        '--json',
        ...args,
      ]),
    );
    assert.deepEqual(Object.keys(out), ['iterates', 'minibatch']);
    assert.equal(out.iterates.length, 41);
    assert.deepEqual(Object.keys(out.iterates[0]), ['step', 'theta', 'f']);
    assert.equal(out.minibatch.length, 40);
    const plain = plainTrain({
      model: denseLayer,
      rows,
      ...plainSplit(rows.length, 100),
      batch,
      shuffle: 'epoch',
      seed: 7,
      start: 0,
      theta0: plainStarts(DENSE_PARAMS, 7, 1)[0],
      steps: 40,
      optimizer: plainOptimizers.nag(0.05, 0.5),
      noise,
    });
    out.iterates.forEach((it: { step: number; theta: number[]; f: number }, k: number) => {
      assert.equal(it.step, k);
      assert.ok(relative(it.theta, plain.theta[k]) <= 1e-12, `θ at ${k}`);
    });
    assert.ok(
      elementwise(
        out.iterates.map((i: { f: number }) => i.f),
        plain.F,
      ) <= 1e-12,
    );
    assert.ok(
      elementwise(
        out.minibatch.map((m: { f: number }) => m.f),
        plain.fB,
      ) <= 1e-12,
    );
  }
});

test('--init gives θ₀ explicitly: one object, or an array of them one per start', () => {
  const W = Array.from({ length: 4 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i - j) / 20));
  const one = join(dir, 'init.json');
  writeFileSync(one, JSON.stringify({ W, b: [0.1, 0.2, 0.3, 0.4] }));
  const trace = JSON.parse(ok(['trace', '--fn', DENSE, '--init', one, '--steps', '1', '--json']));
  assert.deepEqual(trace.iterates[0].theta, [...W.flat(), 0.1, 0.2, 0.3, 0.4]);
  const two = join(dir, 'init2.json');
  writeFileSync(
    two,
    JSON.stringify([
      { W, b: [0, 0, 0, 0] },
      { b: [1, 1, 1, 1], W },
    ]),
  );
  const run = JSON.parse(ok(['run', '--fn', DENSE, '--init', two, '--steps', '5', '--opt', 'gd', '--json']));
  assert.deepEqual(run.starts, [
    [...W.flat(), 0, 0, 0, 0],
    [...W.flat(), 1, 1, 1, 1],
  ]);
  const bad = (content: unknown, message: RegExp) => {
    writeFileSync(one, typeof content === 'string' ? content : JSON.stringify(content));
    fails(['run', '--fn', DENSE, '--init', one], message);
  };
  bad({ W }, /--init .*init\.json: no value for b/);
  bad({ W, b: [1, 2, 3] }, /init\.json: b: expected 4 numbers, not 3/);
  bad({ W: W.slice(1), b: [1, 2, 3, 4] }, /init\.json: W: expected 4 rows of 10 numbers, not 3/);
  bad(
    [
      { W, b: [1, 2, 3, 4] },
      { W, b: [1, 2, 'x', 4] },
    ],
    /init\.json: \[1\]\.b\[2\]: expected a finite number, not "x"/,
  );
  bad({ W, b: [1, 2, 3, 4], c: 1 }, /dense has no parameter 'c' \(it has W, b\)/);
  bad('{"W": [', /init\.json: .*JSON/);
  fails(['trace', '--fn', DENSE, '--init', two], /trace follows one start; --init holds 2/);
  fails(['run', '--fn', DENSE, '--init', two, '--starts', '3'], /give --starts or --init, not both/);
  fails(['run', '--fn', 'beale', '--init', two], /--init gives the parameters of a model/);
});

test('run --json of a model: per optimizer the per-epoch training loss and metrics over starts, the overrides applied', () => {
  const out = JSON.parse(
    ok([
      'run',
      '--fn',
      DENSE,
      '--opt',
      'gd:eta=0.1,nasgd:alpha=0.7',
      '--starts',
      '5',
      '--batch',
      '10',
      '--epochs',
      '4',
      '--noise',
      '0.001',
      '--json',
    ]),
  );
  assert.deepEqual(out.problem, {
    kind: 'model',
    trainRows: 100,
    testRows: 100,
    batch: 10,
    epochSteps: 10,
    shuffle: 'epoch',
    noise: 0.001,
    metrics: ['distance'],
  });
  assert.equal(out.steps, 40);
  assert.equal(out.seed, 1);
  assert.equal(out.runs.length, 2);
  for (const r of out.runs) {
    assert.deepEqual(r.epochs.epoch, [0, 1, 2, 3, 4]);
    assert.deepEqual(r.epochs.step, [0, 10, 20, 30, 40]);
    for (const s of [r.epochs.loss, r.epochs.metrics.distance]) {
      assert.deepEqual(Object.keys(s), ['median', 'q1', 'q3', 'mean']);
      assert.equal(s.median.length, 5);
      s.median.forEach((m: number, e: number) => assert.ok(s.q1[e] <= m && m <= s.q3[e]));
    }
    assert.equal(r.minibatch.median.length, r.curves.steps.length);
    assert.equal(r.rosetta.etaEq.mean.length, r.curves.steps.length);
    assert.ok(r.epochs.metrics.distance.median[4] < r.epochs.metrics.distance.median[0], 'training helps');
  }
  // The table says the same in words.
  const text = ok(['run', '--fn', DENSE, '--opt', 'gd', '--starts', '3', '--epochs', '1']);
  assert.match(text, /dense: 44 parameters; 100 training rows, 100 test rows; batch 1, 100 steps per epoch; 3 starts/);
  assert.match(text, /F − f\* at T\s+distance, last epoch/);
});

test('sweep of a model: one cell per grid point, each with its final loss and metrics; --csv writes them', () => {
  const csv = join(dir, 'cells.csv');
  const out = JSON.parse(
    ok([
      'sweep',
      '--fn',
      DENSE,
      '--opt',
      'gd',
      '--eta',
      '0.01,0.1',
      '--starts',
      '3',
      '--epochs',
      '1',
      '--json',
      '--csv',
      csv,
    ]),
  );
  assert.equal(out.cells.length, 2);
  assert.deepEqual(
    out.cells.map((c: { params: { eta: number } }) => c.params.eta),
    [0.01, 0.1],
  );
  for (const c of out.cells) assert.equal(c.final.metrics.distance.median, c.epochs.metrics.distance.median.at(-1));
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^optimizer,eta,n,diverged,loss_median,loss_q1,loss_q3,distance_median/);
});

test('gradient noise on a cost function from the CLI: --noise and @noise, as the plain run', () => {
  const out = JSON.parse(
    ok([
      'trace',
      '--fn',
      'x^2 + 3*y^2 + x*y',
      '--noise',
      '0.5',
      '--from',
      '1,-1',
      '--seed',
      '3',
      '--opt',
      'gd:eta=0.05',
      '--steps',
      '30',
      '--json',
    ]),
  );
  const plain = plainTrain({
    model: { loss: ([x, y]) => x * x + 3 * y * y + x * y, grad: ([x, y]) => [2 * x + y, 6 * y + x] },
    rows: [[]],
    train: [0],
    test: [],
    shuffle: 'none',
    seed: 3,
    start: 0,
    theta0: [1, -1],
    steps: 30,
    optimizer: plainOptimizers.gd(0.05),
    noise: 0.5,
  });
  out.iterates.forEach((it: { theta: number[] }, k: number) => assert.ok(relative(it.theta, plain.theta[k]) <= 1e-12));
  const noisy = join(dir, 'noisy.cost');
  writeFileSync(noisy, 'f(x, y) = x^2 + 3*y^2 + x*y\n@noise 0.5\n');
  const fromFile = JSON.parse(
    ok(['trace', '--fn', noisy, '--from', '1,-1', '--seed', '3', '--opt', 'gd:eta=0.05', '--steps', '30', '--json']),
  );
  assert.deepEqual(fromFile.iterates, out.iterates);
  assert.match(ok(['run', '--fn', noisy, '--starts', '4', '--steps', '50']), /with gradient noise σ = 0\.5/);
});

test('data FILE.csv|NAME: rows, columns with kind and range, the split; JSON too', () => {
  const text = ok(['data', join(dir, 'teacher.csv'), '--split', '100 ordered']);
  assert.match(text, /teacher\.csv: 200 rows, 14 columns; split: 100 training rows, 100 test rows/);
  assert.match(text, /1\s+x1\s+real/);
  const json = JSON.parse(ok(['data', 'circle(n=50, noise=0.1)', '--json']));
  assert.equal(json.rows, 50);
  assert.deepEqual(
    json.columns.map((c: { name: string; kind: string }) => [c.name, c.kind]),
    [
      ['x1', 'real'],
      ['x2', 'real'],
      ['label', 'binary ±1'],
    ],
  );
  assert.deepEqual(json.split, { train: 50, test: 0 });
});

test('rejections, each with its position: bad cells, missing files, unknown datasets, misplaced options', () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b,y\n1,2,3\n4,oops,6\n');
  fails(['data', bad], /bad\.csv:3:3: 'oops' is not a number/);
  fails(['data', join(dir, 'none.csv')], /none\.csv: cannot read: no such file or directory/);
  fails(['data', 'spirals'], /<data>:1: no built-in dataset 'spirals'/);
  // Reads stop at the 50 MB cap + 1 byte, even of an endless file.
  fails(['data', '/dev/zero'], /\/dev\/zero: larger than 50 MB, the limit for data files/);
  const model = join(dir, 'bad.cost');
  writeFileSync(model, '@data "bad.csv"\nx = row[1:2]\n@param w 2 zeros\nm(w) = (dot(w, x) - row.y)^2\n');
  // Once, where it is: the @data line's error only repeats it.
  const r = cli(['run', '--fn', model]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^\S*bad\.csv:3:3: 'oops' is not a number\n$/);
  writeFileSync(model, '@data "missing.csv"\nx = row[1:2]\n@param w 2 zeros\nm(w) = sum(w)\n');
  fails(['run', '--fn', model], /bad\.cost:1:7: .*missing\.csv: cannot read: no such file or directory/);
  writeFileSync(model, '@data "/dev/zero"\nx = row[1:2]\n@param w 2 zeros\nm(w) = sum(w)\n');
  fails(['run', '--fn', model], /bad\.cost:1:7: \/dev\/zero: larger than 50 MB, the limit for data files/);
  fails(
    ['run', '--fn', 'beale', '--batch', '2'],
    /--batch and --epochs belong to models over data; beale is a cost function/,
  );
  fails(['run', '--fn', DENSE, '--steps', '10', '--epochs', '1'], /give --steps or --epochs, not both/);
  fails(['run', '--fn', DENSE, '--batch', '0'], /--batch must be an integer in 1…100000, not '0'/);
  fails(['run', '--fn', DENSE, '--noise', '-1'], /--noise must be in 0…1000000, not '-1'/);
  fails(['run', '--fn', DENSE, '--starts-file', bad], /a model's parameters come from --init/);
  fails(['trace', '--fn', DENSE, '--from', '1,2'], /--from is a cost function's start/);
  fails(['run', '--fn', `${DENSE}#nope`], /has no function or model 'nope' \(it has: dense\)/);
  fails(['report', '--sweep', '--fn', DENSE], /a report of a sweep of dense is not available/);
});

test('report of a model run and bench of its training', () => {
  const out = join(dir, 'report.html');
  assert.match(ok(['report', '--fn', DENSE, '--opt', 'gd', '--starts', '3', '--epochs', '1', '--out', out]), /wrote /);
  assert.match(readFileSync(out, 'utf8'), /dense: GD/);
  const bench = JSON.parse(ok(['bench', '--fn', DENSE, '--opt', 'gd', '--starts', '2', '--epochs', '1', '--json']));
  assert.equal(bench.cases[0].fn, 'dense');
  assert.equal(bench.cases[0].laneSteps, 2 * 101);
  assert.ok(bench.cases[0].laneStepsPerSec > 0);
});

test('the example models run from the CLI with the js backend', () => {
  const examples = join(__dirname, '../../examples');
  for (const name of ['sprunger-dense', 'circle-logistic', 'spiral-mlp', 'iris-softmax']) {
    const out = JSON.parse(
      ok([
        'run',
        '--fn',
        join(examples, `${name}.cost`),
        '--backend',
        'js',
        '--starts',
        '2',
        '--epochs',
        '2',
        '--json',
      ]),
    );
    assert.equal(out.problem.kind, 'model', name);
    for (const r of out.runs) {
      assert.equal(r.diverged, 0, name);
      assert.equal(r.epochs.epoch.length, 3, name);
    }
  }
});
