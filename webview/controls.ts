/**
 * The Lab's controls, built with @vscode-elements/elements (imported per component): function picker and
 * inline editor, optimizers with their hyperparameters from the registry metadata, starts, steps, target,
 * Run/Stop and progress. Enter in any field runs; Ctrl/Cmd+Enter runs from the editor.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type {
  Diagnostic,
  FunctionInfo,
  LabSettings,
  OptimizerMeta,
  ParamMeta,
  Point,
  RunConfig,
} from '../src/shared/runShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';

type Init = HostMessage<'init'>;
type Validation = HostMessage<'functionValidation'>;
type ValueElement = HTMLElement & { value: string; invalid?: boolean; disabled?: boolean };
type MultiElement = HTMLElement & { value: string[] };

export interface ControlEvents {
  run(settings: LabSettings): void;
  stop(): void;
  selectFunction(name: string): void;
  editFunction(text: string): void;
  clearStarts(): void;
  /** Any edit, so the caller can keep the settings in the webview state. */
  changed(settings: LabSettings | null): void;
}

const EDIT_DEBOUNCE_MS = 250;
let ids = 0;

function el<K extends string>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A label + control pair; the label's `for` points at the control so screen readers announce it. */
function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id ||= `f${++ids}`;
  if (hint) control.title = hint;
  return el('div', { class: 'field' }, el('vscode-label', { for: control.id }, label), control);
}

function textfield(value: string, attrs: Record<string, string> = {}): ValueElement {
  const t = el('vscode-textfield', { value, ...attrs }) as ValueElement;
  t.value = value;
  return t;
}

function select(options: readonly { value: string; label: string }[], value: string): ValueElement {
  const s = el(
    'vscode-single-select',
    {},
    ...options.map((o) =>
      el('vscode-option', o.value === value ? { value: o.value, selected: '' } : { value: o.value }, o.label),
    ),
  ) as ValueElement;
  return s;
}

