/** The `descent-lab` contract, through the built binary (npm test builds dist/ first). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli as runCli, CLI, NO_STACK } from './cliHarness';

const cli = (...args: string[]) => runCli(args);

const dir = mkdtempSync(join(tmpdir(), 'descent-lab-cli-'));
const costFile = join(dir, 'bowls.cost');
writeFileSync(
  costFile,
  [
    '# two bowls',
    'k = 8',
    'bowl(x, y) = k*x^2 + y^2/2',
    '@domain [-2, 2] x [-2, 2]',
    '@minimum (0, 0)',
    '',
    'shifted(x, y) = (x - 1)^2 + (y + 2)^2  # a comment',
    '@minimum (1, -2)',
  ].join('\n'),
);

test('trace --json prints {"iterates":[{step, theta, f}]} — the golden GD iterates on Rosenbrock', () => {
  const r = cli('trace', '--fn', 'rosenbrock', '--opt', 'gd:eta=0.001', '--from', '-1.5,2', '--steps', '10', '--json');
  assert.equal(r.code, 0, r.err);
  const { iterates } = JSON.parse(r.out);
  assert.equal(iterates.length, 11);
  assert.deepEqual(Object.keys(iterates[0]).sort(), ['f', 'step', 'theta']);
  // golden.json, GD on Rosenbrock: k = 1 and k = 10
  assert.deepEqual(iterates[1].theta, [-1.345, 2.05]);
  assert.ok(Math.abs(iterates[10].f - 5.9123956438778125) <= 1e-12 * 5.9123956438778125);
  assert.deepEqual(
    iterates.map((i: { step: number }) => i.step),
    [...Array(11).keys()],
  );
});

test('trace works on inline expressions and .cost files', () => {
  const inline = cli(
    'trace',
    '--fn',
    '(1-x)^2+100*(y-x^2)^2',
    '--opt',
    'h-adam:eta=0.01:H=0.5',
    '--from',
    '-1.5,2',
    '--steps',
    '3',
    '--json',
  );
  assert.equal(inline.code, 0, inline.err);
  assert.equal(JSON.parse(inline.out).iterates[0].f, 12.5);
  const file = cli(
    'trace',
    '--fn',
    `${costFile}#bowl`,
    '--opt',
    'gd:eta=0.1156',
    '--from',
    '1,1',
    '--steps',
    '2',
    '--json',
  );
  assert.equal(file.code, 0, file.err);
  // q = 8x² + y²/2, GD η = 0.1156: x ← x(1 − 16η), y ← y(1 − η)
  const it = JSON.parse(file.out).iterates;
  assert.ok(Math.abs(it[1].theta[0] - (1 - 16 * 0.1156)) < 1e-15);
  assert.ok(Math.abs(it[1].theta[1] - (1 - 0.1156)) < 1e-15);
});

test('run --json has one entry per optimizer with stepsToTarget per target and per-lane steps', () => {
  const r = cli(
    'run',
    '--fn',
    'beale',
    '--opt',
    'nag,h-adam:eta=0.01:H=0.5',
    '--starts',
    '20',
    '--seed',
    '7',
    '--steps',
    '2000',
    '--targets',
    '1e-2,1e-4',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.runs.length, 2);
  for (const run of out.runs) {
    for (const key of ['optimizer', 'params', 'n', 'converged', 'diverged', 'stepsToTarget', 'final'])
      assert.ok(key in run, key);
    assert.equal(run.n, 20);
    assert.deepEqual(Object.keys(run.stepsToTarget), ['0.01', '0.0001']);
    const t = run.stepsToTarget['0.0001'];
    assert.equal(t.perLane.length, 20);
    assert.equal(t.perLane.filter((k: number | null) => k !== null).length, run.converged);
    assert.equal(run.final.length, 20);
  }
  assert.equal(out.runs[1].optimizer, 'h-adam');
  assert.deepEqual(out.runs[1].params, { eta: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 });
  // the same seed gives the same starts
  const again = JSON.parse(
    cli('run', '--fn', 'beale', '--opt', 'gd', '--starts', '20', '--seed', '7', '--steps', '1', '--json').out,
  );
  assert.deepEqual(again.starts, out.starts);
});

test('run takes --starts-file and --domain; a .cost file needs #name when it defines several', () => {
  const starts = join(dir, 'starts.json');
  writeFileSync(
    starts,
    JSON.stringify([
      [1, 1],
      [-1, 0.5],
    ]),
  );
  const r = cli(
    'run',
    '--fn',
    `${costFile}#shifted`,
    '--opt',
    'gd:eta=0.25',
    '--starts-file',
    starts,
    '--steps',
    '50',
    '--json',
  );
  assert.equal(r.code, 0, r.err);
  const run = JSON.parse(r.out).runs[0];
  assert.equal(run.converged, 2);
  assert.ok(Math.abs(run.final[0].theta[0] - 1) < 1e-6 && Math.abs(run.final[0].theta[1] + 2) < 1e-6);
  const d = cli(
    'run',
    '--fn',
    `${costFile}#bowl`,
    '--opt',
    'gd',
    '--starts',
    '5',
    '--domain',
    '[10,11]x[-1,0]',
    '--steps',
    '0',
    '--json',
  );
  for (const [x, y] of JSON.parse(d.out).starts) assert.ok(x >= 10 && x < 11 && y >= -1 && y < 0);
  const ambiguous = cli('run', '--fn', costFile, '--opt', 'gd');
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.err, /defines 2 functions \(bowl, shifted\)/);
});

test('bad input exits 2 with file:line:col or <expr>:col on stderr', () => {
  const broken = join(dir, 'broken.cost');
  writeFileSync(broken, 'ok(x) = x^2\n\nbad(x, y) = x + foo(y)\n');
  const f = cli('run', '--fn', `${broken}#ok`, '--opt', 'gd');
  assert.equal(f.code, 2);
  assert.match(f.err, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:17: unknown function 'foo'`));
  const e = cli('trace', '--fn', 'x^2 + sinn(y)', '--from', '1,1');
  assert.equal(e.code, 2);
  assert.match(e.err, /^<expr>:7: unknown function 'sinn'/);
  const cases: [string[], RegExp][] = [
    [['run', '--fn', 'beale', '--opt', 'gd:eta=abc'], /eta/],
    [['run', '--fn', 'beale', '--opt', 'nope'], /unknown optimizer 'nope'/],
    [['run', '--fn', 'beale', '--steps', '-3'], /--steps/],
    [['run', '--fn', 'beale', '--bogus'], /bogus/],
    [['trace', '--fn', 'beale', '--from', '1'], /--from has 1 coordinates/],
    [['run', '--fn', 'no_such_builtin'], /no built-in function 'no_such_builtin'/],
    [['run', '--fn', `${dir}/missing.cost#f`], /cannot read/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, re] of cases) {
    const r = cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.err}`);
    assert.match(r.err, re, args.join(' '));
    assert.doesNotMatch(r.err, NO_STACK, 'no stack trace');
  }
});

test('functions and optimizers list the library and the registry, as tables and JSON', () => {
  const fns = JSON.parse(cli('functions', '--json').out).functions;
  const names = fns.map((f: { name: string }) => f.name);
  for (const n of [
    'sprunger',
    'rosenbrock',
    'baiesi_v1',
    'baiesi_v3',
    'baiesi_v4',
    'beale',
    'himmelblau',
    'rastrigin',
    'ackley',
    'booth',
    'matyas',
    'three_hump_camel',
    'six_hump_camel',
    'goldstein_price',
    'styblinski_tang',
    'saddle',
  ]) {
    assert.ok(names.includes(n), n);
  }
  const beale = fns.find((f: { name: string }) => f.name === 'beale');
  assert.deepEqual(beale.domain, [
    [-4.5, 4.5],
    [-4.5, 4.5],
  ]);
  assert.deepEqual(beale.minima[0], [3, 0.5]);
  const opts = JSON.parse(cli('optimizers', '--json').out);
  const hAdam = opts.find((o: { id: string }) => o.id === 'h-adam');
  assert.deepEqual(
    hAdam.parameters.map((p: { name: string }) => p.name),
    ['eta', 'beta1', 'beta2', 'eps', 'H'],
  );
  assert.match(cli('optimizers').out, /Powerball SGD \(pbSGD\)/);
  assert.match(cli('functions', '--fn', 'rosenbrock').out, /∂f\/∂x/);
});

test('without WebAssembly SIMD, auto falls back to the JS backend and says so once; wasm-simd is refused', () => {
  // An engine without SIMD rejects any module that uses the 0xFD opcode prefix; so does this stand-in.
  const noSimd = join(dir, 'no-simd.cjs');
  writeFileSync(
    noSimd,
    `const validate = WebAssembly.validate;
WebAssembly.validate = (bytes) => !new Uint8Array(bytes).includes(0xfd) && validate(bytes);`,
  );
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--require', noSimd, CLI, ...args], { encoding: 'utf8' });
  const auto = run('run', '--fn', 'beale', '--opt', 'gd,adam', '--starts', '5', '--steps', '10', '--json');
  assert.equal(auto.status, 0, auto.stderr);
  assert.deepEqual(
    JSON.parse(auto.stdout).runs.map((r: { backend: string }) => r.backend),
    ['js', 'js'],
  );
  assert.equal(auto.stderr.match(/WebAssembly SIMD is not available/g)?.length, 1);
  const forced = run('run', '--fn', 'beale', '--backend', 'wasm-simd');
  assert.equal(forced.status, 2);
  assert.match(forced.stderr, /WebAssembly SIMD is not available on this platform/);
  const normal = cli('run', '--fn', 'beale', '--opt', 'gd', '--starts', '5', '--steps', '10', '--json');
  assert.equal(JSON.parse(normal.out).runs[0].backend, 'wasm-simd');
});

test('sweep --json prints cells with fraction per budget; --csv writes the same cells', () => {
  const csv = join(dir, 'sweep.csv');
  const r = cli(
    'sweep',
    '--fn',
    'beale',
    '--opt',
    'nag:gamma=0.99,h-nag',
    '--eta',
    '1e-3:1e-1:3',
    '--H',
    '0.5,1',
    '--starts',
    '30',
    '--seed',
    '4',
    '--budgets',
    '100,1000',
    '--target',
    '1e-4',
    '--json',
    '--csv',
    csv,
  );
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  // nag: 3 η cells; h-nag: 3 η × 2 H
  assert.equal(out.cells.length, 3 + 6);
  for (const c of out.cells) {
    for (const key of ['optimizer', 'params', 'fraction', 'medianSteps', 'diverged']) assert.ok(key in c, key);
    assert.deepEqual(Object.keys(c.fraction), ['100', '1000']);
    assert.ok(c.fraction['100'] <= c.fraction['1000']);
  }
  assert.deepEqual(
    out.cells
      .filter((c: { optimizer: string }) => c.optimizer === 'nag')
      .map((c: { params: { eta: number } }) => c.params.eta),
    [1e-3, 1e-2, 1e-1],
  );
  const hNag1 = out.cells.find(
    (c: { optimizer: string; params: { eta: number; H: number } }) =>
      c.optimizer === 'h-nag' && c.params.eta === 1e-2 && c.params.H === 1,
  );
  // h-NAG with H = 1 is NAG with the same γ: the cell must agree with nag's
  const nag = out.cells.find(
    (c: { optimizer: string; params: { eta: number } }) => c.optimizer === 'nag' && c.params.eta === 1e-2,
  );
  assert.deepEqual([hNag1.fraction, hNag1.medianSteps, hNag1.diverged], [nag.fraction, nag.medianSteps, nag.diverged]);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1 + 9);
  assert.equal(
    lines[0],
    'optimizer,eta,H,fraction_T100,fraction_T1000,converged,n,median_steps,mean_steps,diverged_fraction,orbits',
  );
  const bad = cli('sweep', '--fn', 'beale', '--opt', 'gd', '--H', '0.5');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no optimizer of this sweep has a hyperparameter 'H'/);
});

test('a function of 4,000 variables runs on the worker pool (the wide kernel); 4,097 are refused at the parameter list', () => {
  const vars = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(',');
  // Σ (vᵢ − 1)² from the same random starts: GD with η = 0.25 halves every distance to 1 each step.
  const terms = Array.from({ length: 4000 }, (_, i) => `(v${i} - 1)^2`).join(' + ');
  const file = join(dir, 'wide.cost');
  writeFileSync(file, `wide(${vars(4000)}) = ${terms}\n`);
  const r = cli('run', '--fn', `${file}#wide`, '--opt', 'gd:eta=0.25', '--starts', '4', '--steps', '60', '--json');
  assert.equal(r.code, 0, r.err);
  const run = JSON.parse(r.out).runs[0];
  for (const lane of run.final) {
    assert.equal(lane.theta.length, 4000);
    for (const x of lane.theta) assert.ok(Math.abs(x - 1) < 1e-12, `θ = ${x}`);
  }
  const tooMany = cli('run', '--fn', `f(${vars(4097)}) = v0^2`, '--steps', '1');
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.err, /^<expr>:\d+: too many variables: 4,097; a function may have at most 4,096/);
  assert.doesNotMatch(tooMany.err, NO_STACK);
});
