// The webview protocol's run-time validators: every message type is accepted in a well-formed sample, and
// malformed messages are rejected with a message that names the offending field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBuiltin } from '../../src/engine/library';
import { landscapeMessage } from '../../src/present/landscape';
import { CheckError } from '../../src/shared/check';
import { LIMITS } from '../../src/shared/limits';
import type { CurveSeries } from '../../src/shared/resultShapes';
import type { LabSettings, RunConfig } from '../../src/shared/runShapes';
import {
  parseHostMessage,
  parseWebviewMessage,
  safeHostMessage,
  type HostMessageType,
  type HostToWebview,
  type WebviewMessageType,
  type WebviewToHost,
} from '../../src/shared/webviewProtocol';

const curve: CurveSeries = {
  id: 'gd',
  label: 'GD',
  colour: '#3381dd',
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
const config: RunConfig = {
  ...settings,
  starts: { kind: 'random', n: 2, seed: 1 },
  variables: ['x', 'y'],
  expression: '(1.5 - x + x*y)^2',
  fStar: 0,
};
/** Lane 1 of 2, two recorded steps, in two coordinates. */
const traces = () => ({
  total: 2,
  lanes: Int32Array.of(1),
  steps: Int32Array.of(0, 1),
  lengths: Int32Array.of(2),
  ends: Int32Array.of(1),
  theta: Float64Array.of(2, 2, 2.5, 1),
  f: Float64Array.of(3, 1),
});

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
      {
        name: 'hill',
        variables: ['x', 'y', 'z'],
        expression: '-x^2',
        domain: null,
        minima: [],
        fStar: null,
        origin: 'file',
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
        colour: '#df7718',
      },
    ],
    settings,
    liveLimit: 2e7,
  } as HostToWebview,
  landscape: {
    type: 'landscape',
    fn: 'beale',
    variables: ['x', 'y'],
    axes: [0, 1],
    at: [3, 0.5],
    title: 'beale(x, y)',
    bounds: { xMin: -1, xMax: 1, yMin: -2, yMax: 2 },
    xs: [-1, 0, 1],
    ys: [-2, 2],
    values: [0, 1, 2, 3, null, 5],
    delta: 1e-3,
    base: 0,
    fStar: 0,
    minima: [[0, 0]],
    arrows: {
      H: 0.5,
      xs: [-1, 1],
      ys: [-2, 2],
      gradient: { u: [1, 2, 3, 4], v: [0, 0, 0, 0] },
      power: { u: [1, 1, 1, 1], v: [0, 0, 0, 0] },
    },
  } as HostToWebview,
  curve: {
    type: 'curve',
    fn: 'g1',
    variable: 'x',
    title: 'g1(x)',
    bounds: [-5, 5],
    xs: [-5, 0, 5],
    f: [50, 5, null],
    fStar: null,
    minima: [],
  },
  starts: {
    type: 'starts',
    fn: 'beale',
    points: [
      [1, 2],
      [-3, 0.5],
    ],
  },
  runStarted: { type: 'runStarted', runId: 3, config, n: 2, live: true },
  progress: { type: 'progress', runId: 3, step: 50, steps: 100, curves: [curve] } as HostToWebview,
  runResult: {
    type: 'runResult',
    runId: 3,
    config,
    status: 'done',
    stoppedAt: null,
    starts: Float64Array.of(1, 1, 2, 2),
    optimizers: [
      {
        curves: curve,
        params: { eta: 0.1, norm: 'l2' },
        traces: traces(),
        row: { n: 2, converged: 1, diverged: 0, medianSteps: 42, nsPerStep: 12.5, stoppedAt: null },
      },
    ],
  } as HostToWebview,
  runError: { type: 'runError', runId: null, message: 'boom' },
  notice: { type: 'notice', message: 'That start was on beale’s view.' },
  preview: {
    type: 'preview',
    runId: 3,
    fn: 'beale',
    index: 1,
    point: [2, 2],
    n: 2,
    steps: 100,
    optimizers: [{ id: 'gd', traces: traces() }],
  },
  internals: {
    type: 'internals',
    inReplyTo: 5,
    runId: 3,
    from: 0,
    to: 1,
    dim: 2,
    optimizers: [
      {
        id: 'gd',
        H: 0.5,
        lanes: Int32Array.of(1),
        steps: Int32Array.of(0, 1),
        gradient: Float64Array.of(1, 2, 3, 4),
        power: Float64Array.of(1, 1.4, 1.7, 2),
        step: Float64Array.of(0.5, -1, NaN, NaN),
      },
    ],
  },
  requestFailed: { type: 'requestFailed', inReplyTo: 5, message: 'run 3 is no longer the latest run' },
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
    config,
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
  addStart: { type: 'addStart', fn: 'beale', point: [1.5, -0.25] },
  removeStart: { type: 'removeStart', fn: 'beale', index: 2 },
  clearStarts: { type: 'clearStarts' },
  editFunction: { type: 'editFunction', text: 'f(x, y) = x^2 + y^2' },
  viewChanged: {
    type: 'viewChanged',
    fn: 'hill',
    axes: [0, 2],
    bounds: [
      [-1, 1],
      [0, 3],
    ],
    at: { kind: 'point', point: [0, 0.5, 0] },
  },
  previewStart: { type: 'previewStart', fn: 'beale', index: 1, point: [2.5, 0.25] },
  requestInternals: { type: 'requestInternals', requestId: 5, runId: 3, from: 0, to: 10 },
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
  const parsed = parseWebviewMessage({ type: 'addStart', fn: 'f', point: [1, 2], __proto__x: 1, extra: 'no' });
  assert.deepEqual(parsed, { type: 'addStart', fn: 'f', point: [1, 2] });
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
  rejects(
    parseWebviewMessage,
    { type: 'addStart', fn: 'f', point: ['1', 2] },
    /^addStart\.point\[0\]: expected a finite number, got "1"$/,
  );
  rejects(parseWebviewMessage, { type: 'addStart', point: [1] }, /^addStart\.fn: expected a string/);
  rejects(parseWebviewMessage, { type: 'addStart', fn: 'f', point: [] }, /addStart\.point: 0 items, at least 1/);
  rejects(
    parseWebviewMessage,
    { type: 'removeStart', fn: 'f', index: 1.5 },
    /removeStart\.index: expected a finite integer ≥ 0/,
  );
  rejects(parseWebviewMessage, { type: 'removeStart', fn: 'f', index: -1 }, /removeStart\.index/);
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
      m.settings.starts = {
        kind: 'list',
        points: [
          [1, 2],
          [1, 2, 3],
        ],
      };
    }),
    /run\.settings\.starts\.points\[1\]: a point of 2 coordinates, got 3/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runStarted, (m) => {
      m.config.starts = { kind: 'list', points: [[1, 2, 3]] };
    }),
    /runStarted\.config\.starts\.points\[0\]: a point of 2 coordinates, got 3/,
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
      m.functions[0].minima = [[1, 2, 3]];
    }),
    /init\.functions\[0\]\.minima\[0\]: a point of 2 coordinates, got 3/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.init, (m) => {
      m.optimizers[0].colour = 'red';
    }),
    /init\.optimizers\[0\]\.colour: expected a colour #rrggbb/,
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
  rejects(
    parseWebviewMessage,
    { type: 'addStart', fn: 'f', point: [NaN, 0] },
    /addStart\.point\[0\]: expected a finite number, got NaN/,
  );
  rejects(
    parseWebviewMessage,
    broken(WEBVIEW.viewChanged, (m) => {
      m.bounds[0][0] = -Infinity;
    }),
    /viewChanged\.bounds\[0\]\[0\]: expected a finite number, got -Infinity/,
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
      m.optimizers[0].traces.theta[1] = NaN;
    }),
    /traces\.theta\[1\]: expected a finite number, got NaN/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.starts[0] = Infinity;
    }),
    /runResult\.starts\[0\]: expected a finite number, got Infinity/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].row.nsPerStep = NaN;
    }),
    /row\.nsPerStep/,
  );
  // NaN means "no value" in the internals' arrows; ±∞ never travels.
  rejects(
    parseHostMessage,
    broken(HOST.internals, (m) => {
      m.optimizers[0].gradient[0] = -Infinity;
    }),
    /internals\.optimizers\[0\]\.gradient\[0\]: expected a finite number or NaN, got -Infinity/,
  );
});

