/**
 * The step's nodes as SIMD code for one lane pair at a time: operands from the pair's locals (constants inline),
 * the patterns of stepPatterns.ts, the power transform's H = ½ / H = 1 forms, and calls into the vectorized math.
 * The kernel writer (codegen.ts) owns the loops, memory, targets and stops; this owns what one step computes.
 */
import { type Graph, type NodeId, BOOLEAN_OPS } from '../../expr/ir';
import { FunctionBuilder, I32, V128, type SimdOp } from './encoder';
import { SimdMath, type MathFn } from './simdMath';
import type { StepPatterns } from './stepPatterns';

const SIMD_BINARY: Partial<Record<string, SimdOp>> = {
  add: 'f64x2.add',
  sub: 'f64x2.sub',
  mul: 'f64x2.mul',
  div: 'f64x2.div',
  min: 'f64x2.min',
  max: 'f64x2.max',
  lt: 'f64x2.lt',
  le: 'f64x2.le',
  gt: 'f64x2.gt',
  ge: 'f64x2.ge',
  eq: 'f64x2.eq',
};
const MATH_CALLS = new Set([
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
  'cbrt',
  'pow',
  'atan2',
  'hypot',
]);

const SIGN_BIT = -0x8000000000000000n;

/** A pool of v128 locals reused once a value's last use has passed (keeps V8's register allocator fast). */
export class LocalPool {
  private readonly free: number[] = [];
  constructor(private readonly f: FunctionBuilder) {}
  take(): number {
    return this.free.pop() ?? this.f.local(V128);
  }
  give(local: number): void {
    this.free.push(local);
  }
}

/** What the emitter reads and writes of a lane pair: its value locals and its pow flags. */
export interface PairValues {
  /** Local holding each input, invariant and computed node's value (v128). */
  readonly at: Map<NodeId, number>;
  /**
   * pow(base, H) with a loop-invariant H and a base that cannot be negative (|g| in the power transform):
   * flags saying whether both lanes have H = 1/2 or H = 1, so the step can take sqrt or nothing instead of the
   * general pow — fdlibm's pow returns exactly sqrt(x) for y = 1/2, x ≥ 0, and x for y = 1.
   */
  readonly powFlags: Map<NodeId, { half: number; one: number }>;
}

/** 'half' for a step loop that runs only groups whose every flagged H is ½ in every lane; 'general' for any H. */
export type Exponents = 'half' | 'general';

export class NodeEmitter {
  /** Which code pow(|g|, H) gets in the step being emitted (computeStep). */
  private exponents: Exponents = 'general';

  constructor(
    private readonly f: FunctionBuilder,
    private readonly g: Graph,
    private readonly math: SimdMath,
    private readonly patterns: StepPatterns,
    private readonly pool: LocalPool,
    private readonly perStep: readonly NodeId[],
    private readonly outputs: readonly NodeId[],
  ) {}

  /** Pushes a node's value (constants inline). */
  ref(pair: PairValues, id: NodeId): () => void {
    const n = this.g.node(id);
    if (n.kind === 'const') return () => this.f.f64x2(n.value);
    const local = pair.at.get(id);
    if (local === undefined) throw new Error(`codegen: node ${id} used before it was computed`);
    return () => this.f.get(local);
  }

  /** Pushes a node as a numeric value: a truth mask becomes 1.0 or 0.0, as in the IR's semantics. */
  num(pair: PairValues, id: NodeId): void {
    this.ref(pair, id)();
    if (this.isMask(id)) this.f.f64x2(1).simd('v128.and');
  }

  /** Pushes a node as a lane mask: a number is true when it is not 0 (NaN is true, as in `c !== 0`). */
  mask(pair: PairValues, id: NodeId): void {
    this.ref(pair, id)();
    if (!this.isMask(id)) this.f.f64x2(0).simd('f64x2.ne');
  }

  private isMask(id: NodeId): boolean {
    const n = this.g.node(id);
    return (n.kind === 'unary' || n.kind === 'binary') && BOOLEAN_OPS.has(n.op);
  }

  /** The step's nodes, the W pairs interleaved node by node, with locals reused after their last use. */
  computeStep(pairs: readonly PairValues[], exponents: Exponents): void {
    this.exponents = exponents;
    const { emitted, operands } = this.patterns;
    const lastUse = new Map<NodeId, number>();
    emitted.forEach((id, i) => operands(id).forEach((o) => lastUse.set(o, i)));
    for (const o of this.outputs) lastUse.set(o, Infinity);
    const computedHere = new Set(emitted);
    emitted.forEach((id, i) => {
      for (const pair of pairs) if (!pair.at.has(id)) this.compute(pair, id, this.pool.take());
      for (const o of new Set(operands(id))) {
        if (lastUse.get(o) !== i || !computedHere.has(o)) continue;
        for (const pair of pairs) {
          this.pool.give(pair.at.get(o)!);
          pair.at.delete(o);
        }
      }
    });
    this.exponents = 'general';
  }

  /** Returns the locals of values that lived to the end of the step (the outputs) to the pool. */
  releaseStep(pairs: readonly PairValues[]): void {
    for (const id of this.perStep) {
      for (const pair of pairs) {
        const local = pair.at.get(id);
        if (local === undefined) continue;
        this.pool.give(local);
        pair.at.delete(id);
      }
    }
  }

