/**
 * Training and test curves of a model (TrainingCurvesData): a card with one band chart at a time — the quantity
 * picked (training loss, a metric), against the step or the epoch, the line the mean or the median over starts —
 * for the report (Sprunger 2020, Figs. 4–5; the Powerball SGD paper, Fig. 2) and the Lab for a model (issue 11).
 * Views drawn side by side can share one set of pickers (`curvesPickers`) instead of their own.
 */
import type { TrainingCurvesData } from '../../src/shared/dataViewShapes';
import { card, h, picker, type Picker } from '../dom';
import type { Theme } from '../theme';
import { BandChart } from './bandChart';
import type { BandAxis, BandLine } from './bandData';

export interface CurvesHandlers {
  quantity(index: number): void;
  axis(axis: BandAxis): void;
  line(line: BandLine): void;
}

/** Step or epoch on the x axis. Pickers' values are read on change only: before the elements render, `value` is empty. */
export function axisPicker(axis: BandAxis, on: (axis: BandAxis) => void): Picker {
  const p = picker(
    'x axis',
    [
      ['step', 'against step'],
      ['epoch', 'against epoch'],
    ],
    axis,
  );
  p.addEventListener('change', () => on(p.value as BandAxis));
  return p;
}

/** The mean or the median over starts as the line. */
export function linePicker(line: BandLine, on: (line: BandLine) => void): Picker {
  const p = picker(
    'Line',
    [
      ['mean', 'mean over starts'],
      ['median', 'median over starts'],
    ],
    line,
  );
  p.addEventListener('change', () => on(p.value as BandLine));
  return p;
}

/** Pickers of the quantity (when there are several), the x axis (when epochs are known) and the line. */
export function curvesPickers(
  data: TrainingCurvesData,
  shown: { readonly axis: BandAxis; readonly line: BandLine },
  on: CurvesHandlers,
): Picker[] {
  const pickers: Picker[] = [];
  if (data.charts.length > 1) {
    const quantity = picker(
      'Quantity',
      data.charts.map((c, i) => [String(i), c.quantity] as const),
      '0',
    );
    quantity.addEventListener('change', () => on.quantity(Number(quantity.value)));
    pickers.push(quantity);
  }
  if (data.charts.some((c) => c.epochSteps !== null)) pickers.push(axisPicker(shown.axis, (a) => on.axis(a)));
  pickers.push(linePicker(shown.line, (l) => on.line(l)));
  return pickers;
}

export class CurvesView implements CurvesHandlers {
  readonly root: HTMLElement;
  readonly chart: BandChart;
  private readonly tools: HTMLElement;
  private readonly title: HTMLElement;
  private data: TrainingCurvesData | null = null;
  private chosen = 0;
  /** The x axis and line chosen, kept when the quantity changes; null: each chart's own. */
  private axisChoice: BandAxis | null = null;
  private lineChoice: BandLine | null = null;

  /** Without `controls` the view has no pickers: a caller drives it (`curvesPickers`). */
  constructor(
    theme: Theme,
    private readonly opts: { aspectRatio?: number; controls?: boolean } = {},
  ) {
    const canvas = h('canvas', { role: 'img' }) as HTMLCanvasElement;
    this.chart = new BandChart(canvas, theme, opts);
    this.root = card('', [], h('div', { class: 'chart-box' }, canvas), 'curves-card');
    this.title = this.root.querySelector('header h2')!;
    this.tools = this.root.querySelector('header .toolbar')!;
  }

  set(data: TrainingCurvesData): void {
    this.data = data;
    this.chosen = Math.min(this.chosen, data.charts.length - 1);
    this.title.textContent = data.title;
    if (this.opts.controls ?? true)
      this.tools.replaceChildren(
        ...curvesPickers(
          data,
          { axis: this.axisChoice ?? data.charts[0].axis, line: this.lineChoice ?? data.charts[0].line },
          this,
        ),
      );
    this.show();
  }

  quantity(index: number): void {
    this.chosen = index;
    this.show();
  }

  axis(axis: BandAxis): void {
    this.axisChoice = axis;
    this.chart.setAxis(axis);
  }

  line(line: BandLine): void {
    this.lineChoice = line;
    this.chart.setLine(line);
  }

  setTheme(theme: Theme): void {
    this.chart.setTheme(theme);
  }

  /** The animation's step on the chart; null: none. */
  setCursor(step: number | null): void {
    this.chart.setCursor(step);
  }

  private show(): void {
    const c = this.data?.charts[this.chosen];
    if (!c) return;
    this.chart.chart.canvas.setAttribute(
      'aria-label',
      `${this.data!.title}: ${c.quantity}, one line per configuration`,
    );
    this.chart.set(c);
    if (this.axisChoice) this.chart.setAxis(this.axisChoice);
    if (this.lineChoice) this.chart.setLine(this.lineChoice);
  }
}
