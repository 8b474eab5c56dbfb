/**
 * IR → readable math text for hovers and reports, in the cost-expression syntax, so that printed f and ∇f
 * parse back to the same values (bit for bit, but for one rewrite in gradients: see `withoutLastTerm`). Parentheses are added only where the parse would otherwise change the
 * order of operations: `a - (b - c)` keeps its parentheses because `a - b + c` rounds differently.
 */
import type { BinaryOp, Graph, IrNode, NodeId, UnaryOp } from './ir';

// Precedence, loosest first; an operand gets parentheses when its precedence is below what its slot needs.
const SELECT = 0;
const LOGIC = 1;
const COMPARE = 2;
const ADD = 3;
const MUL = 4;
const NEG = 5;
const POW = 6;
const ATOM = 7;

interface Printed {
  text: string;
  prec: number;
}

/** Shared subexpressions at least this large (in nodes, counting hoisted parts as 1) get a `where` line. */
const HOIST_MIN_SIZE = 5;

/** One node as text. Shared subexpressions are written out wherever they occur. */
export function printExpr(graph: Graph, node: NodeId, varNames: Readonly<Record<string, string>> = {}): string {
  return new Printer(graph, new Map(), varNames, false).expr(node).text;
}

/**
 * A gradient for a hover: `∂f/∂x = …` per component, then `where u₁ = …` for each large subexpression the
 * components share, numbered in evaluation order. A subscript digit cannot be part of an identifier in the cost
 * syntax, so these names never clash with a variable, constant or function of the user's.
 */
export function printGradient(graph: Graph, grads: readonly NodeId[], vars: readonly string[]): string {
  const hoisted = chooseHoisted(graph, grads);
  const names = new Map(hoisted.map((id, k) => [id, helperName(k + 1)]));
  const printer = new Printer(graph, names, {}, true);
  return [
    ...grads.map((g, k) => `∂f/∂${vars[k]} = ${printer.expr(g).text}`),
    ...hoisted.map((id) => `where ${names.get(id)} = ${printer.expr(id).text}`),
  ].join('\n');
}

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/** u₁, u₂, …, u₁₀, … */
export function helperName(k: number): string {
  return `u${[...String(k)].map((d) => SUBSCRIPT_DIGITS[Number(d)]).join('')}`;
}

function operands(n: IrNode): NodeId[] {
  switch (n.kind) {
    case 'const':
    case 'input':
      return [];
    case 'unary':
      return [n.a];
    case 'binary':
      return [n.a, n.b];
    case 'select':
      return [n.c, n.a, n.b];
  }
}

/** Node ids to hoist, ascending, so that each `where` line uses only names defined above it. */
function chooseHoisted(graph: Graph, roots: readonly NodeId[]): NodeId[] {
  const last = roots.reduce((m, r) => Math.max(m, r), -1);
  const reachable = new Uint8Array(last + 1);
  for (const r of roots) reachable[r] = 1;
  const uses = new Uint32Array(last + 1);
  for (let id = last; id >= 0; id--) {
    if (!reachable[id]) continue;
    for (const child of operands(graph.node(id))) {
      reachable[child] = 1;
      uses[child]++;
    }
  }
  const rootSet = new Set(roots);
  const size = new Float64Array(last + 1);
  const hoisted: NodeId[] = [];
  for (let id = 0; id <= last; id++) {
    if (!reachable[id]) continue;
    const children = operands(graph.node(id));
    size[id] = 1 + children.reduce((s, c) => s + size[c], 0);
    if (children.length > 0 && uses[id] >= 2 && !rootSet.has(id) && size[id] >= HOIST_MIN_SIZE) {
      hoisted.push(id);
      size[id] = 1;
    }
  }
  return hoisted;
}

/**
 * Simple multiples of π as the parser computes them (`m*pi/d` is (m·π)/d in binary64), so that a printed
 * `pi/2` reads back as exactly the same double.
 */
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const PI_MULTIPLES: readonly (readonly [number, string])[] = [1, 2, 3, 4, 6, 8, 12].flatMap((d) =>
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    .filter((m) => gcd(m, d) === 1)
    .map((m): [number, string] => {
      const text = `${m === 1 ? '' : `${m}*`}pi${d === 1 ? '' : `/${d}`}`;
      return [d === 1 ? m * Math.PI : (m * Math.PI) / d, text];
    }),
);

