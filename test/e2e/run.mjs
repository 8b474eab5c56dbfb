#!/usr/bin/env node
// End-to-end test in a real VS Code workbench: builds the VSIX, installs it into code-server, opens an example
// .cost file in headless Chromium, runs "Descent Lab: Run Optimizers" from the palette and checks the Lab panel,
// then the rest of the scenario in drive.mjs (diagnostics, sweeps, exports, functions without a minimum and of 1
// and 3 variables, Stop, live re-runs, reload). Screenshots go to test-artifacts/e2e/; measured latencies are
// printed and written to test-artifacts/e2e/latency.json.
// Prerequisites come from test/e2e/setup.sh. Without them this prints why and skips, or fails when CI=true.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive } from './drive.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const base = process.env.DESCENT_LAB_E2E_HOME || join(homedir(), '.cache/descent-lab-e2e');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const codeServer = join(base, 'cs/bin/code-server');
const node24 = join(base, 'node24/bin');
const artifacts = join(root, 'test-artifacts/e2e');

const missing = [
  [codeServer, 'code-server'],
  [join(node24, 'node'), 'Node 24 for code-server'],
  [chromium, 'Debian chromium'],
  [join(root, 'node_modules/playwright-core'), 'playwright-core (npm ci)'],
  [join(root, 'node_modules/@vscode/vsce'), '@vscode/vsce (npm ci)'],
]
  .filter(([path]) => !existsSync(path))
  .map(([path, what]) => `${what} (${path})`);
if (missing.length) {
  const why = `end-to-end tests need ${missing.join(', ')}; install with: bash test/e2e/setup.sh`;
  if (process.env.CI === 'true') {
    console.error(`FAIL: ${why}`);
    process.exit(1);
  }
  console.log(`SKIP: ${why}`);
  process.exit(0);
}

function step(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Socket paths must stay under 108 characters: a short run dir under /tmp.
const run = mkdtempSync('/tmp/dle2e-');
const env = {
  ...process.env,
  PATH: `${node24}:${process.env.PATH}`,
  HOME: join(run, 'home'),
  XDG_CONFIG_HOME: join(run, 'home/.config'),
  XDG_DATA_HOME: join(run, 'home/.local/share'),
  XDG_CACHE_HOME: join(run, 'home/.cache'),
  TMPDIR: join(run, 'tmp'),
};
for (const d of ['home', 'tmp', 'ws', 'user-data/User', 'extensions']) mkdirSync(join(run, d), { recursive: true });
writeFileSync(join(run, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
writeFileSync(
  join(run, 'user-data/User/settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'descentLab.starts': 32,
    'descentLab.steps': 2000,
  }),
);
copyFileSync(join(root, 'examples/paper-functions.cost'), join(run, 'ws/paper-functions.cost'));
// Functions the Lab must handle beyond two variables with a known minimum: none known (f goes below 0 at once, and
// GD's lanes then blow up: reached the target, then diverged), one variable, three variables.
writeFileSync(
  join(run, 'ws/lab.cost'),
  [
    'hill(x, y) = -x^2 - y^2',
    'g1(x) = (x-2)^2 + 1',
    'w(x, y, z) = (x - 1)^2 + 2*(y + 0.5)^2 + 3*z^2 + x*z',
    '@minimum (1, -0.5, 0)',
    '',
  ].join('\n'),
);
const common = [
  '--config',
  join(run, 'config.yaml'),
  '--user-data-dir',
  join(run, 'user-data'),
  '--extensions-dir',
  join(run, 'extensions'),
];

let server;
let code = 1;
try {
  const vsix = join(run, 'descent-lab.vsix');
  step(process.execPath, ['esbuild.mjs', '--production']);
  step(process.execPath, [
    'node_modules/@vscode/vsce/vsce',
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--out',
    vsix,
  ]);
  step(codeServer, [...common, '--force', '--install-extension', vsix], { env });
  const port = await freePort();
  // detached: code-server leads its own process group, so one kill stops the server, extension host and helpers.
  server = spawn(
    codeServer,
    [
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
      join(run, 'ws'),
    ],
    { env, detached: true, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const health = `http://127.0.0.1:${port}/healthz`;
  for (let i = 0; ; i++) {
    if (
      await fetch(health).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 300) throw new Error('code-server did not answer /healthz within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  await drive({
    url: `http://127.0.0.1:${port}/?folder=${join(run, 'ws')}`,
    outDir: artifacts,
    chromium,
    home: join(run, 'home'),
    workspace: join(run, 'ws'),
  });
  code = 0;
  console.log('PASS: end-to-end in code-server');
} catch (e) {
  console.error('FAIL:', e instanceof Error ? e.message : e);
  console.error(`logs: ${join(run, 'user-data/logs')}; screenshots: ${artifacts}`);
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* stopped by TERM */
    }
  }
  if (code === 0 && !process.env.KEEP_E2E_RUN) rmSync(run, { recursive: true, force: true });
}
process.exit(code);
