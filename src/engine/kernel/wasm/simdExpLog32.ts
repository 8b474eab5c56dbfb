// exp, expm1, log, log1p, log2, log10 and the hyperbolics for binary32 lanes, as binary64 kernels on f64x2
// halves (simdMath32.ts promotes each half, calls the kernel and rounds the result once to float).
// A float argument is exact in binary64 and its subnormals are normal numbers there, and binary64 has room for
// every float result and far beyond, so the reductions need no extra-precision splits of fdlibm's binary64
// functions and no subnormal or overflow cases: results beyond the float range round to 0 or ±∞ with the one
// rounding. The kernels keep fdlibm's minimax coefficients (e_exp.c's Remez rational, e_log.c's Lg1–Lg7), so a
// kernel's error is a few binary64 ulp and the rounded result is Math.fround(Math.f(x)) but in the rare lanes
// within that distance of a float rounding boundary (then 1 float ulp away).
import type { E, Vec } from './simdDsl';
import type { Vec4 } from './simdDsl32';

const LN2_HI = 6.9314718036912381649e-1; // 32 significant bits: k·LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10;
const EXP_P = [
  1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6,
  4.13813679705723846039e-8,
];
/**
 * Arguments of the exponential kernels are clamped to ±EXP_LIMIT: past float overflow (88.73) and underflow to
 * zero (−103.98) with room to spare, and 2^k (|k| ≤ 217) still a normal double. The clamp keeps NaN.
 */
const EXP_LIMIT = 150;
const LG_ODD = [6.66666666666673513e-1, 2.857142874366239149e-1, 1.818357216161805012e-1, 1.479819860511658591e-1];
const LG_EVEN = [3.999999999940941908e-1, 2.222219843214978396e-1, 1.531383769920937332e-1];
const LOG10_2 = 3.010299956639812e-1;

/**
 * e^r − 1 for |r| ≤ ln2/2: fdlibm e_exp.c's kernel e^r = 1 + r + r·c/(2 − c), c = r − r²·P(r²), is the same
 * number as 1 + 2r/(2 − c), and 2r/(2 − c) is accurate relative to itself as r → 0, which expm1 needs.
 */
export function expm1Kernel(v: Vec, r: E): E {
  const t = v.let(v.mul(r, r));
  const c = v.let(v.sub(r, v.mul(t, v.poly(t, EXP_P))));
  return v.div(v.add(r, r), v.sub(v.c(2), c));
}

/**
 * e^x = 2^k·(1 + m), m = e^r − 1, for x = k·ln2 + r: x − k·LN2_HI is exact (Sterbenz), k·LN2_LO's rounding is
 * below 2^−60.
 */
function expParts(v: Vec, x: E) {
  const xc = v.let(v.max(v.min(x, v.c(EXP_LIMIT)), v.c(-EXP_LIMIT)));
  const k = v.let(v.nearest(v.mul(xc, v.c(Math.LOG2E))));
  const r = v.let(v.sub(v.sub(xc, v.mul(k, v.c(LN2_HI))), v.mul(k, v.c(LN2_LO))));
  return { m: v.let(expm1Kernel(v, r)), p2k: v.let(v.pow2(v.toInt(k))) };
}
type ExpParts = ReturnType<typeof expParts>;

const expOf = (v: Vec, { m, p2k }: ExpParts): E => v.mul(v.add(v.c(1), m), p2k);
/** 2^k·m + (2^k − 1): no cancellation for any k (k = 0 gives m itself; |k| ≥ 1 keeps |e^x − 1| ≥ 0.29). */
const expm1Of = (v: Vec, { m, p2k }: ExpParts): E => v.add(v.mul(p2k, m), v.sub(p2k, v.c(1)));

export function exp(v: Vec, x: E): E {
  return expOf(v, expParts(v, x));
}
/** e^x − 1 (±0 comes out +0: simdMath32.ts restores −0 in float). */
export function expm1(v: Vec, x: E): E {
  return expm1Of(v, expParts(v, x));
}

/**
 * x = 2^k·(1 + f) with √2/2 ≤ 1 + f < √2, for x > 0 finite (other lanes get garbage, replaced in float): the
 * bit-level reduction of e_log.c (k and f as f64). f is exact: 1 + f has at most a float's 24 significant bits.
 */
function logReduce(v: Vec, x: E) {
  const mant = v.let(v.and(x, v.bits(0x000fffffffffffffn)));
  // adding 0x95f64 to the high mantissa carries into bit 52 exactly when 1+f ≥ √2: then halve (exponent 0x3fe)
  const carry = v.let(v.and(v.iadd(mant, v.bits(0x95f64n << 32n)), v.bits(1n << 52n)));
  const norm = v.or(mant, v.xor(carry, v.bits(0x3ff0000000000000n)));
  const k = v.let(v.toF64(v.isub(v.iadd(v.shrU(x, 52), v.shrU(carry, 52)), v.bits(1023n))));
  return { k, f: v.sub(norm, v.c(1)) };
}

