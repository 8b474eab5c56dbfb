// The webview protocol's run-time validators: every message type is accepted in a well-formed sample, and
// malformed messages are rejected with a message that names the offending field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBuiltin } from '../../src/engine/library';
import { landscapeMessage } from '../../src/present/landscape';
import { CheckError } from '../../src/shared/check';
import { LIMITS } from '../../src/shared/limits';
import type { CurveSeries, LabSettings } from '../../src/shared/runShapes';
import {
  parseHostMessage,
  parseWebviewMessage,
  type HostMessageType,
  type HostToWebview,
  type WebviewMessageType,
  type WebviewToHost,
} from '../../src/shared/webviewProtocol';

const curve: CurveSeries = {
  id: 'gd',
  label: 'GD',
  colour: 0,
  steps: [0, 1, 2],
  median: [10, 1, null],
  q1: [5, 0.5, 0],
  q3: [20, 2, null],
};
const settings: LabSettings = {
  fn: 'beale',
  steps: 100,
  target: 1e-6,
  optimizers: [
    { id: 'h-adam', params: { eta: 0.1, H: 0.5 } },
    { id: 'ngd', params: { norm: 'l2' } },
  ],
  starts: { kind: 'random', n: 8, seed: 1 },
};

const HOST: Record<HostMessageType, HostToWebview> = {
  init: {
    type: 'init',
    functions: [
      {
        name: 'beale',
        variables: ['x', 'y'],
        expression: '(1.5 - x + x*y)^2',
        domain: [
          [-4.5, 4.5],
          [-4.5, 4.5],
        ],
        minima: [[3, 0.5]],
        fStar: 0,
        origin: 'builtin',
      },
    ],
    optimizers: [
      {
        id: 'h-adam',
        label: 'h-Adam',
        paper: 'Baiesi 2019, A.2',
        rule: 'Adam fed with h = sign(g)·abs(g)^H',
        transforms: [
          { id: 'power', consumes: 'value' },
          { id: 'adam', consumes: 'value' },
        ],
        params: [
          {
            kind: 'number',
            name: 'eta',
            symbol: 'η',
            description: 'learning rate',
            default: 0.1,
            min: 1e-8,
            max: 10,
            scale: 'log',
          },
          { kind: 'choice', name: 'norm', symbol: 'p', description: 'norm', default: 'l2', choices: ['l1', 'l2'] },
        ],
      },
    ],
    settings,
  } as HostToWebview,
  landscape: {
    type: 'landscape',
    fn: 'beale',
    bounds: { xMin: -1, xMax: 1, yMin: -2, yMax: 2 },
    xs: [-1, 0, 1],
    ys: [-2, 2],
    values: [0, 1, 2, 3, null, 5],
    delta: 1e-3,
    minima: [[0, 0]],
    arrows: {
      H: 0.5,
      xs: [-1, 1],
      ys: [-2, 2],
      gradient: { u: [1, 2, 3, 4], v: [0, 0, 0, 0] },
      power: { u: [1, 1, 1, 1], v: [0, 0, 0, 0] },
    },
  } as HostToWebview,
  starts: {
    type: 'starts',
    points: [
      [1, 2],
      [-3, 0.5],
    ],
  },
  runStarted: { type: 'runStarted', runId: 3, fn: 'beale', steps: 100, n: 8 },
  progress: { type: 'progress', runId: 3, step: 50, steps: 100, curves: [curve] } as HostToWebview,
  runResult: {
    type: 'runResult',
    runId: 3,
    fn: 'beale',
    steps: 100,
    target: 1e-6,
    starts: [
      [1, 1],
      [2, 2],
    ],
    optimizers: [
      {
        curves: curve,
        params: { eta: 0.1, norm: 'l2' },
        traces: [{ lane: 1, xs: [2, 2.5], ys: [2, 1] }],
        row: { n: 2, converged: 1, diverged: 0, medianSteps: 42, nsPerStep: 12.5 },
      },
    ],
  } as HostToWebview,
  runError: { type: 'runError', runId: null, message: 'boom' },
  functionValidation: {
    type: 'functionValidation',
    text: 'x^2 +',
    ok: false,
    diagnostics: [
      { message: 'unexpected end', severity: 'error', range: { line: 1, column: 5, endLine: 1, endColumn: 6 } },
    ],
  },
  theme: { type: 'theme' },
  sweepStarted: { type: 'sweepStarted', sweepId: 2, fn: 'beale', cells: 12, n: 2 },
  sweepProgress: { type: 'sweepProgress', sweepId: 2, fraction: 0.25 },
  sweepResult: {
    type: 'sweepResult',
    sweepId: 2,
    sweep: {
      fn: 'beale',
      variables: ['x', 'y'],
      target: 1e-4,
      budgets: [10, 100],
      n: 2,
      starts: [
        [1, 1],
        [2, 2],
      ],
      backend: 'wasm-simd',
      axes: [{ name: 'eta', symbol: 'η', scale: 'log', values: [0.01, 0.1] }],
      nsPerLaneStep: { adam: 3.5 },
      cells: [
        {
          optimizer: 'adam',
          label: 'Adam',
          params: { eta: 0.01, beta1: 0.9 },
          fraction: [0, 0.5],
          medianSteps: 40,
          meanSteps: 40,
          diverged: 0.5,
          orbits: 0,
          perStart: [40, null],
          divergedStarts: [false, true],
        },
      ],
    },
  } as HostToWebview,
  requestPng: { type: 'requestPng', requestId: 4 },
};

