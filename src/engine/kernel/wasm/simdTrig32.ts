// sin, cos, tan, asin, acos, atan, atan2 for binary32 lanes, as binary64 kernels on f64x2 halves (rounded once
// to float by simdMath32.ts). Polynomials: fdlibm k_sin.c / k_cos.c (S1–S6, C1–C6) and e_asin.c (pS/qS); Cephes
// tan.c (x + x³P(x²)/Q(x²), one division that also gives the cotangent) and atan.c (reduction at tan 3π/8 and
// 0.66, x + x³P(x²)/Q(x²)): binary64 accuracy, so the rounded result is Math.fround(Math.f(x)) but within a few
// binary64 ulp of a float rounding boundary.
// Argument reduction is exact to binary64 rounding for every float: Cody–Waite with fdlibm's 33-bit parts of π/2
// (e_rem_pio2.c) below 2^20·π/2, and beyond, per lane and only when a lane needs it, the exact Payne–Hanek
// reduction of the binary64 library (simdReduce.ts) on the promoted float.
import { F64 } from './encoder';
import type { E, Vec } from './simdDsl';
import type { SimdMath } from './simdMath';
import { remPio2Huge } from './simdReduce';

const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417; // 33 bits: n·PIO2_1 is exact for n < 2^20
const PIO2_2 = 6.0771005063039659766e-11; // the next 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // π/2 − PIO2_1 − PIO2_2
const MEDIUM_LIMIT = 2 ** 20 * (Math.PI / 2);
const SIN = [
  -1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6,
  -2.50507602534068634195e-8, 1.58969099521155010221e-10,
];
const COS = [
  4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7,
  2.0875723212981748279e-9, -1.13596475577881948265e-11,
];
/** Cephes tan.c, lowest degree first (Q is monic). */
const TAN_P = [-1.79565251976484877988e7, 1.1535166483858741614e6, -1.30936939181383777646e4];
const TAN_Q = [
  -5.38695755929454629881e7, 2.50083801823357915839e7, -1.32089234440210967447e6, 1.36812963470692954678e4, 1,
];
const PS = [
  1.66666666666666657415e-1, -3.25565818622400915405e-1, 2.01212532134862925881e-1, -4.00555345006794114027e-2,
  7.91534994289814532176e-4, 3.4793310759602116757e-5,
];
const QS = [1, -2.40339491173441421878, 2.02094576023350569471, -6.8828397160545329303e-1, 7.70381505559019352791e-2];
/** Cephes atan.c, lowest degree first (Q is monic). */
const ATAN_P = [
  -6.485021904942025371773e1, -1.22886668449013617341e2, -7.50085579231470466734e1, -1.615753718733365076637e1,
  -8.750608600031904122785e-1,
];
const ATAN_Q = [
  1.945506571482613964425e2, 4.853903996359136964868e2, 4.328810604912902668951e2, 1.650270098316988542046e2,
  2.485846490142306297962e1, 1,
];
const T3P8 = 2.4142135623730950488; // tan(3π/8)
const PIO2 = Math.PI / 2;

/**
 * x = n·π/2 + y, |y| ≤ π/4 (n as i64 lanes). n·PIO2_1 and n·PIO2_2 are exact and so is x − n·PIO2_1 (Sterbenz);
 * the later roundings are 2^−53 of values within 2^−48 of y, and no float below the limit comes within 2^−27.8
 * of a multiple of π/2 (the nearest is 252.898…, found by trying them all), so y is within about 2^−52 of itself.
 */
function reduce(v: Vec, x: E, math: SimdMath): { n: E; y: E } {
  const f = v.f;
  const nf = v.let(v.nearest(v.mul(x, v.c(INV_PIO2))));
  const y = v.local(v.sub(v.sub(v.sub(x, v.mul(nf, v.c(PIO2_1))), v.mul(nf, v.c(PIO2_2))), v.mul(nf, v.c(PIO2_2T))));
  const n = v.local(v.toInt(nf));
  const huge = v.let(v.and(v.ge(v.abs(x), v.c(MEDIUM_LIMIT)), v.lt(v.abs(x), v.c(Infinity))));
  const exact = remPio2Huge(math); // (x) -> (y0, y1, n mod 8); y0 alone is y rounded to binary64
  const [yLane, nLane] = [f.local(F64), f.local(F64)];
  huge();
  f.simd('v128.any_true').if();
  for (const lane of [0, 1] as const) {
    huge();
    f.i64x2ExtractLane(lane).op('i64.eqz').op('i32.eqz').if();
    x();
    f.f64x2ExtractLane(lane).call(exact).set(nLane).op('drop').set(yLane);
    f.get(y).get(yLane).f64x2ReplaceLane(lane).set(y);
    f.get(n).get(nLane).op('i64.trunc_f64_s').i64x2ReplaceLane(lane).set(n);
    f.end();
  }
  f.end();
  return { n: v.get(n), y: v.get(y) };
}

/** One reduction, then k_sin and k_cos of y (binary64 forms without fdlibm's tail y1, which a float does not need). */
function sinCosParts(v: Vec, x: E, math: SimdMath) {
  const { n, y } = reduce(v, x, math);
  const q = v.let(v.and(n, v.bits(3n)));
  const z = v.let(v.mul(y, y));
  return {
    q,
    odd: v.let(v.ieq(v.and(q, v.bits(1n)), v.bits(1n))),
    ks: v.let(v.add(y, v.mul(v.mul(y, z), v.poly(z, SIN)))),
    kc: v.let(v.add(v.sub(v.c(1), v.mul(v.c(0.5), z)), v.mul(v.mul(z, z), v.poly(z, COS)))),
  };
}
type SinCosParts = ReturnType<typeof sinCosParts>;

