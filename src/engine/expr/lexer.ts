/**
 * A lexer that splits text the way mathjs's `parse` does (same delimiters, numbers, identifiers, comments and
 * newline rules), because mathjs AST nodes carry no positions: walking the AST in source order while
 * consuming these tokens gives every node its source span. The same tokens let us reject constructs a cost
 * function cannot use (strings, matrices, comparisons, …) with the exact offending text, and bound the bracket
 * nesting before mathjs's recursive-descent parser could overflow the stack.
 */
import type { LineMap, Span } from './sourceMap';

export type TokenKind = 'number' | 'name' | 'delim' | 'string' | 'newline' | 'unknown';

export interface Token extends Span {
  kind: TokenKind;
  text: string;
}

export const MAX_NESTING = 200;

// mathjs's DELIMITERS, longest first (parse.js checks 3-, then 2-, then 1-character delimiters).
const DELIMS_3 = new Set(['>>>']);
const DELIMS_2 = new Set(['.*', './', '.^', '^|', '?.', '??', '==', '!=', '<=', '>=', '<<', '>>']);
const DELIMS_1 = new Set([
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '~',
  '!',
  '&',
  '|',
  '=',
  ':',
  '?',
  '<',
  '>',
]);
const NAMED_DELIMS = new Set(['mod', 'to', 'in', 'and', 'xor', 'or', 'not']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLatinOrGreek = (c: string): boolean => /^[a-zA-Z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]$/.test(c);
const isMathSurrogate = (high: string, low: string): boolean => high === '\uD835' && low >= '\uDC00' && low <= '\uDFFF';

/** Tokenizes `text[start, end)`; offsets in the tokens are offsets into `text`. Comments are dropped. */
export function tokenize(text: string, start = 0, end = text.length): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = start;
  const at = (k: number): string => (k < end ? text[k] : '');
  const isAlpha = (k: number): boolean =>
    isLatinOrGreek(at(k)) || isMathSurrogate(at(k), at(k + 1)) || isMathSurrogate(at(k - 1), at(k));
  const push = (kind: TokenKind, from: number, to: number): void => {
    tokens.push({ kind, text: text.slice(from, to), start: from, end: to });
  };

  while (i < end) {
    const c = at(i);
    // A line ends at \r\n, \r or \n (definition.ts gives mathjs, which knows only \n, the same line ends);
    // inside brackets a line end is blank, as in mathjs.
    const lineEnd = c === '\n' ? 1 : c === '\r' ? (at(i + 1) === '\n' ? 2 : 1) : 0;
    if (c === ' ' || c === '\t' || c === '\u00A0' || (lineEnd > 0 && depth > 0)) {
      i += Math.max(lineEnd, 1);
      continue;
    }
    if (c === '#') {
      while (i < end && at(i) !== '\n' && at(i) !== '\r') i++;
      continue;
    }
    if (lineEnd > 0) {
      push('newline', i, i + lineEnd);
      i += lineEnd;
      continue;
    }
    if (c === '"' || (c === "'" && !endsValue(tokens[tokens.length - 1]))) {
      let k = i + 1;
      while (k < end && at(k) !== c) k += at(k) === '\\' ? 2 : 1;
      const to = Math.min(k + 1, end);
      push('string', i, to);
      i = to;
      continue;
    }
    const three = text.slice(i, Math.min(i + 3, end));
    const two = three.slice(0, 2);
    let delim = '';
    if (DELIMS_3.has(three)) delim = three;
    else if (DELIMS_2.has(two) && !(two === '?.' && isDigit(at(i + 2)))) delim = two;
    else if (DELIMS_1.has(c) || c === "'") delim = c;
    if (delim) {
      if (delim === '(' || delim === '[' || delim === '{') depth++;
      if ((delim === ')' || delim === ']' || delim === '}') && depth > 0) depth--;
      push('delim', i, i + delim.length);
      i += delim.length;
      continue;
    }
    if (isDigit(c) || c === '.') {
      i = scanNumber(text, i, end, tokens);
      continue;
    }
    if (isAlpha(i)) {
      let k = i;
      while (k < end && (isAlpha(k) || isDigit(at(k)))) k++;
      push(NAMED_DELIMS.has(text.slice(i, k)) ? 'delim' : 'name', i, k);
      i = k;
      continue;
    }
    push('unknown', i, i + 1);
    i++;
  }
  return tokens;
}

/** Whether a quote after this token is mathjs's transpose operator rather than the start of a string. */
function endsValue(t: Token | undefined): boolean {
  if (!t) return false;
  return t.kind === 'number' || t.kind === 'name' || t.kind === 'string' || [')', ']', '}', "'", '!'].includes(t.text);
}

