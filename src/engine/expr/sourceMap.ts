/**
 * Source positions for cost-function diagnostics. Parsing works on character offsets into one document (an
 * inline expression or a whole `.cost` file); a `LineMap` turns offsets into the 1-based line/column ranges
 * that editors show, so a definition on line 7 of a file reports file positions, not positions in its line.
 */

/** 1-based, end exclusive; columns count UTF-16 code units, as VS Code does. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Offsets into a document, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export class CostError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
    readonly source: string,
  ) {
    super(message);
    this.name = 'CostError';
  }
}

export const INLINE_SOURCE = '<expr>';

/** `file:line:col: message`; an inline expression is one line, so it shows `<expr>:col: message`. */
export function formatCostError(e: CostError): string {
  const where =
    e.source === INLINE_SOURCE && e.range.line === 1
      ? `${e.source}:${e.range.column}`
      : `${e.source}:${e.range.line}:${e.range.column}`;
  return `${where}: ${e.message}`;
}

export class LineMap {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly source: string,
  ) {
    // Lines end at \r\n, \r or \n, as in the lexer and the .cost reader.
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  range(span: Span): SourceRange {
    const s = this.position(span.start);
    const e = this.position(span.end);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  error(message: string, span: Span): CostError {
    return new CostError(message, this.range(span), this.source);
  }
}
