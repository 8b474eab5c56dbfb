/**
 * The "Convergence" sidebar view: the current or latest run's curves, updated live by `progress` messages
 * (the host throttles them to ≤ 10/s) and drawn again from the saved state when the view is reopened.
 */
import { F_STAR_UNKNOWN, formatCount, stoppedText } from '../src/present/format';
import type { CurveSeries } from '../src/shared/resultShapes';
import { fromJsonValue, toJsonValue } from '../src/shared/typedJson';
import { restoredMessage, type HostMessage } from '../src/shared/webviewProtocol';
import { ConvergenceChart } from './convergenceChart';
import { readTheme, watchTheme } from './theme';
import { loadState, onHostMessage, post, saveState } from './vscodeApi';

interface SidebarState {
  fn: string;
  status: string;
  /** The curves are f − f*, or f itself when the function has no @minimum. */
  fStarKnown: boolean;
  /** The run shown. */
  runId: number | null;
  /** The last progress or result message: both carry the curves. */
  last: HostMessage<'progress' | 'runResult'> | null;
}

const saved = loadState();
const state: SidebarState = {
  fn: typeof saved?.fn === 'string' ? saved.fn.slice(0, 200) : '',
  status: typeof saved?.status === 'string' ? saved.status.slice(0, 200) : '',
  fStarKnown: saved?.fStarKnown !== false,
  runId: typeof saved?.runId === 'number' ? saved.runId : null,
  last: restoredMessage(fromJsonValue(saved?.last), 'runResult') ?? restoredMessage(saved?.last, 'progress'),
};

const title = document.createElement('h2');
const status = document.createElement('p');
status.className = 'hint';
status.setAttribute('aria-live', 'polite');
const box = document.createElement('div');
box.className = 'chart-box';
const canvas = document.createElement('canvas');
canvas.setAttribute('role', 'img');
canvas.setAttribute('aria-label', 'Convergence of the latest run: median and quartiles of f − f* per optimizer');
box.append(canvas);
const empty = document.createElement('p');
empty.className = 'placeholder';
empty.textContent = 'No run yet. Run “Descent Lab: Run Optimizers” to see convergence here.';
(document.getElementById('root') ?? document.body).append(title, status, box, empty);

const chart = new ConvergenceChart(canvas, readTheme(), { aspectRatio: 1.1 });
watchTheme((t) => chart.setTheme(t));

function curvesOf(m: SidebarState['last']): { series: readonly CurveSeries[]; ns: Map<string, number> } {
  if (!m) return { series: [], ns: new Map() };
  if (m.type === 'progress') return { series: m.curves, ns: new Map() };
  return {
    series: m.optimizers.map((o) => o.curves),
    ns: new Map(m.optimizers.map((o) => [o.curves.id, o.row.nsPerStep])),
  };
}

function render(): void {
  title.textContent = state.fn ? `${state.fn}` : '';
  status.textContent = state.status;
  const { series, ns } = curvesOf(state.last);
  chart.setSeries(series, ns, state.fStarKnown);
  empty.classList.toggle('hidden', series.length > 0);
  box.classList.toggle('hidden', series.length === 0);
  saveState(toJsonValue(state));
}

onHostMessage(
  (msg) => {
    switch (msg.type) {
      case 'runStarted':
        Object.assign(state, {
          fn: msg.config.fn,
          runId: msg.runId,
          fStarKnown: msg.config.fStar !== null,
          status: `Running ${formatCount(msg.n)} starts for ${formatCount(msg.config.steps)} steps…`,
          last: null,
        });
        break;
      case 'progress':
        Object.assign(state, { status: `Step ${msg.step} of ${msg.steps}`, last: msg });
        break;
      case 'runResult': {
        const conv = msg.optimizers.map((o) => `${o.curves.label} ${o.row.converged}/${o.row.n}`).join(' · ');
        const how = msg.stoppedAt === null ? 'Done' : stoppedText(msg.stoppedAt, msg.config.steps).replace(/^s/, 'S');
        const unknown = msg.config.fStar === null ? ` (${F_STAR_UNKNOWN})` : '';
        Object.assign(state, {
          fn: msg.config.fn,
          runId: msg.runId,
          fStarKnown: msg.config.fStar !== null,
          status: `${how}. Converged: ${conv}${unknown}`,
          last: msg,
        });
        break;
      }
      case 'runError':
        // A sweep's errors are the Lab's to show; this view follows runs.
        if (msg.runId !== null && msg.runId !== state.runId) return;
        state.status = `Failed: ${msg.message}`;
        break;
      case 'theme':
        chart.setTheme(readTheme());
        return;
      default:
        return;
    }
    render();
  },
  (e) => console.error(`Descent Lab: ignored a malformed message: ${e.message}`),
);

render();
post({ type: 'ready' });
