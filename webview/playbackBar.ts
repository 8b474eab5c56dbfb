/**
 * The playback bar over a Player: Step back, Play/Pause, Step forward, the step slider, the readout ("step 412 of
 * 1,000"), the speed and Loop. Keyboard anywhere in the bar (and wherever the caller forwards keys): Space plays or
 * pauses, ← / → step, Home / End go to the first / last step; buttons and the speed list keep their own keys.
 */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { h } from './dom';
import { SPEEDS, stepText, type Player, type PlayerState } from './player';

type ToolbarButton = HTMLElement & { label?: string; checked: boolean };

const SVG = 'http://www.w3.org/2000/svg';
/** 16 × 16 glyphs in the codicon style (the codicon font is not part of the webview). */
const GLYPHS = {
  play: 'M4.5 2.8v10.4L13 8z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  back: 'M3 2.5h2v11H3zM13 2.8v10.4L6 8z',
  forward: 'M11 2.5h2v11h-2zM3 2.8v10.4L10 8z',
  loop: 'M3 6.5A3.5 3.5 0 0 1 6.5 3H11V1.5L13.5 4 11 6.5V5H6.5A1.5 1.5 0 0 0 5 6.5V8H3zM13 9.5A3.5 3.5 0 0 1 9.5 13H5v1.5L2.5 12 5 9.5V11h4.5A1.5 1.5 0 0 0 11 9.5V8h2z',
} as const;

function glyph(name: keyof typeof GLYPHS): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', GLYPHS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function toolButton(label: string, icon: keyof typeof GLYPHS, toggleable = false): ToolbarButton {
  const b = h('vscode-toolbar-button', toggleable ? { toggleable: '' } : {}, glyph(icon)) as ToolbarButton;
  // The element puts `label` on its inner <button> as aria-label; title gives sighted users the same name.
  b.label = label;
  b.title = label;
  return b;
}

export class PlaybackBar {
  readonly root: HTMLElement;
  private readonly playButton: ToolbarButton;
  private readonly slider: HTMLInputElement;
  private readonly readout: HTMLElement;
  private readonly unsubscribe: () => void;
  private shown: PlayerState | null = null;
  /** The run's step at each frame of playback and its step budget (frames are recorded steps), or null: frames are steps. */
  private steps: { readonly at: ArrayLike<number>; readonly total: number } | null = null;

  constructor(private readonly player: Player) {
    const back = toolButton('Step back', 'back');
    this.playButton = toolButton('Play', 'play');
    const forward = toolButton('Step forward', 'forward');
    const loop = toolButton('Loop', 'loop', true);
    this.slider = h('input', {
      type: 'range',
      min: '0',
      step: '1',
      'aria-label': 'Step',
      class: 'range',
    }) as HTMLInputElement;
    this.readout = h('output', { class: 'step-readout' });
    const speed = h(
      'vscode-single-select',
      { label: 'Speed', class: 'speed', title: 'Speed' },
      ...SPEEDS.map((v) =>
        h(
          'vscode-option',
          v === player.state.speed ? { value: String(v), selected: '' } : { value: String(v) },
          `${v} steps/s`,
        ),
      ),
    ) as HTMLElement & { value: string };

    back.addEventListener('click', () => player.stepBy(-1));
    forward.addEventListener('click', () => player.stepBy(1));
    this.playButton.addEventListener('click', () => player.toggle());
    loop.addEventListener('change', () => player.setLoop(loop.checked));
    // `input` fires per pixel of a drag; the player coalesces the seeks into one change per frame.
    this.slider.addEventListener('input', () => player.seek(Number(this.slider.value)));
    speed.addEventListener('change', () => player.setSpeed(Number(speed.value)));

    this.root = h(
      'div',
      { class: 'playback', role: 'group', 'aria-label': 'Playback' },
      h('div', { class: 'playback-buttons' }, back, this.playButton, forward),
      this.slider,
      this.readout,
      h('div', { class: 'playback-options' }, speed, loop),
    );
    this.root.addEventListener('keydown', (e) => {
      if (this.ownsKey(e)) return;
      if (this.handleKey(e)) e.preventDefault();
    });
    loop.checked = player.state.loop;
    this.unsubscribe = player.onChange((s) => this.show(s));
    this.show(player.state);
  }

  /** The bar's keys, for a view that has focus (the landscape, the curve): true when the key was used. */
  handleKey(e: KeyboardEvent): boolean {
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    const p = this.player;
    switch (e.key) {
      case ' ':
        p.toggle();
        return true;
      case 'ArrowLeft':
        p.stepBy(-1);
        return true;
      case 'ArrowRight':
        p.stepBy(1);
        return true;
      case 'Home':
        p.pause();
        p.seek(0);
        return true;
      case 'End':
        p.pause();
        p.seek(p.state.last);
        return true;
    }
    return false;
  }

  /**
   * Frames are a run's recorded steps: the readout says the step at `at[frame]` of `total` (a decimated trace has
   * fewer frames than steps). Null: frames are steps.
   */
  setSteps(steps: { readonly at: ArrayLike<number>; readonly total: number } | null): void {
    this.steps = steps;
    this.shown = null;
    this.show(this.player.state);
  }

  dispose(): void {
    this.unsubscribe();
    this.root.remove();
  }

  /** Buttons and the speed list answer their own keys (Space activates a button, arrows move in a list). */
  private ownsKey(e: KeyboardEvent): boolean {
    const t = e.target as HTMLElement;
    if (t.tagName === 'VSCODE-SINGLE-SELECT') return true;
    return t.tagName === 'VSCODE-TOOLBAR-BUTTON' && (e.key === ' ' || e.key === 'Enter');
  }

  private show(s: PlayerState): void {
    const old = this.shown;
    if (!old || old.last !== s.last) this.slider.max = String(s.last);
    if (!old || old.step !== s.step || old.last !== s.last) {
      const m = this.steps;
      const text = m
        ? stepText({ step: m.at[Math.min(s.step, m.at.length - 1)] ?? s.step, last: m.total })
        : stepText(s);
      this.slider.value = String(s.step);
      this.slider.setAttribute('aria-valuetext', text);
      this.readout.textContent = text;
    }
    if (!old || old.playing !== s.playing) {
      const label = s.playing ? 'Pause' : 'Play';
      this.playButton.label = label;
      this.playButton.title = label;
      this.playButton.replaceChildren(glyph(s.playing ? 'pause' : 'play'));
    }
    this.shown = s;
  }
}
