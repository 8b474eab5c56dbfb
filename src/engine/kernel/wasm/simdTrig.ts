// sin, cos, tan, asin, acos, atan, atan2 on f64x2 (fdlibm's k_sin.c, k_cos.c, k_tan.c, e_asin.c, e_acos.c,
// s_atan.c, e_atan2.c, vectorized by computing every branch and selecting per lane).
// Argument reduction: Cody–Waite with π/2 in three 33-bit parts plus a tail (fdlibm e_rem_pio2.c's medium
// case, always run to the third stage) for |x| < 2^20·π/2; beyond that each such lane goes through an
// exact Payne–Hanek reduction in scalar wasm (simdReduce.ts), only when a lane needs it.
import { F64 } from './encoder';
import type { E, Vec } from './simdDsl';
import type { SimdMath } from './simdMath';
import { remPio2Huge } from './simdReduce';

const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2 = [1.57079632673412561417, 6.0771005063039659766e-11, 2.0222662487111664558e-21];
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const MEDIUM_LIMIT = 2 ** 20 * (Math.PI / 2);
const PIO2_HI = 1.570796326794896558;
const PIO2_LO = 6.12323399573676603587e-17;
const PIO4_HI = 7.85398163397448278999e-1;
const PI = 3.141592653589793116;
const PI_LO = 1.2246467991473531772e-16;
const SIN = [
  -1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6,
  -2.50507602534068634195e-8, 1.58969099521155010221e-10,
];
const COS = [
  4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7,
  2.0875723212981748279e-9, -1.13596475577881948265e-11,
];
const TAN = [
  3.33333333333334091986e-1, 1.33333333333201242699e-1, 5.39682539762260521377e-2, 2.18694882948595424599e-2,
  8.86323982359930005737e-3, 3.59207910759131235356e-3, 1.45620945432529025516e-3, 5.88041240820264096874e-4,
  2.46463134818469906812e-4, 7.817944429395570923e-5, 7.14072491382608190305e-5, -1.85586374855275456654e-5,
  2.59073051863633712884e-5,
];
const PS = [
  1.66666666666666657415e-1, -3.25565818622400915405e-1, 2.01212532134862925881e-1, -4.00555345006794114027e-2,
  7.91534994289814532176e-4, 3.4793310759602116757e-5,
];
const QS = [1, -2.40339491173441421878, 2.02094576023350569471, -6.8828397160545329303e-1, 7.70381505559019352791e-2];
const AT_ODD = [
  3.33333333333329318027e-1, 1.42857142725034663711e-1, 9.09088713343650656196e-2, 6.66107313738753120669e-2,
  4.97687799461593236017e-2, 1.62858201153657823623e-2,
];
const AT_EVEN = [
  -1.99999999998764832476e-1, -1.1111110405462355788e-1, -7.69187620504482999495e-2, -5.83357013379057348645e-2,
  -3.6531572744216915527e-2,
];
const ATAN_HI = [4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1, PIO2_HI];
const ATAN_LO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, PIO2_LO];

/** x = n·π/2 + (y0 + y1), |y0 + y1| ≤ π/4; n is returned as i64 lanes. */
function reduce(v: Vec, m: SimdMath, x: E): { n: E; y0: E; y1: E } {
  const f = v.f;
  const nf = v.let(v.nearest(v.mul(x, v.c(INV_PIO2))));
  let r = v.let(v.sub(x, v.mul(nf, v.c(PIO2[0])))); // exact: n·PIO2[0] has at most 53 bits
  let w: E = v.c(0);
  for (const [part, tail] of [
    [PIO2[1], PIO2_2T],
    [PIO2[2], PIO2_3T],
  ]) {
    const t = r;
    const wp = v.let(v.mul(nf, v.c(part)));
    r = v.let(v.sub(t, wp));
    w = v.let(v.sub(v.mul(nf, v.c(tail)), v.sub(v.sub(t, r), wp)));
  }
  const y0 = v.local(v.sub(r, w));
  const y1 = v.local(v.sub(v.sub(r, v.get(y0)), w));
  const n = v.local(v.toInt(nf));
  // lanes beyond the Cody–Waite range (finite only): replace n, y0, y1 with the exact reduction
  const huge = v.let(v.and(v.ge(v.abs(x), v.c(MEDIUM_LIMIT)), v.lt(v.abs(x), v.c(Infinity))));
  const big = remPio2Huge(m);
  const out = [f.local(F64), f.local(F64), f.local(F64)];
  huge();
  f.simd('v128.any_true').if();
  for (const lane of [0, 1] as const) {
    huge();
    f.i64x2ExtractLane(lane).op('i64.eqz').op('i32.eqz').if();
    x();
    f.f64x2ExtractLane(lane).call(big).set(out[2]).set(out[1]).set(out[0]);
    f.get(y0).get(out[0]).f64x2ReplaceLane(lane).set(y0);
    f.get(y1).get(out[1]).f64x2ReplaceLane(lane).set(y1);
    f.get(n).get(out[2]).op('i64.trunc_f64_s').i64x2ReplaceLane(lane).set(n);
    f.end();
  }
  f.end();
  return { n: v.get(n), y0: v.get(y0), y1: v.get(y1) };
}

