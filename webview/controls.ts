/**
 * The Lab's controls, built with @vscode-elements/elements (imported per component), in the places the layout
 * gives them: the toolbar (function picker, Run, Stop, status) and collapsible sections (the inline definition,
 * the optimizers as cards with sliders, the starts, steps and target). Every change is reported with the settings
 * it makes (the caller re-runs live when the run is small); Enter in a field runs, Ctrl/Cmd+Enter from the editor.
 * Host echoes (the definition, a configuration that ran) never overwrite a field being typed in (EchoField).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { Diagnostic, FunctionInfo, LabSettings, OptimizerMeta, Point, RunConfig } from '../src/shared/runShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';
import { h } from './dom';
import { definitionEditor, type EchoField } from './echoField';
import { OptimizerCard, type CardInput } from './optimizerCard';

type Init = HostMessage<'init'>;
type Validation = HostMessage<'functionValidation'>;
type ValueElement = HTMLElement & { value: string; invalid?: boolean; disabled?: boolean };
type MultiElement = HTMLElement & { value: string[] };
type Values = Record<string, number | string>;

export interface ControlEvents {
  run(settings: LabSettings): void;
  stop(): void;
  selectFunction(name: string): void;
  editFunction(text: string): void;
  clearStarts(): void;
  /**
   * Any edit, with the settings it makes (null when a field is out of range); `live` for a change that should
   * re-run a small run at once (a slider, an optimizer ticked, a field), not for one the host made.
   */
  changed(settings: LabSettings | null, live: boolean): void;
}

let ids = 0;

/** A label + control pair; the label's `for` points at the control so screen readers announce it. */
function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id ||= `f${++ids}`;
  if (hint) control.title = hint;
  return h('div', { class: 'field' }, h('vscode-label', { for: control.id }, label), control);
}

function textfield(value: string, attrs: Record<string, string> = {}): ValueElement {
  const t = h('vscode-textfield', { value, ...attrs }) as ValueElement;
  t.value = value;
  return t;
}

/** A collapsible section of the side column: a summary that names it, open unless `closed`. */
export function section(title: string, body: readonly Node[], cls = '', closed = false): HTMLDetailsElement {
  const d = h(
    'details',
    { class: `section ${cls}`.trim(), ...(closed ? {} : { open: '' }) },
    h('summary', {}, title),
    ...body,
  );
  return d as HTMLDetailsElement;
}

/** The card of optimizer `o` with `values`. */
function cardInput(o: OptimizerMeta, values: Values): CardInput {
  return {
    id: o.id,
    label: o.label,
    colour: o.colour,
    rule: o.rule,
    paper: o.paper,
    power: o.transforms.some((t) => t.id.startsWith('power')),
    params: o.params.map((p) =>
      p.kind === 'choice'
        ? { ...p, value: String(values[p.name] ?? p.default) }
        : { ...p, value: Number(values[p.name] ?? p.default) },
    ),
  };
}

