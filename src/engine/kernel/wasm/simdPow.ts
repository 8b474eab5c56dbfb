// pow, cbrt and hypot on f64x2.
// pow follows fdlibm e_pow.c: log2|x| in extra precision (t1 + t2, t1 with a 21-bit head so that y1·t1 is
// exact), z = y·log2|x| in double-double, then 2^z = 2^n·e^(r) with the e_exp.c polynomial; the ECMAScript
// special cases (Math.pow differs from C's pow at x = ±1 with y = ±∞ or NaN) are selected per lane last.
// For x ≥ 0 and 0 < y < 4 — the power transform's |g|^H — a path half as long through e_log.c's and e_exp.c's
// kernels in two-part arithmetic (powPositive), within an ulp of Math.pow there too.
// cbrt follows FreeBSD s_cbrt.c (bit-trick seed, polynomial to 23 bits, one Newton step to 53 bits).
// hypot scales by a power of two, forms x² + y² in double-double (Dekker products) and corrects √ once.
import { V128 } from './encoder';
import type { E, Vec } from './simdDsl';
import { expKernel, INV_LN2, LN2_HI, LN2_LO, logReduce, O_THRESHOLD, U_THRESHOLD } from './simdExpLog';
import type { SimdMath } from './simdMath';

const L = [
  5.99999999999994648725e-1, 4.28571428578550184252e-1, 3.33333329818377432918e-1, 2.72728123808534006489e-1,
  2.30660745775561754067e-1, 2.06975017800338417784e-1,
];
const P = [
  1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6,
  4.13813679705723846039e-8,
];
const LG2 = 6.93147180559945286227e-1;
const LG2_H = 6.93147182464599609375e-1;
const LG2_L = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17;
const CP = 9.61796693925975554329e-1;
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const DP_H = 5.84962487220764160156e-1;
const DP_L = 1.35003920212974897128e-8;

