/**
 * The Lab panel's decisions, without `vscode`: the starts placed on the function shown (never drawn on another),
 * the requests a panel run makes and whether it is live, the view a webview may ask for, and the function a
 * restored panel showed.
 */
import type { BackendChoice, Precision } from '../engine/kernel/types';
import type { RunRequest } from '../engine/run/request';
import { domainOf } from '../engine/run/starts';
import { obj, str, tryCheck } from '../shared/check';
import { LIMITS } from '../shared/limits';
import type { LabSettings, Point, RunConfig } from '../shared/runShapes';
import { viewProblem, type ViewRequest } from '../shared/viewShapes';
import type { WebviewMessage } from '../shared/webviewProtocol';
import { runRequests, type FunctionChoice } from './runPlan';

/** The starts placed on one function: they belong to it, and to its number of variables. */
export interface PlacedStarts {
  readonly fn: string;
  readonly dim: number;
  readonly points: readonly Point[];
}

/** The function shown: its key and number of variables. */
export interface Shown {
  readonly fn: string;
  readonly dim: number;
}

/** Placed starts for the function shown: the same ones while it stays, none once another (or a new dimension) shows. */
export function startsFor(starts: PlacedStarts, shown: Shown): PlacedStarts {
  return starts.fn === shown.fn && starts.dim === shown.dim ? starts : { ...shown, points: [] };
}

type StartMessage = WebviewMessage<'addStart' | 'removeStart' | 'clearStarts'>;

/**
 * The starts after a click; `problem` says why a start was refused: placed on another function's view (one that
 * was still on screen when the function changed) or with the wrong number of coordinates.
 */
export function nextStarts(
  starts: PlacedStarts,
  msg: StartMessage,
  shown: Shown,
): { readonly starts: PlacedStarts; readonly problem?: string } {
  const current = startsFor(starts, shown);
  if (msg.type === 'clearStarts') return { starts: { ...current, points: [] } };
  if (msg.fn !== shown.fn)
    return { starts: current, problem: `That start was on ${msg.fn}'s view; the Lab now shows ${shown.fn}.` };
  if (msg.type === 'removeStart')
    return { starts: { ...current, points: current.points.filter((_, i) => i !== msg.index) } };
  if (msg.point.length !== shown.dim)
    return {
      starts: current,
      problem: `A start needs ${shown.dim} coordinate${shown.dim === 1 ? '' : 's'} for ${shown.fn}; it had ${msg.point.length}.`,
    };
  if (current.points.length >= LIMITS.placedStarts)
    return { starts: current, problem: `At most ${LIMITS.placedStarts} starts can be placed.` };
  return { starts: { ...current, points: [...current.points, msg.point] } };
}

/**
 * What a Run in the panel asks for: the panel's starts (random in the domain, or its list), steps and target.
 * A list for another number of variables is refused with a message the user can act on.
 */
export function panelRequests(
  choice: FunctionChoice,
  s: LabSettings,
  backend: BackendChoice,
  precision: Precision = 'f64',
): { readonly requests: RunRequest[]; readonly maxPoints: number } {
  const dim = choice.fn.variables.length;
  if (s.starts.kind === 'list') {
    const bad = s.starts.points.find((p) => p.length !== dim);
    if (bad)
      throw new RangeError(
        `the starts have ${bad.length} coordinate${bad.length === 1 ? '' : 's'}, but ${s.fn} has ${dim} variable${dim === 1 ? '' : 's'}: clear the starts or place them again`,
      );
  }
  const starts =
    s.starts.kind === 'list'
      ? { kind: 'list' as const, points: s.starts.points.map((p) => [...p]) }
      : { kind: 'random' as const, n: s.starts.n, seed: s.starts.seed, domain: domainOf(choice.fn) };
  return runRequests(choice, s.optimizers, { starts, steps: s.steps, target: s.target, backend, precision });
}

/** The view a function is drawn in until the webview asks for another: its domain, a slice through its first minimum. */
export const defaultView = (dim: number): Omit<ViewRequest, 'fn'> => ({
  axes: dim === 1 ? [0] : [0, 1],
  bounds: null,
  at: { kind: 'minimum' },
});

/**
 * A view request for the function shown, checked against its variables; the reason when it cannot be drawn. A
 * request for another function (sent before the webview heard of the change) gets neither: it is dropped.
 */
export function viewFor(
  msg: ViewRequest,
  shown: Shown,
): { readonly view?: Omit<ViewRequest, 'fn'>; readonly problem?: string } {
  if (msg.fn !== shown.fn) return {};
  const problem = viewProblem(msg, shown.dim);
  return problem ? { problem } : { view: { axes: msg.axes, bounds: msg.bounds, at: msg.at } };
}

const shownFn = obj({ fn: str(LIMITS.name, 1) });

/** The function a restored panel showed, from its saved webview state (untrusted: only a short string is taken). */
export function restoredFunction(state: unknown): string | undefined {
  const saved = tryCheck(obj({ landscape: (v) => v, settings: (v) => v }), state);
  return tryCheck(shownFn, saved?.landscape)?.fn ?? tryCheck(shownFn, saved?.settings)?.fn;
}

/** The controls' settings for a configuration that ran (a grid of starts, from the CLI, shows as that many random ones). */
export function settingsOf(config: RunConfig): LabSettings {
  const s = config.starts;
  const starts = s.kind === 'grid' ? { kind: 'random' as const, n: s.perAxis ** config.variables.length, seed: 1 } : s;
  return { fn: config.fn, optimizers: config.optimizers, starts, steps: config.steps, target: config.target };
}

/**
 * Runs the latest of the tasks handed to it while one is running; those in between are dropped. A drag sends a
 * preview per mouse move, and only the newest position is worth running.
 */
export class Latest {
  private running = false;
  private next: (() => Promise<void>) | undefined;

  run(task: () => Promise<void>): void {
    if (this.running) {
      this.next = task;
      return;
    }
    this.running = true;
    void task().finally(() => {
      this.running = false;
      const next = this.next;
      this.next = undefined;
      if (next) this.run(next);
    });
  }
}