/** sin(y0 + y1) on |y0| ≤ π/4 (fdlibm k_sin.c, the y ≠ 0 form). */
function ksin(v: Vec, x: E, y: E): E {
  const z = v.let(v.mul(x, x));
  const vv = v.let(v.mul(z, x));
  const r = v.poly(z, SIN.slice(1));
  const inner = v.sub(v.sub(v.mul(z, v.sub(v.mul(v.c(0.5), y), v.mul(vv, r))), y), v.mul(vv, v.c(SIN[0])));
  return v.sub(x, inner);
}

/** cos(y0 + y1) on |y0| ≤ π/4 (FreeBSD k_cos.c: 1 − z/2 with its rounding error added back). */
function kcos(v: Vec, x: E, y: E): E {
  const z = v.let(v.mul(x, x));
  const r = v.mul(z, v.poly(z, COS));
  const hz = v.let(v.mul(v.c(0.5), z));
  const w = v.let(v.sub(v.c(1), hz));
  return v.add(w, v.add(v.sub(v.sub(v.c(1), w), hz), v.sub(v.mul(z, r), v.mul(x, y))));
}

const TINY_TRIG = 2 ** -27;

/** sin and cos of x from one reduction: quadrant q picks k_sin or k_cos and the sign. */
function sinCosParts(v: Vec, m: SimdMath, x: E) {
  const { n, y0, y1 } = reduce(v, m, x);
  const q = v.let(v.and(n, v.bits(3n)));
  const odd = v.let(v.ieq(v.and(q, v.bits(1n)), v.bits(1n)));
  const tiny = v.let(v.lt(v.abs(x), v.c(TINY_TRIG)));
  return { q, odd, tiny, ks: () => ksin(v, y0, y1), kc: () => kcos(v, y0, y1) };
}
type SinCosParts = ReturnType<typeof sinCosParts>;

function sinFrom(v: Vec, x: E, { q, odd, tiny, ks, kc }: SinCosParts): E {
  const base = v.sel(odd, kc(), ks());
  const y = v.xor(base, v.shl(v.and(q, v.bits(2n)), 62)); // quadrants 2, 3 flip the sign
  return v.sel(tiny, x, y);
}

function cosFrom(v: Vec, { q, odd, tiny, ks, kc }: SinCosParts): E {
  const base = v.sel(odd, ks(), kc());
  const y = v.xor(base, v.shl(v.and(v.iadd(q, v.bits(1n)), v.bits(2n)), 62)); // quadrants 1, 2 are negative
  return v.sel(tiny, v.c(1), y);
}

export function sin(v: Vec, m: SimdMath, x: E): E {
  return sinFrom(v, x, sinCosParts(v, m, x));
}
export function cos(v: Vec, m: SimdMath, x: E): E {
  return cosFrom(v, sinCosParts(v, m, x));
}

/** (sin x, cos x), bit-identical to the separate functions: one reduction, k_sin and k_cos each computed once. */
export function sincos(v: Vec, m: SimdMath, x: E): [E, E] {
  const p = sinCosParts(v, m, x);
  const ks = v.let(p.ks());
  const kc = v.let(p.kc());
  const shared = { ...p, ks: () => ks, kc: () => kc };
  return [sinFrom(v, x, shared), cosFrom(v, shared)];
}

