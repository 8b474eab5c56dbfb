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
      const axis = ([lo, hi]: readonly [number, number]) =>
        Array.from({ length: m }, (_, i) => (m === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (m - 1)));
      return spec.domain.reduce<number[][]>(
        (points, interval) => points.flatMap((p) => axis(interval).map((v) => [...p, v])),
        [[]],
      );
    }
  }
}

function checkDomain(domain: Domain, dim: number): void {
  if (domain.length !== dim)
    throw new RangeError(`the domain has ${domain.length} intervals; the function has ${dim} variables`);
  for (const [lo, hi] of domain) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
      throw new RangeError(`bad domain interval [${lo}, ${hi}]`);
  }
}
