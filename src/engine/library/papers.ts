/**
 * Numbers printed in the papers, for the demo to show beside what Descent Lab computes. Sprunger 2020 counts
 * iterates inclusively (k + 1, k the number of updates); null where the paper shows no number (diverged).
 */

export interface PaperRow {
  readonly method: 'SGD' | 'NaSGD';
  readonly eta?: number;
  readonly alpha?: number;
  readonly steps: readonly (number | null)[];
  readonly diverged?: boolean;
}
export interface PaperTable {
  readonly title: string;
  readonly builtin: string;
  readonly start: readonly number[];
  readonly thresholds: readonly number[];
  readonly rows: readonly PaperRow[];
}

export const SPRUNGER_TABLES: readonly PaperTable[] = [
  {
    title: 'Sprunger 2020, Table 1: Steps and time to achieve q(x_i, y_i) ≤ 10^-10 from (x_0, y_0) = (1, 1)',
    builtin: 'sprunger',
    start: [1, 1],
    thresholds: [0.01, 0.0001, 1e-6, 1e-8, 1e-10],
    rows: [
      { method: 'SGD', eta: 0.1156, steps: [23, 39, 56, 74, 92] },
      { method: 'NaSGD', alpha: 1.9, steps: [4, 6, 10, 13, 15] },
      { method: 'SGD', eta: 0.01, steps: [196, 425, 654, 883, 1113] },
      { method: 'SGD', eta: 0.1, steps: [20, 42, 64, 86, 107] },
      { method: 'NaSGD', alpha: 0.7, steps: [12, 22, 32, 42, 53] },
    ],
  },
  {
    title: 'Sprunger 2020, Table 2: Steps and time to achieve r(x_i, y_i) ≤ 10^-6 from (x_0, y_0) = (−3, −4)',
    builtin: 'rosenbrock',
    start: [-3, -4],
    thresholds: [100, 1, 0.01, 0.0001, 1e-6],
    rows: [
      { method: 'SGD', eta: 0.0003945, steps: [7, 9, 14, 20, 13633] },
      { method: 'NaSGD', alpha: 1.6, steps: [5, 10, 57, 166, 236] },
      { method: 'SGD', eta: 0.0001, steps: [66, 254, 31683, 85861, 142986] },
      { method: 'SGD', eta: 0.001, steps: [null, null, null, null, null], diverged: true },
      { method: 'NaSGD', alpha: 0.7, steps: [9, 16, 147, 354, 497] },
    ],
  },
];

/** Baiesi 2019, Fig. 3 protocol (CONVENTIONS.md): domains, optimizers and grids. */
export const BAIESI_FIG3 = {
  functions: ['baiesi_v3', 'baiesi_v4', 'beale'],
  starts: 100,
  target: 1e-4,
  etas: [1e-4, 1e-3, 1e-2, 1e-1, 1, 10],
  budgets: [100, 1000, 10000],
  optimizers: [
    { id: 'nag', params: { gamma: 0.99 } },
    { id: 'h-nag', params: { gamma: 0.99, H: 0.5 } },
    { id: 'amsgrad', params: { beta1: 0.9, beta2: 0.99, eps: 1e-8 } },
    { id: 'h-amsgrad', params: { beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 } },
    { id: 'adam', params: { beta1: 0.9, beta2: 0.99, eps: 1e-8 } },
    { id: 'h-adam', params: { beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 } },
    { id: 'ht-adam', params: { beta1: 0.9, beta2: 0.99, eps: 1e-8, H0: 0.5, beta3: 0.999 } },
  ],
} as const;

/** A family of configurations swept together: each optimizer over the grid of one hyperparameter. */
export interface DataFamily {
  /** The panel's title, as the paper titles its plots (Sprunger Fig. 4: one plot per μ). */
  readonly title: string;
  readonly optimizers: readonly { readonly id: string; readonly params: Readonly<Record<string, number>> }[];
  readonly grid: { readonly name: string; readonly values: readonly number[] };
}

/** A sentence a paper prints, where it prints it. */
export interface PaperClaim {
  readonly id: string;
  readonly where: string;
  readonly text: string;
}

/**
 * Sprunger 2020 §3, "Dense layer matching" (Figs. 4–6): recover a teacher dense layer R¹⁰ → R⁴ (tanh) from 100 of
 * its input/output pairs, batch 1, 45 epochs, 50 repetitions; progress is the mean over the test rows of
 * ‖tanh(Wx + b) − y‖. The paper prints no grids: η and α follow the data-fit peers (shared/perf-peers/datafit),
 * widened by half a decade where the best setting of a family would otherwise sit on the grid's edge, and by
 * η = 0.3 for GD, where its equivalent α passes 2 (Fig. 6c).
 */