test('arrays over their limit are rejected before their items are read', () => {
  const many = (n: number) => Array.from({ length: n }, () => [0, 0]);
  rejects(
    parseHostMessage,
    { type: 'starts', fn: 'f', points: many(LIMITS.placedStarts + 1) },
    new RegExp(`starts\\.points: ${LIMITS.placedStarts + 1} items, more than the limit of ${LIMITS.placedStarts}`),
  );
  rejects(
    parseWebviewMessage,
    { type: 'addStart', fn: 'f', point: Array(LIMITS.dim + 1).fill(0) },
    /addStart\.point: 65 items, more than the limit of 64/,
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
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      const t = m.optimizers[0].traces;
      t.steps = Int32Array.from({ length: 200_000 }, (_, k) => k);
      t.lanes = Int32Array.of(0, 1);
      m.config.steps = 1e6;
    }),
    /traces: 2 lanes × 200000 steps, more than the limit of 250000 points/,
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

test('arrays that index one grid, series or trace set must agree in length', () => {
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
    broken(HOST.curve, (m) => {
      m.f.pop();
    }),
    /curve\.f: 2 items, expected one per x \(3\)/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.progress, (m) => {
      m.curves[0].q1.push(1);
    }),
    /progress\.curves\[0\]\.q1: 4 items, expected 3/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces.theta = Float64Array.of(1, 2, 3);
    }),
    /traces\.theta: expected lanes × steps × 2 = 4/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces.ends = Int32Array.of();
    }),
    /traces\.ends: one per lane \(1\)/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.starts = Float64Array.of(1, 1, 2);
    }),
    /runResult\.starts: 3 values is not a whole number of 2-coordinate points/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.internals, (m) => {
      m.optimizers[0].step = Float64Array.of(1);
    }),
    /internals\.optimizers\[0\]\.step: expected lanes × steps × 2 = 4 values/,
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
      m.axes = [1, 1];
    }),
    /landscape\.axes: two different variable indices below 2, got \[1, 1\]/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.at = [1];
    }),
    /landscape\.at: one coordinate per variable \(2\), got 1/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.landscape, (m) => {
      m.arrows.H = 2;
    }),
    /landscape\.arrows\.H: expected a finite number ≥ 0 ≤ 1, got 2/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces.lanes = Int32Array.of(2);
    }),
    /traces\.lanes\[0\]: expected an integer in \[0, 1\], got 2/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.optimizers[0].traces.steps = Int32Array.of(0, 101);
    }),
    /traces\.steps\[1\]: expected an integer in \[0, 100\], got 101/,
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
    broken(HOST.runResult, (m) => {
      m.status = 'stopped';
    }),
    /runResult\.stoppedAt: a stopped run says where it stopped/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.runResult, (m) => {
      m.status = 'stopped';
      m.stoppedAt = 500;
    }),
    /runResult\.stoppedAt: step 500 is past the run's 100 steps/,
  );
  rejects(
    parseHostMessage,
    broken(HOST.preview, (m) => {
      m.index = 2;
    }),
    /preview\.index: start 2 is not one of the run's 2/,
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
    { type: 'requestInternals', requestId: 1, runId: 1, from: 10, to: 5 },
    /requestInternals\.to: the window 10…5 is empty/,
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
  const view = (x: [number, number], y: [number, number] = [0, 1]) => ({
    type: 'viewChanged',
    fn: 'beale',
    axes: [0, 1],
    bounds: [x, y],
    at: { kind: 'minimum' },
  });
  rejects(parseWebviewMessage, view([-1e308, 1e308]), /viewChanged\.bounds\[0\]: the x span .* must be finite/);
  rejects(parseWebviewMessage, view([0, 1], [-1e308, 1e308]), /bounds\[1\]: the y span .* must be finite/);
  rejects(parseWebviewMessage, view([2, 1]), /xMin < xMax is required/);
  rejects(parseWebviewMessage, view([1e6, 1e6 + 1e-6]), /the x span .* is too narrow to draw/);
  rejects(parseWebviewMessage, view([0, 1e-300]), /too narrow/);
  rejects(parseWebviewMessage, view([0, NaN]), /viewChanged\.bounds\[0\]\[1\]: expected a finite number, got NaN/);
  rejects(parseWebviewMessage, { ...view([0, 1]), axes: [1, 1] }, /viewChanged\.axes: two different variables/);
  rejects(parseWebviewMessage, { ...view([0, 1]), axes: [0] }, /viewChanged\.bounds: one range per axis \(1\)/);
  rejects(
    parseWebviewMessage,
    { ...view([0, 1]), axes: [0, 64] },
    /viewChanged\.axes\[1\]: expected a finite integer ≥ 0 ≤ 63/,
  );
  rejects(
    parseWebviewMessage,
    { ...view([0, 1]), at: { kind: 'point', point: [0, Infinity] } },
    /viewChanged\.at\.point\[1\]: expected a finite number/,
  );
  rejects(
    parseWebviewMessage,
    { ...view([0, 1]), at: { kind: 'middle' } },
    /viewChanged\.at\.kind: unknown kind "middle"/,
  );
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
    const msg = parseWebviewMessage({
      type: 'viewChanged',
      fn: 'beale',
      axes: [0, 1],
      bounds: [
        [xMin, xMax],
        [yMin, yMax],
      ],
      at: { kind: 'centre' },
    });
    assert.ok(msg.type === 'viewChanged');
    const bounds = { xMin, xMax, yMin, yMax };
    // 512 points per axis is the protocol's limit: the densest grid a landscape may have.
    for (const size of [120, LIMITS.gridAxis]) {
      const landscape = landscapeMessage(fn, 'beale', bounds, size);
      assert.doesNotThrow(() => parseHostMessage(JSON.parse(JSON.stringify(landscape))), JSON.stringify(bounds));
    }
  }
});

