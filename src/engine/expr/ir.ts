/**
 * The IR: an SSA graph of scalar operations. Nodes refer only to earlier nodes, so the node array is in
 * topological order. Every node is hash-consed (a second request for the same operation on the same operands
 * returns the first node) and constant operands are folded, so common subexpressions of f, ∇f and the
 * optimizer update are shared across the whole step program.
 *
 * Semantics are fixed here, once, by `evalUnary`/`evalBinary`; every backend must reproduce them.
 * Comparison and logic ops produce 1 or 0; `select(c, a, b)` is `c !== 0 ? a : b`.
 */

export type NodeId = number;

export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'sqrt',
  'cbrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'not',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'atan2',
  'hypot',
  'min',
  'max',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'and',
  'or',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/**
 * Each operation's semantics, fixed once for every backend (the interpreter and constant folding call them), and
 * what the IR's rewrites need to know of it. Keyed by the op unions, so a new op that is not described here is a
 * compile error (as every other per-operation table: AD rules, emitters, printer, lowering).
 */
interface OpInfo<F> {
  readonly eval: F;
  /** The result is a truth value (1 or 0), usable as a `select` condition. */
  readonly truth: boolean;
}
type UnaryInfo = OpInfo<(x: number) => number>;
type BinaryInfo = OpInfo<(a: number, b: number) => number> & { readonly commutative: boolean };

const math = (eval_: (x: number) => number): UnaryInfo => ({ eval: eval_, truth: false });
const arithmetic = (eval_: (a: number, b: number) => number, commutative: boolean): BinaryInfo => ({
  eval: eval_,
  truth: false,
  commutative,
});
const truth = (eval_: (a: number, b: number) => boolean, commutative: boolean): BinaryInfo => ({
  eval: (a, b) => (eval_(a, b) ? 1 : 0),
  truth: true,
  commutative,
});

const UNARY: { readonly [P in UnaryOp]: UnaryInfo } = {
  neg: math((x) => -x),
  abs: math(Math.abs),
  sign: math(Math.sign),
  sqrt: math(Math.sqrt),
  cbrt: math(Math.cbrt),
  exp: math(Math.exp),
  expm1: math(Math.expm1),
  log: math(Math.log),
  log1p: math(Math.log1p),
  log2: math(Math.log2),
  log10: math(Math.log10),
  sin: math(Math.sin),
  cos: math(Math.cos),
  tan: math(Math.tan),
  asin: math(Math.asin),
  acos: math(Math.acos),
  atan: math(Math.atan),
  sinh: math(Math.sinh),
  cosh: math(Math.cosh),
  tanh: math(Math.tanh),
  not: { eval: (x) => (x !== 0 ? 0 : 1), truth: true },
};

const BINARY: { readonly [P in BinaryOp]: BinaryInfo } = {
  add: arithmetic((a, b) => a + b, true),
  sub: arithmetic((a, b) => a - b, false),
  mul: arithmetic((a, b) => a * b, true),
  div: arithmetic((a, b) => a / b, false),
  pow: arithmetic(Math.pow, false),
  atan2: arithmetic(Math.atan2, false),
  hypot: arithmetic(Math.hypot, true),
  min: arithmetic(Math.min, true),
  max: arithmetic(Math.max, true),
  lt: truth((a, b) => a < b, false),
  le: truth((a, b) => a <= b, false),
  gt: truth((a, b) => a > b, false),
  ge: truth((a, b) => a >= b, false),
  eq: truth((a, b) => a === b, true),
  and: truth((a, b) => a !== 0 && b !== 0, true),
  or: truth((a, b) => a !== 0 || b !== 0, true),
};

export type IrNode =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly a: NodeId }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: NodeId; readonly b: NodeId }
  | { readonly kind: 'select'; readonly c: NodeId; readonly a: NodeId; readonly b: NodeId };

export function evalUnary(op: UnaryOp, x: number): number {
  return UNARY[op].eval(x);
}

export function evalBinary(op: BinaryOp, a: number, b: number): number {
  return BINARY[op].eval(a, b);
}

/** Whether an operation's result is a truth value (1 or 0). */
export function isTruthOp(op: UnaryOp | BinaryOp): boolean {
  return (UNARY_OPS as readonly string[]).includes(op) ? UNARY[op as UnaryOp].truth : BINARY[op as BinaryOp].truth;
}

