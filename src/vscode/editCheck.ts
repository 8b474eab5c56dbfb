/**
 * What an inline edit from the Lab means, without `vscode`: whether it parses as the function's new definition
 * (checkEdit), and whether the `.cost` text it will be written into still reads as that definition (checkWrite),
 * with the .cost parser the file is read with. A file is line-based (a blank line ends a definition), so an
 * expression that parses on its own can still break the file it goes into. Diagnostics point into the text as
 * the Lab sent it.
 */
import { CostError, parseCostFile, parseExpression, type CostFunction } from '../engine/expr/costParser';
import type { Diagnostic } from '../shared/runShapes';
import { offsetAt, replaceRange, type TextRange } from './costDocument';

export interface EditOk {
  readonly ok: true;
  readonly fn: CostFunction;
  readonly variables: readonly string[];
  /** The expression, trimmed, and where it starts in the edited text. */
  readonly expression: string;
  readonly expressionAt: number;
  /** `name(vars) = expression`. */
  readonly definition: string;
  /** The edited text as the Lab sent it. */
  readonly text: string;
}

export type EditCheck = EditOk | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** `head(vars) =` at the start of an edit; the head is whatever the panel shows as the name (a key such as `built-in#beale`). */
const HEAD = /^\s*[^()=\n]*\(([^()=]*)\)\s*=(?!=)/;

/** 1-based line and column of `offset` in `text`, as a Diagnostic counts them. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

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
      expressionAt: (head ? head[0].length : 0) + expression.length - expression.trimStart().length,
      definition: `${prefix} ${trimmed}`,
      text,
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

export type WriteCheck =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * `document` with `range` replaced by `replacement` (the edit's expression, or its whole definition), read back
 * with the .cost parser: the new text when the edited function is there and no error falls within the replaced
 * part, else those errors at their places in the edit. Errors elsewhere in the file were there before and are
 * not the edit's business.
 */
export function checkWrite(
  edit: EditOk,
  name: string,
  document: string,
  range: TextRange,
  replacement: string,
): WriteCheck {
  const text = replaceRange(document, range, replacement);
  const start = offsetAt(text, range.startLine, range.startChar);
  const end = start + replacement.length;
  const parsed = parseCostFile(text, '<edit>');
  const offset = (line: number, column: number) => offsetAt(text, line - 1, column - 1);
  const inside = parsed.errors.filter(
    (e) => offset(e.range.line, e.range.column) <= end && offset(e.range.endLine, e.range.endColumn) >= start,
  );
  if (inside.length === 0 && parsed.functions.some((f) => f.name === name)) return { ok: true, text };
  // The expression ends the replacement (it is all of it, or the definition's right-hand side).
  const expressionStart = start + replacement.length - edit.expression.length;
  const inEdit = (o: number) =>
    position(edit.text, Math.min(edit.text.length, edit.expressionAt + Math.max(0, o - expressionStart)));
  const diagnostics = inside.map((e): Diagnostic => {
    const from = inEdit(offset(e.range.line, e.range.column));
    const to = inEdit(offset(e.range.endLine, e.range.endColumn));
    const endColumn = to.line === from.line ? Math.max(to.column, from.column + 1) : to.column;
    return {
      message: `written to the .cost file: ${e.message}`,
      severity: 'error',
      range: { line: from.line, column: from.column, endLine: to.line, endColumn },
    };
  });
  return {
    ok: false,
    diagnostics: diagnostics.length
      ? diagnostics
      : [
          {
            message: `written to the .cost file, this would no longer define ${name}`,
            severity: 'error',
            range: { line: 1, column: 1, endLine: 1, endColumn: 2 },
          },
        ],
  };
}
