// The harness of the component tests: the Lab's new components bundled from test/webview/pages/components.ts with
// the panel's esbuild settings, served under the panel's strict CSP with lab.css and lab-components.css, in a real
// headless Chromium (Debian `chromium` + playwright-core). Each test mounts what it needs through `window.lab`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fromJsonValue } from '../../src/shared/typedJson';
import type { HostToWebview } from '../../src/shared/webviewProtocol';
import { startHarness, type HarnessServer } from './server';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const missing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (missing && process.env.CI === 'true') {
  test('Chromium is installed (required when CI=true)', () => assert.fail(missing));
} else if (missing) {
  console.log(`# skipping component tests: ${missing}`);
}
/** A test that needs Chromium: skipped with the reason when it is absent (failed instead when CI=true). */
export const componentTest = (name: string, fn: () => Promise<void>) => test(name, { skip: missing ?? false }, fn);

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
/** One recorded engine run as the host sends it (test/fixtures/recordedRun.json, written by makeFixture.ts). */
export const recorded = fromJsonValue(
  JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/recordedRun.json'), 'utf8')),
) as {
  init: Msg<'init'>;
  landscape: Msg<'landscape'>;
  runResult: Msg<'runResult'>;
};

export interface Harness {
  browser: Browser;
  server: HarnessServer;
  close(): Promise<void>;
}

/** Builds the components' bundle, serves it and launches Chromium. */
export async function startComponents(): Promise<Harness> {
  const out = mkdtempSync(join(tmpdir(), 'descent-lab-components-'));
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [resolve(ROOT, 'test/webview/pages/components.ts')],
    outfile: join(out, 'components.js'),
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: false,
    logLevel: 'warning',
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startHarness({
    files: {
      '/dist/components.js': [join(out, 'components.js'), 'text/javascript'],
      '/media/lab-components.css': ['media/lab-components.css', 'text/css'],
    },
    pages: { '/components.html': { script: 'components.js', css: ['lab.css', 'lab-components.css'] } },
  });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return {
    browser,
    server,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Starts the harness before a file's tests and closes it after them; the result gives the running harness. */
export function useComponents(): () => Harness {
  let harness: Harness | undefined;
  before(async () => {
    if (!missing) harness = await startComponents();
  });
  after(async () => harness?.close());
  return () => harness!;
}

export interface Opened {
  page: Page;
  problems: string[];
}

/**
 * The components page at a width (620: the panel beside an editor; 1200: a wide panel); console errors, page
 * errors and CSP violations are collected. The stub VS Code API records what the page would post.
 */
export async function openComponents(
  h: () => Harness,
  theme: 'dark' | 'light' | 'high-contrast',
  width: number,
  height = 900,
): Promise<Opened> {
  const page = await h().browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/willReadFrequently/.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A string, not a function: tsx wraps named inner functions in `__name(…)`, which the page lacks.
  await page.addInitScript(`(() => {
    window.__name = (f) => f;
    window.csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.csp.push(e.violatedDirective + ' ' + e.blockedURI));
  })();`);
  await page.goto(`${h().server.origin}/components.html?theme=${theme}`);
  await page.waitForFunction(() => 'lab' in window);
  return { page, problems };
}

export async function noProblems(o: Opened): Promise<void> {
  const csp = await o.page.evaluate(() => (window as unknown as { csp: string[] }).csp);
  assert.deepEqual(csp, [], 'no CSP violations');
  assert.deepEqual(o.problems, [], 'no console errors or warnings');
}

/** Two animation frames: what was scheduled has drawn. */
export async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** The elements matching `selector` that are wider than their box (scrollWidth > clientWidth), by description. */
export async function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els
      .filter((e) => e.scrollWidth > e.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`),
  );
}
