import assert from 'node:assert/strict';
import { test } from 'node:test';
import { I32, ModuleBuilder, V128 } from '../../src/engine/kernel/wasm/encoder';
import { PAIRS, PairedMathFn, SimdMath, UnaryMathFn } from '../../src/engine/kernel/wasm/simdMath';
import { prng } from '../../src/engine/run/starts';

const N = 1_000_000;
const CHUNK = 1 << 16; // inputs per call into the module

/**
 * One module with, per pair, `pair:<name>(a, out1, out2, vectors)` storing both results of the paired function,
 * and per member function `<name>(a, out, vectors)` applying the separate function.
 */
function buildModule() {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 32 });
  mod.exportMemory('memory');
  const math = new SimdMath(mod);
  const loop = (params: number, body: (f: ReturnType<ModuleBuilder['func']>) => void, pointers: number[]) => {
    const f = mod.func(Array(params).fill(I32), []);
    const count = params - 1;
    f.block().loop();
    f.get(count).op('i32.eqz').brIf(1);
    body(f);
    for (const p of pointers) f.get(p).i32(16).op('i32.add').set(p);
    f.get(count).i32(1).op('i32.sub').set(count);
    f.br(0).end().end();
    return f.index;
  };
  for (const [pair, members] of Object.entries(PAIRS) as [PairedMathFn, readonly UnaryMathFn[]][]) {
    const index = math.pair(pair);
    assert.equal(math.pair(pair), index, 'pair functions are built once');
    mod.exportFunc(
      `pair:${pair}`,
      loop(
        4,
        (f) => {
          const second = f.local(V128);
          f.get(0).v128Load().call(index).set(second); // (first, second): the second result is on top
          f.get(2).get(second).v128Store();
          f.set(second).get(1).get(second).v128Store();
        },
        [0, 1, 2],
      ),
    );
    for (const name of members) {
      const fn = math.fn(name);
      mod.exportFunc(
        name,
        loop(
          3,
          (f) => {
            f.get(1).get(0).v128Load().call(fn).v128Store();
          },
          [0, 1],
        ),
      );
    }
  }
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes), 'module validates');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  return { exports: instance.exports as Record<string, unknown>, base: Math.ceil(mod.dataEnd / 16) * 16 };
}

const { exports: wasm, base } = buildModule();
const memory = wasm.memory as WebAssembly.Memory;

/** Runs the pair and its two member functions over xs; returns [pair first, pair second, member 1, member 2]. */
function evaluate(pair: PairedMathFn, xs: Float64Array): Float64Array[] {
  const results = [0, 1, 2, 3].map(() => new Float64Array(xs.length));
  const heap = new Float64Array(memory.buffer);
  const [pa, p1, p2] = [base, base + 8 * CHUNK, base + 16 * CHUNK];
  const runPair = wasm[`pair:${pair}`] as (a: number, o1: number, o2: number, vectors: number) => void;
  const members = PAIRS[pair].map((name) => wasm[name] as (a: number, o: number, vectors: number) => void);
  for (let at = 0; at < xs.length; at += CHUNK) {
    const len = Math.min(CHUNK, xs.length - at);
    heap.set(xs.subarray(at, at + len), pa / 8);
    if (len % 2) heap[pa / 8 + len] = 0;
    const vectors = Math.ceil(len / 2);
    const take = (o: number, into: Float64Array) => into.set(heap.subarray(o / 8, o / 8 + len), at);
    runPair(pa, p1, p2, vectors);
    take(p1, results[0]);
    take(p2, results[1]);
    members.forEach((run, i) => {
      run(pa, p1, vectors);
      take(p1, results[2 + i]);
    });
  }
  return results;
}

type Gen = (rnd: () => number) => number;
const logUniform: Gen = (rnd) => (rnd() < 0.5 ? -1 : 1) * 2 ** (rnd() * 2098 - 1074) * (1 + rnd());
const uniform =
  (lo: number, hi: number): Gen =>
  (rnd) =>
    lo + (hi - lo) * rnd();
const mix =
  (...gens: Gen[]): Gen =>
  (rnd) =>
    gens[Math.floor(rnd() * gens.length)](rnd);
