// The Lab's decisions: the start list under add/remove/clear, inline edits (valid → the new function; invalid →
// a diagnostic in the edited text's own columns), panel runs → requests the worker accepts, and the webview shell's CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBuiltin } from '../../src/engine/library';
import { parseExpression } from '../../src/engine/expr/costParser';
import { parseRunRequest } from '../../src/engine/run/request';
import { valueAt } from '../../src/engine/run/pointEval';
import { parseWebviewMessage } from '../../src/shared/webviewProtocol';
import { checkEdit } from '../../src/vscode/editCheck';
import {
  Latest,
  nextStarts,
  panelRequests,
  restoredFunction,
  startsFor,
  viewFor,
  type PlacedStarts,
} from '../../src/vscode/labState';
import { contentSecurityPolicy, webviewShell } from '../../src/vscode/webviewHtml';

test('starts belong to the function shown: add, remove by index, clear; a stale or mis-sized start is refused', () => {
  const beale = { fn: 'beale', dim: 2 };
  let s: PlacedStarts = { fn: '', dim: 0, points: [] };
  const apply = (raw: unknown, shown = beale) => {
    const msg = parseWebviewMessage(raw);
    if (msg.type !== 'addStart' && msg.type !== 'removeStart' && msg.type !== 'clearStarts')
      throw new Error('not a start');
    const next = nextStarts(s, msg, shown);
    s = next.starts;
    return next.problem;
  };
  for (const raw of [
    { type: 'addStart', fn: 'beale', point: [1, 2] },
    { type: 'addStart', fn: 'beale', point: [-1, 0.5] },
    { type: 'addStart', fn: 'beale', point: [3, 3] },
    { type: 'removeStart', fn: 'beale', index: 1 },
  ])
    assert.equal(apply(raw), undefined);
  assert.deepEqual(s.points, [
    [1, 2],
    [3, 3],
  ]);
  assert.equal(apply({ type: 'removeStart', fn: 'beale', index: 7 }), undefined);
  assert.equal(s.points.length, 2);
  // A click that was on another function's view, or with another number of coordinates, changes nothing.
  assert.match(
    apply({ type: 'addStart', fn: 'rosenbrock', point: [0, 0] })!,
    /on rosenbrock's view; the Lab now shows beale/,
  );
  assert.match(apply({ type: 'addStart', fn: 'beale', point: [0, 0, 1] })!, /needs 2 coordinates for beale; it had 3/);
  assert.equal(s.points.length, 2);
  // Another function shown: its starts start empty, and a 3-variable start takes all three coordinates.
  const hill = { fn: 'hill', dim: 3 };
  assert.deepEqual(startsFor(s, hill).points, []);
  assert.equal(startsFor(s, beale), s);
  assert.equal(apply({ type: 'addStart', fn: 'hill', point: [0, 1, 2] }, hill), undefined);
  assert.deepEqual(s, { fn: 'hill', dim: 3, points: [[0, 1, 2]] });
  assert.equal(apply({ type: 'clearStarts' }, hill), undefined);
  assert.deepEqual(s.points, []);
});

test('messages a webview must not send are rejected before any decision', () => {
  for (const bad of [
    { type: 'addStart', fn: 'beale', point: ['NaN', 0] },
    { type: 'removeStart', fn: 'beale', index: -1 },
    { type: 'eval', code: '1' },
    null,
    { type: 'editFunction', text: 'x'.repeat(200_001) },
  ]) {
    assert.throws(() => parseWebviewMessage(bad));
  }
});

test('an edit as the Lab shows it, `key(vars) = expr`, or as a bare expression; domain and minima are kept', () => {
  const beale = findBuiltin('beale')!;
  const check = checkEdit(beale, 'built-in#beale(x, y) = (x - 3)^2 + 2*(y - 0.5)^2');
  assert.equal(check.ok, true);
  if (!check.ok) return;
  assert.deepEqual(check.variables, ['x', 'y']);
  assert.equal(check.expression, '(x - 3)^2 + 2*(y - 0.5)^2');
  assert.equal(check.definition, 'beale(x, y) = (x - 3)^2 + 2*(y - 0.5)^2');
  assert.deepEqual(check.fn.domain, beale.domain);
  assert.equal(valueAt(check.fn, [1, 1.5]), 4 + 2);
  const renamed = checkEdit(beale, 'beale(u, v) = u^2 + v');
  assert.ok(renamed.ok && renamed.definition === 'beale(u, v) = u^2 + v' && valueAt(renamed.fn, [3, 1]) === 10);
  const bare = checkEdit(parseExpression('g(x) = x'), 'k*x', { k: 3 });
  assert.ok(bare.ok && valueAt(bare.fn, [2]) === 6 && bare.definition === 'g(x) = k*x');
});

test('a bad edit: the diagnostic points into the text as the Lab sent it', () => {
  const beale = findBuiltin('beale')!;
  for (const text of [
    'x^2 + fooo(y)',
    'paper-functions.cost#beale(x, y) = x^2 + fooo(y)',
    'beale(x, y)=fooo(y)',
    'beale(x, y) = (x +\n  fooo(y))',
  ]) {
    const check = checkEdit(beale, text);
    assert.equal(check.ok, false, text);
    if (check.ok) return;
    const [d] = check.diagnostics;
    assert.match(d.message, /unknown function 'fooo'/);
    const line = text.split('\n')[d.range.line - 1];
    assert.equal(line.slice(d.range.column - 1, d.range.endColumn - 1), 'fooo', text);
  }
  const undeclared = checkEdit(beale, 'x + z');
  assert.ok(!undeclared.ok && /undeclared variable 'z'/.test(undeclared.diagnostics[0].message));
});

