/**
 * The step's nodes as f32x4 code for `--precision f32`: four binary32 lanes per vector, one quad of lanes at a
 * time, with the IR's semantics followed by Math.fround — the JS backend's binary32 code (jsBackend.ts) bit for bit
 * on rational operations, and the float library's (simdMath32.ts) results for the transcendental ones. The f64
 * emitter's counterpart (nodeEmitter.ts), with its step patterns (stepPatterns.ts): one call for sin and cos of one
 * argument, a + (−b) as a − b, and the power transform sign(x)·pow(|x|, H) as √|x| with x's sign where every lane
 * has H = ½ (IEEE √ rounds once, as Math.fround(Math.pow(x, ½)) = Math.fround(Math.sqrt(x)) does for x ≥ 0).
 */
import { isTruthValued, type BinaryOp, type Graph, type NodeId, type UnaryOp } from '../../expr/ir';
import { I32, type FunctionBuilder, type SimdOp } from './encoder';
import type { LocalPool } from './nodeEmitter';
import type { SimdMath32, UnaryMathFn32, BinaryMathFn32 } from './simdMath32';
import type { StepPatterns } from './stepPatterns';
import type { StepPlan } from './wideLayout';

const SIGN_BIT = -0x80000000;

/** What the emitter reads and writes of a quad of lanes (the f32 kernel has the locals layout alone). */
export interface QuadValues {
  /** Local holding each input, invariant and computed node's value (v128). */
  readonly at: Map<NodeId, number>;
  /** Per loop-invariant exponent H of pow(|x|, H): an i32 local, 1 when H = ½ in all four lanes. */
  readonly powFlags: Map<NodeId, number>;
}

/** 'half' for a step loop that runs only groups whose every flagged H is ½ in every lane; 'general' for any H. */
export type Exponents32 = 'half' | 'general';

export class NodeEmitter32 {
  private exponents: Exponents32 = 'general';

  constructor(
    private readonly f: FunctionBuilder,
    private readonly g: Graph,
    private readonly math: SimdMath32,
    private readonly patterns: StepPatterns,
    private readonly pool: LocalPool,
    private readonly perStep: readonly NodeId[],
    private readonly plan: StepPlan,
  ) {}

  /** Pushes a node's value as a number (a truth mask as 1.0f or 0.0f). */
  value(quad: QuadValues, id: NodeId): () => void {
    return () => this.num(quad, id);
  }

  private ref(quad: QuadValues, id: NodeId): void {
    const n = this.g.node(id);
    if (n.kind === 'const') {
      this.f.f32x4(n.value); // rounded to float once, here
      return;
    }
    const local = quad.at.get(id);
    if (local === undefined) throw new Error(`codegen: node ${id} used before it was computed`);
    this.f.get(local);
  }

  private num(quad: QuadValues, id: NodeId): void {
    this.ref(quad, id);
    if (isTruthValued(this.g.node(id))) this.f.f32x4(1).simd('v128.and');
  }

  /** A number as a lane mask: true where it is not 0, NaN included (`c !== 0`). */
  private mask(quad: QuadValues, id: NodeId): void {
    this.ref(quad, id);
    if (!isTruthValued(this.g.node(id))) this.f.f32x4(0).simd('f32x4.ne');
  }

  /** The step's nodes, the quads interleaved node by node, each local given back after its value's last use. */
  computeStep(quads: readonly QuadValues[], exponents: Exponents32): void {
    this.exponents = exponents;
    const { emitted, operands } = this.patterns;
    const { lastUse } = this.plan;
    const computed = new Set(emitted);
    emitted.forEach((id, i) => {
      for (const quad of quads) if (!quad.at.has(id)) this.compute(quad, id, this.pool.take());
      for (const o of new Set(operands(id))) {
        if (lastUse.get(o) !== i || !computed.has(o)) continue;
        for (const quad of quads) this.release(quad, o);
      }
    });
    this.exponents = 'general';
  }

