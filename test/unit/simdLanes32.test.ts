import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Graph,
  evalBinary,
  evalUnary,
  evaluate,
  isTruthOp,
  type BinaryOp,
  type UnaryOp,
} from '../../src/engine/expr/ir';
import { F32, I32, ModuleBuilder, V128 } from '../../src/engine/kernel/wasm/encoder';
import type { E } from '../../src/engine/kernel/wasm/simdDsl';
import { Vec4 } from '../../src/engine/kernel/wasm/simdDsl32';
import {
  LANE_BINARY_32,
  LANE_UNARY_32,
  LaneBinary32,
  LaneUnary32,
  copysign32,
  mask32,
  num32,
  select32,
} from '../../src/engine/kernel/wasm/simdLanes32';
import { prng } from '../../src/engine/run/starts';

const N = 200_000;
/** The logic ops take masks (the emitter's `mask` of each operand); every truth-valued op gives one. */
const MASK_IN = new Set<string>(['not', 'and', 'or']);

/** A lane form as the code generator would use it: numbers in (masks where the op takes them), a number out. */
type Case = { emit: (w: Vec4, a: E, b: E, c: E) => E; ref: (a: number, b: number, c: number) => number };

const asNumber = (w: Vec4, op: string, r: E): E => (isTruthOp(op as UnaryOp | BinaryOp) ? num32(w, r) : r);
const asOperand = (w: Vec4, op: string, x: E): E => (MASK_IN.has(op) ? mask32(w, x) : x);
const signBit = (x: number) => new Int32Array(Float32Array.of(x).buffer)[0] < 0;
const select = (() => {
  const g = new Graph();
  const node = g.select(g.input('c'), g.input('a'), g.input('b'));
  return (a: number, b: number, c: number) => evaluate(g, { a, b, c }, [node])[0];
})();

const CASES: Record<string, Case> = {
  ...Object.fromEntries(
    (Object.keys(LANE_UNARY_32) as LaneUnary32[]).map((op): [string, Case] => [
      op,
      { emit: (w, a) => asNumber(w, op, LANE_UNARY_32[op](w, asOperand(w, op, a))), ref: (a) => evalUnary(op, a) },
    ]),
  ),
  ...Object.fromEntries(
    (Object.keys(LANE_BINARY_32) as LaneBinary32[]).map((op): [string, Case] => [
      op,
      {
        emit: (w, a, b) => asNumber(w, op, LANE_BINARY_32[op](w, asOperand(w, op, a), asOperand(w, op, b))),
        ref: (a, b) => evalBinary(op, a, b),
      },
    ]),
  ),
  select: { emit: (w, a, b, c) => select32(w, mask32(w, c), a, b), ref: select },
  copysign: { emit: (w, a, b) => copysign32(w, a, b), ref: (a, b) => (signBit(b) ? -1 : 1) * Math.abs(a) },
};
const show = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** One export per case: name(a, b, c, out, vectors) over f32x4 vectors. */
function buildModule() {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 64 });
  mod.exportMemory('memory');
  for (const [name, { emit }] of Object.entries(CASES)) {
    const f = mod.func([I32, I32, I32, I32, I32], []);
    const w = new Vec4(f);
    f.block().loop();
    f.get(4).op('i32.eqz').brIf(1);
    const [a, b, c] = [0, 1, 2].map((p) => w.let(() => f.get(p).v128Load()));
    f.get(3);
    emit(w, a, b, c)();
    f.v128Store();
    for (const p of [0, 1, 2, 3]) f.get(p).i32(16).op('i32.add').set(p);
    f.get(4).i32(1).op('i32.sub').set(4);
    f.br(0).end().end();
    mod.exportFunc(name, f.index);
  }
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes), 'module validates');
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, unknown>;
}

test("f32x4 lane operations equal Math.fround of the IR's own evaluation, bit for bit (±0 and NaN included)", () => {
  const wasm = buildModule();
  const heap = new Float32Array((wasm.memory as WebAssembly.Memory).buffer);
  const rnd = prng(99);
  const specials = [
    0,
    -0,
    2 ** -149,
    -(2 ** -149),
    2 ** -126,
    1,
    -1,
    0.5,
    3,
    -3,
    3.4028234663852886e38,
    Infinity,
    -Infinity,
    NaN,
  ];
  const random = () =>
    rnd() < 0.2
      ? specials[Math.floor(rnd() * specials.length)]
      : (rnd() < 0.5 ? -1 : 1) * 2 ** (rnd() * 276 - 149) * (1 + rnd());
  const [xs, ys, zs] = [0, 1, 2].map(() => new Float32Array(N));
  let k = 0;
  for (const a of specials)
    for (const b of specials) {
      [xs[k], ys[k], zs[k]] = [a, b, specials[k % specials.length]];
      k++;
    }
  for (; k < N; k++) [xs[k], ys[k], zs[k]] = [random(), rnd() < 0.1 ? xs[k] : random(), random()]; // some equal pairs
  heap.set(xs, 0);
  heap.set(ys, N);
  heap.set(zs, 2 * N);
  const failures: string[] = [];
  for (const [name, { ref }] of Object.entries(CASES)) {
    (wasm[name] as (a: number, b: number, c: number, o: number, n: number) => void)(0, 4 * N, 8 * N, 12 * N, N / 4);
    const got = heap.subarray(3 * N, 4 * N);
    for (let i = 0, shown = 0; i < N && shown < 3; i++) {
      const want = Math.fround(ref(xs[i], ys[i], zs[i]));
      if (Number.isNaN(want) ? Number.isNaN(got[i]) : Object.is(got[i], want)) continue;
      shown++;
      failures.push(`${name}(${[xs[i], ys[i], zs[i]].map(show)}) = ${show(got[i])}, fround(IR): ${show(want)}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('encoder: binary32 scalars, f32x4 constants and lanes, i8x16.shuffle', () => {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 1 });
  mod.exportMemory('memory');
  // run(): mem[16..31] = (mem[0] as f32, 2.5, lane 3 of {1, 2, 3, 4}·mem[4], 0.1f) as f32x4, its halves swapped
  const f = mod.func([], [F32]);
  const lanes = f.local(V128);
  f.f32x4(1, 2, 3, 4).i32(0).mem('f32.load', 4).simd('f32x4.splat').simd('f32x4.mul').set(lanes);
  f.i32(16).f32x4(0, 2.5, 0, 0.1).i32(0).mem('f32.load').f32x4ReplaceLane(0);
  f.get(lanes).f32x4ExtractLane(3).f32x4ReplaceLane(2);
  f.f32x4(0).i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]).v128Store();
  f.i32(32).f32(-0.1).mem('f32.store');
  f.get(lanes).f32x4ExtractLane(1);
  mod.exportFunc('run', f.index);
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const heap = new Float32Array((exports.memory as WebAssembly.Memory).buffer);
  heap.set([7, 0.5]);
  assert.equal((exports.run as () => number)(), 1);
  assert.deepEqual(Array.from(heap.subarray(4, 9)), [2, Math.fround(0.1), 7, 2.5, Math.fround(-0.1)]);
  assert.throws(() => f.i8x16Shuffle([0, 1]));
});
