/** Files and streams the CLI touches: output files it cannot write, bounded reads, a stdout closed early. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, CLI, NO_STACK } from './cliHarness';

const dir = mkdtempSync(join(tmpdir(), 'descent-lab-cli-files-'));
const linux = process.platform === 'linux';
const SMALL_RUN = ['--fn', 'beale', '--opt', 'gd', '--starts', '4', '--steps', '10'];

function refused(args: string[], message: RegExp) {
  const r = cli(args, { timeout: 120_000 });
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.err}`);
  assert.match(r.err, message, args.join(' '));
  assert.doesNotMatch(r.err, NO_STACK, args.join(' '));
  return r;
}

test('an output file that cannot be written is a user error naming the path and the reason', () => {
  refused(
    ['sweep', ...SMALL_RUN.slice(0, 6), '--budgets', '10', '--csv', '/nonexistent/dir/x.csv'],
    /^descent-lab sweep: --csv \/nonexistent\/dir\/x\.csv: cannot write in \/nonexistent\/dir: no such file or directory$/m,
  );
  refused(['sweep', ...SMALL_RUN.slice(0, 6), '--budgets', '10', '--csv', dir], /--csv .*: is a directory/);
  refused(
    ['report', ...SMALL_RUN, '--out', '/dev/null/x.html'],
    /--out \/dev\/null\/x\.html: \/dev\/null is not a directory/,
  );
  refused(['report', ...SMALL_RUN, '--out', join(dir, 'r.txt')], /a report is an \.html file/);
  // A missing directory of a report is created, one level at a time.
  const nested = join(dir, 'a/b/c/run.html');
  const made = cli(['report', ...SMALL_RUN, '--out', nested]);
  assert.equal(made.code, 0, made.err);
  assert.ok(existsSync(nested));
});

test(
  'report --out under /proc is refused at once (a recursive mkdir used to loop forever there)',
  { skip: !linux },
  () => {
    refused(
      ['report', ...SMALL_RUN, '--out', '/proc/nope/x.html'],
      /--out \/proc\/nope\/x\.html: cannot create directory \/proc\/nope: /,
    );
  },
);

test('files read are capped: a .cost file at 1 MB is read, one byte more or /dev/zero is refused', () => {
  const atCap = join(dir, 'at-cap.cost');
  const line = 'f(x, y) = x^2 + y^2\n';
  writeFileSync(atCap, line + '#'.repeat(1_000_000 - line.length - 1) + '\n');
  const ok = cli(['trace', '--fn', atCap, '--from', '1,1', '--steps', '1', '--json']);
  assert.equal(ok.code, 0, ok.err);
  const over = join(dir, 'over-cap.cost');
  writeFileSync(over, line + '#'.repeat(1_000_000 - line.length) + '\n');
  refused(['run', '--fn', over], /--fn .*over-cap\.cost: larger than 1 MB, the limit for --fn files/);
  const zero = join(dir, 'zero.cost');
  symlinkSync('/dev/zero', zero);
  refused(['run', '--fn', zero], /zero\.cost: larger than 1 MB/);
  const zeroStarts = join(dir, 'zero.json');
  symlinkSync('/dev/zero', zeroStarts);
  refused(['run', '--fn', 'beale', '--starts-file', zeroStarts], /--starts-file .*zero\.json: larger than 64 MB/);
  refused(['run', '--fn', `${dir}/missing.cost`], /missing\.cost: cannot read: no such file or directory/);
  mkdirSync(join(dir, 'folder.cost'));
  refused(['run', '--fn', join(dir, 'folder.cost')], /folder\.cost: cannot read: illegal operation on a directory/);
});

test(
  'a capped read never reads past the cap + 1 byte (a pipe that never ends is refused)',
  { skip: !linux },
  async () => {
    const fifo = join(dir, 'endless.cost');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // The writer gives 1 MB + 1 byte and keeps the pipe open: a reader that asked for more would wait forever.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; head -c 1000001 /dev/zero >&3; exec sleep 600`], {
      stdio: 'ignore',
    });
    try {
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'run', '--fn', fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /endless\.cost: larger than 1 MB/);
    } finally {
      writer.kill();
    }
  },
);

test('a stdout closed by its reader ends the command quietly with exit 0 (`run … --json | head -c 100`)', () => {
  const r = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${CLI}" run --fn beale --starts 2000 --steps 100 --json | head -c 100; echo " exit=\${PIPESTATUS[0]}"`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^\{"fn":"beale","variables":\["x","y"\],.{64} exit=0\n$/s);
});

test('with stdout already closed the work stops: the demo writes no report', async () => {
  const out = join(dir, 'demo/index.html');
  const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'demo', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before the demo prints anything.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, err }));
  });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.ok(!existsSync(out), 'no report after stdout closed');
});
