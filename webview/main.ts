/**
 * The Lab panel's browser code: wiring only. It draws; every number comes from the extension host's messages,
 * each validated on receipt (one that fails, or fails to draw, shows an error and leaves Run usable). State (the
 * last view, settings, view choices) lives in getState/setState; the host sends the latest result again on `ready`.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { literal, tryCheck } from '../src/shared/check';
import type { LabSettings, Pair, Point } from '../src/shared/runShapes';
import { restoredMessage, type HostMessage, type HostToWebview } from '../src/shared/webviewProtocol';
import type { XAxisMode } from './chartData';
import { Controls } from './controls';
import { card, h, picker } from './dom';
import { ConvergenceChart } from './convergenceChart';
import { LandscapeView, type ArrowMode } from './landscape';
import { renderResultsTable } from './resultsTable';
import { SweepView } from './sweepView';
import { readTheme, watchTheme } from './theme';
import { answer, loadState, onHostMessage, post, restoreSettings, saveState } from './vscodeApi';

type View = HostMessage<'landscape' | 'curve'>;

interface LabState {
  init: HostMessage<'init'> | null;
  /** The view of the function shown: its landscape or slice, or its curve. */
  landscape: View | null;
  sweep: HostMessage<'sweepResult'> | null;
  /** The starts placed on function `fn`, with all their coordinates. */
  starts: { fn: string; points: Point[] };
  settings: LabSettings | null;
  xAxis: XAxisMode;
  arrows: ArrowMode;
}

const saved = loadState();
const restoredStarts = restoredMessage({ type: 'starts', ...(saved?.starts as object) }, 'starts');
const state: LabState = {
  init: restoredMessage(saved?.init, 'init'),
  landscape: restoredMessage(saved?.landscape, 'landscape') ?? restoredMessage(saved?.landscape, 'curve'),
  sweep: restoredMessage(saved?.sweep, 'sweepResult'),
  starts: { fn: restoredStarts?.fn ?? '', points: restoredStarts?.points.map((p) => [...p]) ?? [] },
  settings: restoreSettings(saved?.settings),
  xAxis: tryCheck(literal('step', 'time'), saved?.xAxis) ?? 'step',
  arrows: tryCheck(literal('off', 'gradient', 'power'), saved?.arrows) ?? 'off',
};
const persist = () => saveState(state);
/** The latest result (not saved: the host sends it again when the panel loads). */
let result: HostMessage<'runResult'> | null = null;
/** The run in flight, whose error or result ends it. */
let running: number | null = null;
/** A function the user picked whose view has not come yet: views of other functions are stale until it does. */
let pendingFn: string | null = null;

// Layout: controls on the left, the landscape above convergence and results on the right.
const banner = h('div', { class: 'banner hidden', role: 'alert' });
const controlsRoot = h('aside', { class: 'controls', 'aria-label': 'Run settings' });
const landscapeCanvas = h('canvas', {
  id: 'landscape',
  role: 'img',
  'aria-label': 'Landscape: heat map of log10(f − f* + δ) with trajectories; click to add a start',
}) as HTMLCanvasElement;
const convergenceCanvas = h('canvas', {
  id: 'convergence',
  role: 'img',
  'aria-label': 'Convergence: median and quartiles of f − f* per optimizer',
}) as HTMLCanvasElement;
const resultsRoot = h('div', { id: 'results' });
const sweepRoot = h('div', { id: 'sweep', class: 'hidden' });
const arrowPicker = picker(
  'Arrow field',
  [
    ['off', 'No arrows'],
    ['gradient', 'Arrows: −∇f'],
    ['power', 'Arrows: −sign(∇f)|∇f|ᴴ'],
  ],
  state.arrows,
);
const xPicker = picker(
  'Convergence x axis',
  [
    ['step', 'Against step'],
    ['time', 'Against time'],
  ],
  state.xAxis,
);
const resetButton = h('vscode-button', { secondary: '', title: 'Back to the function’s domain' }, 'Reset view');
const exportButton = h('vscode-button', { secondary: '', title: 'Save the landscape as PNG' }, 'Export PNG');
// The host's shell provides #root (webviewHtml.ts); the body serves when it is absent.
(document.getElementById('root') ?? document.body).append(
  h(
    'div',
    { class: 'lab' },
    controlsRoot,
    h(
      'main',
      { class: 'views' },
      banner,
      card(
        'Landscape',
        [arrowPicker, resetButton, exportButton],
        h('div', { class: 'chart-box' }, landscapeCanvas),
        'landscape-card',
      ),
      h(
        'div',
        { class: 'lower' },
        card('Convergence', [xPicker], h('div', { class: 'chart-box' }, convergenceCanvas)),
        card('Results', [], resultsRoot),
      ),
      sweepRoot,
    ),
  ),
);