const nearPiHalf: Gen = (rnd) => Math.round((rnd() - 0.5) * 2 ** (1 + rnd() * 40)) * (Math.PI / 2);
const bits: Gen = (rnd) => new Float64Array(Uint32Array.of(rnd() * 2 ** 32, rnd() * 2 ** 32).buffer)[0]; // any double, NaNs too

const DOMAIN: Record<PairedMathFn, Gen> = {
  // huge arguments take the Payne–Hanek branch (|x| ≥ 2^20·π/2), in either lane
  sincos: mix(logUniform, uniform(-10, 10), uniform(-1e6, 1e6), nearPiHalf, uniform(1.6e6, 1e9), bits),
  // 709 ≤ |x| takes the overflow-edge branch
  sinhcosh: mix(logUniform, uniform(-30, 30), uniform(-1, 1), uniform(-711, 711), uniform(708.5, 711), bits),
};

const SPECIAL = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1e-300,
  2 ** -28,
  2 ** -54,
  0.3465735902799726,
  0.34657359027997264,
  0.5,
  1,
  -1,
  2,
  Math.PI / 4,
  Math.PI / 2,
  Math.PI,
  22,
  -22,
  38.8,
  709,
  709.78,
  709.782712893384,
  709.79,
  710.4758600739439,
  710.476,
  -710.4758600739439,
  711,
  1647099.3291,
  1e22,
  1e300,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  Infinity,
  -Infinity,
  NaN,
];

const u64 = (a: Float64Array) => new BigUint64Array(a.buffer, a.byteOffset, a.length);

for (const [i, pair] of (Object.keys(PAIRS) as PairedMathFn[]).entries()) {
  test(`${pair}: both results bit-identical to ${PAIRS[pair].join(' and ')} on ${N} inputs incl. specials`, () => {
    const rnd = prng(4321 + i);
    const xs = new Float64Array(N);
    SPECIAL.forEach((x, k) => {
      xs[k] = x;
      xs[SPECIAL.length + 2 * k + ((k + 1) % 2)] = x;
    }); // both lanes
    for (let k = 3 * SPECIAL.length; k < N; k++) xs[k] = DOMAIN[pair](rnd);
    const [first, second, sep1, sep2] = evaluate(pair, xs);
    const mismatches: string[] = [];
    for (const [got, want, name] of [
      [first, sep1, PAIRS[pair][0]],
      [second, sep2, PAIRS[pair][1]],
    ] as const) {
      const [g, w] = [u64(got), u64(want)];
      for (let k = 0; k < N && mismatches.length < 10; k++) {
        if (g[k] !== w[k]) mismatches.push(`${pair}(${xs[k]}).${name} = ${got[k]}, ${name}: ${want[k]}`);
      }
    }
    assert.deepEqual(mismatches, []);
    // sanity: the separate functions are the ones measured against Math.* (simdMath.test.ts)
    const ref = PAIRS[pair].map((name) => Math[name]);
    assert.ok(Object.is(first[0], ref[0](0)) && Object.is(second[1], ref[1](-0)));
  });
}

test('encoder: immutable v128 constant globals and a (v128) -> (v128, v128) function', () => {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 1 });
  mod.exportMemory('memory');
  const g = mod.constV128(new Uint8Array(Float64Array.of(1.5, -2).buffer));
  assert.throws(() => mod.constV128(new Uint8Array(8)));
  const two = mod.func([V128], [V128, V128]); // (x + g, x · g)
  two.get(0).globalGet(g).simd('f64x2.add').get(0).globalGet(g).simd('f64x2.mul');
  const run = mod.func([I32], []); // out[0..1] = x + g, out[2..3] = x · g, x = mem[0..1]
  const second = run.local(V128);
  run.get(0).v128Load().call(two.index).set(second);
  const first = run.local(V128);
  run.set(first).i32(16).get(first).v128Store().i32(32).get(second).v128Store();
  mod.exportFunc('run', run.index);
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const heap = new Float64Array((exports.memory as WebAssembly.Memory).buffer);
  heap.set([4, 8]);
  (exports.run as (x: number) => void)(0);
  assert.deepEqual(Array.from(heap.subarray(2, 6)), [5.5, 6, 6, -16]);
});