const WEBVIEW: Record<WebviewMessageType, WebviewToHost> = {
  ready: { type: 'ready' },
  run: { type: 'run', settings } as WebviewToHost,
  stop: { type: 'stop' },
  selectFunction: { type: 'selectFunction', name: 'rosenbrock' },
  addStart: { type: 'addStart', x: 1.5, y: -0.25 },
  removeStart: { type: 'removeStart', index: 2 },
  clearStarts: { type: 'clearStarts' },
  editFunction: { type: 'editFunction', text: 'f(x, y) = x^2 + y^2' },
  viewChanged: { type: 'viewChanged', xMin: -1, xMax: 1, yMin: 0, yMax: 3 },
  exportLandscape: { type: 'exportLandscape' },
  pngReply: { type: 'pngReply', inReplyTo: 4, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
  requestFailed: { type: 'requestFailed', inReplyTo: 4, message: 'the Lab shows no landscape' },
  runCell: { type: 'runCell', fn: 'beale', optimizer: 'h-adam', params: { eta: 0.1, H: 0.5 } },
};

/** A deep copy with `edit` applied, so each case breaks one thing in an otherwise valid message. */
function broken<T>(msg: T, edit: (m: any) => void): unknown {
  const copy = structuredClone(msg);
  edit(copy);
  return copy;
}

function rejects(parse: (v: unknown) => unknown, v: unknown, pattern: RegExp): void {
  assert.throws(
    () => parse(v),
    (e: unknown) => {
      assert.ok(e instanceof CheckError, `a CheckError, not ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('every host → webview message type is accepted and comes back equal', () => {
  for (const [type, msg] of Object.entries(HOST)) assert.deepEqual(parseHostMessage(msg), msg, type);
});

test('every webview → host message type is accepted and comes back equal', () => {
  for (const [type, msg] of Object.entries(WEBVIEW)) assert.deepEqual(parseWebviewMessage(msg), msg, type);
});

test('the validators drop fields the protocol does not define', () => {
  const parsed = parseWebviewMessage({ type: 'addStart', x: 1, y: 2, __proto__x: 1, extra: 'no' });
  assert.deepEqual(parsed, { type: 'addStart', x: 1, y: 2 });
});

test('unknown types and non-objects are rejected, naming the valid types', () => {
  rejects(parseHostMessage, { type: 'explode' }, /unknown message type "explode"; expected one of init, landscape/);
  rejects(parseWebviewMessage, { type: 'toString' }, /unknown message type "toString"/);
  rejects(parseWebviewMessage, { type: 7 }, /unknown message type 7/);
  rejects(parseWebviewMessage, null, /^message: expected an object, got null/);
  rejects(parseWebviewMessage, [{ type: 'ready' }], /expected an object, got an array/);
  rejects(parseHostMessage, 'init', /expected an object/);
});

test('wrong types and missing fields name the field', () => {
  rejects(parseWebviewMessage, { type: 'addStart', x: '1', y: 2 }, /^addStart\.x: expected a finite number, got "1"$/);
  rejects(parseWebviewMessage, { type: 'addStart', x: 1 }, /^addStart\.y: expected a finite number, got undefined$/);
  rejects(
    parseWebviewMessage,
    { type: 'removeStart', index: 1.5 },
    /removeStart\.index: expected a finite integer ≥ 0/,
  );
  rejects(parseWebviewMessage, { type: 'removeStart', index: -1 }, /removeStart\.index/);
  rejects(parseWebviewMessage, { type: 'editFunction' }, /editFunction\.text: expected a string/);
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.run, (m) => {
      m.settings.steps = 10.5;
    }),
    /run\.settings\.steps: expected a finite integer/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.run, (m) => {
      m.settings.optimizers[0].params.eta = true;
    }),
    /run\.settings\.optimizers\[0\]\.params\.eta: expected a finite number, got true/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.run, (m) => {
      m.settings.starts = { kind: 'random', n: 0, seed: 1 };
    }),
    /run\.settings\.starts\.n: expected a finite integer ≥ 1/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.run, (m) => {
      m.settings.starts = { kind: 'list', points: [[1, 2, 3]] };
    }),
    /run\.settings\.starts\.points\[0\]: expected a pair/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.init, (m) => {
      delete m.functions[0].origin;
    }),
    /init\.functions\[0\]\.origin: expected 'builtin' or 'file' or 'inline', got undefined/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.init, (m) => {
      m.optimizers[0].params[0].default = 100;
    }),
    /init\.optimizers\[0\]\.params\[0\]\.default: expected a number in \[1e-8, 10\]/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.init, (m) => {
      m.optimizers[0].params[1].default = 'l3';
    }),
    /params\[1\]\.default: expected one of l1\|l2/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.functionValidation, (m) => {
      m.diagnostics[0].range.line = 0;
    }),
    /diagnostics\[0\]\.range\.line: expected a finite integer ≥ 1/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.functionValidation, (m) => {
      m.ok = 'yes';
    }),
    /functionValidation\.ok: expected a boolean/,
  );
});

test('NaN and infinities are rejected where the protocol asks for finite numbers', () => {
  rejects(parseWebviewMessage, { type: 'addStart', x: NaN, y: 0 }, /addStart\.x: expected a finite number, got NaN/);
  rejects(
    parseWebviewMessage,
    { type: 'viewChanged', xMin: -Infinity, xMax: 1, yMin: 0, yMax: 1 },
    /viewChanged\.xMin: expected a finite number, got -Infinity/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.values[2] = NaN;
    }),
    /landscape\.values\[2\]: expected a finite number, got NaN/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].curves.median[0] = Infinity;
    }),
    /curves\.median\[0\]: expected a finite number, got Infinity/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces[0].xs[1] = null;
    }),
    /traces\[0\]\.xs\[1\]: expected a finite number, got null/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].row.nsPerStep = NaN;
    }),
    /row\.nsPerStep/,
  );
});

test('arrays over their limit are rejected before their items are read', () => {
  const many = (n: number) => Array.from({ length: n }, () => [0, 0]);
  rejects(
    parseHostMessage,
    { type: 'starts', points: many(LIMITS.starts + 1) },
    new RegExp(`starts\\.points: ${LIMITS.starts + 1} items, more than the limit of ${LIMITS.starts}`),
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.xs = Array.from({ length: LIMITS.gridAxis + 1 }, (_, i) => i);
    }),
    /landscape\.xs: 513 items, more than the limit of 512/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.progress, (m) => {
      m.curves = Array(LIMITS.optimizers + 1).fill(curve);
    }),
    /progress\.curves: 65 items/,
  );
  rejects(
    parseWebviewMessage,
    { type: 'editFunction', text: 'x'.repeat(LIMITS.text + 1) },
    /editFunction\.text: expected a string of at most 100000 characters, got a string of length 100001/,
  );
  rejects(
    parseWebviewMessage,
    { type: 'pngReply', inReplyTo: 1, dataUrl: `data:image/png;base64,${'A'.repeat(LIMITS.dataUrl)}` },
    /pngReply\.dataUrl: expected a string of at most/,
  );
});

test('arrays that index one grid or series must agree in length', () => {
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.values.pop();
    }),
    /landscape\.values: 5 items, expected ys × xs = 6/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.arrows.power.v.pop();
    }),
    /landscape\.arrows\.power: u and v need 4 items/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.progress, (m) => {
      m.curves[0].q1.push(1);
    }),
    /progress\.curves\[0\]\.q1: q1 has 4 items, expected 3/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces[0].ys.push(1);
    }),
    /traces\[0\]\.ys: ys has 3 items, expected 2/,
  );
});

test('semantic checks: ordered axes, bounds, lanes, counts, steps', () => {
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.xs = [0, 0, 1];
    }),
    /landscape\.xs\[1\]: must be strictly increasing/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.ys = [1];
      m.values = [0, 1, 2];
    }),
    /landscape\.ys: 1 items, at least 2 needed/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.bounds.xMax = -1;
    }),
    /landscape\.bounds: xMin < xMax is required/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.arrows.H = 2;
    }),
    /landscape\.arrows\.H: expected a finite number ≥ 0 ≤ 1, got 2/,
  );
  rejects(
    parseWebviewMessage,
    { type: 'viewChanged', xMin: 1, xMax: 1, yMin: 0, yMax: 1 },
    /viewChanged: xMin < xMax is required/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces[0].lane = 2;
    }),
    /traces\[0\]\.lane: 2 is not a start index \(2 starts\)/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].row.diverged = 2;
    }),
    /row: expected converged \+ diverged ≤ n/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.progress, (m) => {
      m.step = 101;
    }),
    /progress\.step: expected a step ≤ steps \(100\)/,
  );
  rejects(
    parseWebviewMessage,
    { type: 'pngReply', inReplyTo: 1, dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' },
    /pngReply\.dataUrl: expected a data:image\/png;base64 URL/,
  );
  rejects(
    parseWebviewMessage,
    { type: 'pngReply', inReplyTo: 1, dataUrl: 'data:image/png;base64,<script>' },
    /pngReply\.dataUrl/,
  );
  rejects(parseWebviewMessage, { type: 'pngReply', dataUrl: WEBVIEW.pngReply }, /pngReply\.inReplyTo/);
  rejects(parseHostMessage, { type: 'requestPng' }, /requestPng\.requestId: expected a finite integer/);
});

test('sweep messages: per-budget and per-start arrays agree, fractions in [0, 1], steps within the budget', () => {
  const r = HOST.sweepResult;
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.cells[0].fraction = [0.5];
    }),
    /sweepResult\.sweep\.cells\[0\]\.fraction: 1 items, expected one per budget/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.cells[0].fraction[1] = 1.5;
    }),
    /cells\[0\]\.fraction\[1\]: expected a finite number ≥ 0 ≤ 1/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.cells[0].perStart = [40];
    }),
    /perStart: 1 items, expected one per start \(2\)/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.cells[0].divergedStarts = [true];
    }),
    /divergedStarts: divergedStarts has 1 items, expected 2/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.cells[0].perStart[0] = 101;
    }),
    /perStart\[0\]: expected a finite integer ≥ 0 ≤ 100/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.budgets = [100, 10];
    }),
    /budgets\[1\]: must be strictly increasing/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.axes[0].values = [0, 0.1];
    }),
    /a log axis needs values > 0/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.starts = [[1, 1]];
    }),
    /starts: 1 points, expected none or n = 2/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      delete m.sweep.axes[0].symbol;
    }),
    /axes\[0\]\.symbol: expected a string/,
  );
  rejects(
    parseHostMessage,
    broken(r, (m) => {
      m.sweep.nsPerLaneStep = { adam: 'fast' };
    }),
    /nsPerLaneStep\.adam: expected a finite number ≥ 0/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.sweepProgress, (m) => {
      m.fraction = 2;
    }),
    /sweepProgress\.fraction/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.runCell, (m) => {
      m.params = { eta: Infinity };
    }),
    /runCell\.params\.eta: expected a finite number/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.runCell, (m) => {
      delete m.optimizer;
    }),
    /runCell\.optimizer/,
  );
});

test('viewChanged: a view the host could not draw is refused at the boundary, with the reason', () => {
  const view = (xMin: number, xMax: number, yMin = 0, yMax = 1) => ({ type: 'viewChanged', xMin, xMax, yMin, yMax });
  rejects(parseWebviewMessage, view(-1e308, 1e308), /viewChanged: the x span .* must be finite/);
  rejects(parseWebviewMessage, view(0, 1, -1e308, 1e308), /viewChanged: the y span .* must be finite/);
  rejects(parseWebviewMessage, view(2, 1), /xMin < xMax is required/);
  rejects(parseWebviewMessage, view(1e6, 1e6 + 1e-6), /the x span .* is too narrow to draw/);
  rejects(parseWebviewMessage, view(0, 1e-300), /too narrow/);
  rejects(parseWebviewMessage, view(0, NaN), /viewChanged\.xMax: expected a finite number, got NaN/);
});

test('every view the boundary accepts gets a landscape that passes the host’s own check', () => {
  const fn = findBuiltin('beale')!;
  const views: [number, number, number, number][] = [
    [-1e307, 1e307, -1e307, 1e307],
    [-1e-3, 1e-3, 5, 5.0001],
    [1e6, 1e6 + 1, -1e-270, 1e-270],
    [3 - 1e-8, 3 + 1e-8, 0.5 - 1e-8, 0.5 + 1e-8],
    // Just wider than the narrowest view accepted (10⁻⁹ of the coordinates' size).
    [1, 1 + 1.01e-9, -2e9, -2e9 + 2.02],
    [-4.5, 4.5, -4.5, 4.5],
  ];
  for (const [xMin, xMax, yMin, yMax] of views) {
    const msg = parseWebviewMessage({ type: 'viewChanged', xMin, xMax, yMin, yMax });
    assert.ok(msg.type === 'viewChanged');
    const { type: _, ...bounds } = msg;
    // 512 points per axis is the protocol's limit: the densest grid a landscape may have.
    for (const size of [120, LIMITS.gridAxis]) {
      const landscape = landscapeMessage(fn, 'beale', bounds, size);
      assert.doesNotThrow(() => parseHostMessage(JSON.parse(JSON.stringify(landscape))), JSON.stringify(bounds));
    }
  }
});
