// The random streams of DATA-CONVENTIONS.md, each checked against a deliberately plain re-implementation of the
// convention's text written here: mulberry32 in BigInt arithmetic after Ettinger's C reference, one sequential
// stream per purpose, loops as the text words them (no stream skipping, no shared helpers from src/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchesPerEpoch, batchRows, epochOrder, type BatchPlan } from '../../src/engine/data/batchOrder';
import {
  initialParameters,
  startParameters,
  type ParamInit,
  type ParamSpec,
} from '../../src/engine/data/initialParameters';
import { dataOrderSeed, gradientNoise, mix, mulberry32, noiseSeed, streamAt } from '../../src/engine/data/random';
import { splitProblem, splitRows } from '../../src/engine/data/split';
import { makeStarts, prng } from '../../src/engine/run/starts';

const M32 = (1n << 32n) - 1n;

/** mulberry32 as Tommy Ettinger's C: uint32 z = (state += 0x6D2B79F5); z = (z ^ z >> 15) * (z | 1); … */
function plainMulberry32(seed: number): () => number {
  let state = BigInt(seed) & M32;
  return () => {
    state = (state + 0x6d2b79f5n) & M32;
    let z = state;
    z = ((z ^ (z >> 15n)) * (z | 1n)) & M32;
    z = (z ^ ((z + (((z ^ (z >> 7n)) * (z | 61n)) & M32)) & M32)) & M32;
    return Number(z ^ (z >> 14n)) / 2 ** 32;
  };
}

const plainMix = (s: number, r: number) => Number((BigInt(s) + BigInt(r) * 0x9e3779b9n) & M32);
const plainXor = (a: number, b: number) => Number((BigInt(a) ^ BigInt(b)) & M32);
const plainNormal = (u: () => number, mu: number, sigma: number) => {
  const u1 = u();
  const u2 = u();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
};

