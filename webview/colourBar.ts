/** The viridis colour bar drawn right of a chart's plot area (landscape, heat map, outcome map). */
import type { Chart } from 'chart.js';
import { formatNumber } from '../src/present/format';
import { viridis } from './colormap';
import { stepsPosition } from './sweepData';
import type { Theme } from './theme';

/** Gap between the plot area and the bar, and the bar's width, in pixels. */
export const COLOUR_BAR = { gap: 14, width: 12 };
/** Room right of the plot for the colour bar's labels and title. */
export const BAR_ROOM = 52;

export interface ColourBarTick {
  readonly pos: number;
  readonly label: string;
}

/** Ticks at scale positions in [0, 1] (0 at the bottom); the title is written vertically `titleOffset` px right of the bar. */
export function drawColourBar(
  chart: Chart,
  theme: Theme,
  ticks: readonly ColourBarTick[],
  title: string,
  titleOffset: number,
): void {
  const { ctx, chartArea: a } = chart;
  const x = a.right + COLOUR_BAR.gap;
  const h = a.bottom - a.top;
  ctx.save();
  for (let k = 0; k < h; k++) {
    const [r, g, b] = viridis(1 - k / h);
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(x, a.top + k, COLOUR_BAR.width, 1.5);
  }
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(x + 0.5, a.top + 0.5, COLOUR_BAR.width - 1, h - 1);
  ctx.fillStyle = theme.muted;
  ctx.font = `${theme.fontSize - 2}px ${theme.fontFamily}`;
  ctx.textBaseline = 'middle';
  for (const t of ticks) ctx.fillText(unsignedZero(t.label), x + COLOUR_BAR.width + 4, a.bottom - h * t.pos);
  ctx.translate(x + COLOUR_BAR.width + titleOffset, a.top + h / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(title, 0, 0);
  ctx.restore();
}

/** "−0", "-0.0" (a rounded tiny negative) read as zero without a sign. */
export function unsignedZero(label: string): string {
  return label.replace(/^[-−](?=0+(\.0+)?$)/, '');
}

/** Ticks 1, 10, 100 … up to the largest budget on the log10(1 + k) scale. */
export function stepTicks(maxBudget: number): { pos: number; label: string }[] {
  const out: { pos: number; label: string }[] = [{ pos: 0, label: '0' }];
  for (let k = 1; k <= maxBudget; k *= 10) out.push({ pos: stepsPosition(k, maxBudget), label: formatNumber(k) });
  return out;
}
