/**
 * Messages between the extension host and its webviews (the Lab panel and the "Convergence" view): discriminated
 * unions, checked at run time on receipt on both sides with the same checkers. A webview is untrusted input; the
 * host checks what it sends too, and sends an error in place of a message that fails (`safeHostMessage`), so a
 * bug never leaves a webview waiting. A message is one union member and one checker in the tables below, which
 * the compiler keeps in step. Shared by host and webview code: imports only src/shared.
 */
import {
  arr,
  bool,
  CheckError,
  count,
  dispatch,
  fail,
  field,
  floats,
  int,
  invalid,
  isObj,
  literal,
  nullable,
  num,
  obj,
  str,
  type Check,
} from './check';
import { LIMITS } from './limits';
import {
  curveSeries,
  internalsSet,
  optimizerResult,
  traceSet,
  type CurveSeries,
  type InternalsSet,
  type OptimizerResult,
  type TraceSet,
} from './resultShapes';
import {
  diagnostic,
  functionInfo,
  hyperParams,
  optimizerMeta,
  point,
  runConfig,
  settings,
  type Diagnostic,
  type FunctionInfo,
  type HyperParams,
  type LabSettings,
  type OptimizerMeta,
  type Point,
  type RunConfig,
} from './runShapes';
import { fraction, sweepData, type SweepData } from './sweepShapes';
import { curveView, planeView, viewRequest, type CurveView, type PlaneView, type ViewRequest } from './viewShapes';

// #region host → webview
export type HostToWebview =
  | {
      readonly type: 'init';
      readonly functions: readonly FunctionInfo[];
      readonly optimizers: readonly OptimizerMeta[];
      readonly settings: LabSettings;
      /** Runs of at most this many lane-steps (starts × steps × optimizers) re-run live on every change. */
      readonly liveLimit: number;
    }
  /** The plane of a function of ≥ 2 variables: its landscape, or a slice. */
  | ({ readonly type: 'landscape' } & PlaneView)
  /** f(x) of a function of one variable. */
  | ({ readonly type: 'curve' } & CurveView)
  /** The starts placed on `fn` (n-D points); an empty list when the function changed. */
  | { readonly type: 'starts'; readonly fn: string; readonly points: readonly Point[] }
  | {
      readonly type: 'runStarted';
      readonly runId: number;
      readonly config: RunConfig;
      readonly n: number;
      /** A live run (within `liveLimit`): no notification, and the next change replaces it. */
      readonly live: boolean;
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
      readonly config: RunConfig;
      /** 'stopped': ended early by Stop; each optimizer's row says the step it reached. */
      readonly status: 'done' | 'stopped';
      /** The furthest step an optimizer that was stopped had reached; null when done. */
      readonly stoppedAt: number | null;
      /** Every lane's start, lane-major (n × variables). */
      readonly starts: Float64Array;
      readonly optimizers: readonly OptimizerResult[];
    }
  /** A run or sweep failed (`runId` its id, null when it never got one): the webview shows it and can run again. */
  | { readonly type: 'runError'; readonly runId: number | null; readonly message: string }
  /** Something the user should know that is not a run's failure (a start refused, a view that cannot be drawn). */
  | { readonly type: 'notice'; readonly message: string }
  /** While a start is dragged: its trajectory for each optimizer of run `runId`, from `point`. */
  | {
      readonly type: 'preview';
      readonly runId: number;
      readonly fn: string;
      readonly index: number;
      readonly point: Point;
      /** Lanes of the run (the trace sets' `total`) and its step budget. */
      readonly n: number;
      readonly steps: number;
      readonly optimizers: readonly { readonly id: string; readonly traces: TraceSet }[];
    }
  /** The answer to `requestInternals`. */
  | {
      readonly type: 'internals';
      readonly inReplyTo: number;
      readonly runId: number;
      readonly from: number;
      readonly to: number;
      readonly dim: number;
      readonly optimizers: readonly InternalsSet[];
    }
  /** A webview's request the host could not answer, with the reason. */
  | { readonly type: 'requestFailed'; readonly inReplyTo: number; readonly message: string }
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
  | { readonly type: 'sweepResult'; readonly sweepId: number; readonly sweep: SweepData; readonly config: RunConfig }
  /** A request (see requests.ts): the Lab answers with `pngReply` or `requestFailed` naming `requestId`. */
  | { readonly type: 'requestPng'; readonly requestId: number };
