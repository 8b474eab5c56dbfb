import type { CartesianScaleOptions, Chart, ChartType } from 'chart.js';
import type { XY } from './chartData';

/**
 * Colours from VS Code's `--vscode-*` variables, read from the body's computed style, and a notice when the
 * theme changes (VS Code swaps the body's `vscode-light` / `vscode-dark` / `vscode-high-contrast` class).
 */
export interface Theme {
  readonly kind: 'light' | 'dark' | 'highContrast';
  readonly foreground: string;
  readonly muted: string;
  readonly background: string;
  readonly grid: string;
  readonly border: string;
  readonly fontFamily: string;
  readonly fontSize: number;
  /** Categorical colours for optimizers, VS Code's chart palette first. */
  readonly palette: readonly string[];
}

const CHART_COLOURS = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'];
/** Used when a host theme lacks a chart colour, and after the six of VS Code's palette (Okabe–Ito). */
const FALLBACK = [
  '#3794ff',
  '#d18616',
  '#89d185',
  '#f14c4c',
  '#b180d7',
  '#cca700',
  '#56b4e9',
  '#009e73',
  '#e69f00',
  '#cc79a7',
  '#0072b2',
  '#d55e00',
];

export function readTheme(el: HTMLElement = document.body): Theme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(`--vscode-${name}`).trim() || fallback;
  const cls = el.classList;
  const kind =
    cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light')
      ? 'highContrast'
      : cls.contains('vscode-light')
        ? 'light'
        : 'dark';
  const light = kind === 'light';
  const foreground = v('foreground', light ? '#3b3b3b' : '#cccccc');
  return {
    kind,
    foreground,
    muted: v('descriptionForeground', light ? '#717171' : '#9d9d9d'),
    background: v('editor-background', light ? '#ffffff' : '#1e1e1e'),
    grid: v('editorWidget-border', light ? '#e5e5e5' : '#454545'),
    border: v('panel-border', light ? '#e5e5e5' : '#2b2b2b'),
    fontFamily: v('font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(v('font-size', '13px')) || 13,
    palette: [...CHART_COLOURS.map((c, i) => v(`charts-${c}`, FALLBACK[i])), ...FALLBACK.slice(CHART_COLOURS.length)],
  };
}

/** Calls `onChange` whenever the body's class list changes (a theme switch); returns the observer. */
export function watchTheme(onChange: (t: Theme) => void): MutationObserver {
  const observer = new MutationObserver(() => onChange(readTheme()));
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return observer;
}

/** `colour` with alpha, for bands and fills; handles #rgb, #rrggbb and rgb(…) forms. */
export function withAlpha(colour: string, alpha: number): string {
  const c = colour.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, (d) => d + d) : hex[1];
    return `rgba(${parseInt(h.slice(0, 2), 16)}, ${parseInt(h.slice(2, 4), 16)}, ${parseInt(h.slice(4, 6), 16)}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c);
  return rgb ? `rgba(${rgb[1].trim()}, ${rgb[2].trim()}, ${rgb[3].trim()}, ${alpha})` : c;
}

/** Text, axes, grid and tooltip colours of a chart from the theme; the caller redraws. */
export function applyChartTheme<K extends ChartType>(chart: Chart<K, XY[]>, t: Theme, gridAlpha: number): void {
  // Generic so that both chart types fit; the options read here exist on every cartesian chart.
  const o = chart.options as Chart['options'];
  o.color = t.foreground;
  o.font = { family: t.fontFamily, size: t.fontSize - 1 };
  for (const axis of [o.scales!.x!, o.scales!.y!] as Partial<CartesianScaleOptions>[]) {
    Object.assign(axis, { grid: { color: withAlpha(t.grid, gridAlpha) }, border: { color: t.grid } });
    // The colour alone is set on the ticks and the title: copying them would copy the resolver proxies chart.js
    // puts in a drawn chart's options, which it cannot merge again.
    for (const k of ['ticks', 'title'] as const) {
      const part = axis[k] as { color?: unknown } | undefined;
      if (part) part.color = t.muted;
      else Object.assign(axis, { [k]: { color: t.muted } });
    }
  }
  Object.assign(o.plugins!.tooltip!, {
    backgroundColor: withAlpha(t.background, 0.95),
    titleColor: t.foreground,
    bodyColor: t.foreground,
    borderColor: t.border,
    borderWidth: 1,
  });
}
