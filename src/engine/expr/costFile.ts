/**
 * `.cost` files: one definition per line (continuing onto further lines while brackets are open), `#`
 * comments, blank lines, constants (`a = 1`) usable by later lines, and directives after a function:
 *   @domain [-4.5, 4.5] x [-4.5, 4.5]   one interval per variable
 *   @minimum (3, 0.5)                   several allowed; f* is f at the first
 * Every error is collected with its file position, so one bad line does not hide the others.
 */
import { parseDefinition, type CostFunction } from './definition';
import { evaluate } from './ir';
import { tokenize } from './lexer';
import { CostError, LineMap, type Span } from './sourceMap';

export interface CostFile {
  functions: CostFunction[];
  constants: Record<string, number>;
  errors: CostError[];
}

interface Line extends Span {
  text: string;
}

/** What the directives on the following lines attach to. */
type Previous = { kind: 'function'; fn: CostFunction } | { kind: 'constant' } | { kind: 'failed' } | undefined;

export function parseCostFile(text: string, source = 'untitled.cost'): CostFile {
  const map = new LineMap(text, source);
  const lines = splitLines(text);
  const functions: CostFunction[] = [];
  const errors: CostError[] = [];
  // A Map while parsing: a constant named `__proto__` or `constructor` is an entry like any other.
  const constants = new Map<string, number>();
  const defined = new Map<string, number>();
  let previous: Previous;

  for (let i = 0; i < lines.length; i++) {
    const first = firstNonBlank(lines[i]);
    if (first === undefined || text[first] === '#') continue;
    if (text[first] === '@') {
      try {
        applyDirective(map, { start: first, end: lines[i].end }, previous);
      } catch (e) {
        errors.push(e as CostError);
      }
      continue;
    }
    let depth = bracketDelta(text, lines[i]);
    while (depth > 0 && i + 1 < lines.length && !endsContinuation(text, lines[i + 1]))
      depth += bracketDelta(text, lines[++i]);
    try {
      const def = parseDefinition(map, { start: first, end: lines[i].end }, { constants, defined });
      defined.set(def.kind === 'function' ? def.fn.name : def.name, map.position(def.nameSpan.start).line);
      if (def.kind === 'function') {
        functions.push(def.fn);
        previous = { kind: 'function', fn: def.fn };
      } else {
        constants.set(def.name, def.value);
        previous = { kind: 'constant' };
      }
    } catch (e) {
      errors.push(e as CostError);
      previous = { kind: 'failed' };
    }
  }
  // fromEntries defines own properties, so even `__proto__` becomes an entry rather than the prototype.
  return { functions, constants: Object.fromEntries(constants), errors };
}

/** Lines without their ends: \r\n, \r (old Mac files) and \n all end a line. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const end = /\r\n?|\n/g;
  let start = 0;
  for (let m = end.exec(text); ; m = end.exec(text)) {
    const stop = m ? m.index : text.length;
    lines.push({ text: text.slice(start, stop), start, end: stop });
    if (!m) return lines;
    start = stop + m[0].length;
  }
}

function firstNonBlank(line: Line): number | undefined {
  const k = line.text.search(/\S/);
  return k < 0 ? undefined : line.start + k;
}

/** A blank line or a directive ends an unclosed definition, so that the next definitions still parse. */
function endsContinuation(text: string, line: Line): boolean {
  const first = firstNonBlank(line);
  return first === undefined || text[first] === '@';
}

function bracketDelta(text: string, line: Line): number {
  let delta = 0;
  for (const t of tokenize(text, line.start, line.end)) {
    if (t.text === '(' || t.text === '[' || t.text === '{') delta++;
    if (t.text === ')' || t.text === ']' || t.text === '}') delta--;
  }
  return delta;
}

interface DirectiveToken extends Span {
  text: string;
  value?: number;
}

const DIRECTIVE_TOKEN = /\s+|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])|([[\](),])|([^\s[\](),]+)/y;

function applyDirective(map: LineMap, span: Span, previous: Previous): void {
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
  const [keyword] = tokens;
  if (keyword.text !== '@domain' && keyword.text !== '@minimum') {
    throw map.error(`unknown directive '${keyword.text}'; expected @domain or @minimum`, keyword);
  }
  if (previous?.kind === 'failed') return; // the definition's own error is enough
  if (previous?.kind !== 'function') throw map.error(`${keyword.text} must follow a function definition`, keyword);
  const args = new DirectiveArgs(map, tokens, keyword);
  if (keyword.text === '@domain') domain(args, previous.fn);
  else minimum(args, previous.fn);
}

function domain(args: DirectiveArgs, fn: CostFunction): void {
  if (fn.domain) throw args.map.error(`${fn.name} already has a @domain`, args.keyword);
  const intervals: [number, number][] = [];
  do {
    const open = args.expect('[');
    const lo = args.number();
    args.expect(',');
    const hi = args.number();
    const close = args.expect(']');
    if (!(lo < hi))
      throw args.map.error(`empty interval: ${lo} must be less than ${hi}`, { start: open.start, end: close.end });
    intervals.push([lo, hi]);
  } while (args.accept('x'));
  args.end();
  if (intervals.length !== fn.variables.length) {
    throw args.map.error(
      `@domain needs ${fn.variables.length} interval${fn.variables.length === 1 ? '' : 's'} (one per variable: ` +
        `${fn.variables.join(', ')}), got ${intervals.length}`,
      args.span(),
    );
  }
  fn.domain = intervals;
}

function minimum(args: DirectiveArgs, fn: CostFunction): void {
  const point: number[] = [];
  args.expect('(');
  do point.push(args.number());
  while (args.accept(','));
  args.expect(')');
  args.end();
  if (point.length !== fn.variables.length) {
    throw args.map.error(
      `@minimum needs ${fn.variables.length} coordinate${fn.variables.length === 1 ? '' : 's'} ` +
        `(${fn.variables.join(', ')}), got ${point.length}`,
      args.span(),
    );
  }
  fn.minima.push(point);
  if (fn.minima.length === 1) {
    fn.fStar = evaluate(fn.graph, Object.fromEntries(fn.variables.map((v, k) => [v, point[k]])), [fn.output])[0];
  }
}

class DirectiveArgs {
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

  accept(text: string): boolean {
    if (this.tokens[this.next]?.text !== text) return false;
    this.next++;
    return true;
  }

  expect(text: string): DirectiveToken {
    const t = this.tokens[this.next];
    if (t?.text !== text) throw this.unexpected(`'${text}'`);
    this.next++;
    return t;
  }

  number(): number {
    const t = this.tokens[this.next];
    if (t?.value === undefined) throw this.unexpected('a number');
    if (!Number.isFinite(t.value)) throw this.map.error(`'${t.text}' is not a finite number`, t);
    this.next++;
    return t.value;
  }

  end(): void {
    if (this.next < this.tokens.length) throw this.unexpected('the end of the line');
  }

  private unexpected(wanted: string): CostError {
    const t = this.tokens[this.next];
    if (t) return this.map.error(`${this.keyword.text}: expected ${wanted}, found '${t.text}'`, t);
    const end = this.tokens[this.tokens.length - 1].end;
    return this.map.error(`${this.keyword.text}: expected ${wanted} before the end of the line`, { start: end, end });
  }
}
