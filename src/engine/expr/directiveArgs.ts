/**
 * The words of a directive line (`@domain [-2, 2] x [-1, 3]`, `@param W 4x10 uniform(-0.5, 0.5)`): numbers,
 * brackets, commas and other runs of text, and a cursor over them that says what it expected where.
 */
import type { CostError, LineMap, Span } from './sourceMap';

export interface DirectiveToken extends Span {
  text: string;
  value?: number;
}

const DIRECTIVE_TOKEN = /\s+|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])|([[\](),])|([^\s[\](),]+)/y;

/** The tokens of a directive from its '@' to the end of the line or a '#' comment; the keyword comes first. */
export function directiveTokens(map: LineMap, span: Span): DirectiveToken[] {
  const text = map.text.slice(span.start, span.end);
  const comment = text.indexOf('#');
  const body = (comment < 0 ? text : text.slice(0, comment)).trimEnd();
  const tokens: DirectiveToken[] = [];
  DIRECTIVE_TOKEN.lastIndex = 0;
  for (let m = DIRECTIVE_TOKEN.exec(body); m && m.index < body.length; m = DIRECTIVE_TOKEN.exec(body)) {
    if (m[0].trim() === '') continue;
    const start = span.start + m.index;
    tokens.push({ text: m[0], start, end: start + m[0].length, value: m[1] === undefined ? undefined : Number(m[1]) });
  }
  return tokens;
}

export class DirectiveArgs {
  private next = 1;

  constructor(
    readonly map: LineMap,
    private readonly tokens: readonly DirectiveToken[],
    readonly keyword: DirectiveToken,
  ) {}

  /** Everything after the keyword. */
  span(): Span {
    const last = this.tokens[this.tokens.length - 1];
    return this.tokens.length > 1 ? { start: this.tokens[1].start, end: last.end } : this.keyword;
  }

  peek(): DirectiveToken | undefined {
    return this.tokens[this.next];
  }

  /** The next token, if it is `text`. */
  accept(text: string): DirectiveToken | undefined {
    const t = this.tokens[this.next];
    if (t?.text !== text) return undefined;
    this.next++;
    return t;
  }

  expect(text: string): DirectiveToken {
    const t = this.tokens[this.next];
    if (t?.text !== text) throw this.unexpected(`'${text}'`);
    this.next++;
    return t;
  }

  number(): number {
    return this.numberToken().value!;
  }

  numberToken(): DirectiveToken {
    const t = this.tokens[this.next];
    if (t?.value === undefined) throw this.unexpected('a number');
    if (!Number.isFinite(t.value)) throw this.map.error(`'${t.text}' is not a finite number`, t);
    this.next++;
    return t;
  }

  /** A token that is not a number, a bracket or a comma: a name, a keyword, a shape such as `4x10`. */
  word(wanted: string): DirectiveToken {
    const t = this.tokens[this.next];
    if (!t || t.value !== undefined || /^[[\](),]$/.test(t.text)) throw this.unexpected(wanted);
    this.next++;
    return t;
  }

  atEnd(): boolean {
    return this.next >= this.tokens.length;
  }

  end(): void {
    if (!this.atEnd()) throw this.unexpected('the end of the line');
  }

  unexpected(wanted: string): CostError {
    const t = this.tokens[this.next];
    if (t) return this.map.error(`${this.keyword.text}: expected ${wanted}, found '${t.text}'`, t);
    const end = this.tokens[this.tokens.length - 1].end;
    return this.map.error(`${this.keyword.text}: expected ${wanted} before the end of the line`, { start: end, end });
  }
}
