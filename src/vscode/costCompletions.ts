/**
 * What completion offers in a `.cost` file, and where: the math functions and constants in expressions; in data
 * sections also the tensor functions (activations, reductions, `map`), `row`, the section's bindings, column
 * names after `row.`, built-in datasets after `@data `, initializers after `@param NAME SHAPE `, shuffle modes
 * after `@shuffle `, and the directives that belong where the cursor is after `@`. Pure: the provider in
 * costLanguage.ts turns entries into CompletionItems.
 */
import { BUILTIN_DATASETS, SHUFFLE_MODES, type Dataset } from '../engine/data';
import { BUILTIN_CONSTANTS, BUILTINS } from '../engine/expr/mathFunctions';
import { MODEL_FUNCTION_NAMES } from '../engine/model/modelFunctions';

export interface CompletionEntry {
  readonly name: string;
  readonly kind: 'function' | 'constant' | 'directive' | 'column' | 'dataset' | 'initializer' | 'keyword' | 'variable';
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

/**
 * The functions a model knows beyond the cost language's, and what those mean on vectors and matrices (README
 * "Models over data"). The cost language's functions of one argument apply elementwise there too.
 */
const MODEL_DOCS: Readonly<Record<string, readonly [args: string, doc: string]>> = {
  sigmoid: ['v', 'σ(x) = 1/(1 + e⁻ˣ), elementwise'],
  relu: ['v', 'max(x, 0), elementwise (relu′(0) = 0)'],
  softplus: ['v', 'log(1 + eˣ), elementwise, without overflow'],
  logsumexp: ['v', 'log Σ exp(vᵢ) over all elements, the largest subtracted first'],
  softmax: ['v', 'exp(vᵢ)/Σ exp(vⱼ) of a vector'],
  sum: ['v', 'sum of all elements'],
  mean: ['v', 'mean of all elements'],
  norm: ['v', 'Euclidean (L2) norm of a vector'],
  dot: ['u, v', 'dot product of two vectors of one length'],
  transpose: ['M', "the transpose (also M')"],
  max: ['v', 'largest element of a vector or matrix; of several scalars, the largest'],
  min: ['v', 'smallest element of a vector or matrix; of several scalars, the smallest'],
  map: ['v, f', 'f (a function of one argument, by name) applied to each element, as in mathjs'],
};

const CONSTANT_DOCS: Readonly<Record<string, string>> = { pi: 'π = 3.14159…', e: 'Euler’s number e = 2.71828…' };

interface DirectiveDoc {
  readonly name: string;
  /** Where it belongs: after a cost function, in a data section, or both. */
  readonly where: 'function' | 'model' | 'both';
  readonly signature: string;
  readonly doc: string;
  readonly insert: string;
}

const DIRECTIVES: readonly DirectiveDoc[] = [
  {
    name: '@domain',
    where: 'function',
    signature: '@domain [a, b] x [c, d]',
    doc: 'the plotting and sampling box, one interval per variable',
    insert: '@domain [${1:-2}, ${2:2}] x [${3:-2}, ${4:2}]',
  },
  {
    name: '@minimum',
    where: 'function',
    signature: '@minimum (x, y)',
    doc: 'a known minimum; f* is f at the first one',
    insert: '@minimum (${1:0}, ${2:0})',
  },
  {
    name: '@minimum',
    where: 'model',
    signature: '@minimum f*',
    doc: "the model's least training loss f* (0 without it)",
    insert: '@minimum ${1:0}',
  },
  {
    name: '@noise',
    where: 'both',
    signature: '@noise sigma',
    doc: 'σ of the Gaussian noise added to each gradient coordinate',
    insert: '@noise ${1:0.1}',
  },
  {
    name: '@data',
    where: 'both',
    signature: '@data "file.csv" | @data NAME(args)',
    doc: 'opens a data section: a CSV file beside this one (header row), or a built-in dataset',
    insert: '@data ${1:iris}',
  },
  {
    name: '@split',
    where: 'model',
    signature: '@split N | F [seed S | ordered]',
    doc: 'training rows (a count, or a fraction of the rows); the rest are test rows',
    insert: '@split ${1:0.8} seed ${2:1}',
  },
  {
    name: '@param',
    where: 'model',
    signature: '@param NAME SHAPE INIT',
    doc: 'a parameter of the model below: SHAPE 1, n or mxn; INIT zeros, ones, const(c), uniform(lo, hi), normal(mu, sigma)',
    insert: '@param ${1:W} ${2:4x10} ${3:uniform(-0.5, 0.5)}',
  },
  {
    name: '@batch',
    where: 'model',
    signature: '@batch B',
    doc: 'minibatch size (without it: the whole training split)',
    insert: '@batch ${1:10}',
  },
  {
    name: '@shuffle',
    where: 'model',
    signature: `@shuffle ${SHUFFLE_MODES.join('|')}`,
    doc: 'batch order: reshuffled every epoch (default), once, never, or drawn with replacement',
    insert: `@shuffle \${1|${SHUFFLE_MODES.join(',')}|}`,
  },
  {
    name: '@epochs',
    where: 'model',
    signature: '@epochs E',
    doc: 'passes over the training split (without it the run’s step budget decides)',
    insert: '@epochs ${1:50}',
  },
  {
    name: '@metric',
    where: 'model',
    signature: '@metric NAME = EXPR',
    doc: 'a per-row scalar averaged over the test rows at the end of every epoch',
    insert: '@metric ${1:accuracy} = ${2:expr}',
  },
];

const INITIALIZERS: readonly CompletionEntry[] = [
  ['zeros', 'zeros', 'every element 0', 'zeros'],
  ['ones', 'ones', 'every element 1', 'ones'],
  ['const', 'const(c)', 'every element c', 'const(${1:0.1})'],
  ['uniform', 'uniform(lo, hi)', 'each element uniform in [lo, hi)', 'uniform(${1:-0.5}, ${2:0.5})'],
  ['normal', 'normal(mu, sigma)', 'each element from N(mu, sigma²)', 'normal(${1:0}, ${2:0.1})'],
].map(([name, signature, doc, insert]) => ({ name, kind: 'initializer', signature, doc, insert }));

const SHUFFLES: Readonly<Record<(typeof SHUFFLE_MODES)[number], string>> = {
  epoch: 'reshuffle the training rows before every epoch (the default)',
  once: 'shuffle once, before the first epoch',
  none: 'keep the split order',
  replace: 'draw each batch’s rows with replacement',
};

function functionEntry(name: string, doc: readonly [string, string] | undefined): CompletionEntry {
  if (!doc) throw new Error(`no completion text for built-in function '${name}'`);
  const params = doc[0].split(', ').filter((p) => !p.endsWith('?') && p !== '…');
  return {
    name,
    kind: 'function',
    signature: `${name}(${doc[0]})`,
    doc: doc[1],
    insert: `${name}(${params.map((p, i) => `\${${i + 1}:${p}}`).join(', ')})`,
  };
}

/**
 * Every built-in function and constant, and the directives outside data sections; a name the engine knows but
 * these tables do not describe is a bug.
 */
export function costCompletions(): CompletionEntry[] {
  const functions = [...BUILTINS.keys()].map((name) => functionEntry(name, DOCS[name]));
  const constants = [...BUILTIN_CONSTANTS.keys()].map((name): CompletionEntry => {
    const doc = CONSTANT_DOCS[name];
    if (!doc) throw new Error(`no completion text for built-in constant '${name}'`);
    return { name, kind: 'constant', signature: name, doc, insert: name };
  });
  return [...functions, ...constants, ...directiveEntries(false)];
}

/** In a data section: every function a model may call (tensor meanings where they differ), constants, `row`. */
export function modelCompletions(): CompletionEntry[] {
  const functions = MODEL_FUNCTION_NAMES.map((name) => functionEntry(name, MODEL_DOCS[name] ?? DOCS[name]));
  const constants = costCompletions().filter((c) => c.kind === 'constant');
  const row: CompletionEntry = {
    name: 'row',
    kind: 'keyword',
    signature: 'row, row[j], row[a:b], row.name',
    doc: 'the current data row: all its columns, one, a range (1-based, both ends included), or one by name',
    insert: 'row',
  };
  return [...functions, ...constants, row];
}

export function directiveEntries(inSection: boolean): CompletionEntry[] {
  return DIRECTIVES.filter((d) => d.where === 'both' || (d.where === 'model') === inSection).map((d) => ({
    name: d.name,
    kind: 'directive',
    signature: d.signature,
    doc: d.doc,
    insert: d.insert,
  }));
}

export function datasetEntries(): CompletionEntry[] {
  return [...BUILTIN_DATASETS.values()].map((d) => {
    const args = d.params.map((p) => `${p.name}=${p.default}`).join(', ');
    return {
      name: d.name,
      kind: 'dataset',
      signature: args ? `${d.name}(${args})` : d.name,
      doc: d.doc,
      insert: d.name,
    };
  });
}

export const initializerEntries = (): CompletionEntry[] => [...INITIALIZERS];

export function shuffleEntries(): CompletionEntry[] {
  return SHUFFLE_MODES.map((m) => ({
    name: m,
    kind: 'keyword',
    signature: `@shuffle ${m}`,
    doc: SHUFFLES[m],
    insert: m,
  }));
}

export function columnEntries(dataset: Dataset): CompletionEntry[] {
  return dataset.columns.map((name, j) => ({
    name,
    kind: 'column',
    signature: `row.${name}`,
    doc: `column ${j + 1} of ${dataset.name}`,
    insert: name,
  }));
}

export type CompletionContext =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'directive' | 'dataset' | 'initializer' | 'shuffle' | 'column' | 'expression';
      readonly from: number;
    };

