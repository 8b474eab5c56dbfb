/** What completion offers in a `.cost` file: the math functions and constants a cost expression may use. */
import { BUILTIN_CONSTANTS, BUILTINS } from '../engine/expr/mathFunctions';

export interface CompletionEntry {
  readonly name: string;
  readonly kind: 'function' | 'constant' | 'directive';
  /** How it is called, e.g. `atan2(y, x)`. */
  readonly signature: string;
  readonly doc: string;
  /** Snippet text (VS Code snippet syntax). */
  readonly insert: string;
}

const DOCS: Readonly<Record<string, readonly [args: string, doc: string]>> = {
  abs: ['x', 'absolute value |x|'],
  sign: ['x', 'sign of x: −1, 0 or 1'],
  sqrt: ['x', 'square root'],
  cbrt: ['x', 'cube root'],
  exp: ['x', 'eˣ'],
  expm1: ['x', 'eˣ − 1, accurate for small x'],
  log: ['x, base?', 'natural logarithm; with a base, log(x)/log(base)'],
  log10: ['x', 'base-10 logarithm'],
  log2: ['x', 'base-2 logarithm'],
  log1p: ['x', 'log(1 + x), accurate for small x'],
  sin: ['x', 'sine (radians)'],
  cos: ['x', 'cosine (radians)'],
  tan: ['x', 'tangent (radians)'],
  asin: ['x', 'inverse sine'],
  acos: ['x', 'inverse cosine'],
  atan: ['x', 'inverse tangent'],
  atan2: ['y, x', 'angle of the point (x, y)'],
  sinh: ['x', 'hyperbolic sine'],
  cosh: ['x', 'hyperbolic cosine'],
  tanh: ['x', 'hyperbolic tangent'],
  hypot: ['a, b, …', '√(a² + b² + …)'],
  min: ['a, b, …', 'smallest argument (its gradient follows the smallest)'],
  max: ['a, b, …', 'largest argument (its gradient follows the largest)'],
  square: ['x', 'x²'],
  cube: ['x', 'x³'],
};

const CONSTANT_DOCS: Readonly<Record<string, string>> = { pi: 'π = 3.14159…', e: 'Euler’s number e = 2.71828…' };

/** Every built-in function and constant; a name the engine knows but this table does not describe is a bug. */
export function costCompletions(): CompletionEntry[] {
  const functions = [...BUILTINS.keys()].map((name): CompletionEntry => {
    const doc = DOCS[name];
    if (!doc) throw new Error(`no completion text for built-in function '${name}'`);
    const params = doc[0].split(', ').filter((p) => !p.endsWith('?') && p !== '…');
    return {
      name,
      kind: 'function',
      signature: `${name}(${doc[0]})`,
      doc: doc[1],
      insert: `${name}(${params.map((p, i) => `\${${i + 1}:${p}}`).join(', ')})`,
    };
  });
  const constants = [...BUILTIN_CONSTANTS.keys()].map((name): CompletionEntry => {
    const doc = CONSTANT_DOCS[name];
    if (!doc) throw new Error(`no completion text for built-in constant '${name}'`);
    return { name, kind: 'constant', signature: name, doc, insert: name };
  });
  const directives: CompletionEntry[] = [
    {
      name: '@domain',
      kind: 'directive',
      signature: '@domain [a, b] x [c, d]',
      doc: 'the plotting and sampling box, one interval per variable',
      insert: '@domain [${1:-2}, ${2:2}] x [${3:-2}, ${4:2}]',
    },
    {
      name: '@minimum',
      kind: 'directive',
      signature: '@minimum (x, y)',
      doc: 'a known minimum; f* is f at the first one',
      insert: '@minimum (${1:0}, ${2:0})',
    },
  ];
  return [...functions, ...constants, ...directives];
}
