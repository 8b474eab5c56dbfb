/**
 * The Lab panel's decisions, without `vscode`: the explicit start list under add/remove/clear, the requests a
 * panel run makes, and the function a restored panel showed.
 */
import type { BackendChoice, Precision } from '../engine/kernel/types';
import type { RunRequest } from '../engine/run/request';
import { domainOf } from '../engine/run/starts';
import { LIMITS } from '../shared/limits';
import { obj, str, tryCheck } from '../shared/check';
import type { LabSettings, Point } from '../shared/runShapes';
import type { WebviewToHost } from '../shared/webviewProtocol';
import { runRequests, type FunctionChoice } from './runPlan';

const MAX_EXPLICIT_STARTS = LIMITS.starts;

export function nextStarts(starts: readonly Point[], msg: WebviewToHost): readonly Point[] {
  switch (msg.type) {
    case 'addStart':
      return starts.length >= MAX_EXPLICIT_STARTS ? starts : [...starts, [msg.x, msg.y]];
    case 'removeStart':
      return starts.filter((_, i) => i !== msg.index);
    case 'clearStarts':
      return [];
    default:
      return starts;
  }
}

/** What a Run in the panel asks for: the panel's starts (random in the domain, or its list), steps and target. */
export function panelRequests(
  choice: FunctionChoice,
  s: LabSettings,
  backend: BackendChoice,
  precision: Precision = 'f64',
): RunRequest[] {
  const starts =
    s.starts.kind === 'list'
      ? { kind: 'list' as const, points: s.starts.points.map((p) => [...p]) }
      : { kind: 'random' as const, n: s.starts.n, seed: s.starts.seed, domain: domainOf(choice.fn) };
  return runRequests(choice, s.optimizers, { starts, steps: s.steps, target: s.target, backend, precision });
}

const shown = obj({ fn: str(LIMITS.name, 1) });

/** The function a restored panel showed, from its saved webview state (untrusted: only a short string is taken). */
export function restoredFunction(state: unknown): string | undefined {
  const saved = tryCheck(obj({ landscape: (v) => v, settings: (v) => v }), state);
  return tryCheck(shown, saved?.landscape)?.fn ?? tryCheck(shown, saved?.settings)?.fn;
}