// #endregion

// #region webview → host
export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly settings: LabSettings }
  | { readonly type: 'stop' }
  | { readonly type: 'selectFunction'; readonly name: string }
  /** A start placed on function `fn`'s view: every coordinate (a slice's fixed ones from its point). */
  | { readonly type: 'addStart'; readonly fn: string; readonly point: Point }
  | { readonly type: 'removeStart'; readonly fn: string; readonly index: number }
  | { readonly type: 'clearStarts' }
  | { readonly type: 'editFunction'; readonly text: string }
  /** The view wanted: axes, their ranges, the slice point (during playback, the selected trajectory's point). */
  | ({ readonly type: 'viewChanged' } & ViewRequest)
  /** Start `index` of the run on screen dragged to `point`: the host answers with `preview` (only the latest runs). */
  | { readonly type: 'previewStart'; readonly fn: string; readonly index: number; readonly point: Point }
  /** The arrows of run `runId`'s internals for steps from…to (prefetched by playback); answered by `internals`. */
  | {
      readonly type: 'requestInternals';
      readonly requestId: number;
      readonly runId: number;
      readonly from: number;
      readonly to: number;
    }
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
/** Most steps a run may have (the engine's MAX_STEPS). */
const MAX_STEPS = 100_000_000;
/** A message whose body is a shape of its own (a view, a view request), with its `type`. */
const withType =
  <T extends string, B>(type: T, body: Check<B>): Check<{ readonly type: T } & B> =>
  (v, p) => ({ ...body(v, p), type: literal(type)(isObj(v) ? field(v, 'type') : v, `${p}.type`) });

const runResult: Check<HostMessage<'runResult'>> = (v, p) => {
  if (!isObj(v)) return fail(p, 'an object', v);
  const m = obj({
    type: literal('runResult'),
    runId: count(),
    config: runConfig,
    status: literal('done', 'stopped'),
    stoppedAt: nullable(count(MAX_STEPS)),
    starts: floats(LIMITS.starts * LIMITS.dim),
  })(v, p);
  const dim = m.config.variables.length;
  if (m.starts.length === 0 || m.starts.length % dim !== 0)
    invalid(`${p}.starts`, `${m.starts.length} values is not a whole number of ${dim}-coordinate points`);
  const total = m.starts.length / dim;
  if ((m.status === 'stopped') !== (m.stoppedAt !== null))
    invalid(`${p}.stoppedAt`, `a stopped run says where it stopped, a finished one does not (got ${m.stoppedAt})`);
  if (m.stoppedAt !== null && m.stoppedAt > m.config.steps)
    invalid(`${p}.stoppedAt`, `step ${m.stoppedAt} is past the run's ${m.config.steps} steps`);
  const optimizers = arr(optimizerResult(dim, total, m.config.steps), LIMITS.optimizers)(
    field(v, 'optimizers'),
    `${p}.optimizers`,
  );
  return { ...m, optimizers };
};

const preview: Check<HostMessage<'preview'>> = (v, p) => {
  const m = obj({
    type: literal('preview'),
    runId: count(),
    fn: str(),
    index: count(LIMITS.starts),
    point,
    n: int(1, LIMITS.starts),
    steps: count(MAX_STEPS),
  })(v, p);
  if (m.index >= m.n) invalid(`${p}.index`, `start ${m.index} is not one of the run's ${m.n}`);
  const optimizers = arr(obj({ id: str(64), traces: traceSet(m.point.length, m.n, m.steps) }), LIMITS.optimizers)(
    isObj(v) ? field(v, 'optimizers') : v,
    `${p}.optimizers`,
  );
  return { ...m, optimizers };
};

