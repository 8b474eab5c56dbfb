/** Small DOM helpers shared by the Lab panel, the sweep view and the report (no inline styles: strict CSP). */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';

export function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

export type Picker = HTMLElement & { value: string };

/** A labelled single-select of `[value, text]` options. */
export function picker(label: string, options: readonly (readonly [string, string])[], value: string): Picker {
  return h(
    'vscode-single-select',
    { 'aria-label': label, class: 'compact' },
    ...options.map(([v, text]) => h('vscode-option', v === value ? { value: v, selected: '' } : { value: v }, text)),
  ) as Picker;
}

/** A card: a titled section with a toolbar, as the Lab panel lays out its views. */
export function card(title: string, tools: readonly HTMLElement[], body: HTMLElement, cls = ''): HTMLElement {
  return h(
    'section',
    { class: `card ${cls}`.trim(), 'aria-label': title },
    h('header', {}, h('h2', {}, title), h('div', { class: 'toolbar' }, ...tools)),
    body,
  );
}
