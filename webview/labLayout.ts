/**
 * The Lab's one-screen layout: a compact toolbar, then the stage — view tabs (the run's view, its 3-D surface, the
 * latest sweep), the view's title and notes, the main view sized to the screen, the playback bar — and the side
 * column of collapsible sections (the controls, convergence, results). Narrow (the panel beside an editor) the
 * stage fills the first screen and the sections follow below it; wide, the sections are a column at its side that
 * scrolls on its own. Sizes are CSS (media/lab.css); nothing here measures.
 */
import { h } from './dom';

export type ViewTab = 'run' | 'surface' | 'sweep';

const TABS: readonly (readonly [ViewTab, string, string])[] = [
  ['run', 'Run', 'The run’s view: the landscape, a slice or the curve, with the trajectories'],
  ['surface', '3-D', 'The landscape as a 3-D surface with the trajectories on it'],
  ['sweep', 'Sweep', 'The latest sweep’s charts'],
];

/** Tabs over the stage's views: one shown at a time, ← / → move between them (ARIA tabs pattern). */
export class ViewTabs {
  readonly root: HTMLElement;
  private readonly buttons = new Map<ViewTab, HTMLButtonElement>();
  private readonly panels = new Map<ViewTab, HTMLElement>();
  private current: ViewTab = 'run';
  private listener: (tab: ViewTab) => void = () => {};

  constructor(panels: Readonly<Record<ViewTab, HTMLElement>>) {
    this.root = h('div', { class: 'view-tabs', role: 'tablist', 'aria-label': 'Views' });
    for (const [tab, label, title] of TABS) {
      const panel = panels[tab];
      panel.id ||= `view-${tab}`;
      panel.setAttribute('role', 'tabpanel');
      const b = h(
        'button',
        { class: 'view-tab', role: 'tab', id: `tab-${tab}`, title, 'aria-controls': panel.id, type: 'button' },
        label,
      ) as HTMLButtonElement;
      panel.setAttribute('aria-labelledby', b.id);
      b.addEventListener('click', () => this.select(tab));
      b.addEventListener('keydown', (e) => {
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        e.preventDefault();
        const open = TABS.map(([t]) => t).filter((t) => !this.buttons.get(t)!.disabled);
        const next = open[(open.indexOf(tab) + step + open.length) % open.length];
        this.select(next);
        this.buttons.get(next)!.focus();
      });
      this.buttons.set(tab, b);
      this.panels.set(tab, panel);
      this.root.append(b);
    }
    this.select('run');
  }

  get selected(): ViewTab {
    return this.current;
  }

  onSelect(listener: (tab: ViewTab) => void): void {
    this.listener = listener;
  }

  /** A tab with nothing to show is disabled; the run's view then takes its place if it was shown. */
  setEnabled(tab: ViewTab, enabled: boolean): void {
    const b = this.buttons.get(tab)!;
    b.disabled = !enabled;
    if (!enabled && this.current === tab) this.select('run');
  }

  select(tab: ViewTab): void {
    if (this.buttons.get(tab)!.disabled) return;
    const changed = tab !== this.current;
    this.current = tab;
    for (const [t, b] of this.buttons) {
      b.setAttribute('aria-selected', String(t === tab));
      b.tabIndex = t === tab ? 0 : -1;
      this.panels.get(t)!.classList.toggle('hidden', t !== tab);
    }
    if (changed) this.listener(tab);
  }
}

export interface LabLayout {
  readonly banner: HTMLElement;
  readonly title: HTMLElement;
  readonly notes: HTMLElement;
  readonly runPanel: HTMLElement;
  readonly surfacePanel: HTMLElement;
  readonly sweepPanel: HTMLElement;
  readonly tabs: ViewTabs;
  /** Under the main view: the playback bar goes here. */
  readonly playbackSlot: HTMLElement;
  readonly side: HTMLElement;
}

/** Builds the skeleton into `root` around the toolbar the controls made. */
export function buildLayout(root: HTMLElement, toolbar: HTMLElement): LabLayout {
  const banner = h('div', { class: 'banner hidden', role: 'alert' });
  const runPanel = h('div', { class: 'view-panel landscape-card', id: 'run-view' });
  const surfacePanel = h('div', { class: 'view-panel surface-panel hidden', id: 'surface-view' });
  const sweepPanel = h('div', { class: 'view-panel sweep-panel hidden', id: 'sweep' });
  const tabs = new ViewTabs({ run: runPanel, surface: surfacePanel, sweep: sweepPanel });
  // The title is an h2 of the run's view (the e2e reads `.landscape-card h2`), shown in the stage's head.
  const title = h('h2', { class: 'view-title keep-case', id: 'view-title' });
  const notes = h('div', { class: 'view-notes', 'aria-live': 'polite' });
  const playbackSlot = h('div', { class: 'playback-slot' });
  const side = h('aside', { class: 'side', 'aria-label': 'Settings and results' });
  const stage = h(
    'main',
    { class: 'stage' },
    h('div', { class: 'stage-head' }, tabs.root, notes),
    h('div', { class: 'view-area' }, runPanel, surfacePanel, sweepPanel),
    playbackSlot,
  );
  runPanel.prepend(title);
  root.append(h('div', { class: 'lab' }, toolbar, banner, h('div', { class: 'lab-body' }, stage, side)));
  return { banner, title, notes, runPanel, surfacePanel, sweepPanel, tabs, playbackSlot, side };
}