/** Quadrants 2 and 3 flip sin's sign, 1 and 2 cos's (the sign bit from bit 1 of q, or of q + 1). */
const sinOf = (v: Vec, { q, odd, ks, kc }: SinCosParts): E =>
  v.xor(v.sel(odd, kc, ks), v.shl(v.and(q, v.bits(2n)), 62));
const cosOf = (v: Vec, { q, odd, ks, kc }: SinCosParts): E =>
  v.xor(v.sel(odd, ks, kc), v.shl(v.and(v.iadd(q, v.bits(1n)), v.bits(2n)), 62));

/** sin x (±0 comes out +0: restored in float). */
export function sin(v: Vec, x: E, math: SimdMath): E {
  return sinOf(v, sinCosParts(v, x, math));
}
export function cos(v: Vec, x: E, math: SimdMath): E {
  return cosOf(v, sinCosParts(v, x, math));
}
/** (sin x, cos x) from one reduction, each bit-identical to its own function (the same operations). */
export function sincos(v: Vec, x: E, math: SimdMath): [E, E] {
  const p = sinCosParts(v, x, math);
  return [sinOf(v, p), cosOf(v, p)];
}

/** tan y = num/den (Cephes); in odd quadrants −cot y = −den/num, with the same single division. */
export function tan(v: Vec, x: E, math: SimdMath): E {
  const { n, y } = reduce(v, x, math);
  const z = v.let(v.mul(y, y));
  const den = v.let(v.poly(z, TAN_Q));
  const num = v.let(v.mul(y, v.add(den, v.mul(z, v.poly(z, TAN_P)))));
  const odd = v.let(v.ieq(v.and(n, v.bits(1n)), v.bits(1n)));
  return v.div(v.sel(odd, v.neg(den), num), v.sel(odd, num, den));
}

/**
 * e_asin.c's two ranges with one rational: below |x| = ½, w = asin x = x + x·R(x²); above, w = asin √t with
 * t = (1 − |x|)/2 (exact), and asin |x| = π/2 − 2w, acos x = 2w or π − 2w. Without fdlibm's split of √t (binary64
 * has the bits a float needs), both ranges are one evaluation of R on the argument chosen per lane.
 */
function asinParts(v: Vec, x: E) {
  const a = v.let(v.abs(x));
  const small = v.let(v.lt(a, v.c(0.5)));
  const t = v.let(v.mul(v.sub(v.c(1), a), v.c(0.5)));
  const arg = v.let(v.sel(small, v.mul(x, x), t));
  const base = v.let(v.sel(small, x, v.sqrt(t)));
  const r = v.div(v.mul(arg, v.poly(arg, PS)), v.poly(arg, QS));
  return { small, w: v.let(v.add(base, v.mul(base, r))) };
}

export function asin(v: Vec, x: E): E {
  const { small, w } = asinParts(v, x);
  return v.sel(small, w, v.withSign(v.sub(v.c(PIO2), v.add(w, w)), x));
}
export function acos(v: Vec, x: E): E {
  const { small, w } = asinParts(v, x);
  const w2 = v.let(v.add(w, w));
  return v.sel(small, v.sub(v.c(PIO2), w), v.sel(v.lt(x, v.c(0)), v.sub(v.c(Math.PI), w2), w2));
}

/** atan a for a ≥ 0 (Cephes atan.c): u = a, (a − 1)/(a + 1) or −1/a by range, chosen per lane before one division. */
function atanAbs(v: Vec, a: E): E {
  const big = v.let(v.gt(a, v.c(T3P8)));
  const mid = v.let(v.gt(a, v.c(0.66)));
  const num = v.sel(big, v.c(-1), v.sel(mid, v.sub(a, v.c(1)), a));
  const den = v.sel(big, a, v.sel(mid, v.add(a, v.c(1)), v.c(1)));
  const u = v.let(v.div(num, den));
  const z = v.let(v.mul(u, u));
  const base = v.sel(big, v.c(PIO2), v.sel(mid, v.c(Math.PI / 4), v.c(0)));
  return v.add(base, v.add(u, v.mul(v.mul(u, z), v.div(v.poly(z, ATAN_P), v.poly(z, ATAN_Q)))));
}

export function atan(v: Vec, x: E): E {
  return v.withSign(atanAbs(v, v.abs(x)), x);
}

/**
 * atan2 (e_atan2.c's quadrants): atan(|y|/|x|) — the ratio never overflows or underflows in binary64 for floats —
 * then π − that where x's sign bit is set, with y's sign. 0/0 and ∞/∞ are read as 0 and 1, which gives the IEEE
 * results for (±0, ±0) and (±∞, ±∞); NaN passes through.
 */
export function atan2(v: Vec, y: E, x: E): E {
  const ax = v.let(v.abs(x));
  const ay = v.let(v.abs(y));
  const ratio = v.sel(v.eq(ax, ay), v.and(v.ne(ax, v.c(0)), v.c(1)), v.div(ay, ax));
  const m = v.let(atanAbs(v, ratio));
  return v.withSign(v.sel(v.ilt(x, v.bits(0n)), v.sub(v.c(Math.PI), m), m), y);
}
