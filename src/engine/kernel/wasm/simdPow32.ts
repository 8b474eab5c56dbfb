// pow, cbrt and hypot for binary32 lanes: binary64 kernels on f64x2 halves (rounded once to float by
// simdMath32.ts), and the float-side cases that are cheaper on four lanes at once.
import type { E, Vec } from './simdDsl';
import type { Vec4 } from './simdDsl32';
import { expm1Kernel, log2 } from './simdExpLog32';

/** z = y·log2|x| is clamped to ±POW_LIMIT: 2^±200 is far past the float range and still a normal double. */
const POW_LIMIT = 200;

/**
 * |x|^y = 2^n·e^((z − n)·ln2), z = y·log2|x|, n = round(z) (the shape of ARM's optimized-routines powf, without
 * its tables): log2|x| from e_log.c's kernel is within a few binary64 ulp, so z is within |z|·2^−51, which for
 * every z that reaches the float range (|z| < 150) is below 2^−43 — the result is within 2^−43 relative before
 * its one rounding. x = ±0 and ±∞ enter as log2 = ∓∞/+∞, so 0, ∞ and y = ±∞ follow from the clamp; NaN in x, the
 * sign and the exact cases are settled in float (powFinish). Lanes whose result may be a float midpoint are
 * recomputed exactly (powDyadic).
 */
export function pow(v: Vec, x: E, y: E): E {
  const ax = v.let(v.abs(x));
  const l = v.sel(v.eq(ax, v.c(0)), v.c(-Infinity), v.sel(v.eq(ax, v.c(Infinity)), ax, log2(v, ax)));
  const z = v.let(v.max(v.min(v.mul(y, l), v.c(POW_LIMIT)), v.c(-POW_LIMIT)));
  const n = v.let(v.nearest(z));
  const m = expm1Kernel(v, v.let(v.mul(v.sub(z, n), v.c(Math.LN2))));
  const r = v.local(v.mul(v.add(v.c(1), m), v.pow2(v.toInt(n))));
  powDyadic(v, ax, y, r);
  return v.get(r);
}

/**
 * A result 2^−43 from the truth rounds as the truth does unless the truth is a float midpoint — an exact case
 * (257³ = 2^24 + 2^16·… has 25 bits), where Math.fround(Math.pow) rounds the exact value to even. A midpoint
 * |x|^y = b^p·2^k (b odd) needs y = p/q > 1 with q = 2^j, |x| = b^q·2^(qk) a float (b^q < 2^24) and
 * 2^24 < b^p < 2^25, so b ≥ 3, p ≤ 15 and j ≤ 3 (y is a binary float). For those y, and only in a branch taken
 * when some lane has one, |x|^(1/q) by j square roots and its p-th power by binary powering are exact whenever
 * the result is (every intermediate is a power of b below 2^25 times a power of two), and within a few binary64
 * ulp otherwise.
 */
function powDyadic(v: Vec, ax: E, y: E, r: number): void {
  const y8 = v.let(v.mul(y, v.c(8)));
  const dyadic = v.let(v.and(v.and(v.gt(y, v.c(1)), v.lt(y, v.c(16))), v.eq(v.trunc(y8), y8)));
  dyadic();
  v.f.simd('v128.any_true').if();
  let root = ax;
  let p = y;
  for (const scale of [1, 2, 4]) {
    const t = v.let(v.mul(y, v.c(scale)));
    const fractional = v.let(v.ne(v.trunc(t), t)); // y·scale not an integer: one more square root, p doubles
    root = v.let(v.sel(fractional, v.sqrt(root), root));
    p = v.let(v.sel(fractional, v.add(p, p), p));
  }
  const pInt = v.let(v.toInt(p));
  let power = root;
  let acc: E = v.c(1);
  for (const bit of [1n, 2n, 4n, 8n]) {
    const set = v.ieq(v.and(pInt, v.bits(bit)), v.bits(bit));
    acc = v.let(v.sel(set, v.mul(acc, power), acc));
    if (bit < 8n) power = v.let(v.mul(power, power));
  }
  v.sel(v.and(dyadic, v.lt(p, v.c(16))), acc, v.get(r))();
  v.f.set(r);
  v.f.end();
}