/**
 * log(1 + f) = 2s + s·R(s²), s = f/(2 + f) (e_log.c: log((1+s)/(1−s)) = 2·atanh s, R with Lg1–Lg7, error
 * below 2^−58); every rounding is relative to the result, so it is a few binary64 ulp for any f in the range.
 */
function log1pKernel(v: Vec, f: E): E {
  const s = v.let(v.div(f, v.add(v.c(2), f)));
  const z = v.let(v.mul(s, s));
  const w = v.let(v.mul(z, z));
  const r = v.add(v.mul(z, v.poly(w, LG_ODD)), v.mul(w, v.poly(w, LG_EVEN)));
  return v.add(v.add(s, s), v.mul(s, r));
}

export function log(v: Vec, x: E): E {
  const { k, f } = logReduce(v, x);
  return v.add(v.mul(k, v.c(Math.LN2)), log1pKernel(v, v.let(f)));
}
/** log2|x| = k + log(1+f)/ln2 (|x| > 0 finite); pow's logarithm too. */
export function log2(v: Vec, x: E): E {
  const { k, f } = logReduce(v, x);
  return v.add(k, v.mul(log1pKernel(v, v.let(f)), v.c(Math.LOG2E)));
}
export function log10(v: Vec, x: E): E {
  const { k, f } = logReduce(v, x);
  return v.add(v.mul(k, v.c(LOG10_2)), v.mul(log1pKernel(v, v.let(f)), v.c(Math.LOG10E)));
}

/**
 * log(1 + x): u = 1 + x is exact unless |x| < 2^−29 (a float has 24 bits), which is inside the k = 0 range,
 * where 1 + f = u and f is x itself: taking f = x there keeps every bit. Elsewhere |log u| ≥ 0.34, so u's
 * rounding (only for x ≥ 2^53) is harmless. ±0 comes out +0 (restored in float).
 */
export function log1p(v: Vec, x: E): E {
  const { k, f } = logReduce(v, v.let(v.add(v.c(1), x)));
  return v.add(v.mul(k, v.c(Math.LN2)), log1pKernel(v, v.let(v.sel(v.eq(k, v.c(0)), x, f))));
}

/**
 * The hyperbolics of a = |x| from one exponential: E = e^a, t = e^a − 1, 1/E. sinh a = (t + t/E)/2 (e_sinh.c's
 * t + t/(t+1), no cancellation), cosh a = (E + 1/E)/2 — one division serves both, so the pair shares it.
 */
function hypParts(v: Vec, x: E) {
  const a = v.let(v.abs(x));
  const parts = expParts(v, a);
  const e = v.let(expOf(v, parts));
  return { x, a, e, t: v.let(expm1Of(v, parts)), inv: v.let(v.div(v.c(1), e)) };
}
type HypParts = ReturnType<typeof hypParts>;

const sinhOf = (v: Vec, { x, t, inv }: HypParts): E => v.withSign(v.mul(v.c(0.5), v.add(t, v.mul(t, inv))), x);
const coshOf = (v: Vec, { e, inv }: HypParts): E => v.mul(v.c(0.5), v.add(e, inv));

export function sinh(v: Vec, x: E): E {
  return sinhOf(v, hypParts(v, x));
}
export function cosh(v: Vec, x: E): E {
  return coshOf(v, hypParts(v, x));
}
/** (sinh x, cosh x) from one exponential, each bit-identical to its own function (the same operations). */
export function sinhcosh(v: Vec, x: E): [E, E] {
  const p = hypParts(v, x);
  return [sinhOf(v, p), coshOf(v, p)];
}

/** tanh a = t/(t + 2), t = e^(2a) − 1 (s_tanh.c's form, no cancellation for a ≥ 0; 1 once t is huge), signed. */
export function tanh(v: Vec, x: E): E {
  const a = v.let(v.abs(x));
  const t = v.let(expm1(v, v.add(a, a)));
  return v.withSign(v.div(t, v.add(t, v.c(2))), x);
}

/** The logarithms' cases, in float: log(±0) = −∞, log(x < 0) = NaN, +∞ and NaN stay (x: the logarithm's argument). */
export function logFinish(w: Vec4, x: E, r: E): E {
  const finite = w.sel(w.eq(x, w.c(0)), w.c(-Infinity), w.sel(w.lt(x, w.c(0)), w.c(NaN), r));
  return w.sel(w.not(w.lt(x, w.c(Infinity))), x, finite);
}
/** log1p's, in float: −1 → −∞, below −1 → NaN, +∞ and NaN stay, ±0 keep their sign. */
export function log1pFinish(w: Vec4, x: E, r: E): E {
  const finite = w.sel(w.eq(x, w.c(-1)), w.c(-Infinity), w.sel(w.lt(x, w.c(-1)), w.c(NaN), r));
  return w.sel(w.or(w.eq(x, w.c(0)), w.not(w.lt(x, w.c(Infinity)))), x, finite);
}
