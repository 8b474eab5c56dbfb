/**
 * The Lab panel's browser code: wiring only. It draws; every number comes from the extension host's messages,
 * each validated on receipt. State (last landscape, result, settings, view choices) lives in getState/setState.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { literal, tryCheck } from '../src/shared/check';
import type { LabSettings, Point } from '../src/shared/runShapes';
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

interface LabState {
  init: HostMessage<'init'> | null;
  landscape: HostMessage<'landscape'> | null;
  result: HostMessage<'runResult'> | null;
  sweep: HostMessage<'sweepResult'> | null;
  starts: Point[];
  settings: LabSettings | null;
  xAxis: XAxisMode;
  arrows: ArrowMode;
}

const saved = loadState();
const state: LabState = {
  init: restoredMessage(saved?.init, 'init'),
  landscape: restoredMessage(saved?.landscape, 'landscape'),
  result: restoredMessage(saved?.result, 'runResult'),
  sweep: restoredMessage(saved?.sweep, 'sweepResult'),
  starts:
    restoredMessage({ type: 'starts', points: saved?.starts }, 'starts')?.points.map((p) => [p[0], p[1]] as Point) ??
    [],
  settings: restoreSettings(saved?.settings),
  xAxis: tryCheck(literal('step', 'time'), saved?.xAxis) ?? 'step',
  arrows: tryCheck(literal('off', 'gradient', 'power'), saved?.arrows) ?? 'off',
};
const persist = () => saveState(state);

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
const landscape = new LandscapeView(landscapeCanvas, theme, {
  addStart: (x, y) => {
    state.starts.push([x, y]);
    controls.setStarts(state.starts);
    persist();
    post({ type: 'addStart', x, y });
  },
  removeStart: (index) => {
    state.starts.splice(index, 1);
    controls.setStarts(state.starts);
    persist();
    post({ type: 'removeStart', index });
  },
  viewChanged: (b) => post({ type: 'viewChanged', ...b }),
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
  selectFunction: (name) => post({ type: 'selectFunction', name }),
  editFunction: (text) => post({ type: 'editFunction', text }),
  clearStarts: () => {
    state.starts = [];
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

function showResult(result: HostMessage<'runResult'> | null): void {
  landscape.setResult(result);
  convergence.setSeries(
    result?.optimizers.map((o) => o.curves) ?? [],
    new Map(result?.optimizers.map((o) => [o.curves.id, o.row.nsPerStep])),
  );
  renderResultsTable(resultsRoot, result);
}

function showSweep(msg: HostMessage<'sweepResult'> | null): void {
  sweepRoot.classList.toggle('hidden', !msg);
  sweepView.set(msg?.sweep ?? null);
}

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'init':
      state.init = msg;
      controls.setInit(msg, state.settings ?? msg.settings);
      break;
    case 'landscape':
      state.landscape = msg;
      landscape.setLandscape(msg);
      controls.showFunction(msg.fn);
      break;
    case 'starts':
      state.starts = msg.points.map((p) => [p[0], p[1]]);
      landscape.setStarts(state.starts);
      controls.setStarts(state.starts);
      break;
    case 'runStarted':
      hideBanner();
      controls.showFunction(msg.fn);
      controls.setRunning(true);
      controls.setProgress(0, msg.steps);
      break;
    case 'progress':
      controls.setProgress(msg.step, msg.steps);
      convergence.setSeries(msg.curves);
      break;
    case 'runResult':
      state.result = msg;
      controls.setRunning(false);
      showResult(msg);
      if (cellRun) landscapeCanvas.scrollIntoView({ block: 'center' });
      cellRun = false;
      break;
    case 'runError':
      cellRun = false;
      controls.setRunning(false);
      showBanner(msg.message);
      break;
    case 'functionValidation':
      controls.setValidation(msg);
      break;
    case 'theme':
      applyTheme();
      return;
    case 'requestPng':
      answer(msg.requestId, () => ({ type: 'pngReply', inReplyTo: msg.requestId, dataUrl: landscape.toPng() }));
      return;
    case 'sweepStarted':
      hideBanner();
      controls.showFunction(msg.fn);
      controls.setRunning(true);
      controls.setProgress(0, 100, `sweep: ${msg.cells} cells × ${msg.n} starts`);
      break;
    case 'sweepProgress':
      controls.setProgress(Math.round(msg.fraction * 100), 100, `sweep: ${Math.round(msg.fraction * 100)}%`);
      return;
    case 'sweepResult':
      state.sweep = msg;
      controls.setRunning(false);
      showSweep(msg);
      sweepRoot.scrollIntoView({ block: 'start' });
      break;
  }
  persist();
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
  showBanner(`Ignored a malformed message from the extension: ${e.message}`);
});

// Redraw what the state kept, then ask the host for the rest.
if (state.init) controls.setInit(state.init, state.settings ?? state.init.settings);
if (state.landscape) landscape.setLandscape(state.landscape);
landscape.setStarts(state.starts);
controls.setStarts(state.starts);
showResult(state.result);
showSweep(state.sweep);
if (document.documentElement.hasAttribute('data-test-hooks')) {
  Object.assign(window, {
    descentLab: { landscape: landscape.chart, convergence: convergence.chart, sweep: sweepView },
  });
}
post({ type: 'ready' });
