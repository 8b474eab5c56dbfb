/**
 * Playback of a finished run: the step k in [0, T] that every view shows, playing or paused, at a speed in steps
 * per second, looping or stopping at the end. Listeners hear at most one change per animation frame however many
 * seeks, steps or frames of play happened since, so a slow view never piles up work.
 */

/** Speed presets in steps per second: slow enough to follow one step, fast enough to sweep 10⁴ steps. */
export const SPEEDS: readonly number[] = [5, 15, 30, 60, 120, 250, 500, 1000];
const DEFAULT_SPEED = 60;

export interface PlayerState {
  /** The step shown: the points after k updates (k = 0: the starts). */
  readonly step: number;
  /** T, the last step there is. */
  readonly last: number;
  readonly playing: boolean;
  /** Steps per second. */
  readonly speed: number;
  /** At the end, start again from 0 (else pause there). */
  readonly loop: boolean;
}

/** The animation-frame scheduler; tests may pass their own. */
export interface FrameClock {
  request(callback: (now: number) => void): number;
  cancel(id: number): void;
}

const browserClock: FrameClock = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (id) => cancelAnimationFrame(id),
};

/** A frame longer than this (a hidden tab, a debugger) advances as if it were this long. */
const MAX_FRAME_MS = 250;

export class Player {
  private s: PlayerState;
  private readonly listeners = new Set<(s: PlayerState) => void>();
  private frame: number | null = null;
  private prevTime: number | null = null;
  /** Fractional steps earned by play time, carried to the next frame. */
  private carry = 0;
  private dirty = false;
  private readonly clock: FrameClock;

  constructor(last: number, opts: { speed?: number; loop?: boolean; clock?: FrameClock } = {}) {
    this.clock = opts.clock ?? browserClock;
    this.s = {
      step: 0,
      last: Math.max(0, Math.floor(last)),
      playing: false,
      speed: opts.speed ?? DEFAULT_SPEED,
      loop: opts.loop ?? false,
    };
  }

  get state(): PlayerState {
    return this.s;
  }

  /** Called once per frame in which the state changed; returns the unsubscribe function. */
  onChange(listener: (s: PlayerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  play(): void {
    if (this.s.playing || this.s.last === 0) return;
    // Play at the end starts over, as a media player does.
    this.set({ playing: true, step: this.s.step >= this.s.last ? 0 : this.s.step });
    this.prevTime = null;
    this.carry = 0;
  }

  pause(): void {
    if (this.s.playing) this.set({ playing: false });
  }

  toggle(): void {
    if (this.s.playing) this.pause();
    else this.play();
  }

  /** Pauses and moves by `delta` steps. */
  stepBy(delta: number): void {
    this.pause();
    this.seek(this.s.step + delta);
  }

  /** Shows step `k` (clamped to [0, T]); playing continues from there. */
  seek(k: number): void {
    const step = Math.min(this.s.last, Math.max(0, Math.round(k)));
    if (step !== this.s.step) this.set({ step });
    this.carry = 0;
  }

  /** A new run: its last step; the step shown stays where it is when the new run has it. */
  setLast(last: number): void {
    const T = Math.max(0, Math.floor(last));
    this.set({ last: T, step: Math.min(this.s.step, T), playing: this.s.playing && T > 0 });
  }

  setSpeed(speed: number): void {
    if (speed > 0 && speed !== this.s.speed) this.set({ speed });
  }

  setLoop(loop: boolean): void {
    if (loop !== this.s.loop) this.set({ loop });
  }

  dispose(): void {
    if (this.frame !== null) this.clock.cancel(this.frame);
    this.frame = null;
    this.listeners.clear();
  }

  private set(change: Partial<PlayerState>): void {
    this.s = { ...this.s, ...change };
    this.dirty = true;
    if (this.frame === null) this.frame = this.clock.request(this.tick);
  }

  private readonly tick = (now: number): void => {
    this.frame = null;
    if (this.s.playing) this.advance(now);
    else this.prevTime = null;
    if (this.dirty) {
      this.dirty = false;
      for (const l of this.listeners) l(this.s);
    }
    if (this.s.playing) this.frame = this.clock.request(this.tick);
  };

  private advance(now: number): void {
    const dt = this.prevTime === null ? 0 : Math.min(MAX_FRAME_MS, now - this.prevTime);
    this.prevTime = now;
    this.carry += (this.s.speed * dt) / 1000;
    const whole = Math.floor(this.carry);
    if (whole === 0) return;
    this.carry -= whole;
    let step = this.s.step + whole;
    let playing = true;
    if (step > this.s.last) {
      if (this.s.loop) step = (step - this.s.last - 1) % (this.s.last + 1);
      else {
        step = this.s.last;
        playing = false;
      }
    }
    this.s = { ...this.s, step, playing };
    this.dirty = true;
  }
}

/** "step 412 of 1,000": the readout the bar shows and the slider announces. */
export function stepText(s: Pick<PlayerState, 'step' | 'last'>): string {
  return `step ${s.step.toLocaleString('en-US')} of ${s.last.toLocaleString('en-US')}`;
}