/** tan (fdlibm k_tan.c): near ±π/4 uses tan(π/4 − x); odd quadrants need −1/tan computed accurately. */
export function tan(v: Vec, m: SimdMath, x: E): E {
  const { n, y0, y1 } = reduce(v, m, x);
  const iy = v.let(v.sub(v.c(1), v.mul(v.c(2), v.toF64(v.and(n, v.bits(1n))))));
  const big = v.let(v.igt(v.hiWord(v.abs(y0)), v.bits(0x3fe59427n)));
  const neg = v.let(v.lt(y0, v.c(0)));
  const xa = v.sel(neg, v.neg(y0), y0);
  const ya = v.sel(neg, v.neg(y1), y1);
  const xr = v.let(v.sel(big, v.add(v.sub(v.c(PIO4_HI), xa), v.sub(v.c(3.06161699786838301793e-17), ya)), y0));
  const yr = v.let(v.sel(big, v.c(0), y1));
  const z = v.let(v.mul(xr, xr));
  const w = v.let(v.mul(z, z));
  const rOdd = v.poly(
    w,
    [1, 3, 5, 7, 9, 11].map((i) => TAN[i]),
  );
  const vEven = v.mul(
    z,
    v.poly(
      w,
      [2, 4, 6, 8, 10, 12].map((i) => TAN[i]),
    ),
  );
  const s = v.let(v.mul(z, xr));
  const r = v.let(v.add(v.add(yr, v.mul(z, v.add(v.mul(s, v.add(rOdd, vEven)), yr))), v.mul(v.c(TAN[0]), s)));
  const tw = v.let(v.add(xr, r));
  const bigRes = v.sub(iy, v.mul(v.c(2), v.sub(xr, v.sub(v.div(v.mul(tw, tw), v.add(tw, iy)), r))));
  const signed = v.sel(neg, v.neg(bigRes), bigRes);
  // −1/(x + r) to full precision: split w and −1/w into 32-bit heads, then one correction step
  const zh = v.let(v.hi32(tw));
  const vc = v.let(v.sub(r, v.sub(zh, xr)));
  const a = v.let(v.div(v.c(-1), tw));
  const t = v.let(v.hi32(a));
  const sc = v.add(v.c(1), v.mul(t, zh));
  const inv = v.add(t, v.mul(a, v.add(sc, v.mul(t, vc))));
  const y = v.sel(big, signed, v.sel(v.gt(iy, v.c(0)), tw, inv));
  return v.sel(v.lt(v.abs(x), v.c(TINY_TRIG)), x, y);
}

/** p(t)/q(t) of e_asin.c / e_acos.c: asin(s) = s + s·R(s²) on [0, 0.5]. */
function asinR(v: Vec, t: E): E {
  return v.div(v.mul(t, v.poly(t, PS)), v.poly(t, QS));
}

export function asin(v: Vec, _m: SimdMath, x: E): E {
  const a = v.let(v.abs(x));
  const small = v.add(x, v.mul(x, asinR(v, v.mul(x, x))));
  const t = v.let(v.mul(v.sub(v.c(1), a), v.c(0.5)));
  const s = v.let(v.sqrt(t));
  const r = v.let(asinR(v, t));
  const nearOne = v.sub(v.c(PIO2_HI), v.sub(v.mul(v.c(2), v.add(s, v.mul(s, r))), v.c(PIO2_LO)));
  // asin(x) = π/2 − 2·asin(√t), with √t = w + c split so that 2w is exact (e_asin.c)
  const wh = v.let(v.hi32(s));
  const c = v.div(v.sub(t, v.mul(wh, wh)), v.add(s, wh));
  const p = v.sub(v.mul(v.mul(v.c(2), s), r), v.sub(v.c(PIO2_LO), v.mul(v.c(2), c)));
  const q = v.sub(v.c(PIO4_HI), v.mul(v.c(2), wh));
  const mid = v.sub(v.c(PIO4_HI), v.sub(p, q));
  const high = v.withSign(v.sel(v.igt(v.hiWord(a), v.bits(0x3fef3332n)), nearOne, mid), x);
  return v.sel(v.lt(a, v.c(0.5)), small, high);
}

