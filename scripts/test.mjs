#!/usr/bin/env node
// `npm test`: type-check every target, build the bundles, then run
//   1. the unit tests (node:test, test/unit),
//   2. the webview tests in a real headless Chromium (test/webview),
//   3. the @vscode/test-electron suite, where a VS Code build exists (VSCODE_EXECUTABLE),
//   4. the end-to-end test in a real VS Code workbench (code-server).
// What the webview and end-to-end suites need (chromium, Node 24, code-server) is installed first when absent,
// by test/e2e/setup.sh (apt and the npm registry; a few minutes once, cached in ~/.cache/descent-lab-e2e). When
// that cannot be done (no root for apt, no network) it says why, and those suites skip; with CI=true they fail.
// `node scripts/test.mjs FILE…` runs only those test files and installs nothing.
// The last line sums every suite up: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** node:test with the spec reporter on the terminal and TAP in a file, whose totals are added up. */
function nodeTests(files) {
  const tap = join(mkdtempSync(join(tmpdir(), 'descent-lab-tests-')), 'results.tap');
  const status = run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = readFileSync(tap, 'utf8');
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  passed += count('pass');
  skipped += count('skipped');
  const failures = count('fail') + count('cancelled');
  failed += failures + (status !== 0 && failures === 0 ? 1 : 0);
}

/** The paths test/e2e/run.mjs and the webview tests look for; setup.sh installs what is missing. */
function installPrerequisites() {
  const base = process.env.DESCENT_LAB_E2E_HOME || join(homedir(), '.cache/descent-lab-e2e');
  const missing = [
    [process.env.CHROMIUM_PATH || process.env.CHROMIUM || '/usr/bin/chromium', 'chromium'],
    [join(base, 'node24/bin/node'), 'Node 24'],
    [join(base, 'cs/bin/code-server'), 'code-server'],
  ].filter(([path]) => !existsSync(path));
  if (!missing.length) return;
  console.log(
    `Installing what the webview and end-to-end tests need (${missing.map(([, what]) => what).join(', ')}) ` +
      'with test/e2e/setup.sh: a few minutes the first time.',
  );
  if (run('bash', ['test/e2e/setup.sh']) !== 0) {
    const then = process.env.CI === 'true' ? 'fail (CI=true)' : 'are skipped';
    console.log(`The install did not finish (the reason is above): the suites that need it ${then}.`);
  }
}

/** A suite that is one script: exit 0 is a pass, or a skip when it printed "SKIP: reason"; anything else fails. */
function scriptSuite(path) {
  const r = spawnSync(process.execPath, [path], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) failed++;
  else if (/^SKIP:/m.test(r.stdout ?? '')) skipped++;
  else passed++;
}

if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-b']) !== 0) process.exit(1);
if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
const only = process.argv.slice(2);
if (only.length) {
  nodeTests(only);
} else {
  installPrerequisites();
  nodeTests(testFiles('test/unit'));
  nodeTests(testFiles('test/webview'));
  scriptSuite('test/electron/run.mjs');
  scriptSuite('test/e2e/run.mjs');
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