function formatNumber(v: number): Printed {
  if (Math.abs(v) === Math.E) return v < 0 ? { text: '-e', prec: NEG } : { text: 'e', prec: ATOM };
  const pi = PI_MULTIPLES.find(([x]) => x === Math.abs(v));
  if (pi) {
    const simple = pi[1] === 'pi';
    if (v < 0) return { text: `-${pi[1]}`, prec: NEG };
    return { text: pi[1], prec: simple ? ATOM : MUL };
  }
  // String() is the shortest text that reads back as the same double; it drops the sign of -0.
  if (Object.is(v, -0)) return { text: '-0', prec: NEG };
  return { text: String(v), prec: v < 0 ? NEG : ATOM };
}

class Printer {
  constructor(
    private readonly g: Graph,
    private readonly names: ReadonlyMap<NodeId, string>,
    private readonly varNames: Readonly<Record<string, string>>,
    /** Print (s + t) + t as s + 2·t: for gradients only (see `withoutLastTerm`); f is printed exactly. */
    private readonly foldRepeats: boolean,
  ) {}

  /** Each node's own text, computed once; a node's operands always have smaller ids. */
  private readonly printed = new Map<NodeId, Printed>();

  /**
   * The node itself, written out even if it has a `where` name. Nodes are printed bottom-up in id order, not
   * by recursion, so that a long sum (which may nest either way after hash-consing) cannot overflow the stack.
   */
  expr(id: NodeId): Printed {
    const pending = new Set<NodeId>();
    const stack = [id];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (pending.has(next) || this.printed.has(next)) continue;
      pending.add(next);
      stack.push(...operands(this.g.node(next)));
    }
    for (const k of [...pending].sort((a, b) => a - b)) this.printed.set(k, this.print(k));
    return this.printed.get(id) as Printed;
  }

  private print(id: NodeId): Printed {
    const n = this.g.node(id);
    switch (n.kind) {
      case 'const':
        return formatNumber(n.value);
      case 'input':
        return { text: Object.hasOwn(this.varNames, n.name) ? this.varNames[n.name] : n.name, prec: ATOM };
      case 'unary':
        return this.unary[n.op](n.a);
      case 'select':
        return {
          text: `${this.operand(n.c, LOGIC)} ? ${this.operand(n.a, LOGIC)} : ${this.operand(n.b, LOGIC)}`,
          prec: SELECT,
        };
      case 'binary':
        return this.binary[n.op](n.a, n.b);
    }
  }

  /** Each operation's text, in the cost syntax (keyed by the op unions: a new operation needs an entry). */
  private readonly unary: { readonly [P in UnaryOp]: (a: NodeId) => Printed } = {
    neg: (a) => ({ text: `-${this.operand(a, MUL)}`, prec: NEG }),
    abs: (a) => this.call('abs', a),
    sign: (a) => this.call('sign', a),
    sqrt: (a) => this.call('sqrt', a),
    cbrt: (a) => this.call('cbrt', a),
    exp: (a) => this.call('exp', a),
    expm1: (a) => this.call('expm1', a),
    log: (a) => this.call('log', a),
    log1p: (a) => this.call('log1p', a),
    log2: (a) => this.call('log2', a),
    log10: (a) => this.call('log10', a),
    sin: (a) => this.call('sin', a),
    cos: (a) => this.call('cos', a),
    tan: (a) => this.call('tan', a),
    asin: (a) => this.call('asin', a),
    acos: (a) => this.call('acos', a),
    atan: (a) => this.call('atan', a),
    sinh: (a) => this.call('sinh', a),
    cosh: (a) => this.call('cosh', a),
    tanh: (a) => this.call('tanh', a),
    // Not in the cost syntax (nor are comparisons and selects): mathjs's reading, for ∇f of min, max and abs.
    not: (a) => this.call('not', a),
  };

  private readonly binary: { readonly [P in BinaryOp]: (a: NodeId, b: NodeId) => Printed } = {
    add: (a, b) => this.sum('add', a, b),
    sub: (a, b) => this.sum('sub', a, b),
    mul: (a, b) => this.product(a, b),
    div: (a, b) => ({ text: `${this.operand(a, MUL)}/${this.operand(b, POW, true)}`, prec: MUL }),
    pow: (a, b) => ({ text: `${this.operand(a, ATOM)}^${this.operand(b, POW, true)}`, prec: POW }),
    atan2: (a, b) => this.call('atan2', a, b),
    hypot: (a, b) => this.call('hypot', a, b),
    min: (a, b) => this.call('min', a, b),
    max: (a, b) => this.call('max', a, b),
    lt: (a, b) => this.infix('<', COMPARE, a, b),
    le: (a, b) => this.infix('<=', COMPARE, a, b),
    gt: (a, b) => this.infix('>', COMPARE, a, b),
    ge: (a, b) => this.infix('>=', COMPARE, a, b),
    eq: (a, b) => this.infix('==', COMPARE, a, b),
    and: (a, b) => this.infix('and', LOGIC, a, b),
    or: (a, b) => this.infix('or', LOGIC, a, b),
  };

  private call(name: string, ...args: NodeId[]): Printed {
    return { text: `${name}(${args.map((a) => this.operand(a, SELECT)).join(', ')})`, prec: ATOM };
  }

  private infix(symbol: string, prec: number, a: NodeId, b: NodeId): Printed {
    return { text: `${this.operand(a, prec + 1)} ${symbol} ${this.operand(b, prec + 1)}`, prec };
  }

  /** A node in a slot that needs at least `minPrec`; `noNeg` slots also parenthesize a leading minus. */
  private operand(id: NodeId, minPrec: number, noNeg = false): string {
    const name = this.names.get(id);
    if (name !== undefined) return name;
    const p = this.printed.get(id) as Printed;
    return p.prec < minPrec || (noNeg && p.prec === NEG) ? `(${p.text})` : p.text;
  }

  /** For a leading minus (a negation or a negative constant), the text after the minus; else undefined. */
  private withoutMinus(id: NodeId): string | undefined {
    if (this.names.has(id)) return undefined;
    const n = this.g.node(id);
    if (n.kind === 'unary' && n.op === 'neg') return this.operand(n.a, MUL, true);
    if (n.kind === 'const' && (n.value < 0 || Object.is(n.value, -0))) return formatNumber(-n.value).text;
    return undefined;
  }

  /** a + b or a − b: a + (−b) and a − b are the same IEEE operation, as are a − (−b) and a + b. */
  private sum(op: 'add' | 'sub', a: NodeId, b: NodeId): Printed {
    if (op === 'add') {
      [a, b] = this.readableOrder(op, a, b);
      // x + x is exactly 2·x in IEEE arithmetic, and reads better.
      if (a === b) return this.twice(a);
      const rest = this.withoutLastTerm(a, b);
      const other = rest === undefined ? this.withoutLastTerm(b, a) : undefined;
      if (rest !== undefined || other !== undefined) {
        const [s, t] = rest !== undefined ? [rest, b] : [other!, a];
        const term = this.twice(t);
        if (term.prec === NEG) return { text: `${this.operand(s, ADD)} - ${term.text.slice(1)}`, prec: ADD };
        return { text: `${this.operand(s, ADD)} + ${term.prec < MUL ? `(${term.text})` : term.text}`, prec: ADD };
      }
    }
    const minus = this.withoutMinus(b);
    const sign = (op === 'sub') !== (minus !== undefined) ? '-' : '+';
    return { text: `${this.operand(a, ADD)} ${sign} ${minus ?? this.operand(b, MUL, true)}`, prec: ADD };
  }

  /** 2·x, the constant merged where that is exact (2·(8·x) is 16·x). */
  private twice(x: NodeId): Printed {
    return this.scaled(2, x) ?? { text: `2*${this.operand(x, POW, true)}`, prec: MUL };
  }

  /**
   * For (s + t) + t, the reverse-mode adjoint of a square whose base has other uses: s, to be printed s + 2·t.
   * The one rewrite that is not exact — s + 2·t rounds once where (s + t) + t rounds twice, so the two differ by
   * at most a rounding of s + t — kept because the sum reads as the math means it.
   */
  private withoutLastTerm(sum: NodeId, t: NodeId): NodeId | undefined {
    const n = this.g.node(sum);
    if (!this.foldRepeats || this.names.has(sum) || n.kind !== 'binary' || n.op !== 'add') return undefined;
    if (n.b === t && n.a !== t) return n.a;
    if (n.a === t && n.b !== t) return n.b;
    return undefined;
  }

  private product(a: NodeId, b: NodeId): Printed {
    [a, b] = this.readableOrder('mul', a, b);
    // c·(−x) = −(c·x) exactly: move the minus to the front (x keeps its own parentheses).
    const nb = this.g.node(b);
    if (!this.names.has(b) && nb.kind === 'unary' && nb.op === 'neg' && this.withoutMinus(a) === undefined) {
      return { text: `-${this.operand(a, MUL)}*${this.operand(nb.a, POW, true)}`, prec: NEG };
    }
    return (
      this.power(a, b) ??
      this.scaled(this.g.constValue(a), b) ??
      this.scaled(this.g.constValue(b), a) ?? {
        text: `${this.operand(a, MUL)}*${this.operand(b, POW, true)}`,
        prec: MUL,
      }
    );
  }

  /**
   * The IR orders commutative operands by id, which can nest a sum to the right: x + (x + (x + …)). Swapping
   * the operands of + and * is exact, so a nested sum or product goes left (needing no parentheses), and
   * otherwise constants go where they read best: `2*x`, `x + 1`.
   */
  private readableOrder(op: 'add' | 'mul', a: NodeId, b: NodeId): [NodeId, NodeId] {
    const nests = (id: NodeId): boolean => {
      const n = this.g.node(id);
      return !this.names.has(id) && n.kind === 'binary' && n.op === op && this.printed.get(id)?.prec !== POW;
    };
    if (nests(a) !== nests(b)) return nests(b) ? [b, a] : [a, b];
    const constA = this.g.isConst(a);
    if (constA !== this.g.isConst(b)) return constA === (op === 'mul') ? [a, b] : [b, a];
    return [a, b];
  }

  /**
   * c₁·(c₂·y) as (c₁c₂)·y when c₁ or c₂ is a power of two: scaling by 2^k is exact, so both round the same way
   * (away from overflow and the subnormal range). The gradient of 8*x^2 reads 16*x instead of 2*(8*x); x + x
   * counts as 2·x.
   */
  private scaled(c1: number | undefined, b: NodeId): Printed | undefined {
    const inner = this.g.node(b);
    if (c1 === undefined || this.names.has(b) || inner.kind !== 'binary' || inner.op !== 'mul') return undefined;
    const [k, y] = this.g.isConst(inner.a) ? [inner.a, inner.b] : [inner.b, inner.a];
    const c2 = this.g.constValue(k);
    if (c2 === undefined || this.g.isConst(y)) return undefined;
    const powerOfTwo = (v: number) =>
      v !== 0 && Number.isFinite(v) && 2 ** Math.round(Math.log2(Math.abs(v))) === Math.abs(v);
    const product = c1 * c2;
    if (!(powerOfTwo(c1) || powerOfTwo(c2)) || !(Math.abs(product) >= 2 ** -1000 && Math.abs(product) <= 2 ** 1000))
      return undefined;
    if (product === 1)
      return { text: this.operand(y, 0), prec: this.names.has(y) ? ATOM : (this.printed.get(y) as Printed).prec };
    if (product === -1) return { text: `-${this.operand(y, MUL)}`, prec: NEG };
    const c = formatNumber(product);
    return {
      text: `${c.prec < MUL ? `(${c.text})` : c.text}*${this.operand(y, POW, true)}`,
      prec: c.prec === NEG ? NEG : MUL,
    };
  }

  /** x*x, (x*x)*x and (x*x)*(x*x) are how the IR spells x^2, x^3 and x^4 (ir.ts, integerPower). */
  private power(a: NodeId, b: NodeId): Printed | undefined {
    const square = (id: NodeId): NodeId | undefined => {
      const n = this.g.node(id);
      return !this.names.has(id) && n.kind === 'binary' && n.op === 'mul' && n.a === n.b ? n.a : undefined;
    };
    let base: NodeId | undefined;
    let exponent = 0;
    if (a === b) {
      const inner = square(a);
      [base, exponent] = inner === undefined ? [a, 2] : [inner, 4];
    } else if (square(a) === b || square(b) === a) {
      [base, exponent] = [square(a) === b ? b : a, 3];
    }
    if (base === undefined) return undefined;
    return { text: `${this.operand(base, ATOM)}^${exponent}`, prec: POW };
  }
}
