// Vectorized elementary functions on f32x4 (four binary32 lanes), emitted into a module on first use, as the
// binary64 library (simdMath.ts) does for f64x2: each is an internal function (v128[, v128]) -> v128, branch-free
// per lane, its constants immutable v128 globals shared with that library's pool.
// Each computes in binary64 and rounds once: the four lanes are promoted (exactly) to two f64x2 halves, a binary64
// kernel (simdExpLog32.ts, simdTrig32.ts, simdPow32.ts) runs on each half, the halves are rounded to float and
// joined, and the cases cheaper on four lanes at once (signed zeros, the logarithms' domain, pow's signs and exact
// cases) are selected in float. The kernels keep fdlibm's and Cephes' binary64 polynomials, so a result is
// Math.fround(Math.f(x)) except where Math.f(x) lies within a few binary64 ulp of a float rounding boundary (then
// 1 float ulp away; simdMath32.test.ts measures it); float subnormals, overflow to ±∞ and underflow to ±0 come from
// the one rounding, as they do in Math.fround. Float polynomials would need double-float tricks to reach 1 ulp.
import { ModuleBuilder, V128, type ValType } from './encoder';
import { Vec, type E } from './simdDsl';
import { Vec4 } from './simdDsl32';
import {
  cosh,
  exp,
  expm1,
  log,
  log10,
  log1p,
  log1pFinish,
  log2,
  logFinish,
  sinh,
  sinhcosh,
  tanh,
} from './simdExpLog32';
import type { SimdMath } from './simdMath';
import { cbrt, cbrtFinish, hypot, hypotFinish, pow, powFinish } from './simdPow32';
import { acos, asin, atan, atan2, cos, sin, sincos, tan } from './simdTrig32';

/** The binary64 kernel on f64x2 halves (one result, or two for a pair). */
type Kernel = (v: Vec, args: E[], math: SimdMath) => E[];
/** The float-side cases: from the arguments and the rounded kernel results to the function's results. */
type Finish = (w: Vec4, args: E[], results: E[]) => E[];
interface Spec {
  readonly arity: 1 | 2;
  readonly kernel: Kernel;
  readonly finish?: Finish;
}

const unary = (k: (v: Vec, x: E, math: SimdMath) => E, finish?: (w: Vec4, x: E, r: E) => E): Spec => ({
  arity: 1,
  kernel: (v, [x], math) => [k(v, x, math)],
  finish: finish && ((w, [x], [r]) => [finish(w, x, r)]),
});
const binary = (k: (v: Vec, a: E, b: E) => E, finish?: (w: Vec4, a: E, b: E, r: E) => E): Spec => ({
  arity: 2,
  kernel: (v, [a, b]) => [k(v, a, b)],
  finish: finish && ((w, [a, b], [r]) => [finish(w, a, b, r)]),
});
/** The binary64 kernels return +0 for −0 where x − k·c or 1 + x loses the sign: x itself is the answer there. */
const zeroKept = (w: Vec4, x: E, r: E): E => w.sel(w.eq(x, w.c(0)), x, r);

const UNARY = {
  exp: unary(exp),
  expm1: unary(expm1, zeroKept),
  log: unary(log, logFinish),
  log1p: unary(log1p, log1pFinish),
  log2: unary(log2, logFinish),
  log10: unary(log10, logFinish),
  sin: unary(sin, zeroKept),
  cos: unary(cos),
  tan: unary(tan, zeroKept),
  asin: unary(asin),
  acos: unary(acos),
  atan: unary(atan),
  sinh: unary(sinh),
  cosh: unary(cosh),
  tanh: unary(tanh),
  cbrt: unary(cbrt, cbrtFinish),
};
const BINARY = {
  atan2: binary(atan2),
  pow: binary(pow, powFinish),
  hypot: binary(hypot, hypotFinish),
};
/** Two functions of one argument sharing their work; each result is bit-identical to its own function's. */
const PAIRED: Record<'sincos' | 'sinhcosh', Spec> = {
  sincos: {
    arity: 1,
    kernel: (v, [x], math) => sincos(v, x, math),
    finish: (w, [x], [s, c]) => [zeroKept(w, x, s), c],
  },
  sinhcosh: { arity: 1, kernel: (v, [x]) => sinhcosh(v, x) },
};

export type UnaryMathFn32 = keyof typeof UNARY;
export type BinaryMathFn32 = keyof typeof BINARY;
export type MathFn32 = UnaryMathFn32 | BinaryMathFn32;
export type PairedMathFn32 = keyof typeof PAIRED;
/** The two functions each pair computes, in result order. */
export const PAIRS32: Record<PairedMathFn32, readonly [UnaryMathFn32, UnaryMathFn32]> = {
  sincos: ['sin', 'cos'],
  sinhcosh: ['sinh', 'cosh'],
};
export const MATH_FUNCTIONS_32 = [...Object.keys(UNARY), ...Object.keys(BINARY)] as MathFn32[];

export function mathArity32(name: MathFn32): 1 | 2 {
  return name in BINARY ? 2 : 1;
}

export class SimdMath32 {
  readonly module: ModuleBuilder;

  /** Shares `math`'s constant pool and helpers (the exact π/2 reduction), so one module holds both precisions. */
  constructor(readonly math: SimdMath) {
    this.module = math.module;
  }

  /** Index of the f32x4 function for `name` — (v128) -> v128, or (v128, v128) -> v128 for atan2/pow/hypot. */
  fn(name: MathFn32): number {
    return this.build(name, name in BINARY ? BINARY[name as BinaryMathFn32] : UNARY[name as UnaryMathFn32], 1);
  }

  /**
   * Index of the f32x4 function (v128) -> (v128, v128) for a pair: `sincos` returns (sin x, cos x), `sinhcosh`
   * (sinh x, cosh x), the second result on top of the stack after the call; each bit-identical to `fn`'s.
   */
  pair(name: PairedMathFn32): number {
    return this.build(`pair:${name}`, PAIRED[name], 2);
  }

  /** The kernel as a binary64 helper, and the float function calling it on both halves; each built once. */
  private build(name: string, spec: Spec, results: number): number {
    const params: ValType[] = Array.from({ length: spec.arity }, () => V128);
    const outs: ValType[] = Array.from({ length: results }, () => V128);
    const kernel = this.math.helper(`f32-kernel:${name}`, () => {
      const f = this.module.func(params, outs);
      const v = new Vec(f, (bytes) => this.math.constant(bytes));
      const args = params.map((_, i) => v.arg(i));
      for (const e of spec.kernel(v, args, this.math)) e();
      return f.index;
    });
    return this.math.helper(`f32:${name}`, () => {
      const f = this.module.func(params, outs);
      const w = new Vec4(f, (bytes) => this.math.constant(bytes));
      const args = params.map((_, i) => w.arg(i));
      const halves = args.map((a) => w.halves(a));
      const [low, high] = [0, 1].map((h) => {
        const locals = outs.map(() => f.local(V128));
        halves.forEach((pair) => pair[h]());
        f.call(kernel);
        for (let i = locals.length - 1; i >= 0; i--) f.set(locals[i]); // the last result is on top
        return locals.map((l) => w.get(l));
      });
      const joined = low.map((lo, i) => w.let(w.join(lo, high[i])));
      (spec.finish ? spec.finish(w, args, joined) : joined).forEach((e) => e());
      return f.index;
    });
  }
}
