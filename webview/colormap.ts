/**
 * Viridis, the perceptually uniform colormap of matplotlib (van der Walt & Smith, 2015): its published
 * samples at t = i/9, interpolated linearly in sRGB. Ten stops keep the lightness ramp monotone and within
 * about ΔE 1 of the 256-entry table.
 */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
].map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)] as const);

/** The colour at t ∈ [0, 1] (clamped) as [r, g, b] bytes. */
export function viridis(t: number): [number, number, number] {
  const s = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(s));
  const f = s - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** Relative luminance (WCAG), for checks that the ramp is monotone. */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
