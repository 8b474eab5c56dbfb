/** The functions and constants a cost expression may use, and how each lowers to the IR. */
import type { BinaryOp, Graph, NodeId, UnaryOp } from './ir';

export interface Builtin {
  readonly minArgs: number;
  readonly maxArgs: number;
  build(g: Graph, args: readonly NodeId[]): NodeId;
}

const unary = (op: UnaryOp): Builtin => ({ minArgs: 1, maxArgs: 1, build: (g, [a]) => g.unary(op, a) });

/** hypot/min/max of n ≥ 2 arguments fold pairwise, left to right, so the IR stays binary. */
const fold = (op: BinaryOp): Builtin => ({
  minArgs: 2,
  maxArgs: Infinity,
  build: (g, args) => args.reduce((acc, a) => g.binary(op, acc, a)),
});

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ...(
    [
      'abs',
      'sign',
      'sqrt',
      'cbrt',
      'exp',
      'expm1',
      'log10',
      'log2',
      'log1p',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'tanh',
    ] as const
  ).map((op): [string, Builtin] => [op, unary(op)]),
  // mathjs defines log(x, base) as log(x) / log(base).
  [
    'log',
    {
      minArgs: 1,
      maxArgs: 2,
      build: (g, [x, base]) =>
        base === undefined ? g.unary('log', x) : g.div(g.unary('log', x), g.unary('log', base)),
    },
  ],
  ['atan2', { minArgs: 2, maxArgs: 2, build: (g, [y, x]) => g.binary('atan2', y, x) }],
  ['hypot', fold('hypot')],
  ['min', fold('min')],
  ['max', fold('max')],
  ['square', { minArgs: 1, maxArgs: 1, build: (g, [a]) => g.pow(a, g.const(2)) }],
  ['cube', { minArgs: 1, maxArgs: 1, build: (g, [a]) => g.pow(a, g.const(3)) }],
]);

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
