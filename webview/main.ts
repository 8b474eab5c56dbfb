/**
 * The Lab panel's browser code: wiring only. It draws; every number comes from the extension host's messages,
 * each validated on receipt (one that fails, or fails to draw, shows an error and leaves Run usable). State (the
 * last view, settings, view choices) lives in getState/setState; the host sends the latest result again on `ready`.
 * The layout is labLayout.ts, playback runPlayback.ts, the views of the function shown labViews.ts.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { F_STAR_UNKNOWN, stoppedText } from '../src/present/format';
import { literal, tryCheck } from '../src/shared/check';
import { LIMITS } from '../src/shared/limits';
import type { LabSettings, Point } from '../src/shared/runShapes';
import { restoredMessage, type HostMessage, type HostToWebview } from '../src/shared/webviewProtocol';
import type { XAxisMode } from './chartData';
import { Controls, section } from './controls';
import { ConvergenceChart } from './convergenceChart';
import { h, picker } from './dom';
import { buildLayout } from './labLayout';
import { LabViews, type View } from './labViews';
import type { ArrowMode } from './landscape';
import { renderResultsTable } from './resultsTable';
import { RunPlayback } from './runPlayback';
import { SweepView } from './sweepView';
import type { ArrowKind } from './trajectoryLayer';
import { readTheme, watchTheme } from './theme';
import { answer, loadState, onHostMessage, post, restoreSettings, saveState } from './vscodeApi';

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

/** A change re-runs a live-sized run this long after the last one (a slider drag sends many). */
const LIVE_DEBOUNCE_MS = 120;

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
let liveTimer: number | undefined;

let theme = readTheme();
const controls = new Controls({
  run: (settings) => {
    window.clearTimeout(liveTimer);
    hideBanner();
    post({ type: 'run', settings });
  },
  stop: () => post({ type: 'stop' }),
  selectFunction: (name) => {
    views.expect(name);
    post({ type: 'selectFunction', name });
  },
  editFunction: (text) => post({ type: 'editFunction', text }),
  clearStarts: () => {
    state.starts.points = [];
    views.setStarts(state.starts);
    persist();
    post({ type: 'clearStarts' });
  },
  changed: (settings, live) => {
    if (settings) {
      state.settings = settings;
      persist();
    }
    // A change re-runs at once when a result is on screen and the run is small: debounced, and the host
    // replaces the run in flight.
    window.clearTimeout(liveTimer);
    if (live && settings && result && liveSized(settings))
      liveTimer = window.setTimeout(() => controls.runAgain(), LIVE_DEBOUNCE_MS);
  },
});
const layout = buildLayout(document.getElementById('root') ?? document.body, controls.toolbar);