/** sign·|x|^y for finite nonzero x and finite y (e_pow.c's main path, branch-free). */
function powCore(v: Vec, ax: E, y: E): E {
  const sub = v.let(v.lt(ax, v.c(2 ** -1022)));
  const axs = v.let(v.sel(sub, v.mul(ax, v.c(2 ** 53)), ax));
  const ix = v.let(v.hiWord(axs));
  const j = v.let(v.and(ix, v.bits(0xfffffn)));
  const k1 = v.let(v.and(v.igt(j, v.bits(0x3988en)), v.ilt(j, v.bits(0xbb67an)))); // |x| in [√1.5, √3): k = 1
  const wrap = v.let(v.ige(j, v.bits(0xbb67an))); // |x| ≥ √3: halve, n + 1
  const nInt = v.iadd(
    v.iadd(v.isub(v.shrS(ix, 20), v.bits(0x3ffn)), v.and(sub, v.bits(-53n))),
    v.and(wrap, v.bits(1n)),
  );
  const n = v.let(v.toF64(nInt));
  const ixn = v.let(v.isub(v.or(j, v.bits(0x3ff00000n)), v.and(wrap, v.bits(0x100000n))));
  const axn = v.let(v.or(v.shl(ixn, 32), v.and(axs, v.bits(0xffffffffn))));
  const bp = v.let(v.sel(k1, v.c(1.5), v.c(1)));
  const u = v.let(v.sub(axn, bp));
  const vi = v.let(v.div(v.c(1), v.add(axn, bp)));
  const ss = v.let(v.mul(u, vi));
  const sh = v.let(v.hi32(ss));
  // t_h = axn + bp rounded to its high word, built from the bits of ixn
  const th = v.let(
    v.shl(
      v.iadd(v.iadd(v.or(v.shrS(ixn, 1), v.bits(0x20000000n)), v.bits(0x80000n)), v.and(k1, v.bits(1n << 18n))),
      32,
    ),
  );
  const tl = v.sub(axn, v.sub(th, bp));
  const sl = v.let(v.mul(vi, v.sub(v.sub(u, v.mul(sh, th)), v.mul(sh, tl))));
  const s2 = v.let(v.mul(ss, ss));
  const r = v.let(v.add(v.mul(v.mul(s2, s2), v.poly(s2, L)), v.mul(sl, v.add(sh, ss))));
  const sh2 = v.let(v.mul(sh, sh));
  const th2 = v.let(v.hi32(v.add(v.add(v.c(3), sh2), r)));
  const tl2 = v.sub(r, v.sub(v.sub(th2, v.c(3)), sh2));
  const uu = v.let(v.mul(sh, th2));
  const vv = v.let(v.add(v.mul(sl, th2), v.mul(tl2, ss)));
  const ph = v.let(v.hi32(v.add(uu, vv)));
  const pl = v.sub(vv, v.sub(ph, uu));
  const zh = v.let(v.mul(v.c(CP_H), ph));
  const dpH = v.let(v.sel(k1, v.c(DP_H), v.c(0)));
  const zl = v.let(v.add(v.add(v.mul(v.c(CP_L), ph), v.mul(pl, v.c(CP))), v.sel(k1, v.c(DP_L), v.c(0))));
  const t1 = v.let(v.hi32(v.add(v.add(v.add(zh, zl), dpH), n)));
  const t2 = v.sub(zl, v.sub(v.sub(v.sub(t1, n), dpH), zh));
  // z = y·log2|x| = p_h + p_l, with y split so that y1·t1 is exact
  const y1 = v.let(v.hi32(y));
  const zpl = v.let(v.add(v.mul(v.sub(y, y1), t1), v.mul(y, t2)));
  const zph = v.let(v.mul(y1, t1));
  const z = v.let(v.add(zpl, zph));
  const over = v.or(v.gt(z, v.c(1024)), v.and(v.eq(z, v.c(1024)), v.gt(v.add(zpl, v.c(OVT)), v.sub(z, zph))));
  const under = v.or(v.lt(z, v.c(-1075)), v.and(v.eq(z, v.c(-1075)), v.le(zpl, v.sub(z, zph))));
  const nf = v.let(v.nearest(z));
  const ph2 = v.let(v.sub(zph, nf));
  const t = v.let(v.hi32(v.add(zpl, ph2)));
  const uz = v.let(v.mul(t, v.c(LG2_H)));
  const vz = v.let(v.add(v.mul(v.sub(zpl, v.sub(t, ph2)), v.c(LG2)), v.mul(t, v.c(LG2_L))));
  const zz = v.let(v.add(uz, vz));
  const w = v.let(v.sub(vz, v.sub(zz, uz)));
  const tt = v.let(v.mul(zz, zz));
  const e1 = v.let(v.sub(zz, v.mul(tt, v.poly(tt, P))));
  const rr = v.sub(v.div(v.mul(zz, e1), v.sub(e1, v.c(2))), v.add(w, v.mul(zz, w)));
  const res = v.scale(v.sub(v.c(1), v.sub(rr, zz)), v.toInt(v.max(v.min(nf, v.c(2000)), v.c(-2000))));
  return v.sel(over, v.c(Infinity), v.sel(under, v.c(0), res));
}

/** Every case of Math.pow (ECMAScript, fdlibm), lane by lane. */
function powAnyCase(v: Vec, x: E, y: E): E {
  const ax = v.let(v.abs(x));
  const ay = v.let(v.abs(y));
  const xNeg = v.let(v.ilt(x, v.bits(0n)));
  const yInt = v.let(v.eq(v.trunc(y), y));
  const half = v.let(v.mul(y, v.c(0.5)));
  const yOdd = v.let(v.and(v.and(yInt, v.lt(ay, v.c(2 ** 53))), v.ne(v.trunc(half), half)));
  const negResult = v.let(v.and(xNeg, yOdd));
  const signBit = v.and(negResult, v.bits(-0x8000000000000000n));
  const finiteX = v.lt(ax, v.c(Infinity));
  let r = v.xor(
    powCore(v, v.sel(v.and(finiteX, v.gt(ax, v.c(0))), ax, v.c(1)), v.sel(v.lt(ay, v.c(Infinity)), y, v.c(0))),
    signBit,
  );
  r = v.sel(v.and(xNeg, v.not(yInt)), v.c(NaN), r);
  // x = ±0 or ±∞: 0 or ∞ by whether |x| and y are on the same side, with the sign for odd integer y
  const edgeMag = v.sel(v.ieq(v.eq(ax, v.c(Infinity)), v.gt(y, v.c(0))), v.c(Infinity), v.c(0));
  r = v.sel(v.or(v.eq(ax, v.c(0)), v.eq(ax, v.c(Infinity))), v.xor(edgeMag, signBit), r);
  const infY = v.sel(
    v.eq(ax, v.c(1)),
    v.c(NaN),
    v.sel(v.ieq(v.gt(ax, v.c(1)), v.gt(y, v.c(0))), v.c(Infinity), v.c(0)),
  );
  r = v.sel(v.eq(ay, v.c(Infinity)), infY, r);
  r = v.sel(v.or(v.ne(x, x), v.ne(y, y)), v.c(NaN), r);
  // fdlibm's (and so Math.pow's) exact cases: y = 1 → x, y = −1 → 1/x, y = 2 → x·x, y = ½ with x's sign bit clear →
  // √x. A lane whose H is ½ or 1 then gets the same bits here as in the kernel's branch-free forms.
  r = v.sel(v.and(v.eq(y, v.c(0.5)), v.not(xNeg)), v.sqrt(x), r);
  r = v.sel(v.eq(y, v.c(2)), v.mul(x, x), r);
  r = v.sel(v.eq(y, v.c(-1)), v.div(v.c(1), x), r);
  r = v.sel(v.eq(y, v.c(1)), x, r);
  return v.sel(v.eq(y, v.c(0)), v.c(1), r);
}

