// A tiny expression layer over FunctionBuilder for writing f64x2 math readably (f32x4: simdDsl32.ts).
// An `E` emits code that leaves one v128 on the stack; it is emitted where it is used, so anything used
// twice goes through `let` (a fresh local). Integer helpers view the same v128 as i64x2 (bit patterns).
import { FunctionBuilder, SimdOp, V128 } from './encoder';

export type E = () => void;

/** 1.5·2^52: adding it to |v| < 2^51 leaves round(v) in the low mantissa bits (the classic shifter trick). */
const SHIFTER = 6755399441055744;

/** Index of an immutable v128 global holding these 16 bytes (SimdMath's constant pool). */
export type ConstPool = (bytes: Uint8Array) => number;

/**
 * What every lane shape shares: arguments and locals, pooled constants, bitwise ops, per-lane selection and calls.
 * `Vec` adds the f64x2 (and i64x2) operations; simdDsl32.ts's `Vec4` the f32x4 (and i32x4) ones.
 */
export class V128Dsl {
  /** With a `pool`, constants are read from immutable globals (one load) instead of built inline (three instructions). */
  constructor(
    readonly f: FunctionBuilder,
    private readonly pool?: ConstPool,
  ) {}

  arg(i: number): E {
    return () => this.f.get(i);
  }
  let(e: E): E {
    const l = this.f.local(V128);
    e();
    this.f.set(l);
    return () => this.f.get(l);
  }
  /** Like `let`, but returns the local itself, for code that updates it (`f.set`) later. */
  local(e: E): number {
    const l = this.f.local(V128);
    e();
    this.f.set(l);
    return l;
  }
  get(local: number): E {
    return () => this.f.get(local);
  }
  /** The 16 bytes as a constant: from the pool, or a v128.const. */
  protected bytes(bytes: Uint8Array): E {
    if (!this.pool) return () => this.f.v128(bytes);
    const global = this.pool(bytes);
    return () => this.f.globalGet(global);
  }

  and = this.bin('v128.and');
  or = this.bin('v128.or');
  xor = this.bin('v128.xor');
  andnot = this.bin('v128.andnot');
  not = this.un('v128.not');

  /** Lane-wise `mask ? a : b` (v128.bitselect). */
  sel(mask: E, a: E, b: E): E {
    return () => {
      a();
      b();
      mask();
      this.f.simd('v128.bitselect');
    };
  }
  call(index: number, ...args: E[]): E {
    return () => {
      args.forEach((a) => a());
      this.f.call(index);
    };
  }

  protected bin(op: SimdOp) {
    return (a: E, b: E): E =>
      () => {
        a();
        b();
        this.f.simd(op);
      };
  }
  protected un(op: SimdOp) {
    return (a: E): E =>
      () => {
        a();
        this.f.simd(op);
      };
  }
}

export class Vec extends V128Dsl {
  c(x: number): E {
    return this.bytes(new Uint8Array(Float64Array.of(x, x).buffer));
  }
  bits(x: bigint): E {
    return this.bytes(new Uint8Array(BigInt64Array.of(BigInt.asIntN(64, x), BigInt.asIntN(64, x)).buffer));
  }

  add = this.bin('f64x2.add');
  sub = this.bin('f64x2.sub');
  mul = this.bin('f64x2.mul');
  div = this.bin('f64x2.div');
  min = this.bin('f64x2.min');
  max = this.bin('f64x2.max');
  /** `b < a ? b : a` (one instruction, unlike min); NaN in `a` is kept. */
  pmin = this.bin('f64x2.pmin');
  eq = this.bin('f64x2.eq');
  ne = this.bin('f64x2.ne');
  lt = this.bin('f64x2.lt');
  le = this.bin('f64x2.le');
  gt = this.bin('f64x2.gt');
  ge = this.bin('f64x2.ge');
  iadd = this.bin('i64x2.add');
  isub = this.bin('i64x2.sub');
  imul = this.bin('i64x2.mul');
  ieq = this.bin('i64x2.eq');
  igt = this.bin('i64x2.gt_s');
  ilt = this.bin('i64x2.lt_s');
  ige = this.bin('i64x2.ge_s');
  neg = this.un('f64x2.neg');
  abs = this.un('f64x2.abs');
  sqrt = this.un('f64x2.sqrt');
  floor = this.un('f64x2.floor');
  trunc = this.un('f64x2.trunc');
  nearest = this.un('f64x2.nearest');

  shl(a: E, n: number): E {
    return () => {
      a();
      this.f.i32(n).simd('i64x2.shl');
    };
  }
  shrS(a: E, n: number): E {
    return () => {
      a();
      this.f.i32(n).simd('i64x2.shr_s');
    };
  }
  shrU(a: E, n: number): E {
    return () => {
      a();
      this.f.i32(n).simd('i64x2.shr_u');
    };
  }

  /** Horner: c[0] + x·(c[1] + x·(…)). */
  poly(x: E, c: readonly number[]): E {
    let acc = this.c(c[c.length - 1]);
    for (let i = c.length - 2; i >= 0; i--) acc = this.add(this.c(c[i]), this.mul(x, acc));
    return acc;
  }

  /** Integral f64 lanes (|v| < 2^51) to i64 lanes, via the shifter's bit pattern. */
  toInt(v: E): E {
    return this.isub(this.add(v, this.c(SHIFTER)), this.c(SHIFTER));
  }
  /** i64 lanes (|k| < 2^51) to f64. */
  toF64(k: E): E {
    return this.sub(this.iadd(k, this.c(SHIFTER)), this.c(SHIFTER));
  }
  /** 2^k for integer lanes k in [-1022, 1023]. */
  pow2(k: E): E {
    return this.shl(this.iadd(k, this.bits(1023n)), 52);
  }
  /** y·2^k for k in [-2044, 2046], in two exact steps so that only the final product rounds (subnormal results). */
  scale(y: E, k: E): E {
    const k1 = this.let(this.shrS(k, 1));
    return this.mul(this.mul(y, this.pow2(k1)), this.pow2(this.isub(k, k1)));
  }
  /** Clears the low 32 bits (fdlibm's SET_LOW_WORD(x, 0)): the high part of an exact split. */
  hi32(x: E): E {
    return this.and(x, this.bits(-0x100000000n));
  }
  /** The signed high word of each lane, as an i64 (fdlibm's GET_HIGH_WORD). */
  hiWord(x: E): E {
    return this.shrS(x, 32);
  }
  /** Copies the sign of `s` onto the non-negative `m`. */
  withSign(m: E, s: E): E {
    return this.or(m, this.and(s, this.bits(-0x8000000000000000n)));
  }
}
