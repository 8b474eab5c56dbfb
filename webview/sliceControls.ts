/**
 * The slice controls for a function of three or more variables: which two variables span the view (distinct), and
 * where the others are held: at the first known minimum, the domain's centre, the selected trajectory's current
 * point (following it during playback), or values typed here. The component only says what was chosen; the host
 * computes the slice and sends back the point it used, which the fields then show.
 */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formatNumber } from '../src/present/format';
import { h } from './dom';
import { EchoField, type TextControl } from './echoField';

export type SliceMode = 'minimum' | 'centre' | 'follow' | 'values';

export interface SliceInput {
  readonly variables: readonly string[];
  /** Indices of the variables on the x and y axes. */
  readonly xAxis: number;
  readonly yAxis: number;
  readonly mode: SliceMode;
  /** The point the host's slice goes through: every coordinate, the axes' included. */
  readonly point: readonly number[];
  /** The function has a known minimum / a trajectory is selected (else those modes are unavailable). */
  readonly hasMinimum: boolean;
  readonly canFollow: boolean;
}

export interface SliceChoice {
  readonly xAxis: number;
  readonly yAxis: number;
  readonly mode: SliceMode;
  /** With mode 'values': the point typed, every coordinate. */
  readonly point: readonly number[];
}

const MODES: readonly (readonly [SliceMode, string])[] = [
  ['minimum', 'First known minimum'],
  ['centre', 'Domain centre'],
  ['follow', 'Selected trajectory'],
  ['values', 'Values below'],
];

/** How many fixed values a title spells out before "and N more". */
const TITLE_VALUES = 3;

/** "slice at z = 0", "slice at z = 0, w = 1.5", "slice at x₃ = 0, x₄ = 1, x₅ = 2 and 3 more"; `full` names all. */
export function sliceTitle(
  variables: readonly string[],
  xAxis: number,
  yAxis: number,
  point: readonly number[],
): { text: string; full: string } {
  const fixed = variables.flatMap((v, i) => (i === xAxis || i === yAxis ? [] : [`${v} = ${formatNumber(point[i])}`]));
  const full = `slice at ${fixed.join(', ')}`;
  if (fixed.length <= TITLE_VALUES + 1) return { text: full, full };
  return {
    text: `slice at ${fixed.slice(0, TITLE_VALUES).join(', ')} and ${fixed.length - TITLE_VALUES} more`,
    full,
  };
}

type Select = HTMLElement & { value: string };

/**
 * Shows `value` in a picker. The `selected` attributes move too: the element re-reads them whenever its options
 * change (an option disabled), and would otherwise go back to the option first selected.
 */
function choose(select: Select, value: string): void {
  select
    .querySelectorAll('vscode-option')
    .forEach((o) => o.toggleAttribute('selected', o.getAttribute('value') === value));
  select.value = value;
}

/** A picker with its visible name beside it (the element's own `label` is for screen readers only). */
function labelled(text: string, control: HTMLElement, cls = ''): HTMLElement {
  return h('label', { class: `slice-field ${cls}`.trim() }, h('span', { class: 'slice-label' }, text), control);
}

export class SliceControls {
  readonly root: HTMLElement;
  private input: SliceInput | null = null;
  private readonly title = h('h3', { class: 'slice-title' });
  private readonly body = h('div', { class: 'slice-controls' });
  private fields = new Map<number, EchoField>();
  private modePick = h('vscode-single-select') as Select;
  private axisPicks: [Select, Select] = [this.modePick, this.modePick];

  constructor(private readonly events: { change(choice: SliceChoice): void }) {
    this.root = h('section', { class: 'slice', 'aria-label': 'Slice' }, this.title, this.body);
  }