/**
 * x^y = e^(y·log x) for x ≥ +0 (sign bit clear, NaN included) and 0 < y < 4 (pow takes y = ½, 1, 2, whose results
 * Math.pow gives exactly, elsewhere). log x comes in two parts (e_log2.c's
 * split of f − f²/2, then k·ln2 added by a fast two-sum), y·log x in two parts with y and the head cut to 21 bits so
 * that their product is exact (as e_pow.c), and e^z takes the low part into its Cody–Waite reduction: within
 * about an ulp of e_pow.c at about half its work — e_pow.c carries log₂ in extra precision through its own
 * tables, here e_log.c's and e_exp.c's kernels serve. x = 0 and x = ∞ give x itself, NaN gives NaN, as Math.pow.
 */
function powPositive(v: Vec, x: E, y: E): E {
  const finite = v.let(v.and(v.gt(x, v.c(0)), v.lt(x, v.c(Infinity))));
  const { f, k, hfsq, rem } = logReduce(v, v.sel(finite, x, v.c(1)));
  const hi = v.let(v.hi32(v.sub(f, hfsq)));
  const lo = v.add(v.sub(v.sub(f, hi), hfsq), rem);
  const a = v.let(v.mul(k, v.c(LN2_HI)));
  const lh = v.let(v.add(a, hi)); // |a| ≥ ln2 > |hi| or a = 0: the two-sum below is exact
  const ll = v.add(v.add(v.sub(a, lh), hi), v.add(lo, v.mul(k, v.c(LN2_LO))));
  const t1 = v.let(v.hi32(lh));
  const t2 = v.add(v.sub(lh, t1), ll);
  const y1 = v.let(v.hi32(y));
  const zh = v.let(v.mul(y1, t1));
  const zl = v.let(v.add(v.mul(v.sub(y, y1), t1), v.mul(y, t2)));
  const z = v.let(v.add(zh, zl));
  const kf = v.let(v.nearest(v.mul(z, v.c(INV_LN2))));
  const rHi = v.let(v.sub(zh, v.mul(kf, v.c(LN2_HI))));
  const rLo = v.let(v.sub(v.mul(kf, v.c(LN2_LO)), zl));
  const scaled = v.scale(expKernel(v, { hi: rHi, lo: rLo, r: v.let(v.sub(rHi, rLo)) }), v.toInt(kf));
  const e = v.sel(v.gt(z, v.c(O_THRESHOLD)), v.c(Infinity), v.sel(v.lt(z, v.c(U_THRESHOLD)), v.c(0), scaled));
  return v.sel(v.ne(x, x), v.c(NaN), v.sel(finite, e, x));
}

/**
 * Math.pow on f64x2. When no lane of x has its sign bit and every y is in (0, 4) but ½, 1 and 2 — the power
 * transform's pow(|g|, H) at any H a run gives it (the same for every lane of a configuration; h(t)'s Hₜ moves
 * from H₀ to 1) — powPositive, about half the work of e_pow.c's path; otherwise every case. One branch per call,
 * taken the same way call after call. Both paths agree with Math.pow within an ulp (simdMath.test.ts); the
 * short one's error grows with |y·log x| beyond y = 4 (e_log.c's polynomial is not e_pow.c's longer one).
 */
