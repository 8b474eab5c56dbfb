import assert from 'node:assert/strict';
import { test } from 'node:test';
import { I32, ModuleBuilder } from '../../src/engine/kernel/wasm/encoder';
import { MATH_FUNCTIONS, MathFn, SimdMath, mathArity } from '../../src/engine/kernel/wasm/simdMath';
import { prng } from '../../src/engine/run/starts';

const N = 1_000_000;
const CHUNK = 1 << 16; // inputs per call into the module

/** A module with one export per function: map(a, b, out, pairs) applies it to f64x2 pairs in memory. */
function buildModule(names: readonly MathFn[]) {
  const mod = new ModuleBuilder(0);
  mod.setMemory({ min: 32 });
  mod.exportMemory('memory');
  const math = new SimdMath(mod);
  for (const name of names) {
    const target = math.fn(name);
    const f = mod.func([I32, I32, I32, I32], []);
    const [a, b, out, pairs] = [0, 1, 2, 3];
    f.block().loop();
    f.get(pairs).op('i32.eqz').brIf(1);
    f.get(out).get(a).v128Load();
    if (mathArity(name) === 2) f.get(b).v128Load();
    f.call(target).v128Store();
    for (const p of [a, b, out]) f.get(p).i32(16).op('i32.add').set(p);
    f.get(pairs).i32(1).op('i32.sub').set(pairs);
    f.br(0).end().end();
    mod.exportFunc(name, f.index);
  }
  const bytes = mod.encode();
  assert.ok(WebAssembly.validate(bytes), 'module validates');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const base = Math.ceil(mod.dataEnd / 16) * 16;
  return { exports: instance.exports as Record<string, unknown>, base };
}

const { exports: wasm, base } = buildModule(MATH_FUNCTIONS);
const memory = wasm.memory as WebAssembly.Memory;

function evaluate(name: MathFn, xs: Float64Array, ys: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  const heap = new Float64Array(memory.buffer);
  const [pa, pb, po] = [base, base + 8 * CHUNK, base + 16 * CHUNK];
  const map = wasm[name] as (a: number, b: number, o: number, pairs: number) => void;
  for (let at = 0; at < xs.length; at += CHUNK) {
    const len = Math.min(CHUNK, xs.length - at);
    heap.set(xs.subarray(at, at + len), pa / 8);
    heap.set(ys.subarray(at, at + len), pb / 8);
    if (len % 2) heap[pa / 8 + len] = heap[pb / 8 + len] = 0;
    map(pa, pb, po, Math.ceil(len / 2));
    out.set(heap.subarray(po / 8, po / 8 + len), at);
  }
  return out;
}

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
/** Distance in representable doubles (the int64 bit patterns, sign-magnitude → two's complement, −0 = +0). */
function ulpDistance(a: number, b: number): number {
  scratch[0] = a;
  const [ha, la] = words[1] < 0 ? [-(words[1] & 0x7fffffff), -(words[0] >>> 0)] : [words[1], words[0] >>> 0];
  scratch[0] = b;
  const [hb, lb] = words[1] < 0 ? [-(words[1] & 0x7fffffff), -(words[0] >>> 0)] : [words[1], words[0] >>> 0];
  return Math.abs((ha - hb) * 4294967296 + (la - lb)); // exact whenever the distance is below 2^53
}
function ulpError(got: number, want: number): number {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
  if (got === 0 && want === 0) return Object.is(got, want) ? 0 : Infinity;
  return ulpDistance(got, want);
}

const SPECIAL = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  2.225073858507201e-308,
  1e-300,
  -1e-300,
  1e-20,
  -1e-20,
  2 ** -28,
  0.5,
  -0.5,
  1,
  -1,
  1 + 2 ** -52,
  1 - 2 ** -53,
  2,
  -2,
  3,
  -3,
  0.1,
  10,
  -10,
  Math.PI,
  -Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  22,
  -22,
  38.8,
  -38.9,
  709.78,
  709.782712893384,
  709.79,
  710.4758600739439,
  -708.4,
  -745.1,
  -745.1332191019411,
  -745.14,
  1e5,
  1e6,
  1647099.3291,
  1e22,
  -1e22,
  1e300,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  Infinity,
  -Infinity,
  NaN,
];

/** Results that must match Math.* exactly on the special inputs: ±0, ±∞, NaN. */
const special = (r: number) => r === 0 || !Number.isFinite(r);

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