  /** The host's slice; the pickers are rebuilt only when the variables change. */
  set(input: SliceInput): void {
    const old = this.input;
    this.input = input;
    // Rebuilt only when the axes change: a field being typed in must survive the host's answers.
    const same =
      old &&
      old.variables.join('\u0000') === input.variables.join('\u0000') &&
      old.xAxis === input.xAxis &&
      old.yAxis === input.yAxis;
    if (!same) this.build(input);
    this.modePick.querySelectorAll('vscode-option').forEach((o) => {
      const m = o.getAttribute('value');
      o.toggleAttribute('disabled', (m === 'minimum' && !input.hasMinimum) || (m === 'follow' && !input.canFollow));
    });
    // The host has the last word: a choice it did not take (yet) is undone here.
    choose(this.axisPicks[0], String(input.xAxis));
    choose(this.axisPicks[1], String(input.yAxis));
    choose(this.modePick, input.mode);
    for (const [i, f] of this.fields) f.echo(formatNumber(input.point[i], { digits: 6 }));
    const t = sliceTitle(input.variables, input.xAxis, input.yAxis, input.point);
    this.title.textContent = t.text;
    this.title.title = t.full;
  }

  private build(s: SliceInput): void {
    const options = (selected: number) =>
      s.variables.map((v, i) =>
        h('vscode-option', i === selected ? { value: String(i), selected: '' } : { value: String(i) }, v),
      );
    const xPick = h('vscode-single-select', { label: 'X axis', class: 'axis-pick' }, ...options(s.xAxis)) as Select;
    const yPick = h('vscode-single-select', { label: 'Y axis', class: 'axis-pick' }, ...options(s.yAxis)) as Select;
    this.axisPicks = [xPick, yPick];
    const mode = h(
      'vscode-single-select',
      { label: 'Fixed point', class: 'mode-pick' },
      ...MODES.map(([m, text]) => h('vscode-option', m === s.mode ? { value: m, selected: '' } : { value: m }, text)),
    ) as Select;
    this.modePick = mode;
    // Choosing the other axis's variable swaps the two, so the axes stay distinct.
    const axes = (changed: 'x' | 'y') => {
      let x = Number(xPick.value);
      let y = Number(yPick.value);
      if (x === y) {
        if (changed === 'x') yPick.value = String((y = s.xAxis));
        else xPick.value = String((x = s.yAxis));
      }
      this.emit({ xAxis: x, yAxis: y });
    };
    xPick.addEventListener('change', () => axes('x'));
    yPick.addEventListener('change', () => axes('y'));
    mode.addEventListener('change', () => this.emit({ mode: mode.value as SliceMode }));

    this.fields = new Map();
    const values = s.variables.flatMap((v, i) => {
      if (i === s.xAxis || i === s.yAxis) return [];
      const el = h('vscode-textfield', { inputmode: 'decimal', class: 'fixed-value' }) as TextControl & {
        invalid: boolean;
        label: string;
      };
      // The element's name for its inner input (aria-label): a property, not an attribute.
      el.label = `${v} fixed at`;
      el.value = formatNumber(s.point[i], { digits: 6 });
      this.fields.set(
        i,
        new EchoField(el, (text) => {
          const n = text.trim() === '' ? NaN : Number(text);
          el.invalid = !Number.isFinite(n);
          if (el.invalid || !this.input) return;
          const point = [...this.input.point];
          point[i] = n;
          this.emit({ mode: 'values', point });
        }),
      );
      return [h('label', { class: 'fixed-field' }, h('span', { class: 'fixed-name' }, `${v} =`), el)];
    });
    this.body.replaceChildren(
      h(
        'div',
        { class: 'slice-pickers' },
        labelled('X axis', xPick),
        labelled('Y axis', yPick),
        labelled('Others at', mode, 'mode-field'),
      ),
      h('div', { class: 'slice-values', role: 'group', 'aria-label': 'Fixed values' }, ...values),
    );
  }

  private emit(change: Partial<SliceChoice>): void {
    const s = this.input;
    if (!s) return;
    this.events.change({ xAxis: s.xAxis, yAxis: s.yAxis, mode: s.mode, point: s.point, ...change });
  }
}