/**
 * What to complete given the line up to the cursor: `from` is where the word being typed starts (what the
 * completion replaces). A `#` comment, a string, or a directive's other arguments get nothing.
 */
export function completionContext(before: string): CompletionContext {
  const word = (m: RegExpExecArray) => ({ from: before.length - m[1].length });
  if (before.includes('#')) return { kind: 'none' };
  let m: RegExpExecArray | null;
  if ((m = /^\s*@data\s+([A-Za-z_]\w*|)$/.exec(before))) return { kind: 'dataset', ...word(m) };
  if ((m = /^\s*@param\s+[A-Za-z_]\w*\s+(?:\d+\s*x\s*\d+|\d+)\s+([A-Za-z_]\w*|)$/.exec(before)))
    return { kind: 'initializer', ...word(m) };
  if ((m = /^\s*@shuffle\s+([A-Za-z_]\w*|)$/.exec(before))) return { kind: 'shuffle', ...word(m) };
  if ((m = /^\s*(@\w*)$/.exec(before))) return { kind: 'directive', ...word(m) };
  if (/^\s*@/.test(before) && !/^\s*@(?:metric\s+[^=]*=)/.test(before)) return { kind: 'none' };
  if ((m = /\brow\s*\.\s*(\w*)$/.exec(before))) return { kind: 'column', ...word(m) };
  if (/"[^"]*$/.test(before)) return { kind: 'none' };
  m = /([A-Za-z_]\w*|)$/.exec(before)!;
  return { kind: 'expression', ...word(m) };
}