export class Controls {
  private init: Init | null = null;
  private fnSelect!: ValueElement;
  private editor!: ValueElement;
  private diagnostics!: HTMLElement;
  private optSelect!: MultiElement;
  private paramsBox!: HTMLElement;
  private paramFields = new Map<string, Map<string, ValueElement>>();
  private startsN!: ValueElement;
  private seed!: ValueElement;
  private steps!: ValueElement;
  private target!: ValueElement;
  private runButton!: ValueElement;
  private stopButton!: ValueElement;
  private progress!: HTMLElement & { value?: number; max: number };
  private progressText!: HTMLElement;
  private startsInfo!: HTMLElement;
  private clicked: Point[] = [];
  /** Mirrors of the selects' values: a Lit element reports its value only after its first render. */
  private fnName = '';
  private chosen: string[] = [];
  private editTimer: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly events: ControlEvents,
  ) {
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
    this.fnSelect = select(
      init.functions.map((f) => ({ value: f.name, label: `${f.name}(${f.variables.join(', ')})` })),
      fn?.name ?? '',
    );
    this.fnName = fn?.name ?? '';
    this.fnSelect.addEventListener('change', () => {
      this.fnName = this.fnSelect.value;
      const f = this.functionInfo();
      if (f) this.editor.value = definitionText(f);
      this.events.selectFunction(this.fnName);
      this.changed();
    });
    this.editor = el('vscode-textarea', {
      rows: '3',
      resize: 'vertical',
      spellcheck: 'false',
      'aria-describedby': 'fn-diagnostics',
    }) as ValueElement;
    this.editor.value = fn ? definitionText(fn) : '';
    this.editor.addEventListener('input', () => {
      window.clearTimeout(this.editTimer);
      this.editTimer = window.setTimeout(() => this.events.editFunction(this.editor.value), EDIT_DEBOUNCE_MS);
    });
    this.diagnostics = el('ul', { id: 'fn-diagnostics', class: 'diagnostics', 'aria-live': 'polite' });

    this.chosen = settings.optimizers.map((o) => o.id);
    const chosen = new Set(this.chosen);
    this.optSelect = el(
      'vscode-multi-select',
      {},
      ...init.optimizers.map((o) =>
        el('vscode-option', chosen.has(o.id) ? { value: o.id, selected: '' } : { value: o.id }, o.label),
      ),
    ) as MultiElement;
    this.optSelect.addEventListener('change', () => {
      this.chosen = [...this.optSelect.value];
      this.renderParams();
      this.changed();
    });
    this.paramsBox = el('div', { class: 'params' });
    this.paramFields.clear();

    const random = settings.starts.kind === 'random' ? settings.starts : { n: 16, seed: 1 };
    this.clicked = settings.starts.kind === 'list' ? [...settings.starts.points] : [];
    this.startsN = textfield(String(random.n), { inputmode: 'numeric' });
    this.seed = textfield(String(random.seed), { inputmode: 'numeric' });
    const clear = el('vscode-button', { secondary: '' }, 'Clear starts');
    clear.addEventListener('click', () => {
      this.clicked = [];
      this.updateStartsInfo();
      this.events.clearStarts();
      this.changed();
    });
    this.startsInfo = el('p', { class: 'hint', 'aria-live': 'polite' });

    this.steps = textfield(String(settings.steps), { inputmode: 'numeric' });
    this.target = textfield(String(settings.target), { inputmode: 'decimal' });
    this.runButton = el('vscode-button', { id: 'run' }, 'Run') as ValueElement;
    this.runButton.addEventListener('click', () => this.requestRun());
    this.stopButton = el('vscode-button', { id: 'stop', secondary: '', disabled: '' }, 'Stop') as ValueElement;
    this.stopButton.addEventListener('click', () => this.events.stop());
    this.progress = el('vscode-progress-bar', { class: 'hidden', 'aria-label': 'run progress' }) as HTMLElement & {
      value?: number;
      max: number;
    };
    this.progressText = el('span', { class: 'hint', 'aria-live': 'polite' });

    for (const f of [this.startsN, this.seed, this.steps, this.target])
      f.addEventListener('input', () => this.changed());
    this.root.replaceChildren(
      el(
        'section',
        { 'aria-label': 'Cost function' },
        el('h2', {}, 'Function'),
        field('Function', this.fnSelect),
        field('Definition', this.editor),
        this.diagnostics,
      ),
      el(
        'section',
        { 'aria-label': 'Optimizers' },
        el('h2', {}, 'Optimizers'),
        field('Optimizers', this.optSelect),
        this.paramsBox,
      ),
      el(
        'section',
        { 'aria-label': 'Starts' },
        el('h2', {}, 'Starts'),
        el('div', { class: 'row' }, field('Random starts', this.startsN), field('Seed', this.seed)),
        this.startsInfo,
        clear,
      ),
      el(
        'section',
        { 'aria-label': 'Run' },
        el('h2', {}, 'Run'),
        el(
          'div',
          { class: 'row' },
          field('Steps', this.steps),
          field('Target f − f*', this.target, 'a lane has converged once f − f* ≤ target'),
        ),
        el('div', { class: 'row buttons' }, this.runButton, this.stopButton),
        this.progress,
        this.progressText,
      ),
    );
    this.renderParams(settings);
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
    if (!this.runButton) return;
    this.runButton.toggleAttribute('disabled', running);
    this.stopButton.toggleAttribute('disabled', !running);
    this.progress.classList.toggle('hidden', !running);
    if (!running) this.progressText.textContent = '';
  }

  setProgress(step: number, steps: number, text = `step ${step} of ${steps}`): void {
    if (!this.progress) return;
    this.progress.max = Math.max(1, steps);
    this.progress.value = step;
    this.progressText.textContent = text;
  }

  setValidation(msg: Validation): void {
    if (!this.editor) return;
    this.editor.invalid = !msg.ok;
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
      const fields = this.paramFields.get(o.id)!;
      const params: Record<string, number | string> = {};
      for (const p of o.params) {
        const f = fields.get(p.name)!;
        params[p.name] = p.kind === 'choice' ? f.value : number(f, p.min, p.max, false);
      }
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

  /** Runs the settings on screen again (an accepted edit of a live-sized run). */
  runAgain(): void {
    this.requestRun();
  }

  private requestRun(): void {
    const s = this.settings();
    if (s && s.optimizers.length) this.events.run(s);
    else if (s) this.optSelect.focus();
  }

  /** Follows a run or a landscape the host started for another function (the palette, a CodeLens, a sweep). */
  showFunction(name: string): void {
    if (!this.init || name === this.fnName) return;
    const f = this.init.functions.find((x) => x.name === name);
    if (!f) return;
    this.fnName = name;
    this.fnSelect.value = name;
    if (!this.editor.matches(':focus-within')) {
      this.editor.value = definitionText(f);
      this.setValidation({ type: 'functionValidation', text: this.editor.value, ok: true, diagnostics: [] });
    }
    this.changed();
  }

  /**
   * The controls set to what a run or sweep ran with (a palette run, a sweep cell, a reload): the function, the
   * optimizers with every hyperparameter, the starts, steps and target. Fields that already say so are left alone,
   * and the definition field is never rewritten while it has the focus.
   */
  showConfig(config: RunConfig): void {
    if (!this.init) return;
    this.showFunction(config.fn);
    const ids = config.optimizers.map((o) => o.id).filter((id) => this.init!.optimizers.some((o) => o.id === id));
    const differs = (o: RunConfig['optimizers'][number]) =>
      Object.entries(o.params).some(([k, v]) => {
        const f = this.paramFields.get(o.id)?.get(k);
        return !f || (typeof v === 'number' ? Number(f.value) !== v : f.value !== v);
      });
    if (ids.join() !== this.chosen.join()) {
      this.chosen = ids;
      this.optSelect.value = ids;
      this.renderParams(config);
    } else if (config.optimizers.some(differs)) {
      // Rebuilt only when a value differs: a field being typed in keeps its focus.
      this.renderParams(config);
    }
    const set = (f: ValueElement, v: string) => {
      if (f.value !== v) f.value = v;
    };
    set(this.steps, String(config.steps));
    set(this.target, String(config.target));
    if (config.starts.kind === 'random') {
      set(this.startsN, String(config.starts.n));
      set(this.seed, String(config.starts.seed));
    }
    this.changed();
  }

  private changed(): void {
    this.events.changed(this.settings());
  }

  private functionInfo(): FunctionInfo | undefined {
    return this.init?.functions.find((f) => f.name === this.fnName);
  }

  private selectedOptimizers(): OptimizerMeta[] {
    const ids = new Set(this.chosen);
    return (this.init?.optimizers ?? []).filter((o) => ids.has(o.id));
  }

  /**
   * One group of hyperparameter fields per chosen optimizer; values typed so far are kept, unless `settings`
   * (a configuration that ran) says otherwise.
   */
  private renderParams(settings?: Pick<LabSettings, 'optimizers'>): void {
    const groups = this.selectedOptimizers().map((o) => {
      const given = settings?.optimizers.find((c) => c.id === o.id)?.params ?? {};
      const old = this.paramFields.get(o.id);
      const fields = new Map<string, ValueElement>();
      const row = el(
        'div',
        { class: 'row wrap' },
        ...o.params.map((p) => {
          const value = String(given[p.name] ?? old?.get(p.name)?.value ?? p.default);
          const control = paramControl(p, value);
          control.addEventListener('input', () => this.changed());
          control.addEventListener('change', () => this.changed());
          fields.set(p.name, control);
          return field(
            p.symbol,
            control,
            `${p.name}: ${p.description}${p.kind === 'number' ? ` (${p.min} … ${p.max})` : ''}`,
          );
        }),
      );
      this.paramFields.set(o.id, fields);
      return el(
        'fieldset',
        { class: 'optimizer', 'data-optimizer': o.id },
        el('legend', { title: o.paper }, o.label),
        row,
      );
    });
    this.paramsBox.replaceChildren(...groups);
  }

  private updateStartsInfo(): void {
    if (!this.startsInfo) return;
    this.startsInfo.textContent = this.clicked.length
      ? `${this.clicked.length} start${this.clicked.length === 1 ? '' : 's'} placed on the landscape (they replace the random ones).`
      : 'Click the landscape to place starts; click a start to remove it.';
    this.startsN.toggleAttribute('disabled', this.clicked.length > 0);
    this.seed.toggleAttribute('disabled', this.clicked.length > 0);
  }
}

function paramControl(p: ParamMeta, value: string): ValueElement {
  if (p.kind === 'choice')
    return select(
      p.choices.map((c) => ({ value: c, label: c })),
      value,
    );
  // Plain text with our own range check: a native number input flags 0.1 as a step mismatch.
  return textfield(value, { inputmode: 'decimal', class: 'param' });
}

function definitionText(f: FunctionInfo): string {
  return `${f.name}(${f.variables.join(', ')}) = ${f.expression.trim()}`;
}

function diagnosticItem(d: Diagnostic): HTMLElement {
  const r = d.range;
  return el('li', { class: d.severity }, el('span', { class: 'pos' }, `${r.line}:${r.column}`), ' ', d.message);
}