test('a message that fails the check goes as an error the webview can act on, never silently', () => {
  const problems: string[] = [];
  // What hill(x, y) = −x² − y² used to give: lanes counted converged and diverged both.
  const bad = broken(HOST.runResult, (m) => {
    m.optimizers[0].row.converged = 2;
    m.optimizers[0].row.diverged = 2;
  }) as HostToWebview;
  const sent = safeHostMessage(bad, (p) => problems.push(p));
  assert.equal(sent.type, 'runError');
  assert.ok(sent.type === 'runError' && sent.runId === 3 && /could not show this runResult/.test(sent.message));
  assert.match(problems[0], /converged \+ diverged ≤ n/);
  assert.doesNotThrow(() => parseHostMessage(sent));
  // Not tied to a run: a notice.
  const view = safeHostMessage(broken(HOST.landscape, (m) => (m.values = [])) as HostToWebview, () => {});
  assert.equal(view.type, 'notice');
  // A sweep's failure ends the sweep.
  const sweep = safeHostMessage(broken(HOST.sweepResult, (m) => (m.sweep.n = 0)) as HostToWebview, () => {});
  assert.ok(sweep.type === 'runError' && sweep.runId === 2);
  // A good message goes as it is.
  assert.equal(
    safeHostMessage(HOST.runResult, () => assert.fail()),
    HOST.runResult,
  );
});
