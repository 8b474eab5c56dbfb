// exp, expm1, log, log1p, log2, log10 and the hyperbolics on f64x2, branch-free (all cases computed, then
// selected per lane). Algorithms and minimax coefficients are those of Sun's fdlibm (e_exp.c, s_expm1.c,
// e_log.c, s_log1p.c, FreeBSD's e_log2.c/e_log10.c, e_sinh.c, e_cosh.c, s_tanh.c), which V8's Math.* also
// follows, so results agree with Math.* to within about one ulp.
import type { E, Vec } from './simdDsl';
import type { SimdMath } from './simdMath';

export const LN2_HI = 6.9314718036912381649e-1; // 32 significant bits: k·LN2_HI is exact for |k| < 2^21
export const LN2_LO = 1.90821492927058770002e-10;
export const INV_LN2 = 1.442695040888963387;
const EXP_P = [
  1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6,
  4.13813679705723846039e-8,
];
const EXPM1_Q = [
  1, -3.33333333333331316428e-2, 1.58730158725481460165e-3, -7.93650757867487942473e-5, 4.00821782732936239552e-6,
  -2.01099218183624371326e-7,
];
export const O_THRESHOLD = 7.09782712893383973096e2;
export const U_THRESHOLD = -7.4513321910194110842e2;
/** Main-path limit of expm1: below it k ≤ 1023, so 2^k is a single exact power of two. */
const HYP_EDGE = 709;
/** fdlibm's bounds for sinh/cosh (high words 0x3fd62e43 and 0x40862e42): cosh's tiny formula, log(maxdouble). */
const COSH_TINY = 0.3465735912322998;
const LOG_MAXD = 709.7822265625;
/** Below it (19.5·ln2 rounded down) expm1's k ≤ 19, so sinh's main path needs no s_expm1.c 20 ≤ k ≤ 56 form. */
const SINH_MID = 13.5;
/** 1/(2n)! for n = 1…6: cosh(a) − 1 = Σ a^2n/(2n)!. */
const COSH_SERIES = [1 / 2, 1 / 24, 1 / 720, 1 / 40320, 1 / 3628800, 1 / 479001600];
const LG_ODD = [6.66666666666673513e-1, 2.857142874366239149e-1, 1.818357216161805012e-1, 1.479819860511658591e-1];
const LG_EVEN = [3.999999999940941908e-1, 2.222219843214978396e-1, 1.531383769920937332e-1];

/** x = k·ln2 + r with r = hi − lo (Cody–Waite, two-part ln2): the reduction e_exp.c and s_expm1.c share. */
function expReduce(v: Vec, x: E) {
  const kf = v.let(v.nearest(v.mul(x, v.c(INV_LN2))));
  const hi = v.let(v.sub(x, v.mul(kf, v.c(LN2_HI))));
  const lo = v.let(v.mul(kf, v.c(LN2_LO)));
  const r = v.let(v.sub(hi, lo));
  return { kf, k: v.let(v.toInt(kf)), hi, lo, r };
}
type ExpReduction = ReturnType<typeof expReduce>;

/** e_exp.c's kernel: e^r = 1 − ((lo − r·c/(2 − c)) − hi), Remez rational form, still to be scaled by 2^k. */
export function expKernel(v: Vec, { hi, lo, r }: Pick<ExpReduction, 'hi' | 'lo' | 'r'>): E {
  const t = v.let(v.mul(r, r));
  const c = v.let(v.sub(r, v.mul(t, v.poly(t, EXP_P))));
  return v.sub(v.c(1), v.sub(v.sub(lo, v.div(v.mul(r, c), v.sub(v.c(2), c))), hi));
}

/** e^x: the reduction, the kernel, then ·2^k (in two steps, for subnormal results). */
export function exp(v: Vec, _m: SimdMath, x: E): E {
  const red = expReduce(v, x);
  const scaled = v.scale(expKernel(v, red), red.k);
  return v.sel(v.gt(x, v.c(O_THRESHOLD)), v.c(Infinity), v.sel(v.lt(x, v.c(U_THRESHOLD)), v.c(0), scaled));
}