/** Whether a node's value is a truth value (1 or 0), usable as a `select` condition as it is. */
export function isTruthValued(n: IrNode): boolean {
  if (n.kind === 'unary') return UNARY[n.op].truth;
  return n.kind === 'binary' && BINARY[n.op].truth;
}

/** Integer exponents up to this magnitude are lowered to multiplications (exact for 2; ≤ 1 ulp apart otherwise). */
const MAX_UNROLLED_POWER = 4;

/** Node ids stay below this, so that an operation and its operands pack into one exact integer key. */
const ID_SPACE = 2 ** 21;
const UNARY_INDEX = new Map(UNARY_OPS.map((op, k) => [op, k]));
const BINARY_INDEX = new Map(BINARY_OPS.map((op, k) => [op, k]));

export class Graph {
  readonly nodes: IrNode[] = [];
  private readonly table = new Map<string, NodeId>();
  /** Unary and binary nodes by numeric key: string keys made hash-consing the slowest step of a big program. */
  private readonly unaryTable = new Map<number, NodeId>();
  private readonly binaryTable = new Map<number, NodeId>();
  private readonly inputIds = new Map<string, NodeId>();

  /** The node count limit protects the host from runaway programs (user text is limited earlier, by the parser). */
  constructor(readonly maxNodes = 1_000_000) {
    if (maxNodes > ID_SPACE) throw new RangeError(`at most ${ID_SPACE} nodes`);
  }

  get size(): number {
    return this.nodes.length;
  }

  node(id: NodeId): IrNode {
    return this.nodes[id];
  }

  isConst(id: NodeId, value?: number): boolean {
    const n = this.nodes[id];
    return n.kind === 'const' && (value === undefined || Object.is(n.value, value));
  }

  constValue(id: NodeId): number | undefined {
    const n = this.nodes[id];
    return n.kind === 'const' ? n.value : undefined;
  }

  const(value: number): NodeId {
    // Keyed by bit pattern so that 0 and -0 (and every NaN payload) stay distinct constants.
    return this.intern(this.table, `c${Object.is(value, -0) ? '-0' : String(value)}`, { kind: 'const', value });
  }

  /** A named input slot: a variable, a per-lane hyperparameter or a piece of optimizer state. */
  input(name: string): NodeId {
    const existing = this.inputIds.get(name);
    if (existing !== undefined) return existing;
    const id = this.intern(this.table, `i${name}`, { kind: 'input', name });
    this.inputIds.set(name, id);
    return id;
  }

  inputNames(): string[] {
    return [...this.inputIds.keys()];
  }

  unary(op: UnaryOp, a: NodeId): NodeId {
    const ca = this.constValue(a);
    if (ca !== undefined) return this.const(evalUnary(op, ca));
    const n = this.nodes[a];
    if (op === 'neg' && n.kind === 'unary' && n.op === 'neg') return n.a;
    if (op === 'abs' && n.kind === 'unary' && (n.op === 'abs' || n.op === 'neg')) return this.unary('abs', n.a);
    return this.intern(this.unaryTable, UNARY_INDEX.get(op)! * ID_SPACE + a, { kind: 'unary', op, a });
  }

  binary(op: BinaryOp, a: NodeId, b: NodeId): NodeId {
    const ca = this.constValue(a);
    const cb = this.constValue(b);
    if (ca !== undefined && cb !== undefined) return this.const(evalBinary(op, ca, cb));
    const simplified = this.simplify(op, a, b, ca, cb);
    if (simplified !== undefined) return simplified;
    if (BINARY[op].commutative && b < a) [a, b] = [b, a];
    const key = (BINARY_INDEX.get(op)! * ID_SPACE + a) * ID_SPACE + b;
    return this.intern(this.binaryTable, key, { kind: 'binary', op, a, b });
  }

  select(c: NodeId, a: NodeId, b: NodeId): NodeId {
    const cc = this.constValue(c);
    if (cc !== undefined) return cc !== 0 ? a : b;
    if (a === b) return a;
    return this.intern(this.table, `s${c},${a},${b}`, { kind: 'select', c, a, b });
  }