function scanNumber(text: string, i: number, end: number, tokens: Token[]): number {
  const at = (k: number): string => (k < end ? text[k] : '');
  const start = i;
  const push = (kind: TokenKind): number => {
    tokens.push({ kind, text: text.slice(start, i), start, end: i });
    return i;
  };
  const radix = text.slice(i, i + 2);
  if (radix === '0b' || radix === '0o' || radix === '0x') {
    i += 2;
    while (i < end && /[0-9a-zA-Z_$.]/.test(at(i))) i++;
    return push('number');
  }
  if (at(i) === '.') {
    i++;
    if (!isDigit(at(i))) return push('delim');
  } else {
    while (isDigit(at(i))) i++;
    if (at(i) === '.' && !['/', '*', '^'].includes(at(i + 1))) i++;
  }
  while (isDigit(at(i))) i++;
  const sign = at(i + 1) === '+' || at(i + 1) === '-';
  if ((at(i) === 'e' || at(i) === 'E') && (isDigit(at(i + 1)) || (sign && isDigit(at(i + 2))))) {
    i += sign ? 2 : 1;
    while (isDigit(at(i))) i++;
  }
  return push('number');
}

/** A Map, not an object: a name such as `constructor` must not find Object.prototype's members. */
const VALUE_LITERALS: ReadonlyMap<string, string> = new Map([
  ['true', 'booleans are not supported'],
  ['false', 'booleans are not supported'],
  ['null', "'null' is not supported"],
  ['undefined', "'undefined' is not supported"],
]);

/** What a model over data (src/engine/model) may use beyond a cost function's syntax: tensors and comparisons. */
const TENSOR_SYNTAX = new Set(['[', ']', ':', '.', '.*', './', '.^', "'", '==', '!=', '<', '>', '<=', '>=']);

/**
 * Throws at the first token of a construct a cost function cannot contain, or at the bracket that nests
 * deeper than MAX_NESTING. Only numbers, names, `+ - * / ^ ( ) , =` get through, so the AST that mathjs
 * builds from what remains has few node kinds; with `tensors` (a model's text) also TENSOR_SYNTAX.
 */
export function rejectUnsupported(tokens: readonly Token[], map: LineMap, tensors = false): void {
  let depth = 0;
  tokens.forEach((t, k) => {
    const fail = (message: string, span: Span = t): never => {
      throw map.error(message, span);
    };
    const prev = tokens[k - 1];
    switch (t.kind) {
      case 'string':
        return fail('strings are not supported');
      case 'newline':
        return fail('a definition must fit on one line (it may continue while brackets are open)');
      case 'unknown':
        return fail(`unexpected character '${t.text}'`);
      case 'name': {
        const literal = VALUE_LITERALS.get(t.text);
        return literal ? fail(literal) : undefined;
      }
      case 'number':
        return undefined;
      case 'delim':
        break;
    }
    if (tensors) {
      if (t.text === '[' && ++depth > MAX_NESTING) fail(`brackets nest deeper than ${MAX_NESTING} levels`);
      if (t.text === ']') depth = Math.max(0, depth - 1);
      if (TENSOR_SYNTAX.has(t.text)) return;
    }
    switch (t.text) {
      case '(':
        if (++depth > MAX_NESTING) fail(`brackets nest deeper than ${MAX_NESTING} levels`);
        return;
      case ')':
        depth = Math.max(0, depth - 1);
        return;
      case '+':
      case '-':
      case '*':
      case '/':
      case '^':
      case ',':
      case '=':
        return;
      case '[':
        return endsValue(prev)
          ? fail('indexing with [...] is not supported', bracketSpan(tokens, k))
          : fail(
              'matrices and arrays are not supported: a cost function is a scalar expression',
              bracketSpan(tokens, k),
            );
      case '{':
        return fail('objects are not supported', bracketSpan(tokens, k));
      case ']':
      case '}':
        return fail(`unexpected '${t.text}'`);
      case '?':
      case '??':
        return fail(`conditional operator '${t.text}' is not supported`);
      case ':':
        return fail('ranges (a:b) are not supported');
      case ';':
        return fail("only one expression is allowed: ';' separates statements");
      case '.':
      case '?.':
        return fail('property access (a.b) is not supported');
      case '.*':
      case './':
      case '.^':
        return fail(`element-wise operator '${t.text}' is not supported; use '${t.text[1]}'`);
      case '!':
        return fail('factorial (!) is not supported');
      case "'":
        return fail("transpose (') is not supported");
      case '%':
      case 'mod':
        return fail(`'${t.text}' (modulo) is not supported`);
      case '==':
      case '!=':
      case '<':
      case '>':
      case '<=':
      case '>=':
        return fail(`comparison '${t.text}' is not supported`);
      case 'and':
      case 'or':
      case 'xor':
      case 'not':
        return fail(`logical operator '${t.text}' is not supported`);
      case 'to':
      case 'in':
        return fail(`unit conversion ('${t.text}') is not supported: units are not supported`);
      default:
        return fail(`bitwise operator '${t.text}' is not supported`);
    }
  });
}

/** From an opening bracket to its matching closing bracket (or to the end, if unclosed). */
function bracketSpan(tokens: readonly Token[], open: number): Span {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const c = tokens[k].text;
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0) return { start: tokens[open].start, end: tokens[k].end };
  }
  return { start: tokens[open].start, end: tokens[tokens.length - 1].end };
}
