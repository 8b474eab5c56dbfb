/** Start points: uniform random in the domain from a seeded PRNG, a grid, or an explicit list. */
import { mulberry32 } from '../data/random';

/** The random starts' generator: mulberry32, shared with the data streams (data/random.ts). */
export { mulberry32 as prng };

export type Domain = readonly (readonly [number, number])[];

export type StartSpec =
  | { readonly kind: 'random'; readonly n: number; readonly seed: number; readonly domain: Domain }
  | { readonly kind: 'grid'; readonly perAxis: number; readonly domain: Domain }
  | { readonly kind: 'list'; readonly points: readonly (readonly number[])[] };

/**
 * Where starts are drawn and the landscape is plotted when a function has no @domain, for the extension and the
 * CLI alike: [−5, 5] per variable, the search box of the COCO/BBOB benchmark functions (Hansen et al. 2009), which
 * holds the minima of the classic two-variable test functions (Himmelblau, Booth, Rosenbrock, Beale's (3, 0.5)).
 */
export const DEFAULT_INTERVAL: readonly [number, number] = [-5, 5];

/** The function's @domain, else DEFAULT_INTERVAL per variable. */
export function domainOf(fn: { readonly domain?: Domain; readonly variables: readonly string[] }): Domain {
  return fn.domain ?? fn.variables.map(() => DEFAULT_INTERVAL);
}

export function makeStarts(spec: StartSpec, dim: number): number[][] {
  switch (spec.kind) {
    case 'list':
      for (const p of spec.points) {
        if (p.length !== dim)
          throw new RangeError(`a start point has ${p.length} coordinates; the function has ${dim} variables`);
        if (!p.every(Number.isFinite)) throw new RangeError(`start point (${p.join(', ')}) is not finite`);
      }
      return spec.points.map((p) => [...p]);
    case 'random': {
      checkDomain(spec.domain, dim);
      const next = mulberry32(spec.seed);
      return Array.from({ length: spec.n }, () => spec.domain.map(([lo, hi]) => lo + (hi - lo) * next()));
    }
    case 'grid': {
      checkDomain(spec.domain, dim);
      const m = spec.perAxis;
      // The midpoint as lo/2 + hi/2: (lo + hi)/2 to the bit, without overflow near ±1.7e308.
      const axis = ([lo, hi]: readonly [number, number]) =>
        Array.from({ length: m }, (_, i) => (m === 1 ? lo / 2 + hi / 2 : lo + ((hi - lo) * i) / (m - 1)));
      return spec.domain.reduce<number[][]>(
        (points, interval) => points.flatMap((p) => axis(interval).map((v) => [...p, v])),
        [[]],
      );
    }
  }
}

/**
 * Why [lo, hi] cannot be a domain interval, or undefined when it can: ends finite, lo < hi, and a finite width,
 * since starts are lo + (hi − lo)·u (an infinite width gives no start at all, only NaN).
 */
export function intervalProblem(lo: number, hi: number): string | undefined {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return 'its ends must be finite numbers';
  if (!(lo < hi)) return 'lo must be less than hi';
  if (!Number.isFinite(hi - lo)) return 'its width hi − lo overflows; keep it below 1.7e308';
  return undefined;
}

function checkDomain(domain: Domain, dim: number): void {
  if (domain.length !== dim)
    throw new RangeError(`the domain has ${domain.length} intervals; the function has ${dim} variables`);
  domain.forEach(([lo, hi], i) => {
    const problem = intervalProblem(lo, hi);
    if (problem) throw new RangeError(`bad domain interval [${lo}, ${hi}] for variable ${i + 1}: ${problem}`);
  });
}