let theme = readTheme();
/** A sweep cell was clicked: when its run's result arrives, scroll up to the landscape that shows its trajectories. */
let cellRun = false;
const landscapeTitle = landscapeCanvas.closest('section')?.querySelector('h2');
/** The plane shown, when the view is one (a curve has none). */
const plane = () => (state.landscape?.type === 'landscape' ? state.landscape : null);
const landscape = new LandscapeView(landscapeCanvas, theme, {
  addStart: (x, y) => {
    const p = plane();
    if (!p) return;
    // A click on a slice fixes the other coordinates at the slice's point.
    const point = [...p.at];
    point[p.axes[0]] = x;
    point[p.axes[1]] = y;
    if (state.starts.fn !== p.fn) state.starts = { fn: p.fn, points: [] };
    state.starts.points.push(point);
    controls.setStarts(state.starts.points);
    persist();
    post({ type: 'addStart', fn: p.fn, point });
  },
  removeStart: (index) => {
    state.starts.points.splice(index, 1);
    controls.setStarts(state.starts.points);
    persist();
    post({ type: 'removeStart', fn: plane()?.fn ?? state.starts.fn, index });
  },
  viewChanged: (b) => {
    const p = plane();
    if (!p) return;
    post({
      type: 'viewChanged',
      fn: p.fn,
      axes: [p.axes[0], p.axes[1]],
      bounds: [
        [b.xMin, b.xMax],
        [b.yMin, b.yMax],
      ],
      at: { kind: 'point', point: p.at },
    });
  },
});
const convergence = new ConvergenceChart(convergenceCanvas, theme);
const sweepView = new SweepView(theme, {
  actionLabel: 'Run',
  actionHint: 'Click a point or a cell, or focus a chart and press Enter, to run that configuration.',
  activate: (cell) => {
    const sweep = state.sweep?.sweep;
    const c = sweep?.cells[cell];
    if (sweep && c) {
      cellRun = true;
      post({ type: 'runCell', fn: sweep.fn, optimizer: c.optimizer, params: c.params });
    }
  },
});
sweepRoot.append(sweepView.root);
const controls = new Controls(controlsRoot, {
  run: (settings) => {
    hideBanner();
    post({ type: 'run', settings });
  },
  stop: () => post({ type: 'stop' }),
  selectFunction: (name) => {
    pendingFn = name;
    post({ type: 'selectFunction', name });
  },
  editFunction: (text) => post({ type: 'editFunction', text }),
  clearStarts: () => {
    state.starts.points = [];
    landscape.setStarts([]);
    persist();
    post({ type: 'clearStarts' });
  },
  changed: (settings) => {
    if (settings) {
      state.settings = settings;
      persist();
    }
  },
});
landscape.setArrows(state.arrows);
convergence.setMode(state.xAxis);

arrowPicker.addEventListener('change', () => {
  state.arrows = arrowPicker.value as ArrowMode;
  landscape.setArrows(state.arrows);
  persist();
});
xPicker.addEventListener('change', () => {
  state.xAxis = xPicker.value as XAxisMode;
  convergence.setMode(state.xAxis);
  persist();
});
resetButton.addEventListener('click', () => landscape.resetView());
exportButton.addEventListener('click', () => post({ type: 'exportLandscape' }));

function showBanner(text: string): void {
  banner.textContent = text;
  banner.classList.remove('hidden');
}
function hideBanner(): void {
  banner.classList.add('hidden');
}

function showResult(r: HostMessage<'runResult'> | null): void {
  landscape.setResult(r);
  convergence.setSeries(
    r?.optimizers.map((o) => o.curves) ?? [],
    new Map(r?.optimizers.map((o) => [o.curves.id, o.row.nsPerStep])),
    r ? r.config.fStar !== null : true,
  );
  renderResultsTable(resultsRoot, r);
}

/** The starts of the function shown, on the plane drawn. */
function showStarts(): void {
  const p = plane();
  const points = p && state.starts.fn === p.fn ? state.starts.points : [];
  landscape.setStarts(p ? points.map((x): Pair => [x[p.axes[0]], x[p.axes[1]]]) : []);
  controls.setStarts(state.starts.points);
}

