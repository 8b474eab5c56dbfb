/**
 * The Rosetta stone (Sprunger 2020 §3.2, Fig. 6; RosettaData): (a) the equivalent learning rate η_eq of NaSGD per
 * step, (b) the equivalent α_eq of GD per step with the line α = 2, (c) GD's curves faded where its mean α_eq
 * exceeds 2 — each the mean over starts (or the median) with the quartile band, log scale, side by side with one
 * step/epoch and one line choice. For the report and the Lab for a model (issue 11 §2).
 */
import type { RosettaData } from '../../src/shared/dataViewShapes';
import { card, h } from '../dom';
import type { Theme } from '../theme';
import { BandChart } from './bandChart';
import type { BandAxis, BandLine } from './bandData';
import { axisPicker, linePicker } from './curvesView';

const PANELS = ['etaEq', 'alphaEq', 'progress'] as const;
type Panel = (typeof PANELS)[number];

export class RosettaView {
  readonly root: HTMLElement;
  readonly charts: Readonly<Record<Panel, BandChart>>;
  private readonly captions: Record<Panel, HTMLElement>;
  /** The pickers' choices, kept when new data comes. */
  private axis: BandAxis = 'step';
  private line: BandLine = 'mean';

  constructor(theme: Theme) {
    const figures = PANELS.map((panel) => {
      const canvas = h('canvas', { role: 'img' }) as HTMLCanvasElement;
      const caption = h('figcaption', {});
      return {
        panel,
        canvas,
        caption,
        figure: h('figure', { class: 'rosetta-panel' }, caption, h('div', { class: 'chart-box' }, canvas)),
      };
    });
    this.charts = Object.fromEntries(
      figures.map((f) => [f.panel, new BandChart(f.canvas, theme, { aspectRatio: 1.2 })]),
    ) as Record<Panel, BandChart>;
    this.captions = Object.fromEntries(figures.map((f) => [f.panel, f.caption])) as Record<Panel, HTMLElement>;
    const axis = axisPicker('step', (a) => {
      this.axis = a;
      PANELS.forEach((p) => this.charts[p].setAxis(a));
    });
    const line = linePicker('mean', (l) => {
      this.line = l;
      PANELS.forEach((p) => this.charts[p].setLine(l));
    });
    this.root = card(
      'Rosetta stone: equivalent hyperparameters',
      [axis, line],
      h('div', { class: 'rosetta-grid' }, ...figures.map((f) => f.figure)),
      'rosetta-card',
    );
  }

  set(data: RosettaData): void {
    for (const p of PANELS) {
      const d = data[p];
      this.captions[p].textContent = d.title;
      this.charts[p].chart.canvas.setAttribute('aria-label', `${d.title}: ${d.quantity} against the step`);
      this.charts[p].set({ ...d, axis: this.axis, line: this.line });
    }
  }

  setTheme(theme: Theme): void {
    for (const p of PANELS) this.charts[p].setTheme(theme);
  }

  /** The animation's step on every panel; null: none. */
  setCursor(step: number | null): void {
    for (const p of PANELS) this.charts[p].setCursor(step);
  }
}