export const SPRUNGER_DENSE = {
  model: { file: 'examples/sprunger-dense.cost', name: 'dense' },
  metric: 'distance',
  starts: 50,
  seed: 1,
  epochs: 45,
  families: [
    {
      title: 'GD (μ = 0)',
      optimizers: [{ id: 'gd', params: {} }],
      grid: { name: 'eta', values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3] },
    },
    {
      title: 'Momentum μ = 0.5',
      optimizers: [{ id: 'momentum', params: { beta: 0.5 } }],
      grid: { name: 'eta', values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3] },
    },
    {
      title: 'Momentum μ = 0.9',
      optimizers: [{ id: 'momentum', params: { beta: 0.9 } }],
      grid: { name: 'eta', values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3] },
    },
    {
      title: 'Adam',
      optimizers: [{ id: 'adam', params: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } }],
      grid: { name: 'eta', values: [3e-4, 1e-3, 3e-3, 1e-2, 3e-2] },
    },
    {
      title: 'RMSprop',
      optimizers: [{ id: 'rmsprop', params: { rho: 0.9, eps: 1e-8 } }],
      grid: { name: 'eta', values: [3e-4, 1e-3, 3e-3, 1e-2, 3e-2] },
    },
    {
      title: 'Adagrad',
      optimizers: [{ id: 'adagrad', params: { eps: 1e-8 } }],
      grid: { name: 'eta', values: [0.01, 0.03, 0.1, 0.3, 1] },
    },
    {
      title: 'NaSGD',
      optimizers: [{ id: 'nasgd', params: {} }],
      grid: { name: 'alpha', values: [0.1, 0.3, 0.5, 0.7, 1, 1.5, 1.7, 2] },
    },
  ] satisfies readonly DataFamily[],
  /** Fig. 6a shows the equivalent η of NaSGD(α = 0.7); Fig. 6c fades GD where its equivalent α exceeds 2. */
  rosettaAlpha: 0.7,
  alphaLimit: 2,
  /** The paper's bar (§3, §3.1): "average distances lower than 10⁻³". */
  threshold: 1e-3,
  /** Where NaSGD's progress "stabilizes" (§3.1). */
  nasgdPlateau: 1e-7,
  claims: [
    {
      id: 'standard',
      where: '§3 and Figs. 4–5',
      text: 'common optimization algorithms struggle to achieve average distances lower than 10⁻³ (GD with momentum, Fig. 4; Adam, RMSprop and Adagrad "similarly struggle to break 10⁻³", Fig. 5)',
    },
    {
      id: 'saturation',
      where: '§3.1, Fig. 4',
      text: 'each learning rate seems to have a saturation point beyond which further training does not improve performance',
    },
    {
      id: 'nasgd',
      where: '§3.1, Fig. 5',
      text: 'norm-adapted descent achieves average distances lower than 10⁻³ with progress stabilizing around 10⁻⁷ for α ∈ [0.5, 1.5]',
    },
    {
      id: 'nasgdLow',
      where: '§3.1, Fig. 5',
      text: 'norm-adapted descent with α ∈ [0.1, 0.3] is competitive with standard algorithms',
    },
    { id: 'nasgdHigh', where: '§3.1, Fig. 5', text: 'α ≥ 1.7 appears not to make progress' },
    {
      id: 'etaEq',
      where: '§3.2, Fig. 6a',
      text: 'norm-adapted descent (α = 0.7) generally decreases [its equivalent] learning rate from 1 to 10⁻⁸ as its performance improves',
    },
    {
      id: 'alphaEq',
      where: '§3.2, Fig. 6b',
      text: 'standard gradient descent starts with low equivalent α, which tends to increase during the course of training, settling above 2',
    },
    {
      id: 'rule',
      where: '§3.2, Fig. 6c',
      text: 'gradient descent makes progress in this task when the equivalent α value is below 2 and stops making progress when its equivalent α value is above 2',
    },
  ] satisfies readonly PaperClaim[],
} as const;

/**
 * The Powerball SGD paper's γ × η experiments (§4 "Gradient Vanishing", Fig. 2; Supplementary C–E, Figs. 4–5)
 * at the scale of a small model: their γ grid without the odd tenths and their learning rates, 25 epochs as in
 * Fig. 4, momentum 0.9 for pbSGDM as in §4. The model (examples/xor-deep-mlp.cost) is a tanh MLP whose small
 * initial weights make its gradients vanish; see that file for the choice.
 */
export const POWERBALL = {
  model: { file: 'examples/xor-deep-mlp.cost', name: 'mlp' },
  metric: 'accuracy',
  starts: 8,
  seed: 1,
  epochs: 25,
  gammas: [0, 0.2, 0.4, 0.6, 0.8, 1],
  etas: [0.001, 0.01, 0.1, 1],
  optimizers: [
    { id: 'pbsgd', params: {} },
    { id: 'pbsgdm', params: { beta: 0.9 } },
  ],
  /** Fig. 2 compares SGD and PowerSGD at learning rate 0.1 over the first epochs; ours after `compareEpoch`. */
  earlyEta: 0.1,
  paperGamma: 0.4,
  earlyEpochs: 10,
  compareEpoch: 5,
  /**
   * Ours, not the paper's: a cell "trains" (Fig. 4's dark block) when its median final test accuracy reaches
   * this; an untrained net of this model sits near 0.5.
   */
  trained: 0.9,
  claims: [
    {
      id: 'early',
      where: '§4 "Gradient Vanishing", Fig. 2',
      text: 'SGD completely cannot train such a deep network […] By contrast, the train accuracy of PowerSGD [η = 0.1, γ = 0.4] grows quickly […] after few epochs',
    },
    {
      id: 'vanishing',
      where: '§4 "Gradient Vanishing"; Supplementary C, Fig. 4',
      text: 'increasing or decreasing the learning rate of SGD could not solve the vanishing gradient problem; by tuning the hyper-parameter γ, PowerSGD can train networks deeper than that by SGD',
    },
    {
      id: 'robust',
      where: 'Supplementary E, Fig. 5',
      text: 'γ can be selected within a wide range from 0.5 to 1.0 without much loss in test accuracy',
    },
  ] satisfies readonly PaperClaim[],
} as const;
