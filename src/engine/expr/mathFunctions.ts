/**
 * The functions and constants a cost expression may use, and how each lowers to the IR. Every IR operation says
 * how a user reaches it — a mathjs function of the same name, a mathjs operator, or nothing (internal: made only
 * by the gradient, the optimizers or another lowering) — in tables keyed by the op unions, so that a new
 * operation must be given a spelling or be marked internal.
 */
import type { BinaryOp, Graph, NodeId, UnaryOp } from './ir';

export interface Builtin {
  readonly minArgs: number;
  readonly maxArgs: number;
  build(g: Graph, args: readonly NodeId[]): NodeId;
}

/** `fn` is the OperatorNode's fn in mathjs's AST ('add', 'unaryMinus', …). */
export type Lowering =
  | { readonly kind: 'function'; readonly builtin: Builtin }
  | { readonly kind: 'operator'; readonly fn: string }
  | { readonly kind: 'internal'; readonly madeBy: string };

const fn = (builtin: Builtin): Lowering => ({ kind: 'function', builtin });
const unary = (op: UnaryOp): Lowering => fn({ minArgs: 1, maxArgs: 1, build: (g, [a]) => g.unary(op, a) });
/** hypot/min/max of n ≥ 2 arguments fold pairwise, left to right, so the IR stays binary. */
const fold = (op: BinaryOp): Lowering =>
  fn({ minArgs: 2, maxArgs: Infinity, build: (g, args) => args.reduce((acc, a) => g.binary(op, acc, a)) });
const operator = (mathjsFn: string): Lowering => ({ kind: 'operator', fn: mathjsFn });
const internal = (madeBy: string): Lowering => ({ kind: 'internal', madeBy });
const comparison = internal('the gradients of min and max, and optimizer rules');

export const UNARY_LOWERING: { readonly [P in UnaryOp]: Lowering } = {
  neg: operator('unaryMinus'),
  abs: unary('abs'),
  sign: unary('sign'),
  sqrt: unary('sqrt'),
  cbrt: unary('cbrt'),
  exp: unary('exp'),
  expm1: unary('expm1'),
  // mathjs defines log(x, base) as log(x) / log(base).
  log: fn({
    minArgs: 1,
    maxArgs: 2,
    build: (g, [x, base]) => (base === undefined ? g.unary('log', x) : g.div(g.unary('log', x), g.unary('log', base))),
  }),
  log1p: unary('log1p'),
  log2: unary('log2'),
  log10: unary('log10'),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  asin: unary('asin'),
  acos: unary('acos'),
  atan: unary('atan'),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  tanh: unary('tanh'),
  not: internal('optimizer rules (logic on comparisons)'),
};

export const BINARY_LOWERING: { readonly [P in BinaryOp]: Lowering } = {
  add: operator('add'),
  sub: operator('subtract'),
  mul: operator('multiply'),
  div: operator('divide'),
  pow: operator('pow'),
  atan2: fn({ minArgs: 2, maxArgs: 2, build: (g, [y, x]) => g.binary('atan2', y, x) }),
  hypot: fold('hypot'),
  min: fold('min'),
  max: fold('max'),
  lt: comparison,
  le: comparison,
  gt: comparison,
  ge: comparison,
  eq: comparison,
  and: comparison,
  or: comparison,
};

const functionsOf = (table: Readonly<Record<string, Lowering>>): [string, Builtin][] =>
  Object.entries(table).flatMap(([name, l]) => (l.kind === 'function' ? [[name, l.builtin]] : []));
const operatorsOf = <Op extends string>(table: Readonly<Record<Op, Lowering>>): [string, Op][] =>
  (Object.entries(table) as [Op, Lowering][]).flatMap(([op, l]) => (l.kind === 'operator' ? [[l.fn, op]] : []));

/** Function names → how they lower: the operations' own, and two spellings of powers. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ...functionsOf(UNARY_LOWERING),
  ...functionsOf(BINARY_LOWERING),
  ['square', { minArgs: 1, maxArgs: 1, build: (g, [a]) => g.pow(a, g.const(2)) }],
  ['cube', { minArgs: 1, maxArgs: 1, build: (g, [a]) => g.pow(a, g.const(3)) }],
]);

/** mathjs operator fns → operations (unaryPlus, the identity, is not an operation). */
export const UNARY_OPERATORS: ReadonlyMap<string, UnaryOp> = new Map(operatorsOf(UNARY_LOWERING));
export const BINARY_OPERATORS: ReadonlyMap<string, BinaryOp> = new Map(operatorsOf(BINARY_LOWERING));

export const BUILTIN_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

export function arityMessage(name: string, b: Pick<Builtin, 'minArgs' | 'maxArgs'>, got: number): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  const wanted =
    b.maxArgs === Infinity
      ? `at least ${plural(b.minArgs)}`
      : b.minArgs === b.maxArgs
        ? plural(b.minArgs)
        : `${b.minArgs} or ${plural(b.maxArgs)}`;
  return `${name}() takes ${wanted}, got ${got}`;
}

/** The known function name closest to `name` by edit distance; ties go to the longest common prefix. */
export function nearestBuiltin(name: string, candidates: Iterable<string> = BUILTINS.keys()): string {
  const lower = name.toLowerCase();
  let best = '';
  let bestScore = [Infinity, 0];
  for (const candidate of candidates) {
    const score = [editDistance(lower, candidate), -commonPrefix(lower, candidate)];
    if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && a[k] === b[k]) k++;
  return k;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
