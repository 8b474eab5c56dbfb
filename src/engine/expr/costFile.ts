/**
 * `.cost` files: one definition per line (continuing onto further lines while brackets are open), `#`
 * comments, blank lines, constants (`a = 1`) usable by later lines, and directives after a function:
 *   @domain [-4.5, 4.5] x [-4.5, 4.5]   one interval per variable
 *   @minimum (3, 0.5)                   several allowed; f* is f at the first
 *   @noise 0.1                          σ of the Gaussian noise added to each gradient coordinate
 * From the first `@data` line on, the lines belong to data sections: models over data (src/engine/model).
 * Every error is collected with its file position, so one bad line does not hide the others.
 */
import { parseDefinition, type CostFunction } from './definition';
import { evaluate } from './ir';
import { DataSections, MODEL_DIRECTIVES, type DataFileReader } from '../model/dataSections';
import { noiseSigma } from '../model/modelDirectives';
import type { ModelProgram } from '../model/modelProgram';
import { DirectiveArgs, directiveTokens } from './directiveArgs';
import { tokenize } from './lexer';
import { CostError, LineMap, type Span } from './sourceMap';

export interface CostFile {
  functions: CostFunction[];
  models: ModelProgram[];
  constants: Record<string, number>;
  errors: CostError[];
  /** Errors located in data files (their `source` is the file's name); the `@data` line has one in `errors` too. */
  dataErrors: CostError[];
}

export interface CostFileOptions {
  /** Reads the CSV files of `@data "…"` lines; without it only built-in datasets can be used. */
  readData?: DataFileReader;
}

interface Line extends Span {
  text: string;
}

/** What the directives on the following lines attach to. */
type Previous = { kind: 'function'; fn: CostFunction } | { kind: 'constant' } | { kind: 'failed' } | undefined;

export function parseCostFile(text: string, source = 'untitled.cost', options: CostFileOptions = {}): CostFile {
  const map = new LineMap(text, source);
  const lines = splitLines(text);
  const result = {
    functions: [] as CostFunction[],
    models: [] as ModelProgram[],
    errors: [] as CostError[],
    dataErrors: [] as CostError[],
  };
  // A Map while parsing: a constant named `__proto__` or `constructor` is an entry like any other.
  const constants = new Map<string, number>();
  const defined = new Map<string, number>();
  const sections = new DataSections(map, options.readData, { ...result, constants, defined });
  let previous: Previous;

  for (let i = 0; i < lines.length; i++) {
    const first = firstNonBlank(lines[i]);
    if (first === undefined || text[first] === '#') continue;
    if (text[first] === '@') {
      if (sections.directive({ start: first, end: lines[i].end })) continue;
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
    if (sections.open) {
      sections.definition({ start: first, end: lines[i].end });
      continue;
    }
    try {
      const def = parseDefinition(map, { start: first, end: lines[i].end }, { constants, defined });
      defined.set(def.kind === 'function' ? def.fn.name : def.name, map.position(def.nameSpan.start).line);
      if (def.kind === 'function') {
        result.functions.push(def.fn);
        previous = { kind: 'function', fn: def.fn };
      } else {
        constants.set(def.name, def.value);
        previous = { kind: 'constant' };
      }
    } catch (e) {
      result.errors.push(e as CostError);
      previous = { kind: 'failed' };
    }
  }
  sections.end();
  // fromEntries defines own properties, so even `__proto__` becomes an entry rather than the prototype.
  return { ...result, constants: Object.fromEntries(constants) };
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

function applyDirective(map: LineMap, span: Span, previous: Previous): void {
  const tokens = directiveTokens(map, span);
  const [keyword] = tokens;
  if (MODEL_DIRECTIVES.has(keyword.text)) {
    throw map.error(`${keyword.text} belongs to a model over data: put a @data line above it`, keyword);
  }
  if (keyword.text !== '@domain' && keyword.text !== '@minimum' && keyword.text !== '@noise') {
    throw map.error(`unknown directive '${keyword.text}'; expected @domain, @minimum, @noise or @data`, keyword);
  }
  if (previous?.kind === 'failed') return; // the definition's own error is enough
  if (previous?.kind !== 'function') throw map.error(`${keyword.text} must follow a function definition`, keyword);
  const args = new DirectiveArgs(map, tokens, keyword);
  if (keyword.text === '@domain') domain(args, previous.fn);
  else if (keyword.text === '@minimum') minimum(args, previous.fn);
  else noise(args, previous.fn);
}

function noise(args: DirectiveArgs, fn: CostFunction): void {
  if (fn.noise !== undefined) throw args.map.error(`${fn.name} already has a @noise`, args.keyword);
  fn.noise = noiseSigma(args);
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
