/**
 * The random streams of DATA-CONVENTIONS.md ("Random numbers"), one place for all of them.
 *
 * Every draw is mulberry32 (Tommy Ettinger, 2017): a 32-bit state that advances by the constant 0x6D2B79F5
 * per draw, mixed into an output uint32 u32, returned as u = u32 / 2³² in [0, 1). Because the state is a
 * Weyl sequence, the stream mulberry32(s) after k draws is exactly mulberry32((s + k·0x6D2B79F5) mod 2³²);
 * `streamAt` uses this to start any epoch, start or step without replaying the draws before it.
 *
 * The streams (seed: the run's seed; r: the start, 0…N−1; mix(s, r) = (s + r·0x9E3779B9) mod 2³², the
 * golden-ratio increment):
 *   - initial parameters  mulberry32(seed), one stream for all starts, start r after r·(draws per start)
 *   - data order          mulberry32(mix(seed, r) XOR 0x6A09E667), Fisher–Yates per epoch (batchOrder.ts)
 *   - gradient noise      mulberry32(mix(seed, r) XOR 0xBB67AE85), z in order, two draws each
 *   - split               mulberry32(splitSeed), splitSeed = 0 unless `@split N seed S` (split.ts)
 * The two XOR constants are the first two SHA-256 initial hash words (fractional parts of √2 and √3): arbitrary
 * but public, so that a start's order and noise streams differ from each other and from the start stream.
 * None of them sees the optimizer or its hyperparameters: at start r every configuration draws the same numbers.
 *
 * Draws become numbers as DATA-CONVENTIONS writes them, evaluated left to right in float64:
 *   uniform(lo, hi)     lo + (hi − lo)·u
 *   normal(mu, sigma)   mu + sigma·√(−2 ln(1 − u₁))·cos(2π·u₂), u₁ then u₂ (Box–Muller, cosine branch only)
 * so an independent implementation that writes the same expressions gets the same bits.
 */

/** The Weyl increment of mulberry32's state. */
const MULBERRY32_STEP = 0x6d2b79f5;
/** mix's increment: 2³²/φ, the golden-ratio constant of Fibonacci hashing. */
const GOLDEN_RATIO_32 = 0x9e3779b9;
/** Salt of the data-order streams: SHA-256's H0 (first 32 bits of the fractional part of √2). */
export const DATA_ORDER_SALT = 0x6a09e667;
/** Salt of the gradient-noise streams: SHA-256's H1 (first 32 bits of the fractional part of √3). */
export const NOISE_SALT = 0xbb67ae85;

/** mulberry32: small, fast and fully determined by its 32-bit seed, so a run's seed reproduces its draws. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + MULBERRY32_STEP) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stream mulberry32(seed) with its first `skip` draws already taken (see the module comment). */
export function streamAt(seed: number, skip: number): () => number {
  if (!Number.isSafeInteger(skip) || skip < 0) throw new RangeError(`bad stream offset ${skip}`);
  // Math.imul reduces skip mod 2³² first, which is exact: the state only lives mod 2³².
  return mulberry32((seed + Math.imul(skip, MULBERRY32_STEP)) >>> 0);
}

/** mix(s, r) = (s + r·0x9E3779B9) mod 2³². */
export function mix(seed: number, start: number): number {
  return ((seed >>> 0) + Math.imul(start, GOLDEN_RATIO_32)) >>> 0;
}

/** Seed of start r's data-order stream: mix(seed, r) XOR 0x6A09E667. */
export function dataOrderSeed(seed: number, start: number): number {
  return (mix(seed, start) ^ DATA_ORDER_SALT) >>> 0;
}

/** Seed of start r's gradient-noise stream: mix(seed, r) XOR 0xBB67AE85. */
export function noiseSeed(seed: number, start: number): number {
  return (mix(seed, start) ^ NOISE_SALT) >>> 0;
}

export function uniformDraw(next: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * next();
}

/** normal(mu, sigma) from two draws, u₁ first; 1 − u₁ is in (0, 1], so the logarithm is finite. */
export function normalDraw(next: () => number, mu: number, sigma: number): number {
  const u1 = next();
  const u2 = next();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Gradient noise of start r: z for `steps` consecutive steps from `firstStep` (0-based), `dim` coordinates
 * each, row-major (step, coordinate). Each z is normal(0, 1), two draws, so step t starts at draw 2·t·dim.
 * The runner adds sigma·z to each gradient coordinate before any optimizer transform.
 */
export function gradientNoise(
  seed: number,
  start: number,
  firstStep: number,
  steps: number,
  dim: number,
): Float64Array {
  const next = streamAt(noiseSeed(seed, start), 2 * firstStep * dim);
  const z = new Float64Array(steps * dim);
  for (let i = 0; i < z.length; i++) z[i] = normalDraw(next, 0, 1);
  return z;
}
