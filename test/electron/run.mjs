#!/usr/bin/env node
// Integration tests inside a desktop VS Code (Electron) with @vscode/test-electron. They run only where a VS Code
// build exists: set VSCODE_EXECUTABLE to its Electron binary (Linux: /usr/share/code/code, not the `code` launcher).
// Nothing is downloaded. The same features are covered in a real workbench by test/e2e (code-server).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const executable = process.env.VSCODE_EXECUTABLE;
if (!executable || !existsSync(executable)) {
  console.log(
    `SKIP: test-electron needs a VS Code build; set VSCODE_EXECUTABLE to its Electron binary${executable ? ` (${executable} does not exist)` : ''}`,
  );
  process.exit(0);
}

const out = join(root, '.vscode-test');
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'test/electron/suite.ts')],
  outfile: join(out, 'suite.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
});
const workspace = mkdtempSync(join(tmpdir(), 'descent-lab-electron-'));
writeFileSync(join(workspace, 'broken.cost'), 'ok(x, y) = x^2 + y^2\n@domain [-1, 1] x [-1, 1]\nbad(x) = x + foo(x)\n');

const { runTests } = await import('@vscode/test-electron');
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(out, 'suite.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
  console.log('PASS: test-electron');
} catch (e) {
  console.error('FAIL: test-electron', e);
  process.exit(1);
}
