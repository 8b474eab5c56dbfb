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
