/**
 * One colour per optimizer id, the same in every view and every run: the Lab, the sidebar, the sweep charts and
 * the reports all take it from the optimizer metadata. An optimizer and its power variants share a hue (Baiesi
 * 2019, Fig. 3 pairs NAG with h-NAG): the base in the middle tone, h- lighter, h(t)- darker. Every tone was
 * chosen in OKLCH at a relative luminance between 0.145 and 0.29, which keeps a contrast of at least 3:1 (WCAG's
 * bar for graphics) against both VS Code's default dark (#1e1e1e) and light (#ffffff) editor backgrounds.
 */

/** Per base optimizer: [base, h- variant, h(t)- variant]. */
const HUES: Readonly<Record<string, readonly [string, string, string]>> = {
  gd: ['#3381dd', '#4794f2', '#186ac5'],
  adam: ['#c66605', '#df7718', '#a55507'],
  momentum: ['#2b9337', '#42a64b', '#017c1f'],
  nag: ['#9c68d1', '#af7be6', '#8652b9'],
  rmsprop: ['#d5565c', '#eb6a6f', '#bb3e48'],
  adagrad: ['#008e94', '#03a3a9', '#0d767b'],
  amsgrad: ['#9c7c0b', '#b38e03', '#826708'],
  rprop: ['#c35aa4', '#d86db8', '#aa438d'],
  quickprop: ['#748901', '#859d00', '#607209'],
  ngd: ['#0f8ab5', '#039ed0', '#0e7397'],
  nasgd: ['#029178', '#0da58a', '#087864'],
  pbsgd: ['#7374e0', '#8487f5', '#5f5ec7'],
  'amsgrad-max': ['#b37205', '#cd8200', '#965e00'],
  irprop: ['#cf5582', '#e56995', '#b63e6d'],
  pbsgdm: ['#099260', '#05a86e', '#037a4f'],
};
const ROWS = Object.values(HUES);

/** `h-adam` → adam, variant 1; `ht-adam` → adam, variant 2. */
export function variantOf(id: string): { base: string; variant: 0 | 1 | 2 } {
  if (id.startsWith('ht-')) return { base: id.slice(3), variant: 2 };
  if (id.startsWith('h-')) return { base: id.slice(2), variant: 1 };
  return { base: id, variant: 0 };
}

/** FNV-1a: an id the table does not know keeps the same row however many others there are. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The CSS colour (#rrggbb) of optimizer `id`. */
export function optimizerColour(id: string): string {
  const { base, variant } = variantOf(id);
  const row = Object.prototype.hasOwnProperty.call(HUES, base) ? HUES[base] : ROWS[hash(base) % ROWS.length];
  return row[variant];
}