/** A view of the function shown; one for another function is stale while the user's pick has not been answered. */
function showView(msg: View): void {
  if (pendingFn !== null && msg.fn !== pendingFn) return;
  pendingFn = null;
  state.landscape = msg;
  if (landscapeTitle) landscapeTitle.textContent = msg.title;
  if (msg.type === 'landscape') landscape.setLandscape(msg);
  else landscape.clear();
  landscape.setResult(result);
  showStarts();
  controls.showFunction(msg.fn);
}

/** After a rejected message or a drawing error: say so, and leave Run and Stop usable. */
function recover(text: string): void {
  running = null;
  controls.setRunning(false);
  showBanner(text);
}

function showSweep(msg: HostMessage<'sweepResult'> | null): void {
  sweepRoot.classList.toggle('hidden', !msg);
  sweepView.set(msg?.sweep ?? null);
}

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'init':
      state.init = msg;
      controls.setInit(msg, msg.settings);
      break;
    case 'landscape':
    case 'curve':
      showView(msg);
      break;
    case 'starts':
      state.starts = { fn: msg.fn, points: msg.points.map((p) => [...p]) };
      showStarts();
      break;
    case 'runStarted':
      hideBanner();
      running = msg.runId;
      controls.showConfig(msg.config);
      controls.setRunning(true);
      controls.setProgress(0, msg.config.steps);
      break;
    case 'progress':
      controls.setProgress(msg.step, msg.steps);
      convergence.setSeries(msg.curves);
      break;
    case 'runResult':
      result = msg;
      if (running === msg.runId) running = null;
      controls.setRunning(running !== null);
      controls.showConfig(msg.config);
      showResult(msg);
      if (cellRun) landscapeCanvas.scrollIntoView({ block: 'center' });
      cellRun = false;
      return;
    case 'runError':
      cellRun = false;
      if (msg.runId === null || msg.runId === running) {
        running = null;
        controls.setRunning(false);
      }
      showBanner(msg.message);
      break;
    case 'notice':
      showBanner(msg.message);
      return;
    case 'functionValidation':
      controls.setValidation(msg);
      // An accepted edit re-runs at once when the run is live-sized: the edit re-plots.
      if (msg.ok && result && liveSized()) controls.runAgain();
      break;
    case 'theme':
      applyTheme();
      return;
    case 'requestPng':
      answer(msg.requestId, () => ({ type: 'pngReply', inReplyTo: msg.requestId, dataUrl: landscape.toPng() }));
      return;
    // The drag preview and the internals' arrows are drawn by the animation views.
    case 'preview':
    case 'internals':
    case 'requestFailed':
      return;
    case 'sweepStarted':
      hideBanner();
      running = msg.sweepId;
      controls.showFunction(msg.fn);
      controls.setRunning(true);
      controls.setProgress(0, 100, `sweep: ${msg.cells} cells × ${msg.n} starts`);
      break;
    case 'sweepProgress':
      controls.setProgress(Math.round(msg.fraction * 100), 100, `sweep: ${Math.round(msg.fraction * 100)}%`);
      return;
    case 'sweepResult':
      state.sweep = msg;
      if (running === msg.sweepId) running = null;
      controls.setRunning(running !== null);
      controls.showConfig(msg.config);
      showSweep(msg);
      sweepRoot.scrollIntoView({ block: 'start' });
      break;
  }
  persist();
}

/** The settings on screen are within the host's live limit: starts × steps × optimizers. */
function liveSized(): boolean {
  const s = controls.settings();
  if (!s || !state.init) return false;
  const n = s.starts.kind === 'list' ? s.starts.points.length : s.starts.n;
  return n * s.steps * s.optimizers.length <= state.init.liveLimit;
}

function applyTheme(): void {
  theme = readTheme();
  landscape.setTheme(theme);
  convergence.setTheme(theme);
  sweepView.setTheme(theme);
}
watchTheme(applyTheme);

onHostMessage(handle, (e) => {
  console.error(`Descent Lab: ignored a malformed message: ${e.message}`);
  recover(`Ignored a malformed message from the extension: ${e.message}`);
});

// Redraw what the state kept, then ask the host for the rest.
if (state.init) controls.setInit(state.init, state.settings ?? state.init.settings);
if (state.landscape) showView(state.landscape);
showStarts();
showResult(null);
showSweep(state.sweep);
if (document.documentElement.hasAttribute('data-test-hooks')) {
  Object.assign(window, {
    descentLab: { landscape: landscape.chart, convergence: convergence.chart, sweep: sweepView },
  });
}
post({ type: 'ready' });
