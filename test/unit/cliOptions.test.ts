/** Each command's own options, values that start with '-', every number checked: through the built binary. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, NO_STACK } from './cliHarness';

const dir = mkdtempSync(join(tmpdir(), 'descent-lab-cli-options-'));

function refused(args: string[], message: RegExp) {
  const r = cli(args);
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.err}`);
  assert.match(r.err, message, args.join(' '));
  assert.doesNotMatch(r.err, NO_STACK, args.join(' '));
  return r;
}

test('an option a command does not take is exit 2 with that command’s usage, and nothing is written', () => {
  const csv = join(dir, 'x.csv');
  const r = refused(
    ['optimizers', '--budgets', '5', '--csv', csv],
    /^descent-lab optimizers: unknown option '--budgets'/,
  );
  assert.match(r.err, /usage: descent-lab optimizers \[--json\]/);
  assert.equal(r.out, '');
  assert.ok(!existsSync(csv));
  // eta is a sweep option: `run` does not take it (it used to ignore `--eta abc`).
  assert.match(
    refused(['run', '--fn', 'beale', '--eta', 'abc'], /unknown option '--eta'/).err,
    /usage: descent-lab run /,
  );
  refused(['functions', '--steps', '3'], /unknown option '--steps'/);
  refused(['trace', '--fn', 'beale', '--starts', '5'], /unknown option '--starts'/);
  refused(['sweep', '--fn', 'beale', '--traces', '2'], /unknown option '--traces'/);
  refused(['demo', '--fn', 'beale'], /unknown option '--fn'/);
  refused(['bench', '--csv', csv], /unknown option '--csv'/);
  refused(['bench', '--precision', 'f16'], /--precision must be f64 or f32, not 'f16'/);
  refused(['bench', '--fn', 'examples/sprunger-dense.cost#dense', '--precision', 'f32'], /not available for models/);
  refused(['bench', '--peers', dir], /--peers .*: no wasm_beale\.js, js_closure\.js, common\.js there/);
  refused(['bench', '--fn', 'examples/sprunger-dense.cost#dense', '--peers', dir], /--peers is for the function bench/);
  refused(['report', '--fn', 'beale', '--csv', csv], /unknown option '--csv'/);
  refused(['report', '--fn', 'beale', '--eta', '1e-2'], /describe a sweep: add --sweep/);
  refused(['report', '--sweep', '--fn', 'beale', '--steps', '5'], /describe a run/);
  refused(['trace', '--fn', 'beale', '--from', '1,1', '--seed', '3'], /no use with --from/);
  refused(['run', '--fn', 'beale', '--starts-file', join(dir, 's.json'), '--seed', '3'], /no use with --starts-file/);
  refused(['run', '--fn', 'beale', 'stray'], /unexpected argument 'stray'/);
  refused(['run', '--fn', 'beale', '--json=yes'], /--json takes no value/);
  refused(['run', '--fn', 'beale', '--steps', '5', '--steps', '6'], /--steps is given twice/);
  refused(['run', '--fn', '--opt', 'gd'], /--fn needs a value/);
  refused(['run', '--fn'], /--fn needs a value/);
  refused(['frobnicate'], /unknown command 'frobnicate'/);
});

test('each command’s --help lists exactly the options it takes', () => {
  const options = (command: string) => {
    const r = cli([command, '--help']);
    assert.equal(r.code, 0, r.err);
    return [...r.out.matchAll(/^ {2}(?:-h, )?--([\w-]+)/gm)].map((m) => m[1]).sort();
  };
  assert.deepEqual(options('optimizers'), ['help', 'json']);
  assert.deepEqual(options('functions'), ['fn', 'help', 'json']);
  const data = ['batch', 'epochs', 'init', 'noise'];
  assert.deepEqual(
    options('run'),
    [
      ...data,
      'backend',
      'domain',
      'fn',
      'help',
      'json',
      'opt',
      'precision',
      'seed',
      'starts',
      'starts-file',
      'steps',
      'targets',
      'traces',
      'workers',
    ].sort(),
  );
  assert.deepEqual(
    options('sweep'),
    [
      ...data,
      'H',
      'backend',
      'budgets',
      'csv',
      'domain',
      'eta',
      'fn',
      'help',
      'json',
      'opt',
      'param',
      'precision',
      'seed',
      'starts',
      'starts-file',
      'target',
      'workers',
    ].sort(),
  );
  assert.deepEqual(options('demo'), ['backend', 'help', 'out']);
  assert.deepEqual(options('data'), ['help', 'json', 'split']);
  assert.equal(cli(['help', 'trace']).out, cli(['trace', '-h']).out);
});

test('--fn, --from and --domain take values that start with a minus', () => {
  // f = −x² + y², GD η = 0.01: θ ← θ − η∇f, ∇f = (−2x, 2y), so x ← x(1 + 2η), y ← y(1 − 2η).
  const r = cli(['trace', '--fn', '-x^2+y^2', '--from', '-1,2', '--steps', '1', '--json']);
  assert.equal(r.code, 0, r.err);
  const [, one] = JSON.parse(r.out).iterates;
  assert.deepEqual(one.theta, [-1 * (1 + 2 * 0.01), 2 * (1 - 2 * 0.01)]);
  const run = cli(['run', '--fn', '-x^2+y^2', '--opt', 'gd', '--starts', '3', '--steps', '2', '--json']);
  assert.equal(run.code, 0, run.err);
  const d = cli(['run', '--fn', 'x^2+y^2', '--domain', '[-3,-2]x[-1,-0.5]', '--starts', '4', '--steps', '0', '--json']);
  assert.equal(d.code, 0, d.err);
  for (const [x, y] of JSON.parse(d.out).starts) assert.ok(x >= -3 && x < -2 && y >= -1 && y < -0.5);
  refused(['sweep', '--fn', 'beale', '--opt', 'gd', '--target', '-1'], /--target must be ≥ 0, not '-1'/);
});

test('every numeric option is checked against its range, with the option and the text in the message', () => {
  const run = ['run', '--fn', 'beale', '--opt', 'gd'];
  const sweep = ['sweep', '--fn', 'beale', '--opt', 'gd', '--starts', '2'];
  const cases: [string[], RegExp][] = [
    [[...run, '--steps', ''], /--steps must be an integer in 0…100000000, not ''/],
    [[...run, '--steps', '1.5'], /--steps must be an integer/],
    [[...run, '--steps', '-1'], /--steps must be an integer in 0…/],
    [[...run, '--steps', '1e9'], /--steps must be an integer in 0…100000000, not '1e9'/],
    [[...run, '--steps', '0x10'], /--steps must be an integer/],
    [['trace', '--fn', 'beale', '--steps', '1000001'], /--steps must be an integer in 0…1000000/],
    [[...run, '--starts', '0'], /--starts must be an integer in 1…1000000/],
    [[...run, '--starts', '1000001'], /--starts must be an integer in 1…1000000/],
    [[...run, '--seed', '4294967296'], /--seed must be an integer in 0…4294967295/],
    [[...run, '--seed', '-1'], /--seed must be an integer/],
    [[...run, '--targets', '-1e-4'], /--targets: -0.0001 is not a threshold ≥ 0/],
    [[...run, '--targets', '1e-4,1e-4'], /--targets: 0.0001 is given twice/],
    [[...run, '--targets', '1e-2,,1e-4'], /--targets: '' is not a number/],
    [[...run, '--targets', 'Infinity'], /--targets: 'Infinity' is not a number/],
    [[...run, '--traces', '1001'], /--traces must be an integer in 0…1000/],
    [[...run, '--workers', '0'], /--workers must be an integer in 1…64/],
    [[...run, '--workers', '65'], /--workers must be an integer in 1…64/],
    [[...run, '--backend', 'gpu'], /--backend must be auto, js or wasm-simd, not 'gpu'/],
    [[...run, '--precision', 'f16'], /--precision must be f64 or f32, not 'f16'/],
    [[...sweep, '--precision', 'double'], /--precision must be f64 or f32, not 'double'/],
    [[...sweep, '--budgets', '10,abc'], /--budgets: 'abc' is not a number/],
    [[...sweep, '--budgets', '1.5'], /--budgets: 1.5 is not a step count/],
    [[...sweep, '--budgets', '100,100'], /--budgets: 100 is given twice/],
    [[...sweep, '--target', '1,2'], /--target: '1,2' is not a number/],
    [[...sweep, '--eta', '1e-3:1e-1:0'], /--eta: .*1 ≤ n ≤ 1000/],
    [[...sweep, '--eta', '0:1:3'], /--eta: a log grid needs lo, hi > 0/],
    [[...sweep, '--workers', 'two'], /--workers must be an integer/],
    [['trace', '--fn', 'beale', '--from', '1,abc'], /--from: 'abc' is not a number/],
    [
      [...run, '--domain', '[-1e308,1e308]x[-1e308,1e308]'],
      /--domain: '\[-1e308,1e308\]': its width hi − lo overflows/,
    ],
    [[...run, '--domain', '[1,0]x[0,1]'], /--domain: '\[1,0\]': lo must be less than hi/],
    [[...run, '--domain', '[1,1]x[0,1]'], /--domain: '\[1,1\]': lo must be less than hi/],
    [[...run, '--domain', '[0,1,2]x[0,1]'], /--domain: '\[0,1,2\]' is not an interval/],
    [[...run, '--domain', '[0,1e999]x[0,1]'], /--domain: '1e999' is not a number/],
    [[...run, '--domain', '[0,1]'], /--domain has 1 intervals; the function has 2 variables/],
  ];
  for (const [args, message] of cases) refused(args, message);
});

test('user text in an error is quoted as a short excerpt, never in full', () => {
  // Linux caps one argument at 128 KiB: 100 000 characters stand for the fuzzer's 1 MB.
  const long = 'a'.repeat(100_000);
  for (const args of [
    ['run', '--fn', long],
    ['run', '--fn', 'beale', '--opt', long],
    ['run', '--fn', 'beale', '--opt', `gd:eta=${long}`],
    ['run', '--fn', `x^2 + ${long}(y)`],
    ['sweep', '--fn', 'beale', '--opt', 'gd', '--eta', long],
    ['sweep', '--fn', 'beale', '--opt', 'gd', '--param', `${long}=1`],
    ['run', '--fn', 'beale', '--steps', long],
    ['run', `--${long}`],
  ]) {
    const r = cli(args);
    assert.equal(r.code, 2, r.err.slice(0, 200));
    // About 40 characters of it, then '…'.
    const quoted = /'(?:--)?(a+)…'/.exec(r.err);
    assert.ok(quoted && quoted[1].length >= 38 && quoted[1].length <= 40, r.err.slice(0, 300));
    assert.ok(r.err.length < 3000, `${r.err.length} characters on stderr`);
  }
});

test('a file with many mistakes lists the first 20 and counts the rest', () => {
  const broken = join(dir, 'broken.cost');
  writeFileSync(broken, Array.from({ length: 30 }, (_, i) => `f${i}(x) = x + nope${i}(x)`).join('\n'));
  const r = refused(['run', '--fn', `${broken}#f0`], /broken\.cost:1:\d+: /);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 21);
  assert.equal(lines[20], '… and 10 more');
});
