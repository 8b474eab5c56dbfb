/**
 * Every view of a model's run (ModelViewsData) in one place, for the HTML report and for the Lab to mount: the
 * curves with a step cursor, the decision boundary, the loss along the path and the Rosetta stone, all following
 * one step (`setStep`, from the Lab's animation; in the report a slider over the recorded steps drives it). A view
 * that cannot be drawn for this model says why.
 */
import { formatNumber } from '../../src/present/format';
import type { ModelViewsData } from '../../src/shared/modelViewShapes';
import { h } from '../dom';
import type { Theme } from '../theme';
import { BoundaryView } from './boundaryView';
import { CurvesView } from './curvesView';
import { ProjectionView } from './projectionView';
import { RosettaView } from './rosettaView';

export class ModelViewsPanel {
  readonly root: HTMLElement;
  readonly curves: CurvesView;
  readonly boundary: BoundaryView;
  readonly projection: ProjectionView;
  readonly rosetta: RosettaView;
  private readonly slider: HTMLInputElement | null;
  private readonly sliderText: HTMLElement;
  private readonly notes: HTMLElement;
  private steps: number[] = [];
  private epochSteps: number | null = null;

  /** `slider`: a step slider of its own (the report); without it the caller drives `setStep` (the Lab). */
  constructor(theme: Theme, opts: { readonly slider?: boolean } = {}) {
    this.curves = new CurvesView(theme, { aspectRatio: 1.6 });
    this.boundary = new BoundaryView(theme);
    this.projection = new ProjectionView(theme);
    this.rosetta = new RosettaView(theme);
    this.sliderText = h('output', { class: 'hint' });
    this.slider = opts.slider
      ? (h('input', { type: 'range', min: '0', max: '0', value: '0', 'aria-label': 'Step shown' }) as HTMLInputElement)
      : null;
    this.slider?.addEventListener('input', () => this.setStep(this.steps[Number(this.slider!.value)] ?? 0));
    this.notes = h('div', { class: 'model-notes' });
    const control = this.slider ? h('label', { class: 'step-slider' }, 'Step ', this.slider, this.sliderText) : '';
    this.root = h(
      'section',
      { class: 'model-views', 'aria-label': 'Model views' },
      control,
      this.curves.root,
      h('div', { class: 'model-planes' }, this.boundary.root, this.projection.root),
      this.notes,
      this.rosetta.root,
    );
  }

  set(data: ModelViewsData): void {
    this.curves.set(data.curves);
    this.rosetta.set(data.rosetta);
    this.boundary.root.hidden = data.boundary === null;
    this.projection.root.hidden = data.projection === null;
    if (data.boundary) this.boundary.set(data.boundary);
    if (data.projection) this.projection.set(data.projection);
    const why = [
      data.boundaryReason && `No decision boundary: ${data.boundaryReason}.`,
      data.projectionReason && `No loss landscape along the path: ${data.projectionReason}.`,
    ].filter((x): x is string => !!x);
    this.notes.replaceChildren(...why.map((w) => h('p', { class: 'note' }, w)));
    const chart = data.curves.charts[0];
    this.epochSteps = chart?.epochSteps ?? null;
    const steps = new Set<number>([
      ...(data.boundary?.frames.map((f) => f.step) ?? []),
      ...(data.projection?.paths.flatMap((p) => p.steps) ?? []),
    ]);
    this.steps = [...steps].sort((a, b) => a - b);
    const last = this.steps.at(-1) ?? 0;
    if (this.slider) {
      this.slider.max = String(Math.max(0, this.steps.length - 1));
      this.slider.value = this.slider.max;
    }
    this.setStep(last);
  }

  /** Every view at this step: the boundary's frame, the paths' dots, the curves' cursor. */
  setStep(step: number): void {
    this.boundary.setStep(step);
    this.projection.setStep(step);
    this.curves.setCursor(step);
    this.rosetta.setCursor(step);
    const epoch = this.epochSteps ? ` (epoch ${formatNumber(step / this.epochSteps, { digits: 3 })})` : '';
    this.sliderText.textContent = `${step}${epoch}`;
  }

  setTheme(theme: Theme): void {
    this.curves.setTheme(theme);
    this.boundary.setTheme(theme);
    this.projection.setTheme(theme);
    this.rosetta.setTheme(theme);
  }
}
