/**
 * The step's nodes as SIMD code for one lane pair at a time: operands from the pair's locals (constants inline),
 * the patterns of stepPatterns.ts, the power transform's H = ½ / H = 1 forms, and calls into the vectorized math.
 * The kernel writer (codegen.ts) owns the loops, memory, targets and stops; this owns what one step computes.
 */
import { type BinaryOp, type Graph, type NodeId, type UnaryOp, isTruthValued } from '../../expr/ir';
import { FunctionBuilder, I32, V128, type SimdOp } from './encoder';
import type { BinaryMathFn, SimdMath, UnaryMathFn } from './simdMath';
import type { Layout } from './kernelPlan';
import type { StepPatterns } from './stepPatterns';
import type { StepPlan } from './wideLayout';

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

/** What the emitter reads and writes of a lane pair: where its values are, and its pow flags. */
export interface PairValues {
  /** Local holding each input, invariant and computed node's value (v128)… */
  readonly at: Map<NodeId, number>;
  /** …or, in the wide layout (wideLayout.ts), the static address of the v128 holding it. */
  readonly mem: Map<NodeId, number>;
  /** Start of the pair's scratch memory, to which the step plan's memory offsets are relative. */
  readonly scratch: number;
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
    private readonly plan: StepPlan,
    /**
     * In the wide layout the general step loop takes the general pow at every pow(|g|, H), instead of a branch
     * per node on the pair's flags (the same values: see PairValues.powFlags): a big program's code stays small.
     */
    private readonly layout: Layout,
  ) {}

  /** Pushes a node's value as a number (a truth mask as 1.0 or 0.0): how the kernel writer reads outputs. */
  value(pair: PairValues, id: NodeId): () => void {
    return () => this.num(pair, id);
  }

  /** Pushes a node's value as it is held (constants inline; truth-valued nodes as lane masks). */
  private ref(pair: PairValues, id: NodeId): () => void {
    const n = this.g.node(id);
    if (n.kind === 'const') return () => this.splat(n.value);
    const local = pair.at.get(id);
    if (local !== undefined) return () => this.f.get(local);
    const address = pair.mem.get(id);
    if (address === undefined) throw new Error(`codegen: node ${id} used before it was computed`);
    return () => this.f.i32(0).v128Load(address);
  }

  /**
   * Pushes a constant in both lanes: inline, or in the wide layout from an immutable global (simdMath.ts), 3
   * bytes of code instead of 18 — a big program's constants are a good part of its code.
   */
  private splat(value: number): FunctionBuilder {
    if (this.layout !== 'wide') return this.f.f64x2(value);
    return this.f.globalGet(this.math.constant(new Uint8Array(Float64Array.of(value, value).buffer)));
  }

  private signBit(): FunctionBuilder {
    if (this.layout !== 'wide') return this.f.i64x2(SIGN_BIT);
    return this.f.globalGet(this.math.constant(new Uint8Array(BigInt64Array.of(SIGN_BIT, SIGN_BIT).buffer)));
  }

  /** Pushes a node as a numeric value: a truth mask becomes 1.0 or 0.0, as in the IR's semantics. */
  private num(pair: PairValues, id: NodeId): void {
    this.ref(pair, id)();
    if (this.isMask(id)) this.splat(1).simd('v128.and');
  }

  /** Pushes a node as a lane mask: a number is true when it is not 0 (NaN is true, as in `c !== 0`). */
  private mask(pair: PairValues, id: NodeId): void {
    this.ref(pair, id)();
    if (!this.isMask(id)) this.splat(0).simd('f64x2.ne');
  }

  private isMask(id: NodeId): boolean {
    return isTruthValued(this.g.node(id));
  }

  /**
   * The step's nodes, the W pairs interleaved node by node, with locals reused after their last use; values the
   * plan keeps in memory are stored there once computed.
   */
  computeStep(pairs: readonly PairValues[], exponents: Exponents): void {
    this.computeNodes(pairs, exponents, new Set(this.patterns.emitted), true);
  }

  /**
   * The step's nodes in `nodes` (in emission order), for each pair. With `release`, a value computed here gives its
   * local back after its last use; without, every value computed here keeps its local (the blocked layout's
   * values shared by a block's pairs).
   */
  computeNodes(pairs: readonly PairValues[], exponents: Exponents, nodes: ReadonlySet<NodeId>, release: boolean): void {
    this.exponents = exponents;
    const { emitted, operands, partners } = this.patterns;
    const { lastUse, memory } = this.plan;
    emitted.forEach((id, i) => {
      if (!nodes.has(id)) return;
      for (const pair of pairs) {
        if (pair.at.has(id) || pair.mem.has(id)) continue;
        this.compute(pair, id, this.pool.take());
        const partner = partners.get(id);
        for (const computed of partner ? [partner[1], partner[2]] : [id]) {
          const offset = memory.get(computed);
          if (offset !== undefined) this.store(pair, computed, pair.scratch + offset);
        }
      }
      if (!release) return;
      for (const o of new Set(operands(id))) {
        if (lastUse.get(o) !== i || !nodes.has(o)) continue;
        for (const pair of pairs) this.release(pair, o);
      }
    });
    this.exponents = 'general';
  }

  /** Moves a computed value from its local to memory. */
  private store(pair: PairValues, id: NodeId, address: number): void {
    const local = pair.at.get(id)!;
    this.f.i32(0).get(local).v128Store(address);
    this.release(pair, id);
    pair.mem.set(id, address);
  }

  release(pair: PairValues, id: NodeId): void {
    const local = pair.at.get(id);
    if (local !== undefined) this.pool.give(local);
    pair.at.delete(id);
    pair.mem.delete(id);
  }

  /** Frees the places of values that lived to the end of the step (the outputs). */
  releaseStep(pairs: readonly PairValues[]): void {
    for (const id of this.perStep) for (const pair of pairs) this.release(pair, id);
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
        this.unary[n.op](pair, n.a);
        break;
      }
      case 'binary': {
        const product = this.patterns.products.get(id);
        const difference = this.patterns.differences.get(id);
        if (product) this.powerProduct(pair, product.x, product.exponent);
        else if (difference) this.binary.sub(pair, ...difference);
        else this.binary[n.op](pair, n.a, n.b);
        break;
      }
    }
    f.set(local);
    pair.at.set(id, local);
  }

  /** Each unary operation's code: it pushes op(a) (keyed by the op union: a new operation needs an entry). */
  private readonly unary: { readonly [P in UnaryOp]: (pair: PairValues, a: NodeId) => void } = {
    neg: (pair, a) => this.instruction(pair, 'f64x2.neg', a),
    abs: (pair, a) => this.instruction(pair, 'f64x2.abs', a),
    sqrt: (pair, a) => this.instruction(pair, 'f64x2.sqrt', a),
    not: (pair, a) => {
      this.mask(pair, a);
      this.f.simd('v128.not');
    },
    sign: (pair, a) => this.sign(pair, a),
    cbrt: (pair, a) => this.vector(pair, 'cbrt', a),
    exp: (pair, a) => this.vector(pair, 'exp', a),
    expm1: (pair, a) => this.vector(pair, 'expm1', a),
    log: (pair, a) => this.vector(pair, 'log', a),
    log1p: (pair, a) => this.vector(pair, 'log1p', a),
    log2: (pair, a) => this.vector(pair, 'log2', a),
    log10: (pair, a) => this.vector(pair, 'log10', a),
    sin: (pair, a) => this.vector(pair, 'sin', a),
    cos: (pair, a) => this.vector(pair, 'cos', a),
    tan: (pair, a) => this.vector(pair, 'tan', a),
    asin: (pair, a) => this.vector(pair, 'asin', a),
    acos: (pair, a) => this.vector(pair, 'acos', a),
    atan: (pair, a) => this.vector(pair, 'atan', a),
    sinh: (pair, a) => this.vector(pair, 'sinh', a),
    cosh: (pair, a) => this.vector(pair, 'cosh', a),
    tanh: (pair, a) => this.vector(pair, 'tanh', a),
  };

  /** Each binary operation's code: it pushes op(a, b). */
  private readonly binary: { readonly [P in BinaryOp]: (pair: PairValues, a: NodeId, b: NodeId) => void } = {
    add: (pair, a, b) => this.instruction(pair, 'f64x2.add', a, b),
    sub: (pair, a, b) => this.instruction(pair, 'f64x2.sub', a, b),
    mul: (pair, a, b) => this.instruction(pair, 'f64x2.mul', a, b),
    div: (pair, a, b) => this.instruction(pair, 'f64x2.div', a, b),
    min: (pair, a, b) => this.instruction(pair, 'f64x2.min', a, b),
    max: (pair, a, b) => this.instruction(pair, 'f64x2.max', a, b),
    lt: (pair, a, b) => this.instruction(pair, 'f64x2.lt', a, b),
    le: (pair, a, b) => this.instruction(pair, 'f64x2.le', a, b),
    gt: (pair, a, b) => this.instruction(pair, 'f64x2.gt', a, b),
    ge: (pair, a, b) => this.instruction(pair, 'f64x2.ge', a, b),
    eq: (pair, a, b) => this.instruction(pair, 'f64x2.eq', a, b),
    and: (pair, a, b) => this.logic(pair, 'v128.and', a, b),
    or: (pair, a, b) => this.logic(pair, 'v128.or', a, b),
    pow: (pair, a, b) => this.pow(pair, a, b),
    atan2: (pair, a, b) => this.vector(pair, 'atan2', a, b),
    hypot: (pair, a, b) => this.vector(pair, 'hypot', a, b),
  };

  /** One SIMD instruction on numeric operands. */
  private instruction(pair: PairValues, op: SimdOp, ...operands: NodeId[]): void {
    for (const o of operands) this.num(pair, o);
    this.f.simd(op);
  }

  /** and/or: on lane masks, so that any nonzero number is true. */
  private logic(pair: PairValues, op: 'v128.and' | 'v128.or', a: NodeId, b: NodeId): void {
    this.mask(pair, a);
    this.mask(pair, b);
    this.f.simd(op);
  }

  /** A call to the vectorized math function (simdMath.ts). */
  private vector(pair: PairValues, name: UnaryMathFn, a: NodeId): void;
  private vector(pair: PairValues, name: BinaryMathFn, a: NodeId, b: NodeId): void;
  private vector(pair: PairValues, name: UnaryMathFn | BinaryMathFn, ...operands: NodeId[]): void {
    for (const o of operands) this.num(pair, o);
    this.f.call(this.math.fn(name));
  }

  /** Math.sign: ±1 with the sign of x where x ≠ 0; x itself for ±0 and NaN. */
  private sign(pair: PairValues, a: NodeId): void {
    const { f } = this;
    const x = this.pool.take();
    this.num(pair, a);
    f.set(x);
    f.get(x);
    this.signBit().simd('v128.and');
    this.splat(1).simd('v128.or');
    f.get(x);
    f.get(x);
    this.splat(0).simd('f64x2.lt').get(x);
    this.splat(0).simd('f64x2.gt').simd('v128.or');
    f.simd('v128.bitselect');
    this.pool.give(x);
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
        this.signBit().simd('v128.and').simd('v128.or');
      },
      () => this.num(pair, x),
      () => {
        this.sign(pair, x);
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
    if (this.layout === 'wide') {
      other();
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
}
