/**
 * `.cost` files: one definition per line (continuing onto further lines while brackets are open), `#`
 * comments, blank lines, constants (`a = 1`) usable by later lines, and directives after a function:
 *   @domain [-4.5, 4.5] x [-4.5, 4.5]   one interval per variable
 *   @minimum (3, 0.5)                   several allowed; f* is f at the first
 * Every error is collected with its file position, so one bad line does not hide the others.
 */
import { parseDefinition, type CostFunction } from './definition';
import { evaluate } from './ir';
import { DirectiveArgs, directiveTokens } from './directiveArgs';
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
  const result: CostFile = { functions: [], constants: {}, errors: [] };
  const defined = new Map<string, number>();
  let previous: Previous;

  for (let i = 0; i < lines.length; i++) {
    const first = firstNonBlank(lines[i]);
    if (first === undefined || text[first] === '#') continue;
    if (text[first] === '@') {
      try {
        applyDirective(map, { start: first, end: lines[i].end }, previous);
      } catch (e) {
        result.errors.push(e as CostError);
      }
      continue;
    }
    let depth = bracketDelta(text, lines[i]);
    while (depth > 0 && i + 1 < lines.length && !endsContinuation(text, lines[i + 1]))
      depth += bracketDelta(text, lines[++i]);
    try {
      const def = parseDefinition(map, { start: first, end: lines[i].end }, { constants: result.constants, defined });
      defined.set(def.kind === 'function' ? def.fn.name : def.name, map.position(def.nameSpan.start).line);
      if (def.kind === 'function') {
        result.functions.push(def.fn);
        previous = { kind: 'function', fn: def.fn };
      } else {
        result.constants[def.name] = def.value;
        previous = { kind: 'constant' };
      }
    } catch (e) {
      result.errors.push(e as CostError);
      previous = { kind: 'failed' };
    }
  }
  return result;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    lines.push({ text: line, start, end: start + line.length });
    start += line.length + 1;
  }
  return lines;
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

function applyDirective(map: LineMap, span: Span, previous: Previous): void {
  const tokens = directiveTokens(map, span);
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
