/**
 * Slider positions ↔ hyperparameter values. Log-scale parameters (η, ε, Δ₀…) get equal slider travel per decade,
 * linear ones per unit; values are rounded to three significant digits so a dragged value reads as a number a
 * person would type, and the ends are the metadata's min and max exactly.
 */

/** Positions of a slider: 0 … SLIDER_STEPS. */
export const SLIDER_STEPS = 1000;

export interface SliderScale {
  readonly min: number;
  readonly max: number;
  readonly scale: 'log' | 'linear';
}

export function sliderValue(pos: number, p: SliderScale, steps = SLIDER_STEPS): number {
  if (pos <= 0) return p.min;
  if (pos >= steps) return p.max;
  const t = pos / steps;
  const raw =
    p.scale === 'log'
      ? 10 ** (Math.log10(p.min) + t * (Math.log10(p.max) - Math.log10(p.min)))
      : p.min + t * (p.max - p.min);
  return Math.min(p.max, Math.max(p.min, Number(raw.toPrecision(3))));
}

/** The position showing `v` (clamped to the range): the inverse of sliderValue up to its rounding. */
export function sliderPosition(v: number, p: SliderScale, steps = SLIDER_STEPS): number {
  if (!Number.isFinite(v)) return 0;
  const t =
    p.scale === 'log'
      ? (Math.log10(Math.max(v, p.min)) - Math.log10(p.min)) / (Math.log10(p.max) - Math.log10(p.min))
      : (v - p.min) / (p.max - p.min);
  return Math.round(Math.min(1, Math.max(0, t)) * steps);
}
