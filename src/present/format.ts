/**
 * The one number formatter for people: terminal tables, the log, hovers, labels, the Lab's tables and charts and
 * the HTML reports. Imports nothing, so the webview uses it too.
 */

/**
 * `digits` significant digits without trailing zeros ("0.1", "1234"), exponent form below 10⁻³ and from 10⁶ on
 * ("1e-4", "2.5e7"); '–' for a missing value. Non-finite numbers are spelt out (a diverged trace shows Infinity).
 */
export function formatNumber(v: number | null | undefined, { digits = 4 }: { readonly digits?: number } = {}): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(digits)));
  const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/** A count or a step number with thousands separators ("412,377"). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** How every view says a run was stopped: "stopped at step 412,377 of 1,000,000". */
export function stoppedText(step: number, steps: number): string {
  return `stopped at step ${formatCount(step)} of ${formatCount(steps)}`;
}

/** How every view says the targets are on f when the function has no @minimum. */
export const F_STAR_UNKNOWN = 'f* unknown: targets are on f itself';