/**
 * s_expm1.c's kernel on the shared reduction (c: the rounding error of r): expm1(r) ≈ r − e2 to extra
 * precision. `e` is the kernel's rational correction (expm1's k = 0 case uses it).
 */
function expm1Kernel(v: Vec, { hi, lo, r }: ExpReduction) {
  const c = v.let(v.sub(v.sub(hi, r), lo));
  const hfx = v.let(v.mul(v.c(0.5), r));
  const hxs = v.let(v.mul(r, hfx));
  const r1 = v.let(v.poly(hxs, EXPM1_Q));
  const t = v.let(v.sub(v.c(3), v.mul(r1, hfx)));
  const e = v.let(v.mul(hxs, v.div(v.sub(r1, t), v.sub(v.c(6), v.mul(r, t)))));
  const e2 = v.let(v.sub(v.sub(v.mul(r, v.sub(e, c)), c), hxs));
  return { e, hxs, e2 };
}

/**
 * expm1 on the reduction, for k in [−1022, 1023] (x below HYP_EDGE; other lanes get garbage). fdlibm's general
 * case ((1 − 2^−k) − (e2 − r))·2^k is formed as (2^k − 1) − (e2 − r)·2^k, which rounds identically (scaling by
 * 2^k is exact here). fdlibm's other cases are selected where the caller's arguments reach them: `k1` (k = 1
 * with r < −1/4), `mid` (20 ≤ k ≤ 56: ((r − (e2 + 2^−k)) + 1)·2^k) and `negative` (k = −1; k ≤ −2:
 * 2^k·(1 − (e2 − r)) − 1) — so the result is s_expm1.c's, operation for operation.
 */
function expm1Cases(v: Vec, red: ExpReduction, cases: { k1?: boolean; mid?: boolean; negative?: boolean }) {
  const { k, r } = red;
  const { e2 } = expm1Kernel(v, red);
  const p2k = v.let(v.pow2(k));
  const d = v.let(v.sub(e2, r));
  const dp = v.let(v.mul(d, p2k));
  let t = v.sub(v.sub(p2k, v.c(1)), dp);
  if (cases.k1)
    t = v.sel(v.and(v.ieq(k, v.bits(1n)), v.lt(r, v.c(-0.25))), v.mul(v.c(-2), v.sub(e2, v.add(r, v.c(0.5)))), t);
  /** fdlibm's form for 20 ≤ k ≤ 56 (unselected). */
  const midForm = () => v.mul(v.add(v.sub(r, v.add(e2, v.shl(v.isub(v.bits(1023n), k), 52))), v.c(1)), p2k); // 2^−k
  if (cases.mid) t = v.sel(v.and(v.igt(k, v.bits(19n)), v.ilt(k, v.bits(57n))), midForm(), t);
  if (cases.negative) {
    t = v.sel(v.ieq(k, v.bits(-1n)), v.sub(v.mul(v.c(0.5), v.sub(r, e2)), v.c(0.5)), t);
    t = v.sel(v.ilt(k, v.bits(-1n)), v.sub(v.sub(p2k, dp), v.c(1)), t);
  }
  return { t, d, midForm };
}

/**
 * e^x − 1 without cancellation (fdlibm s_expm1.c), its cases of k selected per lane. x ≥ HYP_EDGE (where 2^k
 * may overflow) is patched in a branch taken only when some lane needs it.
 */
export function expm1(v: Vec, _m: SimdMath, x: E): E {
  const red = expReduce(v, x);
  const { t, d } = expm1Cases(v, red, { k1: true, mid: true, negative: true });
  const y = v.local(v.sel(v.lt(x, v.c(-38.816242111356935)), v.c(-1), t)); // x < −56·ln2: e^x is below ulp(1)/2
  const edge = v.let(v.ge(x, v.c(HYP_EDGE)));
  edge();
  v.f.simd('v128.any_true').if();
  const far = v.sub(v.scale(v.sub(v.c(1), d), red.k), v.c(1)); // 2^k·(1 − (e2 − r)) − 1 in two exact steps
  v.sel(edge, v.sel(v.gt(x, v.c(O_THRESHOLD)), v.c(Infinity), far), v.get(y))();
  v.f.set(y);
  v.f.end();
  return v.sel(v.lt(v.abs(x), v.c(2 ** -54)), x, v.get(y));
}

