/**
 * The arguments of the data-fit directives (DATA-CONVENTIONS "The `.cost` form"), each read into a value or a
 * CostError at the offending word: `@data`, `@split`, `@param`, `@batch`, `@shuffle`, `@epochs`, `@noise` and a
 * model's `@minimum`. Where they attach (which section, which model) is dataSections.ts's business.
 */
import { SHUFFLE_MODES, splitProblem, type ParamInit, type ShuffleMode, type SplitSpec } from '../data';
import type { DirectiveArgs, DirectiveToken } from '../expr/directiveArgs';
import { tokenize } from '../expr/lexer';
import type { LineMap, Span } from '../expr/sourceMap';
import type { Shape } from './tensor';

/** θ's length limit per model (README "Models over data"); lowering time grows linearly with it. */
export const MAX_MODEL_PARAMETERS = 16_384;

export type DataReference =
  | { readonly kind: 'file'; readonly path: string; readonly span: Span }
  | { readonly kind: 'builtin'; readonly text: string; readonly span: Span };

/** `@data "file.csv"` or `@data NAME(args)`; `span` covers what follows the keyword (a comment excluded). */
export function dataReference(map: LineMap, keyword: Span, lineEnd: number): DataReference {
  const rest = map.text.slice(keyword.end, lineEnd);
  const lead = rest.length - rest.trimStart().length;
  const start = keyword.end + lead;
  if (rest[lead] === '"') {
    const close = rest.indexOf('"', lead + 1);
    if (close < 0) throw map.error('@data: the file name has no closing "', { start, end: lineEnd });
    const after = rest.slice(close + 1).trim();
    if (after !== '' && !after.startsWith('#')) {
      throw map.error(`@data: unexpected '${after}' after the file name`, {
        start: keyword.end + close + 1,
        end: lineEnd,
      });
    }
    const path = rest.slice(lead + 1, close);
    if (path.trim() === '') throw map.error('@data: the file name is empty', { start, end: keyword.end + close + 1 });
    return { kind: 'file', path, span: { start, end: keyword.end + close + 1 } };
  }
  const comment = rest.indexOf('#');
  const text = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
  if (text.trim() === '') {
    throw map.error(
      '@data needs a CSV file in quotes ("data.csv") or a built-in dataset (iris, spiral(n=400), …)',
      keyword,
    );
  }
  return { kind: 'builtin', text: text.slice(lead), span: { start, end: keyword.end + text.length } };
}

/** `@split N | F [seed S | ordered]`, checked against the data's row count. */
export function splitSpec(args: DirectiveArgs, rows: number): SplitSpec {
  const size = args.number();
  let spec: SplitSpec = { size };
  if (args.accept('ordered')) spec = { size, ordered: true };
  else if (args.accept('seed')) spec = { size, seed: args.number() };
  args.end();
  const problem = splitProblem(spec, rows);
  if (problem) throw args.map.error(`@split: ${problem}`, args.span());
  return spec;
}

export interface ParamLine {
  name: DirectiveToken;
  shape: Shape;
  init: ParamInit;
}

/** The NAME of `@param NAME SHAPE INIT`. */
export function paramName(args: DirectiveArgs): DirectiveToken {
  const name = args.word('a parameter name');
  const token = tokenize(name.text);
  if (token.length !== 1 || token[0].kind !== 'name') throw args.map.error(`'${name.text}' is not a name`, name);
  return name;
}

/** The rest of `@param NAME SHAPE INIT`: SHAPE `1`, `n` or `mxn`; INIT zeros, ones, const(c), uniform(lo, hi), normal(mu, sigma). */
export function paramSpec(args: DirectiveArgs): Omit<ParamLine, 'name'> {
  const shape = paramShape(args);
  const init = paramInit(args);
  args.end();
  return { shape, init };
}

const SHAPE_HINT = 'a shape: 1 (a scalar), n (a vector) or mxn (a matrix), e.g. 4x10';