export function pow(v: Vec, _m: SimdMath, x: E, y: E): E {
  return () => {
    const { f } = v;
    v.and(
      v.and(v.and(v.gt(y, v.c(0)), v.lt(y, v.c(4))), v.and(v.ne(y, v.c(0.5)), v.ne(y, v.c(1)))),
      v.and(v.ne(y, v.c(2)), v.not(v.ilt(x, v.bits(0n)))),
    )();
    f.simd('i64x2.all_true').if(V128);
    powPositive(v, x, y)();
    f.else();
    powAnyCase(v, x, y)();
    f.end();
  };
}

export function cbrt(v: Vec, _m: SimdMath, x: E): E {
  const ax = v.let(v.abs(x));
  const sub = v.let(v.lt(ax, v.c(2 ** -1022)));
  const hx = v.sel(sub, v.hiWord(v.mul(ax, v.c(2 ** 54))), v.hiWord(ax));
  const third = v.shrU(v.imul(hx, v.bits(0xaaaaaaabn)), 33); // ⌊hx/3⌋ for hx < 2^32 (no SIMD integer division)
  const bias = v.sel(sub, v.bits(696219795n), v.bits(715094163n)); // (1023 − 1023/3 − 0.0331[− 54/3])·2^20
  let t = v.let(v.shl(v.iadd(third, bias), 32));
  const r = v.let(v.mul(v.mul(t, t), v.div(t, ax)));
  const pr = v.add(
    v.add(
      v.c(1.87595182427177009643),
      v.mul(r, v.add(v.c(-1.88497979543377169875), v.mul(r, v.c(1.62142972010535446614)))),
    ),
    v.mul(v.mul(v.mul(r, r), r), v.add(v.c(-0.758397934778766047437), v.mul(r, v.c(0.145996192886612446982)))),
  );
  t = v.let(v.and(v.iadd(v.mul(t, pr), v.bits(0x80000000n)), v.bits(-0x40000000n))); // round up to 23 bits
  const s = v.mul(t, t);
  const q = v.let(v.div(ax, s));
  const step = v.div(v.sub(q, t), v.add(v.add(t, t), q));
  const y = v.withSign(v.add(t, v.mul(t, step)), x);
  return v.sel(v.or(v.eq(ax, v.c(0)), v.not(v.lt(ax, v.c(Infinity)))), v.add(x, x), y);
}

/** Dekker's exact square: a² = hi + lo (no FMA in wasm SIMD). */
function exactSquare(v: Vec, a: E): [E, E] {
  const c = v.let(v.mul(a, v.c(134217729)));
  const ah = v.let(v.sub(c, v.sub(c, a)));
  const al = v.let(v.sub(a, ah));
  const hi = v.let(v.mul(a, a));
  return [hi, v.add(v.add(v.sub(v.mul(ah, ah), hi), v.mul(v.c(2), v.mul(ah, al))), v.mul(al, al))];
}

export function hypot(v: Vec, _m: SimdMath, x: E, y: E): E {
  const ax = v.let(v.abs(x));
  const ay = v.let(v.abs(y));
  const big = v.let(v.max(ax, ay));
  const sc = v.let(
    v.sel(v.gt(big, v.c(2 ** 500)), v.c(2 ** -600), v.sel(v.lt(big, v.c(2 ** -500)), v.c(2 ** 600), v.c(1))),
  );
  const [p, pe] = exactSquare(v, v.mul(ax, sc));
  const [q, qe] = exactSquare(v, v.mul(ay, sc));
  const s = v.let(v.add(p, q));
  const bb = v.let(v.sub(s, p));
  const lo = v.let(v.add(v.add(v.add(v.sub(p, v.sub(s, bb)), v.sub(q, bb)), pe), qe));
  const hi = v.let(v.add(s, lo));
  const lo2 = v.sub(lo, v.sub(hi, s));
  const r = v.let(v.sqrt(hi));
  const [rr, re] = exactSquare(v, r);
  const corr = v.div(v.add(v.sub(v.sub(hi, rr), re), lo2), v.add(r, r));
  const res = v.div(v.add(r, corr), sc);
  const inf = v.or(v.eq(ax, v.c(Infinity)), v.eq(ay, v.c(Infinity)));
  return v.sel(inf, v.c(Infinity), v.sel(v.eq(big, v.c(0)), v.c(0), res));
}