/**
 * The reduction shared by the logarithms: x = 2^k·(1+f) with √2/2 ≤ 1+f < √2 (subnormals prescaled by 2^54).
 * Returns f, k as f64, s = f/(2+f), hfsq = f²/2 and fdlibm's k_log1p remainder s·(hfsq + R(s²)).
 */
export function logReduce(v: Vec, x: E) {
  const sub = v.let(v.lt(x, v.c(2 ** -1022)));
  const xs = v.let(v.sel(sub, v.mul(x, v.c(2 ** 54)), x));
  const mant = v.let(v.and(xs, v.bits(0x000fffffffffffffn)));
  // adding 0x95f64 to the high mantissa carries into bit 52 exactly when 1+f ≥ √2: then halve (exponent 0x3fe)
  const carry = v.let(v.and(v.iadd(mant, v.bits(0x95f64n << 32n)), v.bits(1n << 52n)));
  const norm = v.or(mant, v.xor(carry, v.bits(0x3ff0000000000000n)));
  const kInt = v.iadd(v.isub(v.iadd(v.shrU(xs, 52), v.shrU(carry, 52)), v.bits(1023n)), v.and(sub, v.bits(-54n)));
  const k = v.let(v.toF64(kInt));
  const f = v.let(v.sub(norm, v.c(1)));
  const hfsq = v.let(v.mul(v.c(0.5), v.mul(f, f)));
  const s = v.let(v.div(f, v.add(v.c(2), f)));
  const z = v.let(v.mul(s, s));
  const w = v.let(v.mul(z, z));
  const big = v.add(v.mul(z, v.poly(w, LG_ODD)), v.mul(w, v.poly(w, LG_EVEN)));
  const rem = v.let(v.mul(s, v.add(hfsq, big)));
  return { f, k, hfsq, rem };
}

/** Shared special cases of the logarithms: log(±0) = −∞, log(x<0) = NaN, log(+∞) = +∞, NaN stays NaN. */
function logSpecials(v: Vec, x: E, y: E): E {
  const r = v.sel(v.not(v.lt(x, v.c(Infinity))), x, y); // +∞ and NaN
  return v.sel(v.eq(x, v.c(0)), v.c(-Infinity), v.sel(v.lt(x, v.c(0)), v.c(NaN), r));
}

/** log(x) + corr, with the small correction `corr` added in the low-order part (log1p's c/u; none for log). */
function logWith(v: Vec, x: E, corr: E | undefined): E {
  const { f, k, hfsq, rem } = logReduce(v, x);
  const kLo = corr ? v.add(v.mul(k, v.c(LN2_LO)), corr) : v.mul(k, v.c(LN2_LO));
  return v.sub(v.mul(k, v.c(LN2_HI)), v.sub(v.sub(hfsq, v.add(rem, kLo)), f));
}

export function log(v: Vec, _m: SimdMath, x: E): E {
  return logSpecials(v, x, logWith(v, x, undefined));
}

/** log(1+x): u = 1+x rounded, log(u) plus the first-order correction c/u for the rounding of u (as fdlibm). */
export function log1p(v: Vec, _m: SimdMath, x: E): E {
  const u = v.let(v.add(v.c(1), x));
  const c = v.sel(v.ge(u, v.c(2)), v.sub(v.c(1), v.sub(u, x)), v.sub(x, v.sub(u, v.c(1))));
  const y = logSpecials(v, u, logWith(v, u, v.div(c, u)));
  return v.sel(v.lt(v.abs(x), v.c(2 ** -54)), x, v.sel(v.eq(x, v.c(Infinity)), x, y));
}

/**
 * log2 / log10 (FreeBSD e_log2.c / e_log10.c): f − hfsq is split into hi (upper 21 bits) + lo so that
 * hi·(1/ln b)_hi is exact, and k (or k·log_b 2) is added in double-double.
 */