test("a panel run: random starts in the function's domain, or the clicked list; requests pass the worker's validation", () => {
  const beale = findBuiltin('beale')!;
  const choice = { source: { kind: 'builtin' as const, name: 'beale' }, fn: beale };
  const settings = parseWebviewMessage({
    type: 'run',
    settings: {
      fn: 'beale',
      optimizers: [
        { id: 'adam', params: { eta: 0.1 } },
        { id: 'gd', params: {} },
      ],
      starts: { kind: 'random', n: 20, seed: 4 },
      steps: 100,
      target: 1e-4,
    },
  });
  if (settings.type !== 'run') throw new Error('unreachable');
  const { requests: random } = panelRequests(choice, settings.settings, 'js');
  assert.equal(random.length, 2);
  for (const r of random) parseRunRequest(JSON.parse(JSON.stringify(r)));
  assert.deepEqual(random[0].starts, { kind: 'random', n: 20, seed: 4, domain: beale.domain });
  const { requests: listed } = panelRequests(
    choice,
    {
      ...settings.settings,
      starts: {
        kind: 'list',
        points: [
          [1, 1],
          [2, -1],
        ],
      },
    },
    'js',
  );
  assert.deepEqual(listed[1].starts, {
    kind: 'list',
    points: [
      [1, 1],
      [2, -1],
    ],
  });
  assert.deepEqual(listed[1].targets, [1e-4]);
  // Starts placed on another function's view (three coordinates for a two-variable function) are refused.
  assert.throws(
    () => panelRequests(choice, { ...settings.settings, starts: { kind: 'list', points: [[1, 1, 1]] } }, 'js'),
    /the starts have 3 coordinates, but beale has 2 variables/,
  );
});

test('view requests: checked against the function shown; one for another function is dropped', () => {
  const hill = { fn: 'hill', dim: 3 };
  const request = (raw: object) => {
    const m = parseWebviewMessage({ type: 'viewChanged', fn: 'hill', bounds: null, at: { kind: 'minimum' }, ...raw });
    if (m.type !== 'viewChanged') throw new Error('unreachable');
    return m;
  };
  assert.deepEqual(viewFor(request({ axes: [2, 0] }), hill).view, {
    axes: [2, 0],
    bounds: null,
    at: { kind: 'minimum' },
  });
  assert.match(
    viewFor(request({ axes: [0, 3] }), hill).problem!,
    /axis 3 is not a variable index \(the function has 3\)/,
  );
  assert.match(viewFor(request({ axes: [0] }), hill).problem!, /3 variables is drawn on 2 axes, not 1/);
  assert.match(
    viewFor(request({ axes: [0, 1], at: { kind: 'point', point: [1, 2] } }), hill).problem!,
    /the slice point has 2 coordinates; the function has 3 variables/,
  );
  assert.deepEqual(viewFor(request({ fn: 'beale', axes: [0, 1] }), hill), {});
  assert.ok(viewFor(request({ axes: [0], bounds: [[-1, 2]] }), { fn: 'hill', dim: 1 }).view);
});

test('previews coalesce: while one runs, only the newest waiting one runs after it', async () => {
  const latest = new Latest();
  const ran: number[] = [];
  let release!: () => void;
  const first = new Promise<void>((r) => (release = r));
  latest.run(async () => {
    ran.push(1);
    await first;
  });
  for (const k of [2, 3, 4])
    latest.run(async () => {
      ran.push(k);
    });
  assert.deepEqual(ran, [1]);
  release();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(ran, [1, 4]);
});

test('webview shell: the strict CSP, the nonce on the one script, no inline script or style', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc123');
  assert.equal(
    csp,
    "default-src 'none'; script-src 'nonce-abc123'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net",
  );
  const html = webviewShell({
    cspSource: 'https://x.vscode-cdn.net',
    script: 'https://x/dist/webview.js',
    stylesheet: 'https://x/media/lab.css',
    title: 'Lab',
    view: 'lab',
    nonce: 'abc123',
  });
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-abc123';/,
  );
  assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="abc123" src="https://x/dist/webview.js">']);
  assert.doesNotMatch(html, /<style|\sstyle=|\son\w+=/);
  const other = webviewShell({ cspSource: 'c', script: 's', stylesheet: 'l', title: 't', view: 'sidebar' });
  const nonce = /'nonce-([^']+)'/.exec(other)![1];
  assert.ok(nonce.length >= 16);
  assert.match(other, new RegExp(`<script nonce="${nonce}"`));
});

test('a restored panel: the function its saved state showed, taken only if it is a short string', () => {
  assert.equal(restoredFunction({ landscape: { fn: 'beale' }, settings: { fn: 'rosenbrock' } }), 'beale');
  assert.equal(restoredFunction({ settings: { fn: 'rosenbrock' } }), 'rosenbrock');
  for (const bad of [
    undefined,
    null,
    'x',
    [],
    { landscape: { fn: 3 } },
    { settings: { fn: 'x'.repeat(201) } },
    { settings: { fn: '' } },
  ]) {
    assert.equal(restoredFunction(bad), undefined);
  }
});