export class Controls {
  /** The toolbar's items: function picker, Run, Stop, status. */
  readonly toolbar: HTMLElement;
  /** The side column's sections. */
  readonly functionSection: HTMLDetailsElement;
  readonly optimizerSection: HTMLDetailsElement;
  readonly runSection: HTMLDetailsElement;
  /** Where the view places its own controls (the slice pickers) in the function section. */
  readonly viewSlot = h('div', { class: 'view-slot' });
  private init: Init | null = null;
  private readonly fnSelect = h('vscode-single-select', { id: 'function', class: 'fn-select' }) as ValueElement;
  private readonly editor: EchoField;
  private readonly diagnostics = h('ul', { id: 'fn-diagnostics', class: 'diagnostics', 'aria-live': 'polite' });
  private readonly optSelect = h('vscode-multi-select', { class: 'opt-select' }) as MultiElement;
  private readonly cardList = h('div', { class: 'card-list' });
  private cards = new Map<string, OptimizerCard>();
  /** Each optimizer's hyperparameters as last set (kept when it is unticked and ticked again). */
  private values = new Map<string, Values>();
  private readonly startsN = textfield('16', { inputmode: 'numeric' });
  private readonly seed = textfield('1', { inputmode: 'numeric' });
  private readonly steps = textfield('1000', { inputmode: 'numeric' });
  private readonly target = textfield('1e-6', { inputmode: 'decimal' });
  private readonly runButton = h(
    'vscode-button',
    { id: 'run', title: 'Run (Enter in a field)' },
    'Run',
  ) as ValueElement;
  private readonly stopButton = h(
    'vscode-button',
    { id: 'stop', secondary: '', disabled: '', title: 'Stop the run, keeping what it reached' },
    'Stop',
  ) as ValueElement;
  private readonly status = h('span', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly startsInfo = h('p', { class: 'hint', 'aria-live': 'polite' });
  private clicked: Point[] = [];
  /** Mirrors of the selects' values: a Lit element reports its value only after its first render. */
  private fnName = '';
  private chosen: string[] = [];

  constructor(private readonly events: ControlEvents) {
    this.fnSelect.setAttribute('aria-label', 'Function');
    this.fnSelect.title = 'Function';
    this.fnSelect.addEventListener('change', () => {
      this.fnName = this.fnSelect.value;
      const f = this.functionInfo();
      if (f) this.editor.echo(definitionText(f));
      this.events.selectFunction(this.fnName);
      this.changed(false);
    });
    this.editor = definitionEditor((text) => this.events.editFunction(text));
    this.editor.el.setAttribute('aria-describedby', 'fn-diagnostics');
    this.optSelect.setAttribute('aria-label', 'Optimizers');
    this.optSelect.addEventListener('change', () => {
      this.chosen = [...this.optSelect.value];
      this.renderCards();
      this.changed(true);
    });
    this.runButton.addEventListener('click', () => this.requestRun());
    this.stopButton.addEventListener('click', () => this.events.stop());
    const clear = h('vscode-button', { secondary: '', title: 'Remove the placed starts' }, 'Clear starts');
    clear.addEventListener('click', () => {
      this.clicked = [];
      this.updateStartsInfo();
      this.events.clearStarts();
      this.changed(false);
    });
    for (const f of [this.startsN, this.seed, this.steps, this.target])
      f.addEventListener('input', () => this.changed(true));

    this.toolbar = h(
      'div',
      { class: 'lab-toolbar', role: 'toolbar', 'aria-label': 'Lab' },
      this.fnSelect,
      this.runButton,
      this.stopButton,
      this.status,
    );
    this.functionSection = section(
      'Function',
      [field('Definition', this.editor.el), this.diagnostics, this.viewSlot],
      'controls',
    );
    this.optimizerSection = section('Optimizers', [field('Optimizers', this.optSelect), this.cardList], 'controls');
    this.runSection = section(
      'Starts and steps',
      [
        h('div', { class: 'row' }, field('Random starts', this.startsN), field('Seed', this.seed)),
        this.startsInfo,
        clear,
        h(
          'div',
          { class: 'row' },
          field('Steps', this.steps),
          field(
            'Target f − f*',
            this.target,
            'a lane has converged once f − f* ≤ target (f ≤ target when f* is unknown)',
          ),
        ),
      ],
      'controls',
    );
    for (const root of [this.toolbar, this.functionSection, this.optimizerSection, this.runSection])
      root.addEventListener('keydown', (e) => {
        const tag = (e.target as HTMLElement).tagName;
        if (
          e.key === 'Enter' &&
          (tag === 'VSCODE-TEXTFIELD' || ((e.ctrlKey || e.metaKey) && tag === 'VSCODE-TEXTAREA'))
        ) {
          e.preventDefault();
          this.requestRun();
        }
      });
  }

  /** Builds the controls for the host's functions and optimizers; `settings` fill them. */
  setInit(init: Init, settings: LabSettings): void {
    this.init = init;
    const fn = init.functions.find((f) => f.name === settings.fn) ?? init.functions[0];
    this.fnName = fn?.name ?? '';
    this.fnSelect.replaceChildren(
      ...init.functions.map((f) =>
        h(
          'vscode-option',
          f.name === this.fnName ? { value: f.name, selected: '' } : { value: f.name },
          `${f.name}(${f.variables.join(', ')})`,
        ),
      ),
    );
    this.fnSelect.value = this.fnName;
    if (fn) this.editor.echo(definitionText(fn));
    this.chosen = settings.optimizers.map((o) => o.id).filter((id) => init.optimizers.some((o) => o.id === id));
    const chosen = new Set(this.chosen);
    this.optSelect.replaceChildren(
      ...init.optimizers.map((o) =>
        h('vscode-option', chosen.has(o.id) ? { value: o.id, selected: '' } : { value: o.id }, o.label),
      ),
    );
    for (const o of settings.optimizers) this.values.set(o.id, { ...o.params });
    const random = settings.starts.kind === 'random' ? settings.starts : { n: 16, seed: 1 };
    this.clicked = settings.starts.kind === 'list' ? [...settings.starts.points] : [];
    this.startsN.value = String(random.n);
    this.seed.value = String(random.seed);
    this.steps.value = String(settings.steps);
    this.target.value = String(settings.target);
    this.renderCards(true);
    this.updateStartsInfo();
  }

  /** The function the controls show. */
  get functionName(): string {
    return this.fnName;
  }

  /** Mirrors the host's list of clicked starts. */
  setStarts(points: readonly Point[]): void {
    this.clicked = [...points];
    this.updateStartsInfo();
  }

  setRunning(running: boolean): void {
    this.runButton.toggleAttribute('disabled', running);
    this.stopButton.toggleAttribute('disabled', !running);
  }

  /** The status line: progress, "stopped at step k of T", a sweep's share done. */
  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setProgress(
    step: number,
    steps: number,
    text = `step ${step.toLocaleString('en-US')} of ${steps.toLocaleString('en-US')}`,
  ): void {
    this.setStatus(text);
  }

  setValidation(msg: Validation): void {
    this.editor.echo(msg.text);
    (this.editor.el as ValueElement).invalid = !msg.ok;
    this.diagnostics.replaceChildren(...msg.diagnostics.map((d) => diagnosticItem(d)));
  }

  /** The settings the fields describe, or null (with the bad fields marked) when a value is out of range. */
  settings(): LabSettings | null {
    if (!this.init) return null;
    let ok = true;
    const number = (f: ValueElement, min: number, max: number, int: boolean): number => {
      const v = f.value.trim() === '' ? NaN : Number(f.value);
      const good = Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v));
      f.invalid = !good;
      ok &&= good;
      return v;
    };
    const optimizers = this.selectedOptimizers().map((o) => {
      const given = this.values.get(o.id) ?? {};
      const params: Values = {};
      for (const p of o.params) params[p.name] = given[p.name] ?? p.default;
      return { id: o.id, params };
    });
    const n = number(this.startsN, 1, 4096, true);
    const seed = number(this.seed, 0, 2 ** 32 - 1, true);
    const steps = number(this.steps, 1, 1e8, true);
    const target = number(this.target, 0, Infinity, false);
    if (!ok) return null;
    return {
      fn: this.fnName,
      optimizers,
      steps,
      target,
      starts: this.clicked.length ? { kind: 'list', points: [...this.clicked] } : { kind: 'random', n, seed },
    };
  }

  /** Runs the settings on screen (a live re-run, an accepted edit). */
  runAgain(): void {
    this.requestRun();
  }

  private requestRun(): void {
    const s = this.settings();
    if (s && s.optimizers.length) this.events.run(s);
    else if (s) this.optSelect.focus();
  }

  /** Follows a run or a view the host started for another function (the palette, a CodeLens, a sweep). */
  showFunction(name: string): void {
    if (!this.init || name === this.fnName) return;
    const f = this.init.functions.find((x) => x.name === name);
    if (!f) return;
    this.fnName = name;
    this.fnSelect.value = name;
    if (this.editor.echo(definitionText(f))) {
      (this.editor.el as ValueElement).invalid = false;
      this.diagnostics.replaceChildren();
    }
    this.changed(false);
  }

  /**
   * The controls set to what a run or sweep ran with (a palette run, a sweep cell, a reload): the function, the
   * optimizers with every hyperparameter, the starts, steps and target. A field being typed in keeps its text.
   */
  showConfig(config: RunConfig): void {
    if (!this.init) return;
    this.showFunction(config.fn);
    const ids = config.optimizers.map((o) => o.id).filter((id) => this.init!.optimizers.some((o) => o.id === id));
    for (const o of config.optimizers) this.values.set(o.id, { ...o.params });
    if (ids.join() !== this.chosen.join()) {
      this.chosen = ids;
      this.optSelect.value = ids;
      this.renderCards();
    } else {
      for (const o of config.optimizers) this.cards.get(o.id)?.setValues(o.params);
    }
    const set = (f: ValueElement, v: string) => {
      if (f.value !== v && !f.matches(':focus-within')) f.value = v;
    };
    set(this.steps, String(config.steps));
    set(this.target, String(config.target));
    if (config.starts.kind === 'random') {
      set(this.startsN, String(config.starts.n));
      set(this.seed, String(config.starts.seed));
    }
    this.changed(false);
  }

  private changed(live: boolean): void {
    this.events.changed(this.settings(), live);
  }

  private functionInfo(): FunctionInfo | undefined {
    return this.init?.functions.find((f) => f.name === this.fnName);
  }

  private selectedOptimizers(): OptimizerMeta[] {
    const ids = new Set(this.chosen);
    return (this.init?.optimizers ?? []).filter((o) => ids.has(o.id));
  }

  /** One card per chosen optimizer; a card that stays keeps its element (and a field's focus). */
  private renderCards(rebuild = false): void {
    const next = new Map<string, OptimizerCard>();
    for (const o of this.selectedOptimizers()) {
      const old = rebuild ? undefined : this.cards.get(o.id);
      next.set(
        o.id,
        old ??
          new OptimizerCard(cardInput(o, this.values.get(o.id) ?? {}), {
            // A drag re-runs as it goes (the caller debounces), and the release with the value it ends on.
            change: (id, name, value) => {
              this.values.set(id, { ...this.values.get(id), [name]: value });
              this.changed(true);
            },
          }),
      );
    }
    this.cards = next;
    this.cardList.replaceChildren(...[...next.values()].map((c) => c.root));
  }

  private updateStartsInfo(): void {
    this.startsInfo.textContent = this.clicked.length
      ? `${this.clicked.length} start${this.clicked.length === 1 ? '' : 's'} placed on the view (they replace the random ones).`
      : 'Click the view to place starts; click a start to remove it.';
    this.startsN.toggleAttribute('disabled', this.clicked.length > 0);
    this.seed.toggleAttribute('disabled', this.clicked.length > 0);
  }
}

function definitionText(f: FunctionInfo): string {
  return `${f.name}(${f.variables.join(', ')}) = ${f.expression.trim()}`;
}

function diagnosticItem(d: Diagnostic): HTMLElement {
  const r = d.range;
  return h('li', { class: d.severity }, h('span', { class: 'pos' }, `${r.line}:${r.column}`), ' ', d.message);
}
