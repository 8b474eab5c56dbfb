/**
 * run, sweep and long traces on the worker pool: the numbers of an in-thread run of the engine, bit for bit, on
 * one worker or split over two; Ctrl-C ends a running job and the process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { findBuiltin } from '../../src/engine/library';
import { parseOptimizerList } from '../../src/engine/optim/registry';
import { run } from '../../src/engine/run/runner';
import { sweep } from '../../src/engine/run/sweep';
import { runJson } from '../../src/present/runExport';
import { POOL_TRACE_STEPS } from '../../src/cli/traceCommand';
import { sweepJson } from '../../src/present/sweepExport';
import { cli, CLI } from './cliHarness';

const beale = findBuiltin('beale')!;
/** JSON as the CLI prints it, without the measured times (the only numbers a run does not determine). */
const untimed = (json: unknown) =>
  JSON.parse(JSON.stringify(json), (key, value) => (key === 'nsPerLaneStep' ? undefined : value));

test('run on the pool, on 1 or 2 workers, gives the in-thread run’s numbers bit for bit', () => {
  // 600 starts: two chunks of 300 lanes on two workers.
  const opt = 'nag,h-adam:eta=0.01:H=0.5';
  const reference = untimed(
    runJson(
      run({
        fn: beale,
        optimizers: parseOptimizerList(opt),
        starts: { kind: 'random', n: 600, seed: 5, domain: beale.domain! },
        steps: 3000,
        targets: [1e-2, 1e-4],
        traces: 0,
      }),
    ),
  );
  for (const workers of ['1', '2']) {
    const args = ['run', '--fn', 'beale', '--opt', opt, '--starts', '600', '--seed', '5', '--steps', '3000'];
    const r = cli([...args, '--targets', '1e-2,1e-4', '--workers', workers, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(untimed(JSON.parse(r.out)), reference, `--workers ${workers}`);
  }
});

test('sweep on the pool gives the in-thread sweep’s cells bit for bit', () => {
  const opt = 'nag:gamma=0.99,h-nag,ht-adam';
  const reference = untimed(
    sweepJson(
      sweep({
        fn: beale,
        optimizers: parseOptimizerList(opt),
        grid: [{ name: 'eta', values: [1e-3, 1e-2, 1e-1] }],
        starts: { kind: 'random', n: 200, seed: 2, domain: beale.domain! },
        budgets: [100, 2000],
        target: 1e-4,
      }),
    ),
  );
  for (const workers of ['1', '2']) {
    const r = cli([
      'sweep',
      '--fn',
      'beale',
      '--opt',
      opt,
      '--eta',
      '1e-3,1e-2,1e-1',
      '--starts',
      '200',
      '--seed',
      '2',
      '--budgets',
      '100,2000',
      '--workers',
      workers,
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(untimed(JSON.parse(r.out)), reference, `--workers ${workers}`);
  }
});

test('a long trace runs on the pool and gives the in-thread iterates bit for bit', () => {
  const steps = POOL_TRACE_STEPS;
  const lane = run({
    fn: findBuiltin('rosenbrock')!,
    optimizers: parseOptimizerList('adam:eta=0.001'),
    starts: { kind: 'list', points: [[-1.5, 2]] },
    steps,
    targets: [],
    traces: 1,
    maxPoints: steps + 1,
  }).runs[0];
  const reference = lane.traces[0].points.map((p) => ({ step: p.step, theta: p.theta, f: p.f }));
  const r = cli([
    'trace',
    '--fn',
    'rosenbrock',
    '--opt',
    'adam:eta=0.001',
    '--from',
    '-1.5,2',
    '--steps',
    String(steps),
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const { iterates } = JSON.parse(r.out);
  assert.equal(iterates.length, steps + 1);
  assert.deepEqual(iterates, JSON.parse(JSON.stringify(reference)));
});

/** util-linux `script` runs the CLI on a pseudo-terminal: a real progress bar, and ^C typed as a user types it. */
const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const noScript = script ? undefined : 'util-linux `script` is not installed (apt-get install -y bsdutils)';
if (noScript && process.env.CI === 'true')
  test('util-linux script is installed (required when CI=true)', () => assert.fail(noScript));

test(
  'Ctrl-C on a terminal ends a running sweep: the bar is cleared, "interrupted", exit 130',
  { skip: noScript },
  async () => {
    // Far more work than any machine finishes: 60 000 lanes of h(t)-Adam for up to 10⁶ steps.
    const args = ['sweep', '--fn', 'baiesi_v4', '--opt', 'ht-adam', '--eta', '1e-4:1e-3:6', '--starts', '10000'];
    const command = [process.execPath, CLI, ...args, '--budgets', '1000000', '--target', '0', '--workers', '2']
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn(script!, ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let screen = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        screen += d;
        // The bar is drawn once the job runs on the pool: now type ^C.
        if (/sweep \[/.test(screen)) resolve();
      }),
    );
    child.stdin.write('\x03');
    assert.equal(await closed, 130, screen);
    // The bar's line erased (CR, ESC [2K), then the message, and nothing after it.
    assert.ok(screen.endsWith('\r\x1b[2Kdescent-lab: interrupted\r\n'), JSON.stringify(screen.slice(-80)));
    assert.doesNotMatch(screen, /internal error|\n\s+at /);
  },
);
