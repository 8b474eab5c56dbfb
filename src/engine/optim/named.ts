/**
 * The named optimizers: every update rule on its own, the papers' compositions with the power transform
 * (pbSGD, h-NAG, h-Adam…, with their papers' defaults), and `h-<id>` for every other rule the power transform
 * can change — not Rprop's, which read only signs. Rules are CONVENTIONS.md's table rows.
 */
import { adagrad, adam, amsgrad, amsgradMax, rmsprop } from './adaptive';
import { chain, chainsWith, single } from './chain';
import { gd } from './gd';
import { momentum } from './momentum';
import { nag } from './nag';
import { nasgd } from './nasgd';
import { ngd } from './ngd';
import { power } from './power';
import { quickprop } from './quickprop';
import { irprop, rprop } from './rprop';
import type { Optimizer } from './types';

const BASE: readonly Optimizer[] = [
  gd,
  momentum,
  nag,
  adagrad,
  rmsprop,
  adam,
  amsgrad,
  amsgradMax,
  rprop,
  irprop,
  quickprop,
  ngd,
  nasgd,
].map(single);
const base = (id: string) => BASE.find((o) => o.id === id)!;

const H = power('fixed');
const POWERBALL = 'Powerball SGD paper';
// Baiesi 2019: H = 1/2, β₂ = 0.99; η = 10⁻² for the NAG variants and 10⁻¹ for the rest gave the best runs (Fig. 2).
const PAPERS: readonly Optimizer[] = [
  // The Powerball SGD paper's practical guide: "γ = 0.8 seems a proper setting in most cases" (§4).
  chain(
    {
      id: 'pbsgd',
      label: 'Powerball SGD (pbSGD)',
      paper: `${POWERBALL}, Alg. 1`,
      rule: 'x ← x − η σ_γ(g), σ_γ(z) = sign(z)·abs(z)^γ',
      defaults: { H: 0.8 },
    },
    H,
    base('gd'),
  ),
  chain(
    {
      id: 'pbsgdm',
      label: 'Powerball SGD with momentum (pbSGDM)',
      paper: `${POWERBALL}, Alg. 2`,
      rule: 'v ← βv − η σ_γ(g(x)); x ← x + v',
      defaults: { H: 0.8 },
    },
    H,
    base('momentum'),
  ),
  chain({ id: 'h-gd', label: 'h-GD', paper: 'Baiesi 2019, eq. 1', rule: 'θ ← θ − η sign(g)·abs(g)^H' }, H, base('gd')),
  chain(
    {
      id: 'h-nag',
      label: 'h-NAG',
      paper: 'Baiesi 2019, A.1',
      rule: 'g = ∇f(θ − γv); h = sign(g)·abs(g)^H; v ← γv + η h; θ ← θ − v',
      defaults: { gamma: 0.99 },
    },
    H,
    base('nag'),
  ),
  chain(
    {
      id: 'h-adam',
      label: 'h-Adam',
      paper: 'Baiesi 2019, A.2 (constant H)',
      rule: 'Adam fed with h = sign(g)·abs(g)^H',
      defaults: { eta: 0.1, beta2: 0.99 },
    },
    H,
    base('adam'),
  ),
  chain(
    {
      id: 'ht-adam',
      label: 'h(t)-Adam',
      paper: 'Baiesi 2019, A.2',
      rule: 'Hₜ = β₃Hₜ₋₁ + (1 − β₃), updated before use',
      defaults: { eta: 0.1, beta2: 0.99 },
    },
    power('ht'),
    base('adam'),
  ),
  chain(
    {
      id: 'h-amsgrad',
      label: 'h-AMSGrad',
      paper: 'Baiesi 2019, A.3',
      rule: 'AMSGrad (literal A.3) fed with h',
      defaults: { eta: 0.1 },
    },
    H,
    base('amsgrad'),
  ),
];

/** h-<id> for every base rule that the power transform can change and that has no composition from a paper. */
const GENERIC: readonly Optimizer[] = BASE.filter(
  (b) => chainsWith(H, b) === null && !PAPERS.some((o) => o.id === `h-${b.id}`),
).map((b) =>
  chain(
    {
      id: `h-${b.id}`,
      label: `h-${b.label}`,
      paper: `${b.paper}; power gradient: Baiesi 2019`,
      rule: `${b.label} fed with h = sign(g)·abs(g)^H`,
      defaults: b.params.some((p) => p.name === 'beta2') ? { beta2: 0.99 } : {},
    },
    H,
    b,
  ),
);

/** Every named optimizer: the base rules and the papers' compositions first, then the h-<id> compositions. */
export const NAMED: readonly Optimizer[] = [...BASE, ...PAPERS, ...GENERIC];