const DOMAIN: Record<MathFn, Gen> = {
  exp: mix(logUniform, uniform(-746, 710), uniform(-5, 5)),
  expm1: mix(logUniform, uniform(-40, 710), uniform(-2, 2), uniform(13, 40), uniform(700, 710)),
  log: mix(logUniform, (r) => Math.abs(logUniform(r)), uniform(0, 4), uniform(0.7, 1.5)),
  log1p: mix(logUniform, (r) => Math.abs(logUniform(r)), uniform(-1, 4), uniform(-0.3, 0.5)),
  log2: mix(logUniform, (r) => Math.abs(logUniform(r)), uniform(0, 4), uniform(0.7, 1.5)),
  log10: mix(logUniform, (r) => Math.abs(logUniform(r)), uniform(0, 4), uniform(0.7, 1.5)),
  sin: mix(logUniform, uniform(-10, 10), uniform(-1e6, 1e6), nearPiHalf),
  cos: mix(logUniform, uniform(-10, 10), uniform(-1e6, 1e6), nearPiHalf),
  tan: mix(logUniform, uniform(-10, 10), uniform(-1e6, 1e6), nearPiHalf),
  asin: mix(logUniform, uniform(-1, 1), uniform(0.9, 1)),
  acos: mix(logUniform, uniform(-1, 1), uniform(0.9, 1), uniform(-1, -0.9)),
  atan: mix(logUniform, uniform(-5, 5)),
  // 708.5 ≤ |x| ≤ 711 is the branch patching lanes near overflow
  sinh: mix(
    logUniform,
    uniform(-30, 30),
    uniform(-711, 711),
    uniform(-1, 1),
    uniform(-3, 3),
    uniform(-711, -708.5),
    uniform(708.5, 711),
  ),
  cosh: mix(
    logUniform,
    uniform(-30, 30),
    uniform(-711, 711),
    uniform(-1, 1),
    uniform(-3, 3),
    uniform(-711, -708.5),
    uniform(708.5, 711),
  ),
  tanh: mix(logUniform, uniform(-25, 25), uniform(-1, 1), uniform(-1.2, 1.2), uniform(17, 23)),
  cbrt: mix(logUniform, uniform(-10, 10)),
  atan2: mix(logUniform, uniform(-5, 5)),
  hypot: mix(logUniform, uniform(-5, 5)),
  pow: mix(logUniform, uniform(-10, 10), uniform(0, 2)),
};
/** pow exponents: general reals, integers (negative bases), H in (0, 1], and huge ones. */
const POW_Y: Gen = mix(
  uniform(-50, 50),
  (r) => Math.round(uniform(-80, 80)(r)),
  (r) => 1 - r(),
  logUniform,
  uniform(-1100, 1100),
);

/** Special values first (all pairs for binary functions), then seeded random inputs; also returns how many specials. */
function inputs(name: MathFn, seed: number): [Float64Array, Float64Array, number] {
  const rnd = prng(seed);
  const gx = DOMAIN[name];
  const gy = name === 'pow' ? POW_Y : gx;
  const xs: number[] = [];
  const ys: number[] = [];
  if (mathArity(name) === 2)
    for (const a of SPECIAL)
      for (const b of SPECIAL) {
        xs.push(a);
        ys.push(b);
      }
  else
    for (const a of SPECIAL) {
      xs.push(a);
      ys.push(0);
    }
  const specials = xs.length;
  while (xs.length < N) {
    xs.push(gx(rnd));
    ys.push(gy(rnd));
  }
  return [Float64Array.from(xs), Float64Array.from(ys), specials];
}

test('vectorized math stays within 2 ulp of Math.* on 1e6 inputs per function, specials exact', () => {
  const rows: string[] = ['function | inputs | max ulp', '--- | --- | ---'];
  const failures: string[] = [];
  MATH_FUNCTIONS.forEach((name, i) => {
    const [xs, ys, specials] = inputs(name, 1234 + i);
    const got = evaluate(name, xs, ys);
    const ref = Math[name] as (a: number, b?: number) => number;
    let max = 0;
    let worst = '';
    for (let k = 0; k < xs.length; k++) {
      const want = mathArity(name) === 2 ? ref(xs[k], ys[k]) : ref(xs[k]);
      const err = ulpError(got[k], want);
      if (k < specials && (special(want) || special(got[k])) && err !== 0)
        failures.push(`special ${name}(${xs[k]}, ${ys[k]}) = ${got[k]}, Math: ${want}`);
      if (err > max) {
        max = err;
        worst = `${name}(${xs[k]}${mathArity(name) === 2 ? `, ${ys[k]}` : ''}) = ${got[k]}, Math: ${want}`;
      }
    }
    rows.push(`${name} | ${xs.length} | ${max}`);
    if (max > 1) console.log(`worst ${worst} (${max} ulp)`);
    if (max > 2) failures.push(`${worst} (${max} ulp)`);
  });
  console.log(rows.join('\n'));
  assert.deepEqual(failures, []);
});

test("pow is exact, as fdlibm's (Math.pow's), at y = ½, 1, −1 and 2: the kernel's H = ½ and H = 1 forms give the same bits", () => {
  const rnd = prng(77);
  const gen = DOMAIN.pow;
  const xs = [...SPECIAL, ...Array.from({ length: 20000 }, () => gen(rnd))];
  for (const y of [0.5, 1, -1, 2]) {
    const got = evaluate('pow', Float64Array.from(xs), new Float64Array(xs.length).fill(y));
    xs.forEach((x, k) =>
      assert.equal(ulpError(got[k], Math.pow(x, y)), 0, `pow(${x}, ${y}) = ${got[k]}, Math: ${Math.pow(x, y)}`),
    );
  }
});

test('pow(|g|, H) with one H for every lane (the power transform; its short path for 0 < H < 4): within an ulp of Math.pow, specials exact', () => {
  const rnd = prng(4242);
  const gen = mix(logUniform, uniform(0, 10), uniform(0, 1e-300));
  const xs = [0, Infinity, NaN, 1];
  const edges = [Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE];
  const all = Float64Array.from([...xs, ...edges, ...Array.from({ length: 20000 }, () => Math.abs(gen(rnd)))]);
  const hs = [1e-9, 0.01, 0.3, 0.4999999999999999, 0.5000000000000001, 0.6, 0.75, 0.999, 1.0000000000000002, 1.5];
  for (const h of [...hs, 2.5, 3.9999999999999996, ...Array.from({ length: 20 }, () => 4 * rnd())]) {
    const got = evaluate('pow', all, new Float64Array(all.length).fill(h));
    all.forEach((x, k) => {
      const want = Math.pow(x, h);
      const err = ulpError(got[k], want);
      assert.ok(k < xs.length ? err === 0 : err <= 1, `pow(${x}, ${h}) = ${got[k]}, Math: ${want} (${err} ulp)`);
    });
  }
});