  private release(quad: QuadValues, id: NodeId): void {
    const local = quad.at.get(id);
    if (local !== undefined) this.pool.give(local);
    quad.at.delete(id);
  }

  /** Frees the locals of values that lived to the end of the step (the outputs). */
  releaseStep(quads: readonly QuadValues[]): void {
    for (const id of this.perStep) for (const quad of quads) this.release(quad, id);
  }

  /** Emits one node of one quad into `local`. */
  compute(quad: QuadValues, id: NodeId, local: number): void {
    const { f } = this;
    const n = this.g.node(id);
    switch (n.kind) {
      case 'const':
      case 'input':
        throw new Error(`codegen: ${n.kind} nodes are not computed`);
      case 'select':
        this.num(quad, n.a);
        this.num(quad, n.b);
        this.mask(quad, n.c);
        f.simd('v128.bitselect');
        break;
      case 'unary': {
        const partner = this.patterns.partners.get(id);
        if (partner !== undefined) {
          const [name, first] = partner;
          const other = first === id ? partner[2] : first;
          const otherLocal = this.pool.take();
          this.num(quad, n.a);
          f.call(this.math.pair(name));
          f.set(first === id ? otherLocal : local).set(first === id ? local : otherLocal);
          quad.at.set(id, local);
          quad.at.set(other, otherLocal);
          return;
        }
        this.unary[n.op](quad, n.a);
        break;
      }
      case 'binary': {
        const product = this.patterns.products.get(id);
        const difference = this.patterns.differences.get(id);
        if (product) this.powerProduct(quad, product.x, product.exponent);
        else if (difference) this.instruction(quad, 'f32x4.sub', ...difference);
        else this.binary[n.op](quad, n.a, n.b);
        break;
      }
    }
    f.set(local);
    quad.at.set(id, local);
  }

  private readonly unary: { readonly [P in UnaryOp]: (quad: QuadValues, a: NodeId) => void } = {
    neg: (quad, a) => this.instruction(quad, 'f32x4.neg', a),
    abs: (quad, a) => this.instruction(quad, 'f32x4.abs', a),
    sqrt: (quad, a) => this.instruction(quad, 'f32x4.sqrt', a),
    not: (quad, a) => {
      this.mask(quad, a);
      this.f.simd('v128.not');
    },
    sign: (quad, a) => this.sign(quad, a),
    cbrt: (quad, a) => this.vector(quad, 'cbrt', a),
    exp: (quad, a) => this.vector(quad, 'exp', a),
    expm1: (quad, a) => this.vector(quad, 'expm1', a),
    log: (quad, a) => this.vector(quad, 'log', a),
    log1p: (quad, a) => this.vector(quad, 'log1p', a),
    log2: (quad, a) => this.vector(quad, 'log2', a),
    log10: (quad, a) => this.vector(quad, 'log10', a),
    sin: (quad, a) => this.vector(quad, 'sin', a),
    cos: (quad, a) => this.vector(quad, 'cos', a),
    tan: (quad, a) => this.vector(quad, 'tan', a),
    asin: (quad, a) => this.vector(quad, 'asin', a),
    acos: (quad, a) => this.vector(quad, 'acos', a),
    atan: (quad, a) => this.vector(quad, 'atan', a),
    sinh: (quad, a) => this.vector(quad, 'sinh', a),
    cosh: (quad, a) => this.vector(quad, 'cosh', a),
    tanh: (quad, a) => this.vector(quad, 'tanh', a),
  };