// The side column: controls, the view's options, convergence and results.
const convergenceCanvas = h('canvas', {
  id: 'convergence',
  role: 'img',
  'aria-label': 'Convergence: median and quartiles of f − f* per optimizer, with the playback step marked',
}) as HTMLCanvasElement;
const resultsRoot = h('div', { id: 'results' });
const arrowPicker = picker(
  'Arrow field',
  [
    ['off', 'No arrow field'],
    ['gradient', 'Field: −∇f'],
    ['power', 'Field: −sign(∇f)|∇f|ᴴ'],
  ],
  state.arrows,
);
const pointArrows = picker(
  'Arrows at the points',
  [
    ['none', 'No arrows at the points'],
    ['gradient', 'At the points: −∇f'],
    ['power', 'At the points: power gradient'],
    ['step', 'At the points: the update'],
    ['all', 'At the points: all three'],
  ],
  'none',
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
const convergenceSection = section('Convergence', [
  h('div', { class: 'toolbar' }, xPicker),
  h('div', { class: 'chart-box' }, convergenceCanvas),
]);
layout.side.append(
  section('Results', [resultsRoot], 'results-section'),
  controls.optimizerSection,
  controls.functionSection,
  controls.runSection,
  convergenceSection,
  section('View', [h('div', { class: 'toolbar' }, arrowPicker, pointArrows, resetButton, exportButton)], '', true),
);

const convergence = new ConvergenceChart(convergenceCanvas, theme);
const views: LabViews = new LabViews(layout, theme, {
  addStart: (point) => {
    const fn = views.fn;
    if (fn === null) return;
    if (state.starts.fn !== fn) state.starts = { fn, points: [] };
    state.starts.points.push([...point]);
    controls.setStarts(state.starts.points);
    persist();
    post({ type: 'addStart', fn, point });
  },
  removeStart: (index) => {
    state.starts.points.splice(index, 1);
    controls.setStarts(state.starts.points);
    persist();
    post({ type: 'removeStart', fn: views.fn ?? state.starts.fn, index });
  },
  viewChanged: (request) => post({ type: 'viewChanged', ...request }),
  previewStart: (index, point) => {
    const fn = views.fn;
    if (fn !== null) post({ type: 'previewStart', fn, index, point });
  },
  moveStart: (lane, point) => {
    const r = playback.drawn;
    if (!r) return;
    const dim = r.config.variables.length;
    const n = r.starts.length / dim;
    if (n > LIMITS.placedStarts) return;
    const points = Array.from({ length: n }, (_, i) =>
      i === lane ? [...point] : Array.from(r.starts.subarray(i * dim, (i + 1) * dim)),
    );
    post({ type: 'clearStarts' });
    for (const p of points) post({ type: 'addStart', fn: r.config.fn, point: p });
    state.starts = { fn: r.config.fn, points };
    views.setStarts(state.starts);
    controls.setStarts(points);
    persist();
    const s = controls.settings();
    if (s && liveSized(s)) controls.runAgain();
  },
  step: (): number => playback.step,
});
let internalsRequest = 0;
const playback: RunPlayback = new RunPlayback({
  layer: () => views.layer(),
  surface: () => views.surface,
  convergence,
  requestInternals: (runId, from, to) =>
    post({ type: 'requestInternals', requestId: ++internalsRequest, runId, from, to }),
  stepChanged: () => views.stepChanged(),
});
views.onRedraw(() => {
  playback.setView(views.drawnView());
  views.setSurfaceRun(playback.drawn);
});
layout.playbackSlot.append(playback.bar.root);
const fStarNote = h('p', { class: 'fstar-note hint hidden' }, F_STAR_UNKNOWN);
layout.notes.append(fStarNote, playback.shown.root);
controls.viewSlot.append(views.sliceRoot);

/** The hyperparameters' symbols by name (η, β₁…), filled from the optimizers' metadata when `init` comes. */
const symbols: Record<string, string> = {};
const sweepView = new SweepView(theme, {
  symbols,
  actionLabel: 'Run',
  actionHint: 'Click a point or a cell, or focus a chart and press Enter, to run that configuration.',
  activate: (cell) => {
    const sweep = state.sweep?.sweep;
    const c = sweep?.cells[cell];
    if (sweep && c) post({ type: 'runCell', fn: sweep.fn, optimizer: c.optimizer, params: c.params });
  },
});
layout.sweepPanel.append(sweepView.root);
layout.tabs.onSelect((tab) => {
  if (tab === 'surface') views.showSurface();
  // Playback is the run's: a sweep's charts take its room.
  layout.playbackSlot.classList.toggle('hidden', tab === 'sweep');
  // Another view starts at the top of the page (narrow, a sweep flows in the page and may have been scrolled).
  window.scrollTo(0, 0);
});
views.setArrows(state.arrows);
convergence.setMode(state.xAxis);

arrowPicker.addEventListener('change', () => {
  state.arrows = arrowPicker.value as ArrowMode;
  views.setArrows(state.arrows);
  persist();
});
pointArrows.addEventListener('change', () => {
  const v = pointArrows.value;
  playback.setArrows(v === 'none' ? [] : v === 'all' ? ['gradient', 'power', 'step'] : [v as ArrowKind]);
});
xPicker.addEventListener('change', () => {
  state.xAxis = xPicker.value as XAxisMode;
  convergence.setMode(state.xAxis);
  persist();
});
resetButton.addEventListener('click', () => views.resetView());
exportButton.addEventListener('click', () => post({ type: 'exportLandscape' }));
// Playback keys wherever the focus is on a view (the canvases).
layout.runPanel.addEventListener('keydown', (e) => {
  if ((e.target as HTMLElement).tagName === 'CANVAS' && playback.bar.handleKey(e)) e.preventDefault();
});

function showBanner(text: string, kind: 'error' | 'notice' = 'error'): void {
  layout.banner.textContent = text;
  layout.banner.classList.toggle('notice', kind === 'notice');
  layout.banner.classList.remove('hidden');
}
function hideBanner(): void {
  layout.banner.classList.add('hidden');
}

/** The run on screen in every view: trajectories, convergence, results, the f* note, the status. */
function showResult(r: HostMessage<'runResult'> | null): void {
  playback.setResult(r);
  views.setSurfaceRun(playback.drawn);
  convergence.setSeries(
    r?.optimizers.map((o) => o.curves) ?? [],
    new Map(r?.optimizers.map((o) => [o.curves.id, o.row.nsPerStep])),
    r ? r.config.fStar !== null : true,
  );
  renderResultsTable(resultsRoot, r);
  fStarNote.classList.toggle('hidden', !r || r.config.fStar !== null);
}

/** After a rejected message or a drawing error: say so, and leave Run and Stop usable. */
function recover(text: string): void {
  running = null;
  controls.setRunning(false);
  controls.setStatus('');
  showBanner(text);
}

function showSweep(msg: HostMessage<'sweepResult'> | null): void {
  layout.tabs.setEnabled('sweep', msg !== null);
  sweepView.set(msg?.sweep ?? null);
}

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'init':
      state.init = msg;
      controls.setInit(msg, msg.settings);
      for (const o of msg.optimizers) for (const p of o.params) symbols[p.name] = p.symbol;
      break;
    case 'landscape':
    case 'curve':
      if (!views.show(msg)) return;
      state.landscape = msg;
      views.setStarts(state.starts);
      controls.showFunction(msg.fn);
      break;
    case 'starts':
      state.starts = { fn: msg.fn, points: msg.points.map((p) => [...p]) };
      views.setStarts(state.starts);
      controls.setStarts(state.starts.points);
      break;
    case 'runStarted':
      hideBanner();
      running = msg.runId;
      controls.showConfig(msg.config);
      controls.setRunning(true);
      controls.setProgress(0, msg.config.steps);
      break;
    case 'progress':
      if (msg.runId !== running) return;
      controls.setProgress(msg.step, msg.steps);
      convergence.setSeries(msg.curves);
      return;
    case 'runResult':
      result = msg;
      if (running === msg.runId) running = null;
      controls.setRunning(running !== null);
      controls.showConfig(msg.config);
      controls.setStatus(
        msg.stoppedAt !== null ? stoppedText(msg.stoppedAt, msg.config.steps) : running === null ? 'done' : '',
      );
      showResult(msg);
      if (layout.tabs.selected === 'sweep') layout.tabs.select('run');
      return;
    case 'runError':
      if (msg.runId === null || msg.runId === running) {
        running = null;
        controls.setRunning(false);
        controls.setStatus('');
      }
      showBanner(msg.message);
      break;
    case 'notice':
      showBanner(msg.message, 'notice');
      return;
    case 'functionValidation':
      controls.setValidation(msg);
      // An accepted edit re-runs at once when the run is live-sized: the edit re-plots.
      if (msg.ok && result) {
        const s = controls.settings();
        if (s && liveSized(s)) controls.runAgain();
      }
      break;
    case 'theme':
      applyTheme();
      return;
    case 'requestPng':
      answer(msg.requestId, () => ({ type: 'pngReply', inReplyTo: msg.requestId, dataUrl: views.toPng() }));
      return;
    case 'preview':
      playback.preview(msg);
      return;
    case 'internals':
      playback.setInternals(msg);
      return;
    case 'requestFailed':
      if (msg.inReplyTo === internalsRequest) showBanner(`No arrows at the points: ${msg.message}`, 'notice');
      return;
    case 'sweepStarted':
      hideBanner();
      running = msg.sweepId;
      controls.showFunction(msg.fn);
      controls.setRunning(true);
      controls.setStatus(`sweep: ${msg.cells} cells × ${msg.n} starts`);
      break;
    case 'sweepProgress':
      controls.setStatus(`sweep: ${Math.round(msg.fraction * 100)}%`);
      return;
    case 'sweepResult':
      state.sweep = msg;
      if (running === msg.sweepId) running = null;
      controls.setRunning(running !== null);
      controls.setStatus(running === null ? 'sweep done' : '');
      controls.showConfig(msg.config);
      showSweep(msg);
      layout.tabs.select('sweep');
      break;
  }
  persist();
}

