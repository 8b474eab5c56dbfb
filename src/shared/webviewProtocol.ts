/**
 * Messages between the extension host and its webviews (the Lab panel and the "Convergence" view): discriminated
 * unions, checked at run time on receipt on both sides. A webview is untrusted input; the host's messages are
 * checked too, so a bug fails loudly instead of drawing garbage. A message is one union member and one checker in
 * the table below, which the compiler keeps in step. Shared by host and webview code: imports only src/shared.
 */
import { arr, bool, count, dispatch, fail, invalid, literal, nullable, num, obj, str, type Check } from './check';
import { LIMITS } from './limits';
import {
  arrowField,
  bounds,
  boundsProblem,
  curveSeries,
  diagnostic,
  functionInfo,
  gridAxis,
  hyperParams,
  optimizerMeta,
  optimizerResult,
  pair,
  sample,
  settings,
  type ArrowField,
  type Bounds,
  type CurveSeries,
  type Diagnostic,
  type FunctionInfo,
  type HyperParams,
  type LabSettings,
  type OptimizerMeta,
  type OptimizerResult,
  type Point,
} from './runShapes';
import { fraction, sweepData, type SweepData } from './sweepShapes';

// #region host → webview
export type HostToWebview =
  | {
      readonly type: 'init';
      readonly functions: readonly FunctionInfo[];
      readonly optimizers: readonly OptimizerMeta[];
      readonly settings: LabSettings;
    }
  | {
      readonly type: 'landscape';
      readonly fn: string;
      readonly bounds: Bounds;
      readonly xs: readonly number[];
      readonly ys: readonly number[];
      /** log10(f − f* + δ), row-major over ys × xs; null where f is not finite. */
      readonly values: readonly (number | null)[];
      readonly delta: number;
      readonly minima: readonly Point[];
      readonly arrows: ArrowField | null;
    }
  | { readonly type: 'starts'; readonly points: readonly Point[] }
  | {
      readonly type: 'runStarted';
      readonly runId: number;
      readonly fn: string;
      readonly steps: number;
      readonly n: number;
    }
  | {
      readonly type: 'progress';
      readonly runId: number;
      readonly step: number;
      readonly steps: number;
      readonly curves: readonly CurveSeries[];
    }
  | {
      readonly type: 'runResult';
      readonly runId: number;
      readonly fn: string;
      readonly steps: number;
      readonly target: number;
      readonly starts: readonly Point[];
      readonly optimizers: readonly OptimizerResult[];
    }
  | { readonly type: 'runError'; readonly runId: number | null; readonly message: string }
  | {
      readonly type: 'functionValidation';
      readonly text: string;
      readonly ok: boolean;
      readonly diagnostics: readonly Diagnostic[];
    }
  /** VS Code switched themes: the webview reads the new colours from its CSS variables. */
  | { readonly type: 'theme' }
  | {
      readonly type: 'sweepStarted';
      readonly sweepId: number;
      readonly fn: string;
      readonly cells: number;
      readonly n: number;
    }
  | { readonly type: 'sweepProgress'; readonly sweepId: number; readonly fraction: number }
  | { readonly type: 'sweepResult'; readonly sweepId: number; readonly sweep: SweepData }
  /** A request (see requests.ts): the Lab answers with `pngReply` or `requestFailed` naming `requestId`. */
  | { readonly type: 'requestPng'; readonly requestId: number };
// #endregion

// #region webview → host
export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly settings: LabSettings }
  | { readonly type: 'stop' }
  | { readonly type: 'selectFunction'; readonly name: string }
  | { readonly type: 'addStart'; readonly x: number; readonly y: number }
  | { readonly type: 'removeStart'; readonly index: number }
  | { readonly type: 'clearStarts' }
  | { readonly type: 'editFunction'; readonly text: string }
  | ({ readonly type: 'viewChanged' } & Bounds)
  /** The Export PNG button: the host asks for the image (requestPng) and saves it. */
  | { readonly type: 'exportLandscape' }
  | { readonly type: 'pngReply'; readonly inReplyTo: number; readonly dataUrl: string }
  /** A request the webview could not answer, with the reason. */
  | { readonly type: 'requestFailed'; readonly inReplyTo: number; readonly message: string }
  /** Run one sweep cell's configuration (a click on a heat-map cell or a curve point) and show its trajectories. */
  | { readonly type: 'runCell'; readonly fn: string; readonly optimizer: string; readonly params: HyperParams };
// #endregion

export type HostMessageType = HostToWebview['type'];
export type WebviewMessageType = WebviewToHost['type'];
export type HostMessage<T extends HostMessageType> = Extract<HostToWebview, { type: T }>;
export type WebviewMessage<T extends WebviewMessageType> = Extract<WebviewToHost, { type: T }>;

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/;