  /** Emits one node of one pair into `local`. */
  compute(pair: PairValues, id: NodeId, local: number): void {
    const { f } = this;
    const n = this.g.node(id);
    switch (n.kind) {
      case 'const':
      case 'input':
        throw new Error(`codegen: ${n.kind} nodes are not computed`);
      case 'select':
        this.num(pair, n.a);
        this.num(pair, n.b);
        this.mask(pair, n.c);
        f.simd('v128.bitselect');
        break;
      case 'unary': {
        const partner = this.patterns.partners.get(id);
        if (partner !== undefined) {
          // one call gives both results (stepPatterns.ts)
          const [name, first] = partner;
          const other = first === id ? partner[2] : first;
          const otherLocal = this.pool.take();
          this.num(pair, n.a);
          f.call(this.math.pair(name));
          // the second result is on top
          f.set(first === id ? otherLocal : local).set(first === id ? local : otherLocal);
          pair.at.set(id, local);
          pair.at.set(other, otherLocal);
          return;
        }
        this.unary(pair, n.op, n.a);
        break;
      }
      case 'binary': {
        const product = this.patterns.products.get(id);
        const difference = this.patterns.differences.get(id);
        if (product) this.powerProduct(pair, product.x, product.exponent);
        else if (difference) this.binary(pair, 'sub', ...difference);
        else this.binary(pair, n.op, n.a, n.b);
        break;
      }
    }
    f.set(local);
    pair.at.set(id, local);
  }

  private unary(pair: PairValues, op: string, a: NodeId): void {
    const { f } = this;
    switch (op) {
      case 'neg':
        this.num(pair, a);
        f.simd('f64x2.neg');
        return;
      case 'abs':
        this.num(pair, a);
        f.simd('f64x2.abs');
        return;
      case 'sqrt':
        this.num(pair, a);
        f.simd('f64x2.sqrt');
        return;
      case 'not':
        this.mask(pair, a);
        f.simd('v128.not');
        return;
      case 'sign': {
        // Math.sign: ±1 with the sign of x where x ≠ 0; x itself for ±0 and NaN.
        const x = this.pool.take();
        this.num(pair, a);
        f.set(x);
        f.get(x).i64x2(SIGN_BIT).simd('v128.and').f64x2(1).simd('v128.or');
        f.get(x);
        f.get(x).f64x2(0).simd('f64x2.lt').get(x).f64x2(0).simd('f64x2.gt').simd('v128.or');
        f.simd('v128.bitselect');
        this.pool.give(x);
        return;
      }
      default:
        if (!MATH_CALLS.has(op)) throw new Error(`codegen: no SIMD form of '${op}'`);
        this.num(pair, a);
        f.call(this.math.fn(op as MathFn));
    }
  }

  /** Sets a pair's flags for every flagged exponent. */
  computePowFlags(pair: PairValues): void {
    const { f } = this;
    for (const exponent of this.patterns.flaggedExponents) {
      const flags = { half: f.local(I32), one: f.local(I32) };
      pair.powFlags.set(exponent, flags);
      this.ref(pair, exponent)();
      f.f64x2(0.5).simd('f64x2.eq').simd('i64x2.all_true').set(flags.half);
      this.ref(pair, exponent)();
      f.f64x2(1).simd('f64x2.eq').simd('i64x2.all_true').set(flags.one);
    }
  }

  private pow(pair: PairValues, a: NodeId, b: NodeId): void {
    const { f } = this;
    const flags = pair.powFlags.get(b);
    const base = this.g.node(a);
    if (!flags || base.kind !== 'unary' || base.op !== 'abs') {
      this.num(pair, a);
      this.num(pair, b);
      f.call(this.math.fn('pow'));
      return;
    }
    this.byExponent(
      flags,
      () => {
        this.num(pair, a);
        f.simd('f64x2.sqrt');
      },
      () => this.num(pair, a),
      () => {
        this.num(pair, a);
        this.num(pair, b);
        f.call(this.math.fn('pow'));
      },
    );
  }

  /**
   * sign(x)·pow(|x|, H): with H = ½, √|x| with x's sign bit; with H = 1, x — each bit for bit the product (±0, ±∞,
   * NaN included), and 2 operations where sign and the product take 7 (the step is throughput-bound at W pairs).
   */
  private powerProduct(pair: PairValues, x: NodeId, exponent: NodeId): void {
    const { f } = this;
    this.byExponent(
      pair.powFlags.get(exponent)!,
      () => {
        this.num(pair, x);
        f.simd('f64x2.abs').simd('f64x2.sqrt');
        this.num(pair, x);
        f.i64x2(SIGN_BIT).simd('v128.and').simd('v128.or');
      },
      () => this.num(pair, x),
      () => {
        this.unary(pair, 'sign', x);
        this.num(pair, x);
        f.simd('f64x2.abs');
        this.num(pair, exponent);
        f.call(this.math.fn('pow'));
        f.simd('f64x2.mul');
      },
    );
  }

  /** A v128 from one of three emitters, by a pair's flags: H = ½, H = 1, any other H (the same branch every step). */
  private byExponent(flags: { half: number; one: number }, half: () => void, one: () => void, other: () => void): void {
    const { f } = this;
    if (this.exponents === 'half') {
      half();
      return;
    }
    f.get(flags.half).if(V128);
    half();
    f.else().get(flags.one).if(V128);
    one();
    f.else();
    other();
    f.end().end();
  }

  private binary(pair: PairValues, op: string, a: NodeId, b: NodeId): void {
    const { f } = this;
    if (op === 'pow') {
      this.pow(pair, a, b);
      return;
    }
    const simd = SIMD_BINARY[op];
    if (simd) {
      this.num(pair, a);
      this.num(pair, b);
      f.simd(simd);
      return;
    }
    if (op === 'and' || op === 'or') {
      this.mask(pair, a);
      this.mask(pair, b);
      f.simd(op === 'and' ? 'v128.and' : 'v128.or');
      return;
    }
    if (!MATH_CALLS.has(op)) throw new Error(`codegen: no SIMD form of '${op}'`);
    this.num(pair, a);
    this.num(pair, b);
    f.call(this.math.fn(op as MathFn));
  }
}