function plainShuffle(perm: number[], u: () => number): number[] {
  for (let i = perm.length - 1; i >= 1; i--) {
    const j = Math.floor(u() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('mulberry32 equals the C reference bit for bit, and the published outputs for seed 99', () => {
  for (const seed of [0, 1, 99, 2020, 0x6a09e667, 0xffffffff]) {
    const ours = mulberry32(seed);
    const ref = plainMulberry32(seed);
    for (let i = 0; i < 2000; i++) assert.equal(ours(), ref());
  }
  // rtmigo/xrandom_dart, test/mulberry32_test.dart, "Reference values from JS generator": Mulberry32(99).
  const published = [
    1118692146, 3456687457, 2323025554, 2964572940, 4890715, 3511320825, 48751514, 452846334, 1703291702, 2881671998,
  ];
  const next = mulberry32(99);
  assert.deepEqual(
    published.map(() => next() * 2 ** 32),
    published,
  );
});

test('the random starts still draw plain mulberry32: lo + (hi − lo)·u, point after point', () => {
  assert.equal(prng, mulberry32);
  const domain = [
    [-4.5, 4.5],
    [-1, 3],
  ] as const;
  const u = plainMulberry32(7);
  const expected = range(50).map(() => domain.map(([lo, hi]) => lo + (hi - lo) * u()));
  assert.deepEqual(makeStarts({ kind: 'random', n: 50, seed: 7, domain }, 2), expected);
});

test('mix and the per-start seeds: (s + r·0x9E3779B9) mod 2³², then XOR 0x6A09E667 or 0xBB67AE85', () => {
  for (const s of [0, 1, 12345, 0xffffffff])
    for (const r of [0, 1, 2, 49, 1000, 0x7fffffff]) {
      assert.equal(mix(s, r), plainMix(s, r));
      assert.equal(dataOrderSeed(s, r), plainXor(plainMix(s, r), 0x6a09e667));
      assert.equal(noiseSeed(s, r), plainXor(plainMix(s, r), 0xbb67ae85));
    }
});

test('streamAt(s, k) continues mulberry32(s) after k draws, and the state wraps after 2³² draws', () => {
  const seq = plainMulberry32(31);
  const draws = range(20_000).map(() => seq());
  for (const k of [0, 1, 2, 99, 4321, 19_990]) {
    const at = streamAt(31, k);
    for (let i = k; i < Math.min(k + 10, draws.length); i++) assert.equal(at(), draws[i]);
  }
  assert.equal(streamAt(31, 2 ** 32)(), draws[0]);
  assert.equal(streamAt(31, 2 ** 32 + 3)(), draws[3]);
});

const PARAMS: ParamSpec[] = [
  { name: 'W', shape: [3, 4], init: { kind: 'uniform', lo: -0.5, hi: 0.5 } },
  { name: 'b', shape: [3], init: { kind: 'zeros' } },
  { name: 'v', shape: [5], init: { kind: 'normal', mu: 1, sigma: 0.1 } },
  { name: 'c', shape: [1], init: { kind: 'const', value: 2.5 } },
  { name: 'o', shape: [2, 2], init: { kind: 'ones' } },
  { name: 's', shape: [], init: { kind: 'uniform', lo: 2, hi: 3 } },
];

/** DATA-CONVENTIONS "Initial parameters": one stream; start after start; each @param; each element. */
function plainStarts(params: ParamSpec[], seed: number, starts: number): number[][] {
  const u = plainMulberry32(seed);
  const draw = (init: ParamInit): number => {
    if (init.kind === 'uniform') return init.lo + (init.hi - init.lo) * u();
    if (init.kind === 'normal') return plainNormal(u, init.mu, init.sigma);
    if (init.kind === 'const') return init.value;
    return init.kind === 'ones' ? 1 : 0;
  };
  return range(starts).map(() =>
    params.flatMap((p) => range(p.shape.reduce((a, b) => a * b, 1)).map(() => draw(p.init))),
  );
}

test('initial parameters: one stream over starts, @params in order, row-major, as DATA-CONVENTIONS says', () => {
  const expected = plainStarts(PARAMS, 1, 7);
  const all = initialParameters(PARAMS, 1, 7);
  const size = expected[0].length;
  assert.equal(size, 12 + 3 + 5 + 1 + 4 + 1);
  expected.forEach((theta, r) => {
    assert.deepEqual([...all.subarray(r * size, (r + 1) * size)], theta);
    assert.deepEqual([...startParameters(PARAMS, 1, r)], theta, `start ${r} drawn on its own`);
  });
  // The peers' student (shared/perf-peers/datafit): W 4×10 uniform(−0.5, 0.5), b zeros, seed 1.
  const dense: ParamSpec[] = [
    { name: 'W', shape: [4, 10], init: { kind: 'uniform', lo: -0.5, hi: 0.5 } },
    { name: 'b', shape: [4], init: { kind: 'zeros' } },
  ];
  assert.deepEqual([...startParameters(dense, 1, 49)], plainStarts(dense, 1, 50)[49]);
});

/** DATA-CONVENTIONS "Data order", one epoch after another on start r's own stream. */
function plainEpochs(seed: number, r: number, plan: BatchPlan, epochs: number): number[][][] {
  const u = plainMulberry32(plainXor(plainMix(seed, r), 0x6a09e667));
  const n = plan.rows;
  const B = plan.batch;
  const nb = Math.ceil(n / B);
  let once: number[] | undefined;
  return range(epochs).map(() => {
    if (plan.shuffle === 'replace') return range(nb).map(() => range(B).map(() => Math.floor(u() * n)));
    let perm = range(n);
    if (plan.shuffle === 'epoch') plainShuffle(perm, u);
    if (plan.shuffle === 'once') perm = once ??= plainShuffle(range(n), u);
    return range(nb).map((b) => perm.slice(b * B, Math.min((b + 1) * B, n)));
  });
}

function ourEpochs(seed: number, r: number, plan: BatchPlan, epochs: number): number[][][] {
  return range(epochs).map((e) => {
    const order = epochOrder(seed, r, e, plan);
    return range(batchesPerEpoch(plan)).map((b) => [...batchRows(order, b, plan.batch)]);
  });
}

test('batch order: Fisher–Yates every epoch, once, none and replace, each equal to the plain reading', () => {
  for (const shuffle of ['epoch', 'once', 'none', 'replace'] as const)
    for (const [rows, batch] of [
      [10, 3],
      [100, 1],
      [7, 7],
      [5, 8],
      [1, 1],
    ])
      for (const r of [0, 3]) {
        const plan = { rows, batch, shuffle };
        assert.deepEqual(
          ourEpochs(1, r, plan, 4),
          plainEpochs(1, r, plan, 4),
          `${shuffle} n=${rows} B=${batch} r=${r}`,
        );
      }
});

test('an epoch is ceil(n/B) batches; the last is smaller for the shuffles, full with replacement', () => {
  const sizes = (plan: BatchPlan) => ourEpochs(5, 0, plan, 1)[0].map((b) => b.length);
  assert.deepEqual(sizes({ rows: 10, batch: 3, shuffle: 'epoch' }), [3, 3, 3, 1]);
  assert.deepEqual(sizes({ rows: 10, batch: 3, shuffle: 'none' }), [3, 3, 3, 1]);
  assert.deepEqual(sizes({ rows: 10, batch: 3, shuffle: 'replace' }), [3, 3, 3, 3]);
  assert.deepEqual(sizes({ rows: 5, batch: 8, shuffle: 'epoch' }), [5]);
  const epoch = ourEpochs(5, 0, { rows: 10, batch: 3, shuffle: 'epoch' }, 2);
  for (const e of epoch)
    assert.deepEqual(
      e.flat().sort((a, b) => a - b),
      range(10),
      'a permutation',
    );
  assert.notDeepEqual(epoch[0], epoch[1], 'reshuffled');
});

test('the permutation of an epoch does not depend on the batch size, only its slicing does', () => {
  for (const e of [0, 1, 6]) {
    const one = epochOrder(9, 2, e, { rows: 30, batch: 1, shuffle: 'epoch' });
    assert.deepEqual(epochOrder(9, 2, e, { rows: 30, batch: 7, shuffle: 'epoch' }), one);
    assert.deepEqual(epochOrder(9, 2, e, { rows: 30, batch: 30, shuffle: 'epoch' }), one);
  }
});

test('a long run, the peers’ workload: 100 training rows, batch 1, 45 epochs, seed 1, start 7', () => {
  const plan: BatchPlan = { rows: 100, batch: 1, shuffle: 'epoch' };
  assert.deepEqual(ourEpochs(1, 7, plan, 45), plainEpochs(1, 7, plan, 45));
});

test('gradient noise: start r’s own stream, z = √(−2 ln(1 − u₁))·cos(2π u₂) in order, any block of steps', () => {
  const dim = 3;
  for (const r of [0, 4]) {
    const u = plainMulberry32(plainXor(plainMix(77, r), 0xbb67ae85));
    const z = range(20 * dim).map(() => plainNormal(u, 0, 1));
    assert.deepEqual([...gradientNoise(77, r, 0, 20, dim)], z);
    assert.deepEqual([...gradientNoise(77, r, 5, 7, dim)], z.slice(5 * dim, 12 * dim));
  }
});

test('streams depend on the seed and the start only: order of calls, other starts and other streams do not matter', () => {
  const plan: BatchPlan = { rows: 20, batch: 4, shuffle: 'epoch' };
  const alone = {
    theta: startParameters(PARAMS, 3, 5),
    order: epochOrder(3, 5, 2, plan),
    noise: gradientNoise(3, 5, 10, 4, 2),
  };
  // Draw everything else first, in another order; nothing is shared between calls.
  initialParameters(PARAMS, 3, 9);
  for (let r = 8; r >= 0; r--) for (let e = 3; e >= 0; e--) epochOrder(3, r, e, plan);
  gradientNoise(3, 4, 0, 50, 2);
  assert.deepEqual(startParameters(PARAMS, 3, 5), alone.theta);
  assert.deepEqual(epochOrder(3, 5, 2, plan), alone.order);
  assert.deepEqual(gradientNoise(3, 5, 10, 4, 2), alone.noise);
  // Different starts and seeds give different draws.
  assert.notDeepEqual(startParameters(PARAMS, 3, 6), alone.theta);
  assert.notDeepEqual(epochOrder(3, 6, 2, plan), alone.order);
  assert.notDeepEqual(epochOrder(4, 5, 2, plan), alone.order);
  assert.notDeepEqual(gradientNoise(3, 6, 10, 4, 2), alone.noise);
});

/** DATA-CONVENTIONS "Split": shuffle rows with mulberry32(splitSeed) unless ordered; the first count train. */
function plainSplit(rows: number, size: number, seed = 0, ordered = false) {
  const perm = ordered ? range(rows) : plainShuffle(range(rows), plainMulberry32(seed));
  const count = size < 1 ? Math.floor(size * rows) : size;
  return { train: perm.slice(0, count), test: perm.slice(count) };
}

test('the split: a count or a floored fraction, shuffled by mulberry32(splitSeed) (0 by default), or ordered', () => {
  const same = (rows: number, spec: Parameters<typeof splitRows>[1], expected: { train: number[]; test: number[] }) => {
    const s = splitRows(rows, spec);
    assert.deepEqual({ train: [...s.train], test: [...s.test] }, expected);
  };
  same(200, { size: 100, ordered: true }, { train: range(100), test: range(100).map((i) => i + 100) });
  same(200, { size: 100 }, plainSplit(200, 100));
  same(150, { size: 0.8 }, plainSplit(150, 0.8));
  same(7, { size: 0.5, seed: 3 }, plainSplit(7, 0.5, 3));
  same(10, { size: 10, seed: 1 }, plainSplit(10, 10, 1));
  same(5, undefined, { train: range(5), test: [] });
  assert.equal(splitRows(150, { size: 0.8 }).train.length, 120);
  assert.equal(splitRows(7, { size: 0.5 }).train.length, 3, 'floored');
});

test('split problems are messages, and splitRows refuses them', () => {
  assert.match(splitProblem({ size: 0 }, 10)!, /row count/);
  assert.match(splitProblem({ size: 1.5 }, 10)!, /neither a row count/);
  assert.match(splitProblem({ size: 11 }, 10)!, /asks for 11 training rows; the data has 10/);
  assert.match(splitProblem({ size: 0.05 }, 10)!, /leaves no training row/);
  assert.match(splitProblem({ size: 5, ordered: true, seed: 2 }, 10)!, /takes no seed/);
  assert.match(splitProblem({ size: 5, seed: -1 }, 10)!, /seed must be an integer/);
  assert.equal(splitProblem({ size: 1 }, 10), undefined, '1 is one row');
  assert.throws(() => splitRows(10, { size: 11 }), RangeError);
});
