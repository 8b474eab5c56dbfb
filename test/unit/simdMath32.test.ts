import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FunctionBuilder, I32, ModuleBuilder, V128 } from '../../src/engine/kernel/wasm/encoder';
import { SimdMath } from '../../src/engine/kernel/wasm/simdMath';
import {
  MATH_FUNCTIONS_32,
  MathFn32,
  PAIRS32,
  PairedMathFn32,
  SimdMath32,
  mathArity32,
} from '../../src/engine/kernel/wasm/simdMath32';
import { prng } from '../../src/engine/run/starts';

const N = 1_000_000;
const CHUNK = 1 << 16; // floats per call into the module

/**
 * One module: per function `name(a, b, out, vectors)` mapping it over f32x4 vectors in memory, and per pair
 * `pair:name(a, out1, out2, vectors)` storing both results.
 */
function buildModule() {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 64 });
  mod.exportMemory('memory');
  const math = new SimdMath32(new SimdMath(mod));
  /** A loop over `vectors` (the last parameter), advancing the pointer parameters by 16 bytes. */
  const loop = (params: number, pointers: number[], body: (f: FunctionBuilder) => void) => {
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
  for (const name of MATH_FUNCTIONS_32) {
    const target = math.fn(name);
    assert.equal(math.fn(name), target, 'functions are built once');
    const index = loop(4, [0, 1, 2], (f) => {
      f.get(2).get(0).v128Load();
      if (mathArity32(name) === 2) f.get(1).v128Load();
      f.call(target).v128Store();
    });
    mod.exportFunc(name, index);
  }
  for (const pair of Object.keys(PAIRS32) as PairedMathFn32[]) {
    const target = math.pair(pair);
    const index = loop(4, [0, 1, 2], (f) => {
      const second = f.local(V128);
      f.get(0).v128Load().call(target).set(second); // the second result is on top
      f.get(2).get(second).v128Store();
      f.set(second).get(1).get(second).v128Store();
    });
    mod.exportFunc(`pair:${pair}`, index);
  }
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes), 'module validates');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  return { exports: instance.exports as Record<string, unknown>, base: Math.ceil(mod.dataEnd / 16) * 16 };
}

const { exports: wasm, base } = buildModule();
const memory = wasm.memory as WebAssembly.Memory;
const [PA, PB, PO] = [base, base + 4 * CHUNK, base + 8 * CHUNK];

/** Runs `run(a, b, out, vectors)` over xs (and ys) chunk by chunk; returns the floats written at `out`. */
function mapFloats(
  run: (a: number, b: number, o: number, vectors: number) => void,
  xs: Float32Array,
  ys: Float32Array,
) {
  const out = new Float32Array(xs.length);
  const heap = new Float32Array(memory.buffer);
  for (let at = 0; at < xs.length; at += CHUNK) {
    const len = Math.min(CHUNK, xs.length - at);
    heap.set(xs.subarray(at, at + len), PA / 4);
    heap.set(ys.subarray(at, at + len), PB / 4);
    run(PA, PB, PO, Math.ceil(len / 4));
    out.set(heap.subarray(PO / 4, PO / 4 + len), at);
  }
  return out;
}
const evaluate = (name: MathFn32, xs: Float32Array, ys: Float32Array) =>
  mapFloats(wasm[name] as (a: number, b: number, o: number, vectors: number) => void, xs, ys);

const bitsOf = new Int32Array(1);
const floatOf = new Float32Array(bitsOf.buffer);
/** Distance in representable floats (sign-magnitude bit patterns as a line, −0 = +0). */
function ulpDistance(a: number, b: number): number {
  const line = (x: number) => {
    floatOf[0] = x;
    return bitsOf[0] < 0 ? -(bitsOf[0] & 0x7fffffff) : bitsOf[0];
  };
  return Math.abs(line(a) - line(b));
}
function ulpError(got: number, want: number): number {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
  if (got === 0 && want === 0) return Object.is(got, want) ? 0 : Infinity;
  return ulpDistance(got, want);
}

const F = Math.fround;
const FLT_MAX = F(3.4028234663852886e38);
/** Float specials: zeros, subnormals, the normal edge, the float edges of exp, sinh, cosh, tanh and 2^y, huge values. */
const SPECIAL = [
  0,
  -0,
  2 ** -149,
  -(2 ** -149),
  2 ** -126,
  -(2 ** -126),
  2 ** -126 - 2 ** -149,
  1e-30,
  -1e-30,
  2 ** -13,
  2 ** -28,
  0.5,
  -0.5,
  1,
  -1,
  1 + 2 ** -23,
  1 - 2 ** -24,
  2,
  -2,
  3,
  0.1,
  10,
  -10,
  Math.PI,
  -Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  9,
  22,
  -22,
  // both sides of each float edge: exp and expm1 to ∞, exp to subnormal and to 0, sinh and cosh to ∞, tanh to 1
  88.72283172607422,
  88.72283935546875,
  -87.3365478515625,
  -87.33654022216797,
  -103.97208404541016,
  -103.972076416015625,
  89.41598510742188,
  89.4159927368164,
  -89.4159927368164,
  9.010912895202637,
  9.010913848876953,
  -150,
  -149.99998474121094,
  149,
  128,
  1e5,
  1647099.25, // either side of the exact reduction's threshold 2^20·π/2
  1647099.375,
  2 ** 24,
  1e10,
  1e20,
  1e38,
  FLT_MAX,
  -FLT_MAX,
  Infinity,
  -Infinity,
  NaN,
].map(F);

