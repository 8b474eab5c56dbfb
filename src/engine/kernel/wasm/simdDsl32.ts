// The f32x4 expression layer: the same lazy `E` style as simdDsl.ts's Vec, for four binary32 lanes (integer
// helpers view the v128 as i32x4 bit patterns). `halves` and `join` move between one f32x4 and two f64x2 —
// the float math computes in binary64 on each half and rounds once (simdMath32.ts).
import { V128Dsl, type E } from './simdDsl';

/** Bytes 8–15 (lanes 2 and 3) moved down, for promoting the high half. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Lanes 0–1 of the first operand, then lanes 0–1 of the second. */
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const SIGN_BIT = -0x80000000;

export class Vec4 extends V128Dsl {
  /** A binary32 constant in all four lanes (x rounded to float). */
  c(x: number): E {
    return this.bytes(new Uint8Array(Float32Array.of(x, x, x, x).buffer));
  }
  /** A 32-bit pattern in all four lanes. */
  bits(x: number): E {
    return this.bytes(new Uint8Array(Int32Array.of(x, x, x, x).buffer));
  }

  add = this.bin('f32x4.add');
  sub = this.bin('f32x4.sub');
  mul = this.bin('f32x4.mul');
  div = this.bin('f32x4.div');
  /** Math.min / Math.max per lane: NaN if either is NaN, and −0 below +0 (wasm's f32x4.min/max). */
  min = this.bin('f32x4.min');
  max = this.bin('f32x4.max');
  eq = this.bin('f32x4.eq');
  ne = this.bin('f32x4.ne');
  lt = this.bin('f32x4.lt');
  le = this.bin('f32x4.le');
  gt = this.bin('f32x4.gt');
  ge = this.bin('f32x4.ge');
  ilt = this.bin('i32x4.lt_s');
  abs = this.un('f32x4.abs');
  neg = this.un('f32x4.neg');
  sqrt = this.un('f32x4.sqrt');
  trunc = this.un('f32x4.trunc');

  /** Lanes whose sign bit is set (−0 and negative NaNs included), as a mask. */
  signBit(x: E): E {
    return this.ilt(x, this.bits(0));
  }
  /** Copies the sign of `s` onto the non-negative `m`. */
  withSign(m: E, s: E): E {
    return this.or(m, this.and(s, this.bits(SIGN_BIT)));
  }
  /** Flips the sign of `x` where `mask` is set. */
  negateWhere(mask: E, x: E): E {
    return this.xor(x, this.and(mask, this.bits(SIGN_BIT)));
  }

  /** Lanes 0–1 and lanes 2–3 of `x` as two f64x2 (exact); `x` is emitted three times, so a local (arg or let). */
  halves(x: E): [E, E] {
    const promote =
      (e: E): E =>
      () => {
        e();
        this.f.simd('f64x2.promote_low_f32x4');
      };
    const high = (): void => {
      x();
      x();
      this.f.i8x16Shuffle(HIGH_HALF);
    };
    return [promote(x), promote(high)];
  }
  /** Two f64x2 halves rounded once each to binary32 (ties to even, overflow to ±∞, subnormals kept), as one f32x4. */
  join(low: E, high: E): E {
    return () => {
      low();
      this.f.simd('f32x4.demote_f64x2_zero');
      high();
      this.f.simd('f32x4.demote_f64x2_zero');
      this.f.i8x16Shuffle(LOW_HALVES);
    };
  }
}
