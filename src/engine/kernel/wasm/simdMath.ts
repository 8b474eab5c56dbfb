// Vectorized elementary functions on f64x2, emitted into a module on first use. Each is an internal function
// (v128[, v128]) -> v128 computed entirely in wasm (no calls out to JavaScript), accurate to about one ulp
// against Math.* (see test/unit/simdMath.test.ts for the measured maxima); `pair` gives (v128) -> (v128, v128)
// functions computing two of them at once (simdPairs.test.ts). Constants are immutable v128 globals, one per
// distinct value: V8 reads one with a single load, where it builds a v128.const in three instructions.
import type { BinaryOp, UnaryOp } from '../../expr/ir';
import { FunctionBuilder, ModuleBuilder, V128 } from './encoder';
import { E, Vec } from './simdDsl';
import { cosh, exp, expm1, log, log10, log1p, log2, sinh, sinhcosh, tanh } from './simdExpLog';
import { cbrt, hypot, pow } from './simdPow';
import { acos, asin, atan, atan2, cos, sin, sincos, tan } from './simdTrig';

type Unary = (v: Vec, m: SimdMath, x: E) => E;
type Binary = (v: Vec, m: SimdMath, x: E, y: E) => E;
type Paired = (v: Vec, m: SimdMath, x: E) => [E, E];

/** Operations nodeEmitter.ts writes inline (a SIMD instruction or a few bit operations): every other has a function here. */
export type InlineUnaryOp = 'neg' | 'abs' | 'sign' | 'sqrt' | 'not';
export type InlineBinaryOp =
  'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'and' | 'or';
export type UnaryMathFn = Exclude<UnaryOp, InlineUnaryOp>;
export type BinaryMathFn = Exclude<BinaryOp, InlineBinaryOp>;
export type MathFn = UnaryMathFn | BinaryMathFn;

// Keyed by the op unions less the inline ops, so that a new operation needs a vector function or an inline form.
const UNARY: { readonly [P in UnaryMathFn]: Unary } = {
  exp,
  expm1,
  log,
  log1p,
  log2,
  log10,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  cbrt,
};
const BINARY: { readonly [P in BinaryMathFn]: Binary } = { atan2, pow, hypot };
/** Two functions of the same argument sharing their work; each result is bit-identical to its own function's. */
const PAIRED = { sincos, sinhcosh } as const;

export type PairedMathFn = keyof typeof PAIRED;
/** The two functions each pair computes, in result order. */
export const PAIRS: Record<PairedMathFn, readonly [UnaryMathFn, UnaryMathFn]> = {
  sincos: ['sin', 'cos'],
  sinhcosh: ['sinh', 'cosh'],
};
export const MATH_FUNCTIONS = [...Object.keys(UNARY), ...Object.keys(BINARY)] as MathFn[];

export function mathArity(name: MathFn): 1 | 2 {
  return name in BINARY ? 2 : 1;
}

export class SimdMath {
  private readonly index = new Map<string, number>();
  private readonly constants = new Map<string, number>();

  constructor(readonly module: ModuleBuilder) {}

  /** Index of the internal function for `name` — (v128) -> v128, or (v128, v128) -> v128 for atan2/pow/hypot. */
  fn(name: MathFn): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    const arity = mathArity(name);
    const f = this.module.func(arity === 2 ? [V128, V128] : [V128], [V128]);
    this.index.set(name, f.index); // before the body: bodies may call other functions (sinh → expm1)
    const v = this.vec(f);
    const body =
      arity === 2
        ? BINARY[name as BinaryMathFn](v, this, v.arg(0), v.arg(1))
        : UNARY[name as UnaryMathFn](v, this, v.arg(0));
    body();
    return f.index;
  }

  /**
   * Index of the internal function (v128) -> (v128, v128) for a pair: `sincos` returns (sin x, cos x),
   * `sinhcosh` returns (sinh x, cosh x) — the second result on top of the stack after the call. Each result is
   * bit-identical to the separate function's (`fn('sin')`, …), so a program may use either form.
   */
  pair(name: PairedMathFn): number {
    const key = `pair:${name}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const f = this.module.func([V128], [V128, V128]);
    this.index.set(key, f.index);
    const v = this.vec(f);
    const [first, second] = (PAIRED[name] as Paired)(v, this, v.arg(0));
    first();
    second();
    return f.index;
  }

  private vec(f: FunctionBuilder): Vec {
    return new Vec(f, (bytes) => this.constant(bytes));
  }

  /** Index of the immutable v128 global holding these 16 bytes (one per distinct constant, shared by all functions). */
  constant(bytes: Uint8Array): number {
    const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const global = this.module.constV128(Uint8Array.from(bytes));
    this.constants.set(key, global);
    return global;
  }

  /** A shared helper function (scalar or vector) built once per module, keyed by name. */
  helper(key: string, build: () => number): number {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const i = build();
    this.index.set(key, i);
    return i;
  }
}