export function acos(v: Vec, _m: SimdMath, x: E): E {
  const small = v.sub(v.c(PIO2_HI), v.sub(x, v.sub(v.c(PIO2_LO), v.mul(x, asinR(v, v.mul(x, x))))));
  const zn = v.let(v.mul(v.add(v.c(1), x), v.c(0.5)));
  const sn = v.let(v.sqrt(zn));
  const negative = v.sub(v.c(PI), v.mul(v.c(2), v.add(sn, v.sub(v.mul(asinR(v, zn), sn), v.c(PIO2_LO)))));
  const zp = v.let(v.mul(v.sub(v.c(1), x), v.c(0.5)));
  const sp = v.let(v.sqrt(zp));
  const df = v.let(v.hi32(sp));
  const c = v.div(v.sub(zp, v.mul(df, df)), v.add(sp, df));
  const positive = v.mul(v.c(2), v.add(df, v.add(v.mul(asinR(v, zp), sp), c)));
  const y = v.sel(v.lt(v.abs(x), v.c(0.5)), small, v.sel(v.lt(x, v.c(0)), negative, positive));
  return v.sel(v.eq(x, v.c(1)), v.c(0), y);
}

/** atan(|x|) ≥ 0 (s_atan.c): reduce around 0, 0.5, 1, 1.5 or ∞, then an odd polynomial in two halves. */
function atanAbs(v: Vec, a: E): E {
  const in0 = v.let(v.ge(a, v.c(0.4375)));
  const in1 = v.let(v.ge(a, v.c(0.6875)));
  const in2 = v.let(v.ge(a, v.c(1.1875)));
  const in3 = v.let(v.ge(a, v.c(2.4375)));
  const pick = (vals: E[]): E => v.sel(in3, vals[3], v.sel(in2, vals[2], v.sel(in1, vals[1], vals[0])));
  const xr = v.let(
    v.sel(
      in0,
      pick([
        v.div(v.sub(v.mul(v.c(2), a), v.c(1)), v.add(v.c(2), a)),
        v.div(v.sub(a, v.c(1)), v.add(a, v.c(1))),
        v.div(v.sub(a, v.c(1.5)), v.add(v.c(1), v.mul(v.c(1.5), a))),
        v.div(v.c(-1), a),
      ]),
      a,
    ),
  );
  const z = v.let(v.mul(xr, xr));
  const w = v.let(v.mul(z, z));
  const s = v.let(v.add(v.mul(z, v.poly(w, AT_ODD)), v.mul(w, v.poly(w, AT_EVEN))));
  const hi = pick(ATAN_HI.map((c) => v.c(c)));
  const lo = pick(ATAN_LO.map((c) => v.c(c)));
  const reduced = v.sub(hi, v.sub(v.sub(v.mul(xr, s), lo), xr));
  return v.sel(in0, reduced, v.sub(a, v.mul(a, s)));
}

export function atan(v: Vec, _m: SimdMath, x: E): E {
  return v.withSign(atanAbs(v, v.abs(x)), x);
}

/** atan2 (e_atan2.c): atan(|y/x|) placed in the quadrant of (x, y), with the IEEE/ECMAScript special cases. */
export function atan2(v: Vec, m: SimdMath, y: E, x: E): E {
  const ax = v.let(v.abs(x));
  const ay = v.let(v.abs(y));
  const xNeg = v.let(v.ilt(x, v.bits(0n))); // sign bit of x (so −0 counts as negative)
  const k = v.let(v.shrS(v.isub(v.hiWord(ay), v.hiWord(ax)), 20)); // exponent difference
  let z = v.call(m.fn('atan'), v.div(ay, ax));
  z = v.sel(v.and(xNeg, v.ilt(k, v.bits(-60n))), v.c(0), z);
  z = v.sel(v.igt(k, v.bits(60n)), v.c(PIO2_HI + 0.5 * PI_LO), z);
  const zl = v.let(z);
  const mag = v.sel(xNeg, v.sub(v.c(PI), v.sub(zl, v.c(PI_LO))), zl);
  let r = mag;
  // infinities and zeros, as a magnitude; the sign of y is applied last
  const xInf = v.let(v.eq(ax, v.c(Infinity)));
  const yInf = v.let(v.eq(ay, v.c(Infinity)));
  r = v.sel(v.or(yInf, v.eq(ax, v.c(0))), v.c(PIO2_HI), r);
  r = v.sel(v.and(xInf, v.not(yInf)), v.sel(xNeg, v.c(PI), v.c(0)), r);
  r = v.sel(v.and(xInf, yInf), v.sel(xNeg, v.c(3 * PIO4_HI), v.c(PIO4_HI)), r);
  r = v.sel(v.eq(ay, v.c(0)), v.sel(xNeg, v.c(PI), v.c(0)), r);
  const nan = v.or(v.ne(x, x), v.ne(y, y));
  return v.sel(nan, v.add(x, y), v.withSign(r, y));
}