  add(a: NodeId, b: NodeId): NodeId {
    return this.binary('add', a, b);
  }
  sub(a: NodeId, b: NodeId): NodeId {
    return this.binary('sub', a, b);
  }
  mul(a: NodeId, b: NodeId): NodeId {
    return this.binary('mul', a, b);
  }
  div(a: NodeId, b: NodeId): NodeId {
    return this.binary('div', a, b);
  }
  neg(a: NodeId): NodeId {
    return this.unary('neg', a);
  }
  pow(a: NodeId, b: NodeId): NodeId {
    return this.binary('pow', a, b);
  }
  sqrt(a: NodeId): NodeId {
    return this.unary('sqrt', a);
  }
  abs(a: NodeId): NodeId {
    return this.unary('abs', a);
  }
  sign(a: NodeId): NodeId {
    return this.unary('sign', a);
  }
  min(a: NodeId, b: NodeId): NodeId {
    return this.binary('min', a, b);
  }
  max(a: NodeId, b: NodeId): NodeId {
    return this.binary('max', a, b);
  }

  /** Sum of many terms, left to right (the order fixes the rounding, so keep it stable). */
  sum(terms: readonly NodeId[]): NodeId {
    if (terms.length === 0) return this.const(0);
    return terms.reduce((acc, t) => this.add(acc, t));
  }

  /**
   * Algebraic identities. All are exact in IEEE arithmetic except two that reverse-mode AD relies on to prune
   * zero adjoints: `x * 0 → 0` (wrong only for non-finite x) and `x ± 0 → x` (wrong only in the sign of a zero).
   */
  private simplify(op: BinaryOp, a: NodeId, b: NodeId, ca?: number, cb?: number): NodeId | undefined {
    switch (op) {
      case 'add':
        if (ca === 0) return b;
        if (cb === 0) return a;
        return undefined;
      case 'sub':
        if (cb === 0) return a;
        if (ca === 0) return this.neg(b);
        return undefined;
      case 'mul':
        if (ca === 1) return b;
        if (cb === 1) return a;
        if (ca === -1) return this.neg(b);
        if (cb === -1) return this.neg(a);
        if (ca === 0 || cb === 0) return this.const(0);
        return undefined;
      case 'div':
        if (cb === 1) return a;
        if (cb === -1) return this.neg(a);
        return undefined;
      case 'pow':
        if (cb === undefined) return undefined;
        if (cb === 1) return a;
        if (cb === 0) return this.const(1);
        if (Number.isInteger(cb) && Math.abs(cb) <= MAX_UNROLLED_POWER) {
          const p = this.integerPower(a, Math.abs(cb));
          return cb < 0 ? this.div(this.const(1), p) : p;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private integerPower(a: NodeId, n: number): NodeId {
    if (n === 1) return a;
    const half = this.integerPower(a, Math.floor(n / 2));
    const sq = this.mul(half, half);
    return n % 2 === 0 ? sq : this.mul(sq, a);
  }

  private intern<K>(table: Map<K, NodeId>, key: K, node: IrNode): NodeId {
    const existing = table.get(key);
    if (existing !== undefined) return existing;
    if (this.nodes.length >= this.maxNodes) {
      throw new RangeError(`program too large: more than ${this.maxNodes} IR nodes`);
    }
    const id = this.nodes.length;
    this.nodes.push(node);
    table.set(key, id);
    return id;
  }
}

/** Evaluates nodes `0..upTo` of a graph for one set of inputs: the slow, obviously correct reference. */
export function evaluate(graph: Graph, inputs: Readonly<Record<string, number>>, outputs: readonly NodeId[]): number[] {
  const values = new Float64Array(graph.size);
  const last = outputs.reduce((m, o) => Math.max(m, o), -1);
  for (let i = 0; i <= last; i++) {
    const n = graph.nodes[i];
    switch (n.kind) {
      case 'const':
        values[i] = n.value;
        break;
      case 'input': {
        // An own-property check: a variable named `constructor` must not read Object.prototype's.
        if (!Object.hasOwn(inputs, n.name)) throw new Error(`no value for input '${n.name}'`);
        values[i] = inputs[n.name];
        break;
      }
      case 'unary':
        values[i] = evalUnary(n.op, values[n.a]);
        break;
      case 'binary':
        values[i] = evalBinary(n.op, values[n.a], values[n.b]);
        break;
      case 'select':
        values[i] = values[n.c] !== 0 ? values[n.a] : values[n.b];
        break;
    }
  }
  return outputs.map((o) => values[o]);
}