  private readonly binary: { readonly [P in BinaryOp]: (quad: QuadValues, a: NodeId, b: NodeId) => void } = {
    add: (quad, a, b) => this.instruction(quad, 'f32x4.add', a, b),
    sub: (quad, a, b) => this.instruction(quad, 'f32x4.sub', a, b),
    mul: (quad, a, b) => this.instruction(quad, 'f32x4.mul', a, b),
    div: (quad, a, b) => this.instruction(quad, 'f32x4.div', a, b),
    min: (quad, a, b) => this.instruction(quad, 'f32x4.min', a, b),
    max: (quad, a, b) => this.instruction(quad, 'f32x4.max', a, b),
    lt: (quad, a, b) => this.instruction(quad, 'f32x4.lt', a, b),
    le: (quad, a, b) => this.instruction(quad, 'f32x4.le', a, b),
    gt: (quad, a, b) => this.instruction(quad, 'f32x4.gt', a, b),
    ge: (quad, a, b) => this.instruction(quad, 'f32x4.ge', a, b),
    eq: (quad, a, b) => this.instruction(quad, 'f32x4.eq', a, b),
    and: (quad, a, b) => this.logic(quad, 'v128.and', a, b),
    or: (quad, a, b) => this.logic(quad, 'v128.or', a, b),
    pow: (quad, a, b) => this.pow(quad, a, b),
    atan2: (quad, a, b) => this.vector(quad, 'atan2', a, b),
    hypot: (quad, a, b) => this.vector(quad, 'hypot', a, b),
  };

  private instruction(quad: QuadValues, op: SimdOp, ...operands: NodeId[]): void {
    for (const o of operands) this.num(quad, o);
    this.f.simd(op);
  }

  private logic(quad: QuadValues, op: 'v128.and' | 'v128.or', a: NodeId, b: NodeId): void {
    this.mask(quad, a);
    this.mask(quad, b);
    this.f.simd(op);
  }

  private vector(quad: QuadValues, name: UnaryMathFn32 | BinaryMathFn32, ...operands: NodeId[]): void {
    for (const o of operands) this.num(quad, o);
    this.f.call(this.math.fn(name));
  }

  /** Math.sign: ±1 with the sign of x where x ≠ 0; x itself for ±0 and NaN. */
  private sign(quad: QuadValues, a: NodeId): void {
    const { f } = this;
    const x = this.pool.take();
    this.num(quad, a);
    f.set(x);
    f.get(x).v128(signBits()).simd('v128.and').f32x4(1).simd('v128.or');
    f.get(x);
    f.get(x).f32x4(0).simd('f32x4.lt').get(x).f32x4(0).simd('f32x4.gt').simd('v128.or');
    f.simd('v128.bitselect');
    this.pool.give(x);
  }

  /** Sets a quad's flag, per flagged exponent, saying whether H = ½ in all four lanes. */
  computePowFlags(quad: QuadValues): void {
    const { f } = this;
    for (const exponent of this.patterns.flaggedExponents) {
      const half = f.local(I32);
      quad.powFlags.set(exponent, half);
      this.ref(quad, exponent);
      f.f32x4(0.5).simd('f32x4.eq').simd('i32x4.all_true').set(half);
    }
  }

  private pow(quad: QuadValues, a: NodeId, b: NodeId): void {
    const base = this.g.node(a);
    this.num(quad, a);
    if (this.exponents === 'half' && quad.powFlags.has(b) && base.kind === 'unary' && base.op === 'abs') {
      this.f.simd('f32x4.sqrt');
      return;
    }
    this.num(quad, b);
    this.f.call(this.math.fn('pow'));
  }

  private powerProduct(quad: QuadValues, x: NodeId, exponent: NodeId): void {
    const { f } = this;
    if (this.exponents === 'half') {
      this.num(quad, x);
      f.simd('f32x4.abs').simd('f32x4.sqrt');
      this.num(quad, x);
      f.v128(signBits()).simd('v128.and').simd('v128.or');
      return;
    }
    this.sign(quad, x);
    this.num(quad, x);
    f.simd('f32x4.abs');
    this.num(quad, exponent);
    f.call(this.math.fn('pow'));
    f.simd('f32x4.mul');
  }
}

const signBits = () => new Uint8Array(Int32Array.of(SIGN_BIT, SIGN_BIT, SIGN_BIT, SIGN_BIT).buffer);