/** Settings within the host's live limit: starts × steps × optimizers. */
function liveSized(s: LabSettings): boolean {
  if (!state.init) return false;
  const n = s.starts.kind === 'list' ? s.starts.points.length : s.starts.n;
  return n * s.steps * s.optimizers.length <= state.init.liveLimit;
}

function applyTheme(): void {
  theme = readTheme();
  views.setTheme(theme);
  convergence.setTheme(theme);
  sweepView.setTheme(theme);
}
watchTheme(applyTheme);

onHostMessage(handle, (e) => {
  console.error(`Descent Lab: ignored a malformed message: ${e.message}`);
  recover(`Ignored a malformed message from the extension: ${e.message}`);
});

// Redraw what the state kept, then ask the host for the rest.
if (state.init) {
  controls.setInit(state.init, state.settings ?? state.init.settings);
  for (const o of state.init.optimizers) for (const p of o.params) symbols[p.name] = p.symbol;
}
if (state.landscape) views.show(state.landscape);
views.setStarts(state.starts);
showResult(null);
showSweep(state.sweep);
if (document.documentElement.hasAttribute('data-test-hooks')) {
  Object.assign(window, {
    descentLab: {
      landscape: views.chart,
      views,
      playback,
      convergence: convergence.chart,
      sweep: sweepView,
      tabs: layout.tabs,
    },
  });
}
post({ type: 'ready' });
