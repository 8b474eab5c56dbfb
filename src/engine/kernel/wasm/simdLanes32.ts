// The step's non-transcendental operations on f32x4 (four binary32 lanes), with the IR's semantics (ir.ts
// evalUnary / evalBinary) followed by Math.fround — what the code generator emits for `--precision f32`; the
// transcendental ones are simdMath32.ts's. Arithmetic and √ are single instructions: IEEE float operations round
// as Math.fround of the binary64 result does (binary64 carries more than 2·24 + 2 bits). f32x4.min/max are
// Math.min/Math.max (NaN if either is NaN, −0 below +0).
// As in the f64 emitter, comparisons and logic produce lane masks (all ones / all zeros); `num32` turns a mask into
// the IR's 1 or 0, `mask32` a number into a mask (true where ≠ 0, NaN included, as `c !== 0`).
import type { BinaryOp, UnaryOp } from '../../expr/ir';
import type { E } from './simdDsl';
import type { Vec4 } from './simdDsl32';
import type { BinaryMathFn32, UnaryMathFn32 } from './simdMath32';

export type LaneUnary32 = Exclude<UnaryOp, UnaryMathFn32>;
export type LaneBinary32 = Exclude<BinaryOp, BinaryMathFn32>;

/** A truth mask as the IR's number: 1 or 0 (the mask's bits and'ed with 1.0f). */
export const num32 = (w: Vec4, mask: E): E => w.and(mask, w.c(1));
/** A number as a truth mask: set where it is not 0, NaN included. */
export const mask32 = (w: Vec4, x: E): E => w.ne(x, w.c(0));
/** The IR's select(c, a, b) = c !== 0 ? a : b, for a mask c. */
export const select32 = (w: Vec4, c: E, a: E, b: E): E => w.sel(c, a, b);
/** |m| with the sign bit of s (copysign; NaN's sign bit counts). */
export const copysign32 = (w: Vec4, m: E, s: E): E => w.withSign(w.abs(m), s);

/**
 * Unary operations, number in (a mask for `not`), number out (a mask for `not`). Math.sign: ±1 with x's sign
 * where x is not zero, x itself for ±0 and NaN (neither < 0 nor > 0).
 */
export const LANE_UNARY_32: Record<LaneUnary32, (w: Vec4, x: E) => E> = {
  neg: (w, x) => w.neg(x),
  abs: (w, x) => w.abs(x),
  sqrt: (w, x) => w.sqrt(x),
  sign: (w, x) => w.sel(w.or(w.lt(x, w.c(0)), w.gt(x, w.c(0))), w.withSign(w.c(1), x), x),
  not: (w, m) => w.not(m),
};

/** Binary operations: numbers in and a number out, but comparisons (mask out) and `and`/`or` (masks in and out). */
export const LANE_BINARY_32: Record<LaneBinary32, (w: Vec4, a: E, b: E) => E> = {
  add: (w, a, b) => w.add(a, b),
  sub: (w, a, b) => w.sub(a, b),
  mul: (w, a, b) => w.mul(a, b),
  div: (w, a, b) => w.div(a, b),
  min: (w, a, b) => w.min(a, b),
  max: (w, a, b) => w.max(a, b),
  lt: (w, a, b) => w.lt(a, b),
  le: (w, a, b) => w.le(a, b),
  gt: (w, a, b) => w.gt(a, b),
  ge: (w, a, b) => w.ge(a, b),
  eq: (w, a, b) => w.eq(a, b),
  and: (w, a, b) => w.and(a, b),
  or: (w, a, b) => w.or(a, b),
};