const internals: Check<HostMessage<'internals'>> = (v, p) => {
  const m = obj({
    type: literal('internals'),
    inReplyTo: count(),
    runId: count(),
    from: count(MAX_STEPS),
    to: count(MAX_STEPS),
    dim: int(1, LIMITS.dim),
  })(v, p);
  if (m.to < m.from) invalid(`${p}.to`, `the window ${m.from}…${m.to} is empty`);
  const optimizers = arr(internalsSet(m.dim), LIMITS.optimizers)(
    isObj(v) ? field(v, 'optimizers') : v,
    `${p}.optimizers`,
  );
  return { ...m, optimizers };
};

const HOST: { readonly [K in HostMessageType]: Check<HostMessage<K>> } = {
  init: obj({
    type: literal('init'),
    functions: arr(functionInfo, LIMITS.functions),
    optimizers: arr(optimizerMeta, 256),
    settings,
    liveLimit: num({ min: 0 }),
  }),
  landscape: withType('landscape', planeView),
  curve: withType('curve', curveView),
  starts: obj({ type: literal('starts'), fn: str(), points: arr(point, LIMITS.placedStarts) }),
  runStarted: obj({
    type: literal('runStarted'),
    runId: count(),
    config: runConfig,
    n: int(1, LIMITS.starts),
    live: bool,
  }),
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
  runResult,
  runError: obj({ type: literal('runError'), runId: nullable(count()), message: str(LIMITS.text) }),
  notice: obj({ type: literal('notice'), message: str(LIMITS.text) }),
  preview,
  internals,
  requestFailed: obj({ type: literal('requestFailed'), inReplyTo: count(), message: str(2000) }),
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
  sweepResult: obj({ type: literal('sweepResult'), sweepId: count(), sweep: sweepData, config: runConfig }),
  requestPng: obj({ type: literal('requestPng'), requestId: count() }),
};

const WEBVIEW: { readonly [K in WebviewMessageType]: Check<WebviewMessage<K>> } = {
  ready: obj({ type: literal('ready') }),
  run: obj({ type: literal('run'), settings }),
  stop: obj({ type: literal('stop') }),
  selectFunction: obj({ type: literal('selectFunction'), name: str() }),
  addStart: obj({ type: literal('addStart'), fn: str(), point }),
  removeStart: obj({ type: literal('removeStart'), fn: str(), index: count(LIMITS.placedStarts) }),
  clearStarts: obj({ type: literal('clearStarts') }),
  editFunction: obj({ type: literal('editFunction'), text: str(LIMITS.text) }),
  viewChanged: withType('viewChanged', viewRequest),
  previewStart: obj({ type: literal('previewStart'), fn: str(), index: count(LIMITS.starts), point }),
  requestInternals: (v, p) => {
    const m = obj({
      type: literal('requestInternals'),
      requestId: count(),
      runId: count(),
      from: count(MAX_STEPS),
      to: count(MAX_STEPS),
    })(v, p);
    return m.to >= m.from ? m : invalid(`${p}.to`, `the window ${m.from}…${m.to} is empty`);
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

/** The run or sweep a message belongs to, so that a replacement error ends that one. */
function runOf(msg: HostToWebview): number | null {
  if ('runId' in msg && typeof msg.runId === 'number') return msg.runId;
  if ('sweepId' in msg) return msg.sweepId;
  return null;
}

/**
 * `msg` when it passes the check both ends use; otherwise a message the webview can act on in its place: the run
 * or sweep it belonged to ends with an error naming the fault (so no webview waits for a result that is not
 * coming), anything else becomes a notice. `onInvalid` gets the check's message, for the log.
 */
export function safeHostMessage(msg: HostToWebview, onInvalid: (problem: string) => void): HostToWebview {
  try {
    parseHostMessage(msg);
    return msg;
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    onInvalid(e.message);
    const message = `Descent Lab could not show this ${msg.type} (an internal error, details in the log): ${e.message}`;
    const run = runOf(msg);
    return run !== null && msg.type !== 'internals' && msg.type !== 'preview'
      ? { type: 'runError', runId: run, message: message.slice(0, LIMITS.text) }
      : { type: 'notice', message: message.slice(0, LIMITS.text) };
  }
}