type Gen = (rnd: () => number) => number;
/** Both signs, magnitudes log-uniform over the whole float range (subnormals included). */
const logUniform: Gen = (rnd) => (rnd() < 0.5 ? -1 : 1) * 2 ** (rnd() * 276 - 149) * (1 + rnd());
const uniform =
  (lo: number, hi: number): Gen =>
  (rnd) =>
    lo + (hi - lo) * rnd();
const mix =
  (...gens: Gen[]): Gen =>
  (rnd) =>
    gens[Math.floor(rnd() * gens.length)](rnd);
const positive =
  (g: Gen): Gen =>
  (rnd) =>
    Math.abs(g(rnd));
/** Floats next to multiples of π/2, where the reduction cancels most. */
const nearPiHalf: Gen = (rnd) => Math.round((rnd() - 0.5) * 2 ** (1 + rnd() * 30)) * (Math.PI / 2);
const TRIG = mix(logUniform, uniform(-10, 10), uniform(-1e6, 1e6), nearPiHalf, uniform(1.6e6, 1e9));
const HYPERBOLIC = mix(
  logUniform,
  uniform(-30, 30),
  uniform(-90, 90),
  uniform(-1, 1),
  uniform(88, 90),
  uniform(-90, -88),
);
const LOGARITHM = mix(logUniform, positive(logUniform), uniform(0, 4), uniform(0.7, 1.5));

const DOMAIN: Record<MathFn32, Gen> = {
  exp: mix(logUniform, uniform(-104, 89), uniform(-5, 5)),
  expm1: mix(logUniform, uniform(-20, 89), uniform(-1, 1), uniform(-0.4, 0.4)),
  log: LOGARITHM,
  log1p: mix(logUniform, positive(logUniform), uniform(-1, 4), uniform(-0.3, 0.5)),
  log2: LOGARITHM,
  log10: LOGARITHM,
  sin: TRIG,
  cos: TRIG,
  tan: TRIG,
  asin: mix(logUniform, uniform(-1, 1), uniform(0.9, 1), uniform(-1, -0.9)),
  acos: mix(logUniform, uniform(-1, 1), uniform(0.9, 1), uniform(-1, -0.9)),
  atan: mix(logUniform, uniform(-5, 5)),
  sinh: HYPERBOLIC,
  cosh: HYPERBOLIC,
  tanh: mix(logUniform, uniform(-10, 10), uniform(-1, 1)),
  cbrt: mix(logUniform, uniform(-10, 10)),
  atan2: mix(logUniform, uniform(-5, 5)),
  hypot: mix(logUniform, uniform(-5, 5)),
  pow: mix(logUniform, uniform(-10, 10), uniform(0, 2)),
};
/** pow exponents: general reals, integers (negative bases), H in (0, 1], both-signed log-uniform, overflow range. */
const POW_Y: Gen = mix(
  uniform(-50, 50),
  (r) => Math.round(uniform(-80, 80)(r)),
  (r) => 1 - r(),
  logUniform,
  uniform(-200, 200),
);

/** Max error allowed per function, in float ulp against Math.fround(Math.f(x)). */
const BOUND: Record<MathFn32, number> = Object.fromEntries(MATH_FUNCTIONS_32.map((n) => [n, 1])) as Record<
  MathFn32,
  number
>;

/** Special values first (all pairs for binary functions), then seeded random floats; also returns how many specials. */
function inputs(name: MathFn32, seed: number): [Float32Array, Float32Array, number] {
  const rnd = prng(seed);
  const [xs, ys] = [new Float32Array(N), new Float32Array(N)];
  let k = 0;
  for (const a of SPECIAL)
    for (const b of mathArity32(name) === 2 ? SPECIAL : [0]) {
      [xs[k], ys[k]] = [a, b];
      k++;
    }
  const specials = k;
  const gy = name === 'pow' ? POW_Y : DOMAIN[name];
  for (; k < N; k++) [xs[k], ys[k]] = [DOMAIN[name](rnd), gy(rnd)];
  return [xs, ys, specials];
}