function logBase(v: Vec, x: E, invHi: number, invLo: number, kHi: number, kLo: number): E {
  const { f, k, hfsq, rem } = logReduce(v, x);
  const hi = v.let(v.hi32(v.sub(f, hfsq)));
  const lo = v.let(v.add(v.sub(v.sub(f, hi), hfsq), rem));
  const valHi = v.let(v.mul(hi, v.c(invHi)));
  const valLo = v.add(v.add(v.mul(v.add(lo, hi), v.c(invLo)), v.mul(lo, v.c(invHi))), v.mul(k, v.c(kLo)));
  const y = v.let(v.mul(k, v.c(kHi)));
  const w = v.let(v.add(y, valHi));
  return logSpecials(v, x, v.add(v.add(valLo, v.add(v.sub(y, w), valHi)), w));
}

export function log2(v: Vec, _m: SimdMath, x: E): E {
  return logBase(v, x, 1.44269504072144627571, 1.67517131648865118353e-10, 1, 0);
}
export function log10(v: Vec, _m: SimdMath, x: E): E {
  return logBase(
    v,
    x,
    4.34294481878168880939e-1,
    2.50829467116452752298e-11,
    3.01029995663611771306e-1,
    3.69423907715893078616e-13,
  );
}

/** Emits `make` on first use only, so that a pair's two functions share one copy of the work. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * The work sinh and cosh share for a = |x| (V8's ieee754 sinh/cosh are fdlibm's, whose formulas are mirrored
 * so that results agree with Math.* as often as possible): one reduction of a, and on it t = expm1(a)
 * (s_expm1.c's cases, for sinh) and e^a's kernel (e_exp.c's, for cosh and a ≥ 22), each emitted only if used.
 */
function hypParts(v: Vec, x: E) {
  const a = v.let(v.abs(x));
  const red = expReduce(v, a);
  const cases = once(() => expm1Cases(v, red, { k1: true }));
  const t = once(() => v.let(cases().t));
  const expY = once(() => v.let(expKernel(v, red)));
  return { x, a, red, cases, t, expY };
}
type HypParts = ReturnType<typeof hypParts>;

/** (2t − t²/(t+1))/2 below 1, (t + t/(t+1))/2 above (e_sinh.c). */
function sinhOf(v: Vec, a: E, t: E): E {
  const small = v.let(v.lt(a, v.c(1)));
  const q = v.let(v.div(v.sel(small, v.mul(t, t), t), v.add(t, v.c(1))));
  return v.mul(v.c(0.5), v.sel(small, v.sub(v.add(t, t), q), v.add(t, q)));
}

/** |sinh| for a < SINH_MID (k ≤ 19, where t needs none of s_expm1.c's 20 ≤ k ≤ 56 form). */
function sinhMain(v: Vec, p: HypParts): number {
  return v.local(sinhOf(v, p.a, p.t()));
}

/**
 * cosh for a < 22 (e_cosh.c): e^a/2 + 1/(2e^a) from fdlibm's 0.5·ln2 bound on; below it, fdlibm's
 * 1 + t²/(2(1+t)) is replaced by the Taylor series 1 + z/2! + … + z⁶/12! in z = a² (truncation < 0.02 ulp):
 * both are within a hair of correctly rounded, so they agree but for ~0.7% of arguments (by 1 ulp), and the
 * series needs no expm1.
 */
function coshMain(v: Vec, p: HypParts): number {
  const ea = v.let(v.mul(p.expY(), v.pow2(p.red.k))); // k ≤ 32 here: one exact power of two
  const z = v.let(v.mul(p.a, p.a));
  const series = v.add(v.c(1), v.mul(z, v.poly(z, COSH_SERIES)));
  return v.local(v.sel(v.lt(p.a, v.c(COSH_TINY)), series, v.add(v.mul(v.c(0.5), ea), v.div(v.c(0.5), ea))));
}

/** Emits `body` in a block run only when some lane of `mask` is set. */
function ifAny(v: Vec, mask: E, body: () => void): void {
  mask();
  v.f.simd('v128.any_true').if();
  body();
  v.f.end();
}