/**
 * Math.pow's cases on the rounded magnitude: the sign for negative x and odd integer y, NaN for finite negative x
 * and non-integer y, NaN for NaN x, and e_pow.c's exact cases — y = 1 → x, y = −1 → 1/x, y = 2 → x·x, y = ½ with
 * x's sign bit clear → √x — in float arithmetic, which rounds as Math.fround of the binary64 result does (binary64
 * carries more than 2·24 + 2 bits). So the kernel's H = ½ and H = 1 forms give pow's bits; y = 0 gives 1 last.
 */
export function powFinish(w: Vec4, x: E, y: E, magnitude: E): E {
  const yInt = w.let(w.eq(w.trunc(y), y));
  const half = w.let(w.mul(y, w.c(0.5)));
  const yOdd = w.and(w.and(yInt, w.lt(w.abs(y), w.c(2 ** 24))), w.ne(w.trunc(half), half)); // floats ≥ 2^24 are even
  const xSign = w.let(w.signBit(x));
  let r = w.negateWhere(w.and(xSign, yOdd), magnitude);
  r = w.sel(w.andnot(w.and(w.lt(x, w.c(0)), w.gt(x, w.c(-Infinity))), yInt), w.c(NaN), r);
  r = w.sel(w.ne(x, x), x, r);
  r = w.sel(w.andnot(w.eq(y, w.c(0.5)), xSign), w.sqrt(x), r);
  r = w.sel(w.eq(y, w.c(2)), w.mul(x, x), r);
  r = w.sel(w.eq(y, w.c(-1)), w.div(w.c(1), x), r);
  r = w.sel(w.eq(y, w.c(1)), x, r);
  return w.sel(w.eq(y, w.c(0)), w.c(1), r);
}

/**
 * ∛x as FreeBSD s_cbrtf.c computes it in double: a seed from the exponent bits (⌊hx/3⌋ + B1 on the high word, as
 * s_cbrt.c, ~5 bits), then two Halley steps t·(2x + t³)/(x + 2t³), ~16 then ~47 bits. ±0, ±∞ and NaN: cbrtFinish.
 */
export function cbrt(v: Vec, x: E): E {
  const ax = v.let(v.abs(x));
  const third = v.shrU(v.imul(v.hiWord(ax), v.bits(0xaaaaaaabn)), 33); // ⌊hx/3⌋ for hx < 2^32 (no SIMD division)
  let t = v.let(v.shl(v.iadd(third, v.bits(715094163n)), 32)); // (1023 − 1023/3 − 0.0331)·2^20
  for (let step = 0; step < 2; step++) {
    const t3 = v.let(v.mul(v.mul(t, t), t));
    t = v.let(v.div(v.mul(t, v.add(v.add(ax, ax), t3)), v.add(ax, v.add(t3, t3))));
  }
  return v.withSign(t, x);
}
export const cbrtFinish = (w: Vec4, x: E, r: E): E =>
  w.sel(w.or(w.eq(x, w.c(0)), w.not(w.lt(w.abs(x), w.c(Infinity)))), x, r);

/** √(x² + y²): the squares of floats are exact in binary64 and cannot overflow or underflow there. */
export const hypot = (v: Vec, x: E, y: E): E => v.sqrt(v.add(v.mul(x, x), v.mul(y, y)));
/** Math.hypot: ∞ when either is infinite, even with a NaN. */
export const hypotFinish = (w: Vec4, x: E, y: E, r: E): E =>
  w.sel(w.or(w.eq(w.abs(x), w.c(Infinity)), w.eq(w.abs(y), w.c(Infinity))), w.c(Infinity), r);