const HOST: { readonly [K in HostMessageType]: Check<HostMessage<K>> } = {
  init: obj({
    type: literal('init'),
    functions: arr(functionInfo, LIMITS.functions),
    optimizers: arr(optimizerMeta, 256),
    settings,
  }),
  landscape: (v, p) => {
    const m = obj({
      type: literal('landscape'),
      fn: str(),
      bounds,
      xs: gridAxis,
      ys: gridAxis,
      values: arr(sample, LIMITS.gridAxis ** 2),
      delta: num({ min: 0 }),
      minima: arr(pair, 256),
      arrows: nullable(arrowField),
    })(v, p);
    if (m.values.length !== m.xs.length * m.ys.length)
      invalid(`${p}.values`, `${m.values.length} items, expected ys × xs = ${m.ys.length * m.xs.length}`);
    return m;
  },
  starts: obj({ type: literal('starts'), points: arr(pair, LIMITS.starts) }),
  runStarted: obj({ type: literal('runStarted'), runId: count(), fn: str(), steps: count(), n: count() }),
  progress: (v, p) => {
    const m = obj({
      type: literal('progress'),
      runId: count(),
      step: count(),
      steps: count(),
      curves: arr(curveSeries, LIMITS.optimizers),
    })(v, p);
    return m.step <= m.steps ? m : fail(`${p}.step`, `a step ≤ steps (${m.steps})`, m.step);
  },
  runResult: (v, p) => {
    const m = obj({
      type: literal('runResult'),
      runId: count(),
      fn: str(),
      steps: count(),
      target: num({ min: 0 }),
      starts: arr(pair, LIMITS.starts),
      optimizers: arr(optimizerResult, LIMITS.optimizers),
    })(v, p);
    m.optimizers.forEach((o, i) =>
      o.traces.forEach((t, j) => {
        if (t.lane >= m.starts.length)
          invalid(
            `${p}.optimizers[${i}].traces[${j}].lane`,
            `${t.lane} is not a start index (${m.starts.length} starts)`,
          );
      }),
    );
    return m;
  },
  runError: obj({ type: literal('runError'), runId: nullable(count()), message: str(LIMITS.text) }),
  functionValidation: obj({
    type: literal('functionValidation'),
    text: str(LIMITS.text),
    ok: bool,
    diagnostics: arr(diagnostic, LIMITS.diagnostics),
  }),
  theme: obj({ type: literal('theme') }),
  sweepStarted: obj({
    type: literal('sweepStarted'),
    sweepId: count(),
    fn: str(),
    cells: count(LIMITS.sweepCells),
    n: count(LIMITS.starts),
  }),
  sweepProgress: obj({ type: literal('sweepProgress'), sweepId: count(), fraction }),
  sweepResult: obj({ type: literal('sweepResult'), sweepId: count(), sweep: sweepData }),
  requestPng: obj({ type: literal('requestPng'), requestId: count() }),
};

const WEBVIEW: { readonly [K in WebviewMessageType]: Check<WebviewMessage<K>> } = {
  ready: obj({ type: literal('ready') }),
  run: obj({ type: literal('run'), settings }),
  stop: obj({ type: literal('stop') }),
  selectFunction: obj({ type: literal('selectFunction'), name: str() }),
  addStart: obj({ type: literal('addStart'), x: num(), y: num() }),
  removeStart: obj({ type: literal('removeStart'), index: count(LIMITS.starts) }),
  clearStarts: obj({ type: literal('clearStarts') }),
  editFunction: obj({ type: literal('editFunction'), text: str(LIMITS.text) }),
  viewChanged: (v, p) => {
    const m = obj({ type: literal('viewChanged'), xMin: num(), xMax: num(), yMin: num(), yMax: num() })(v, p);
    const problem = boundsProblem(m);
    return problem ? invalid(p, problem) : m;
  },
  exportLandscape: obj({ type: literal('exportLandscape') }),
  pngReply: (v, p) => {
    const m = obj({ type: literal('pngReply'), inReplyTo: count(), dataUrl: str(LIMITS.dataUrl) })(v, p);
    return PNG_DATA_URL.test(m.dataUrl) ? m : fail(`${p}.dataUrl`, 'a data:image/png;base64 URL', m.dataUrl);
  },
  requestFailed: obj({ type: literal('requestFailed'), inReplyTo: count(), message: str(2000) }),
  runCell: obj({ type: literal('runCell'), fn: str(), optimizer: str(64), params: hyperParams }),
};

/** Checks a message the host sent to a webview; throws a CheckError naming the first bad field. */
export function parseHostMessage(v: unknown): HostToWebview {
  return dispatch(HOST as unknown as Record<string, Check<HostToWebview>>, v);
}

/** Checks a message a webview sent to the host; throws a CheckError naming the first bad field. */
export function parseWebviewMessage(v: unknown): WebviewToHost {
  return dispatch(WEBVIEW as unknown as Record<string, Check<WebviewToHost>>, v);
}

/** A host message of one type, as kept in saved state: checked again, and null when it is not (an older version). */
export function restoredMessage<T extends HostMessageType>(v: unknown, type: T): HostMessage<T> | null {
  try {
    const m = parseHostMessage(v);
    return m.type === type ? (m as HostMessage<T>) : null;
  } catch {
    return null;
  }
}