function paramShape(args: DirectiveArgs): Shape {
  const dims: { value: number; at: Span }[] = [];
  if (args.peek()?.value === undefined) {
    const word = args.word(SHAPE_HINT);
    const m = /^(\d+)x(\d+)$/.exec(word.text);
    if (!m) throw args.map.error(`expected ${SHAPE_HINT}, found '${word.text}'`, word);
    dims.push({ value: Number(m[1]), at: word }, { value: Number(m[2]), at: word });
  } else {
    const first = args.numberToken();
    dims.push({ value: first.value!, at: first });
    if (args.accept('x')) {
      const second = args.numberToken();
      dims.push({ value: second.value!, at: second });
    }
  }
  for (const d of dims) {
    if (!Number.isInteger(d.value) || d.value < 1) {
      throw args.map.error(`a dimension is a whole number ≥ 1, not ${d.value}`, d.at);
    }
    if (d.value > MAX_MODEL_PARAMETERS) {
      throw args.map.error(`a model has at most ${MAX_MODEL_PARAMETERS.toLocaleString('en')} parameters`, d.at);
    }
  }
  if (dims.length === 2) return [dims[0].value, dims[1].value];
  return dims[0].value === 1 ? [] : [dims[0].value];
}

const INIT_HINT = 'zeros, ones, const(c), uniform(lo, hi) or normal(mu, sigma)';

function paramInit(args: DirectiveArgs): ParamInit {
  const kind = args.word(`an initializer: ${INIT_HINT}`);
  let whole: Span = kind;
  const call = (count: number): number[] => {
    args.expect('(');
    const values = [args.number()];
    while (values.length < count) {
      args.expect(',');
      values.push(args.number());
    }
    whole = { start: kind.start, end: args.expect(')').end };
    return values;
  };
  switch (kind.text) {
    case 'zeros':
      return { kind: 'zeros' };
    case 'ones':
      return { kind: 'ones' };
    case 'const':
      return { kind: 'const', value: call(1)[0] };
    case 'uniform': {
      const [lo, hi] = call(2);
      if (!(lo < hi)) throw args.map.error(`uniform(lo, hi) needs lo < hi, not ${lo} and ${hi}`, whole);
      return { kind: 'uniform', lo, hi };
    }
    case 'normal': {
      const [mu, sigma] = call(2);
      if (!(sigma >= 0)) throw args.map.error(`normal(mu, sigma) needs sigma ≥ 0, not ${sigma}`, whole);
      return { kind: 'normal', mu, sigma };
    }
    default:
      throw args.map.error(`unknown initializer '${kind.text}'; expected ${INIT_HINT}`, kind);
  }
}

/** A whole number ≥ 1 (`@batch`, `@epochs`). */
export function count(args: DirectiveArgs): number {
  const t = args.numberToken();
  args.end();
  if (!Number.isSafeInteger(t.value) || t.value! < 1) {
    throw args.map.error(`${args.keyword.text} takes a whole number ≥ 1, not ${t.text}`, t);
  }
  return t.value!;
}

export function shuffleMode(args: DirectiveArgs): ShuffleMode {
  const word = args.word(`one of ${SHUFFLE_MODES.join(', ')}`);
  args.end();
  const mode = SHUFFLE_MODES.find((m) => m === word.text);
  if (!mode) throw args.map.error(`@shuffle takes ${SHUFFLE_MODES.join(', ')}, not '${word.text}'`, word);
  return mode;
}

/** `@noise sigma`, σ ≥ 0. */
export function noiseSigma(args: DirectiveArgs): number {
  const t = args.numberToken();
  args.end();
  if (t.value! < 0) throw args.map.error(`@noise takes a standard deviation ≥ 0, not ${t.text}`, t);
  return t.value!;
}

/** A model's `@minimum value`: f*, a loss value (an analytic function's @minimum is a point). */
export function lossMinimum(args: DirectiveArgs): number {
  if (args.accept('(')) {
    throw args.map.error(
      "a model's @minimum is the least loss f*, a number (e.g. @minimum 0), not a point",
      args.span(),
    );
  }
  const value = args.number();
  args.end();
  return value;
}