test('f32x4 math: 1e6 floats per function within its bound of Math.fround(Math.f(x)), specials exact', () => {
  const rows = ['function | inputs | max ulp | ≠ reference', '--- | --- | --- | ---'];
  const failures: string[] = [];
  MATH_FUNCTIONS_32.forEach((name, i) => {
    const [xs, ys, specials] = inputs(name, 2024 + i);
    const got = evaluate(name, xs, ys);
    const ref = Math[name] as (a: number, b?: number) => number;
    let [max, differing, worst] = [0, 0, ''];
    for (let k = 0; k < N; k++) {
      const want = F(mathArity32(name) === 2 ? ref(xs[k], ys[k]) : ref(xs[k]));
      const err = ulpError(got[k], want);
      if (err === 0) continue;
      differing++;
      const call = `${name}(${xs[k]}${mathArity32(name) === 2 ? `, ${ys[k]}` : ''}) = ${got[k]}, fround(Math): ${want}`;
      if (k < specials) failures.push(`special ${call}`);
      if (err > max) [max, worst] = [err, call];
    }
    rows.push(`${name} | ${N} | ${max} | ${differing}`);
    if (max > 0) console.log(`worst ${worst} (${max} ulp)`);
    if (max > BOUND[name]) failures.push(`${worst} (${max} ulp, bound ${BOUND[name]})`);
  });
  console.log(rows.join('\n'));
  assert.deepEqual(failures, []);
});

test("f32x4 pow is exact at y = ½, 1, −1 and 2, as Math.fround(Math.pow): the kernel's H = ½ and H = 1 forms give the same bits", () => {
  const rnd = prng(77);
  const xs = Float32Array.from([...SPECIAL, ...Array.from({ length: 40000 }, () => DOMAIN.pow(rnd))]);
  for (const y of [0.5, 1, -1, 2]) {
    const got = evaluate('pow', xs, new Float32Array(xs.length).fill(y));
    xs.forEach((x, k) => {
      const want = F(Math.pow(x, y));
      assert.equal(ulpError(got[k], want), 0, `pow(${x}, ${y}) = ${got[k]}, fround(Math.pow): ${want}`);
    });
  }
});

test('f32x4 pow rounds exact results and float midpoints (b^p·2^k, b^p < 2^27, y = p/2^j) as Math.fround(Math.pow)', () => {
  const [xs, ys] = [[] as number[], [] as number[]];
  for (const q of [1, 2, 4, 8])
    for (let p = q + 1; p < 16 * q; p++)
      for (let b = 3; b ** p < 2 ** 27 && b ** q < 2 ** 24; b += 2)
        for (const k of [0, 5, -9]) {
          xs.push(b ** q * 2 ** (q * k), -(b ** q) * 2 ** (q * k));
          ys.push(p / q, p / q);
        }
  const got = evaluate('pow', Float32Array.from(xs), Float32Array.from(ys));
  const midpoints = xs.filter((x, k) => F(Math.pow(x, ys[k])) !== Math.pow(x, ys[k])).length;
  assert.ok(midpoints > 1000, `${midpoints} of ${xs.length} cases are not floats`);
  xs.forEach((x, k) => {
    const want = F(Math.pow(x, ys[k]));
    assert.equal(ulpError(got[k], want), 0, `pow(${x}, ${ys[k]}) = ${got[k]}, fround(Math.pow): ${want}`);
  });
});

const anyFloat: Gen = (rnd) => new Float32Array(Uint32Array.of(rnd() * 2 ** 32).buffer)[0]; // NaNs too
const PAIR_DOMAIN: Record<PairedMathFn32, Gen> = {
  sincos: mix(TRIG, anyFloat),
  sinhcosh: mix(HYPERBOLIC, anyFloat),
};

for (const [i, pair] of (Object.keys(PAIRS32) as PairedMathFn32[]).entries()) {
  test(`f32x4 ${pair}: both results bit-identical to ${PAIRS32[pair].join(' and ')} on ${N} floats incl. specials`, () => {
    const rnd = prng(4321 + i);
    const xs = new Float32Array(N);
    SPECIAL.forEach((x, k) => (xs[k] = xs[SPECIAL.length + 4 * k + (k % 4)] = x)); // every lane
    for (let k = 5 * SPECIAL.length; k < N; k++) xs[k] = PAIR_DOMAIN[pair](rnd);
    const runPair = wasm[`pair:${pair}`] as (a: number, o1: number, o2: number, vectors: number) => void;
    const first = mapFloats((a, _b, o, n) => runPair(a, o, PB, n), xs, xs);
    const second = mapFloats((a, _b, o, n) => runPair(a, PB, o, n), xs, xs);
    const mismatches: string[] = [];
    PAIRS32[pair].forEach((name, r) => {
      const [got, want] = [r === 0 ? first : second, evaluate(name, xs, xs)];
      const [g, w] = [new Int32Array(got.buffer), new Int32Array(want.buffer)];
      for (let k = 0; k < N && mismatches.length < 10; k++)
        if (g[k] !== w[k]) mismatches.push(`${pair}(${xs[k]}).${name} = ${got[k]}, ${name}: ${want[k]}`);
    });
    assert.deepEqual(mismatches, []);
  });
}
