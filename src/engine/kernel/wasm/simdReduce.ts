// Exact argument reduction x mod π/2 for huge |x| (≥ 2^20·π/2), Payne–Hanek style in scalar wasm, in the
// manner of fdlibm's k_rem_pio2.c: 2/π is stored as 24-bit digits (f64s in a constant table), x is split
// into three 24-bit digits, and only the digit products that matter modulo 8 are formed — every product and
// partial sum is an integer below 2^53, so all of it is exact in f64. The fraction is then complemented if
// ≥ 1/2 (so no cancellation remains), summed in double-double and multiplied by π/2 (Dekker products).
import { F64, FunctionBuilder, I32 } from './encoder';
import type { SimdMath } from './simdMath';

type S = () => void;

/** Digits of 2/π, 24 bits each, from BigInt arithmetic: π by Machin's formula to ~1300 bits. */
function twoOverPiDigits(count: number): number[] {
  const bits = BigInt(24 * count + 64);
  const one = 1n << bits;
  const atanInv = (q: bigint): bigint => {
    // atan(1/q)·2^bits by its alternating series
    let sum = 0n;
    let power = one / q;
    for (let k = 1n; power !== 0n; k += 2n, power /= q * q) sum += (k % 4n === 1n ? power : -power) / k;
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const scaled = ((2n * one) << BigInt(24 * count)) / pi; // ⌊2/π · 2^(24·count)⌋
  const digits: number[] = [];
  for (let j = count - 1, rest = scaled; j >= 0; j--, rest >>= 24n) digits[j] = Number(rest & 0xffffffn);
  return digits;
}

const DIGITS = 49; // enough for x up to 2^1024 with K fraction digits
const K = 7; // fraction digits kept: 24·7 bits beyond the binary point, ≥ 53 + 61 (worst cancellation) + guard
const PAD = 3; // zero digits before 2/π so that digit indices down to −3 read as 0

/** Scalar f64 expressions over a FunctionBuilder (the same lazy style as Vec). */
class Sc {
  constructor(readonly f: FunctionBuilder) {}
  let(e: S): S {
    const l = this.f.local(F64);
    e();
    this.f.set(l);
    return () => this.f.get(l);
  }
  c(x: number): S {
    return () => this.f.f64(x);
  }
  add = this.bin('f64.add');
  sub = this.bin('f64.sub');
  mul = this.bin('f64.mul');
  floor(a: S): S {
    return () => {
      a();
      this.f.op('f64.floor');
    };
  }
  /** 2^p for an integral f64 p in [−1022, 1023]. */
  pow2(p: S): S {
    return () => {
      p();
      this.f.op('i64.trunc_f64_s').i64(1023).op('i64.add').i64(52).op('i64.shl').op('f64.reinterpret_i64');
    };
  }
  private bin(op: 'f64.add' | 'f64.sub' | 'f64.mul') {
    return (a: S, b: S): S =>
      () => {
        a();
        b();
        this.f.op(op);
      };
  }
}

/** Index of the scalar function (f64 x) -> (y0, y1, n): x = n·π/2 + y0 + y1 with n mod 8 (as f64). */
export function remPio2Huge(m: SimdMath): number {
  return m.helper('remPio2Huge', () => {
    const f = m.module.func([F64], [F64, F64, F64]);
    const s = new Sc(f);
    const table = m.module.staticData(new Uint8Array(Float64Array.from([0, 0, 0, ...twoOverPiDigits(DIGITS)]).buffer));
    const x = () => f.get(0);
    const ax = s.let(() => {
      x();
      f.op('f64.abs');
    });
    const e = s.let(() => {
      ax();
      f.op('i64.reinterpret_f64').i64(52).op('i64.shr_u').i64(1023).op('i64.sub').op('f64.convert_i64_s');
    });
    const e0 = s.let(s.sub(e, s.c(23))); // x = x0·2^e0 + x1·2^(e0−24) + x2·2^(e0−48), digits < 2^24
    const xs = s.let(s.mul(ax, s.pow2(s.sub(s.c(0), e0))));
    const x0 = s.let(s.floor(xs));
    const r1 = s.let(s.mul(s.sub(xs, x0), s.c(2 ** 24)));
    const x1 = s.let(s.floor(r1));
    const x2 = s.let(s.mul(s.sub(r1, x1), s.c(2 ** 24)));
    // first digit k0 whose products have weight 2^p0 ≤ 1; earlier ones (bar k0−1, kept mod 8) are ≡ 0 mod 8
    const k0 = s.let(() => {
      s.sub(s.floor(s.mul(s.add(e0, s.c(23)), s.c(1 / 24))), s.c(1))();
      f.f64(0).op('f64.max');
    });
    const p0 = s.let(s.sub(e0, s.mul(s.c(24), s.add(k0, s.c(1)))));
    const addr = f.local(I32);
    s.add(s.c(table), s.mul(s.c(8), k0))();
    f.op('i32.trunc_f64_s').set(addr);
    const g =
      (j: number): S =>
      () =>
        f.get(addr).mem('f64.load', 8 * (j + PAD)); // digit k0 + j
    const t: S[] = [];
    for (let mm = -1; mm <= K; mm++)
      t[mm + 1] = s.let(s.add(s.add(s.mul(x0, g(mm)), s.mul(x1, g(mm - 1))), s.mul(x2, g(mm - 2))));
    const term = (mm: number) => t[mm + 1];
    for (let mm = K; mm >= 1; mm--) {
      // carries make digits 1..K lie in [0, 2^24)
      const carry = s.let(s.floor(s.mul(term(mm), s.c(2 ** -24))));
      t[mm + 1] = s.let(s.sub(term(mm), s.mul(carry, s.c(2 ** 24))));
      t[mm] = s.let(s.add(term(mm - 1), carry));
    }
    const mod8 = (a: S): S => s.sub(a, s.mul(s.c(8), s.floor(s.mul(a, s.c(1 / 8)))));
    const w0 = s.let(s.pow2(p0));
    const top = s.let(s.mul(term(0), w0));
    const ip = s.let(s.floor(top));
    const frac0 = s.let(s.sub(top, ip));
    const before = s.let(mod8(s.mul(term(-1), s.mul(w0, s.c(2 ** 24)))));
    const weight = (mm: number) => s.mul(w0, s.c(2 ** (-24 * mm)));
    const approx = s.add(frac0, s.mul(term(1), weight(1)));
    const up = s.let(() => {
      approx();
      f.f64(0.5).op('f64.ge').op('f64.convert_i32_s');
    }); // 1 if F ≥ 1/2
    // digits of F, or of 1 − F (complement each digit, plus one unit in the last place) when F ≥ 1/2
    const pick = (plain: S, comp: S): S => s.add(plain, s.mul(up, s.sub(comp, plain)));
    const parts: S[] = [pick(frac0, s.sub(s.sub(s.c(1), w0), frac0))];
    for (let mm = 1; mm <= K; mm++) parts.push(s.mul(pick(term(mm), s.sub(s.c(2 ** 24 - 1), term(mm))), weight(mm)));
    parts.push(s.mul(up, weight(K)));
    let hi = s.let(s.c(0));
    let lo = s.let(s.c(0));
    for (let i = parts.length - 1; i >= 0; i--) {
      // TwoSum accumulation, smallest digit first
      const b = s.let(parts[i]);
      const sum = s.let(s.add(hi, b));
      const bb = s.let(s.sub(sum, hi));
      lo = s.let(s.add(lo, s.add(s.sub(hi, s.sub(sum, bb)), s.sub(b, bb))));
      hi = sum;
    }
    // (hi + lo)·π/2 with Dekker's exact product for hi·PIO2_HI (no FMA in wasm)
    const PH = 1.5707963267948966;
    const PL = 6.123233995736766e-17;
    const split = (a: S) => {
      const c = s.let(s.mul(a, s.c(134217729)));
      const h = s.let(s.sub(c, s.sub(c, a)));
      return [h, s.let(s.sub(a, h))];
    };
    const [ah, al] = split(hi);
    const [bh, bl] = split(s.c(PH));
    const p = s.let(s.mul(hi, s.c(PH)));
    const err = s.add(s.add(s.add(s.sub(s.mul(ah, bh), p), s.mul(ah, bl)), s.mul(al, bh)), s.mul(al, bl));
    const q = s.let(s.add(s.add(err, s.mul(hi, s.c(PL))), s.mul(lo, s.c(PH))));
    const y0 = s.let(s.add(p, q));
    const y1 = s.let(s.add(s.sub(p, y0), q));
    const n = s.let(mod8(s.add(s.add(ip, before), up)));
    // sign: the fraction was complemented (y negative) when up = 1; x < 0 negates everything
    const sign = s.let(() => {
      f.f64(1);
      x();
      f.op('f64.copysign');
      s.sub(s.c(1), s.mul(s.c(2), up))();
      f.op('f64.mul');
    });
    s.mul(sign, y0)();
    s.mul(sign, y1)();
    f.f64(1);
    x();
    f.op('f64.copysign');
    n();
    f.op('f64.mul');
    return f.index;
  });
}
