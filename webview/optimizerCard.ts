/**
 * One chosen optimizer as a compact card: its colour, name and paper, its update rule in one line of math, and its
 * hyperparameters as sliders (log-scale ones on a log slider) with a text field each. Dragging reports every value
 * as it goes (the caller debounces) and the release as final; typed values go through an EchoField, so the host's
 * echoes never overwrite a field being typed in. An optimizer with the power transform gets a line on what H does.
 */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formatNumber } from '../src/present/format';
import { h } from './dom';
import { EchoField, type TextControl } from './echoField';
import { SLIDER_STEPS, sliderPosition, sliderValue } from './paramSlider';

export type CardParam =
  | {
      readonly kind: 'number';
      readonly name: string;
      /** As the papers write it (η, β₁, H…). */
      readonly symbol: string;
      readonly description: string;
      readonly min: number;
      readonly max: number;
      readonly scale: 'log' | 'linear';
      readonly value: number;
    }
  | {
      readonly kind: 'choice';
      readonly name: string;
      readonly symbol: string;
      readonly description: string;
      readonly choices: readonly string[];
      readonly value: string;
    };

export interface CardInput {
  readonly id: string;
  readonly label: string;
  /** The optimizer's fixed CSS colour. */
  readonly colour: string;
  /** The update in one line of math (the registry's text). */
  readonly rule: string;
  readonly paper: string;
  readonly params: readonly CardParam[];
  /** The optimizer applies the power transform h = sign(g)·|g|^H to its gradient. */
  readonly power: boolean;
}

export interface CardEvents {
  /** A new value: `final` when the drag is released or the typed value is complete. */
  change(optimizer: string, param: string, value: number | string, final: boolean): void;
}

/** What the exponent does, said once under every card that has it (Baiesi 2019, eq. 1). */
const POWER_NOTE =
  'What H does: the update uses h = sign(g)·|g|^H for the gradient g. H < 1 lifts small components and damps ' +
  'large ones (H = 0: the sign only); H = 1: g itself; H > 1: the opposite. The power-gradient arrows show h.';

type Select = HTMLElement & { value: string };

interface NumberRow {
  readonly slider: HTMLInputElement;
  readonly field: EchoField;
}

let ids = 0;

export class OptimizerCard {
  readonly root: HTMLElement;
  private readonly numbers = new Map<string, NumberRow>();
  private readonly choices = new Map<string, Select>();

  constructor(
    readonly input: CardInput,
    private readonly events: CardEvents,
  ) {
    const swatch = h('span', { class: 'card-swatch', 'aria-hidden': 'true' });
    // CSSOM, not a style attribute: the webview's CSP allows the one and forbids the other.
    swatch.style.setProperty('--swatch', input.colour);
    const titleId = `opt-card-${++ids}`;
    this.root = h(
      'article',
      { class: 'opt-card', 'aria-labelledby': titleId, 'data-optimizer': input.id },
      h(
        'header',
        {},
        swatch,
        h('h3', { id: titleId }, input.label),
        h('span', { class: 'paper', title: input.paper }, input.paper),
      ),
      h('p', { class: 'rule', title: 'update rule' }, input.rule),
      h('div', { class: 'param-grid' }, ...input.params.flatMap((p) => this.row(p))),
      ...(input.power ? [h('p', { class: 'power-note' }, POWER_NOTE)] : []),
    );
  }

  /** The host's values (a run's configuration, a sweep cell); a field being typed in keeps its text. */
  setValues(values: Readonly<Record<string, number | string>>): void {
    for (const p of this.input.params) {
      const v = values[p.name];
      if (v === undefined) continue;
      if (p.kind === 'number' && typeof v === 'number') {
        const row = this.numbers.get(p.name)!;
        if (row.field.echo(formatNumber(v, { digits: 6 }))) this.showSlider(row.slider, p, v);
      } else if (p.kind === 'choice' && typeof v === 'string') {
        this.choices.get(p.name)!.value = v;
      }
    }
  }

  private row(p: CardParam): HTMLElement[] {
    const id = `param-${++ids}`;
    const label = h('label', { for: id, class: 'param-symbol', title: p.description }, p.symbol);
    if (p.kind === 'choice') {
      const select = h(
        'vscode-single-select',
        { id, label: p.symbol, title: p.description, class: 'param-choice' },
        ...p.choices.map((c) => h('vscode-option', c === p.value ? { value: c, selected: '' } : { value: c }, c)),
      ) as Select;
      select.addEventListener('change', () => this.events.change(this.input.id, p.name, select.value, true));
      this.choices.set(p.name, select);
      return [label, select];
    }
    const slider = h('input', {
      id,
      type: 'range',
      class: 'range',
      min: '0',
      max: String(SLIDER_STEPS),
      step: '1',
      'aria-label': p.symbol,
      title: `${p.description} (${formatNumber(p.min)} … ${formatNumber(p.max)}${p.scale === 'log' ? ', log scale' : ''})`,
    }) as HTMLInputElement;
    const text = h('vscode-textfield', { class: 'param-value', inputmode: 'decimal' }) as TextControl & {
      invalid: boolean;
      label: string;
    };
    // The element's name for its inner input (aria-label): a property, not an attribute.
    text.label = `${p.symbol} value`;
    text.value = formatNumber(p.value, { digits: 6 });
    this.showSlider(slider, p, p.value);
    const field = new EchoField(text, (typed) => {
      const v = typed.trim() === '' ? NaN : Number(typed);
      const ok = Number.isFinite(v) && v >= p.min && v <= p.max;
      text.invalid = !ok;
      if (!ok) return;
      this.showSlider(slider, p, v);
      this.events.change(this.input.id, p.name, v, true);
    });
    const fromSlider = (final: boolean) => {
      const v = sliderValue(Number(slider.value), p);
      text.value = formatNumber(v, { digits: 6 });
      text.invalid = false;
      slider.setAttribute('aria-valuetext', formatNumber(v));
      this.events.change(this.input.id, p.name, v, final);
    };
    slider.addEventListener('input', () => fromSlider(false));
    slider.addEventListener('change', () => fromSlider(true));
    this.numbers.set(p.name, { slider, field });
    return [label, slider, text];
  }

  private showSlider(slider: HTMLInputElement, p: Extract<CardParam, { kind: 'number' }>, v: number): void {
    slider.value = String(sliderPosition(v, p));
    slider.setAttribute('aria-valuetext', formatNumber(v));
  }
}
