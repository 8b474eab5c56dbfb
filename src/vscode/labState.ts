/**
 * The Lab panel's decisions, without `vscode`: the explicit start list under add/remove/clear, what an inline
 * edit means (valid or not, with diagnostics in the editor's own coordinates), and the requests a panel run makes.
 */
import { CostError, parseExpression, type CostFunction } from '../engine/expr/costParser';
import type { BackendChoice } from '../engine/kernel/types';
import type { RunRequest } from '../engine/run/request';
import type { Diagnostic, LabSettings, Point, WebviewToHost } from '../protocol';
import { runRequests, startDomain, type FunctionChoice } from './runPlan';

export const MAX_EXPLICIT_STARTS = 4096;

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

export type EditCheck =
  | {
      readonly ok: true;
      readonly fn: CostFunction;
      readonly variables: readonly string[];
      readonly expression: string;
      readonly definition: string;
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** `head(vars) =` at the start of an edit; the head is whatever the panel shows as the name (a key such as `built-in#beale`). */
const HEAD = /^\s*[^()=\n]*\(([^()=]*)\)\s*=(?!=)/;

/**
 * An inline edit: `head(vars) = expression` as the Lab's editor shows it, or a bare expression (which keeps the
 * function's variables). It is checked as `name(vars) = expression`; error columns are mapped back into the
 * edited text. Domain and minima stay those of the function being edited.
 */
export function checkEdit(fn: CostFunction, text: string, constants: Readonly<Record<string, number>> = {}): EditCheck {
  const head = HEAD.exec(text);
  const variables = head ? head[1].split(',').map((v) => v.trim()) : fn.variables;
  const expression = head ? text.slice(head[0].length) : text;
  const prefix = `${fn.name}(${variables.join(', ')}) =`;
  const shiftBy = (head ? head[0].length : 0) - prefix.length;
  try {
    const edited = parseExpression(prefix + expression, { source: '<inline>', constants });
    const trimmed = expression.trim();
    return {
      ok: true,
      fn: { ...edited, domain: fn.domain, minima: fn.minima, fStar: fn.fStar },
      variables,
      expression: trimmed,
      definition: `${prefix} ${trimmed}`,
    };
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    const col = (line: number, column: number) => (line === 1 ? Math.max(1, column + shiftBy) : column);
    const r = e.range;
    const column = col(r.line, r.column);
    const endColumn = Math.max(col(r.endLine, r.endColumn), r.endLine === r.line ? column + 1 : 1);
    return {
      ok: false,
      diagnostics: [
        { message: e.message, severity: 'error', range: { line: r.line, column, endLine: r.endLine, endColumn } },
      ],
    };
  }
}

/** What a Run in the panel asks for: the panel's starts (random in the domain, or its list), steps and target. */
export function panelRequests(choice: FunctionChoice, s: LabSettings, backend: BackendChoice): RunRequest[] {
  const starts =
    s.starts.kind === 'list'
      ? { kind: 'list' as const, points: s.starts.points.map((p) => [...p]) }
      : { kind: 'random' as const, n: s.starts.n, seed: s.starts.seed, domain: startDomain(choice.fn) };
  return runRequests(choice, s.optimizers, { starts, steps: s.steps, target: s.target, backend });
}

/** The function a restored panel showed, from its saved webview state (untrusted: only a short string is taken). */
export function restoredFunction(state: unknown): string | undefined {
  const field = (key: string) => {
    const part = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[key] : undefined;
    const fn = typeof part === 'object' && part !== null ? (part as Record<string, unknown>).fn : undefined;
    return typeof fn === 'string' && fn.length > 0 && fn.length <= 200 ? fn : undefined;
  };
  return field('landscape') ?? field('settings');
}