/**
 * The rarer lanes, patched only when some lane needs them (NaN never does). sinh from SINH_MID on: t with
 * s_expm1.c's 20 ≤ k ≤ 56 form. Both from 22 on: e^a/2 — from the shared reduction below fdlibm's
 * log(maxdouble), as (e^(a/2)/2)·e^(a/2) above it (a nested branch), ∞ past the overflow thresholds.
 */
function hypLarge(v: Vec, m: SimdMath, p: HypParts, out: { sinh?: number; cosh?: number }): void {
  const large = () => {
    const big = v.let(v.ge(p.a, v.c(22)));
    ifAny(v, big, () => {
      const half = v.local(v.mul(v.c(0.5), v.scale(p.expY(), p.red.k)));
      const far = v.let(v.ge(p.a, v.c(LOG_MAXD)));
      ifAny(v, far, () => {
        const h = v.let(exp(v, m, v.mul(v.c(0.5), p.a)));
        v.sel(far, v.mul(v.mul(v.c(0.5), h), h), v.get(half))();
        v.f.set(half);
      });
      for (const l of [out.sinh, out.cosh]) {
        if (l === undefined) continue;
        v.sel(big, v.get(half), v.get(l))();
        v.f.set(l);
      }
    });
  };
  if (out.sinh === undefined) return large();
  const s = out.sinh;
  const mid = v.let(v.ge(p.a, v.c(SINH_MID)));
  ifAny(v, mid, () => {
    const t = v.let(v.sel(v.igt(p.red.k, v.bits(19n)), p.cases().midForm(), p.t()));
    v.sel(mid, sinhOf(v, p.a, t), v.get(s))();
    v.f.set(s);
    large();
  });
}

/** Puts the sign of x back on |sinh x| (x ^ |x| is x's sign bit). */
const sinhFinish = (v: Vec, p: HypParts, y: number): E => v.or(v.get(y), v.xor(p.x, p.a));

export function sinh(v: Vec, m: SimdMath, x: E): E {
  const p = hypParts(v, x);
  const y = sinhMain(v, p);
  hypLarge(v, m, p, { sinh: y });
  return sinhFinish(v, p, y);
}

export function cosh(v: Vec, m: SimdMath, x: E): E {
  const p = hypParts(v, x);
  const y = coshMain(v, p);
  hypLarge(v, m, p, { cosh: y });
  return v.get(y);
}

/** (sinh x, cosh x), bit-identical to the separate functions: the same code, with the shared parts emitted once. */
export function sinhcosh(v: Vec, m: SimdMath, x: E): [E, E] {
  const p = hypParts(v, x);
  const s = sinhMain(v, p);
  const c = coshMain(v, p);
  hypLarge(v, m, p, { sinh: s, cosh: c });
  return [sinhFinish(v, p, s), v.get(c)];
}

/**
 * tanh (fdlibm s_tanh.c) from one expm1: t = expm1(−2|x|), −t/(t+2) below 1; t = expm1(2|x|), 1 − 2/(t+2)
 * from 1 on (the argument's sign is chosen per lane, so both share the reduction). |x| is capped at 22, where
 * 1 − 2/(t+2) is already exactly 1; the +0 from the small branch's sum keeps tanh(±0) = ±0 after the sign.
 * (s_expm1.c's 20 ≤ k ≤ 56 form would change t only in bits that 2/(t+2) ≪ ulp(1) does not reach.)
 */
export function tanh(v: Vec, _m: SimdMath, x: E): E {
  const a = v.let(v.abs(x));
  const small = v.let(v.lt(a, v.c(1)));
  const ac = v.let(v.pmin(a, v.c(22)));
  const z = v.let(v.xor(v.add(ac, ac), v.and(small, v.bits(-0x8000000000000000n))));
  const t = v.let(expm1Cases(v, expReduce(v, z), { negative: true }).t);
  const q = v.div(v.sel(small, v.neg(t), v.c(-2)), v.add(t, v.c(2)));
  return v.or(v.add(v.andnot(v.c(1), small), q), v.xor(x, a));
}
