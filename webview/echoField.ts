/**
 * A text field the host echoes back (the inline definition, a hyperparameter, a slice value) that never loses a
 * keystroke. The user's typing goes to the host debounced; the host's text comes back later, possibly older than
 * what is in the field by then. So an echo never replaces the text of a focused field (one the user has not
 * changed since is brought up to date when it loses focus); and until the host has echoed the latest text sent,
 * any other echo is an older state and is dropped, as is an echo of any older text sent.
 */
import '@vscode-elements/elements/dist/vscode-textarea/index.js';

/** A vscode-textfield, vscode-textarea or native input: anything with a string `value` that fires `input`. */
export type TextControl = HTMLElement & { value: string };

/** Texts we sent and remember, to recognise an echo of an older one. */
const REMEMBERED = 64;
/**
 * How long after a send only the echo of that text is taken. A host that answers with a normalised text instead
 * (never exactly ours) is believed after this long.
 */
const CATCH_UP_MS = 1000;

export class EchoField {
  private timer: number | undefined;
  /** Sent texts, oldest first; the last is what the host should echo next. */
  private readonly sent: string[] = [];
  /** When the latest text was sent, until the host echoes it. */
  private awaitingSince: number | null = null;
  /** A newer host text that arrived while the field had focus. */
  private pending: string | null = null;

  constructor(
    readonly el: TextControl,
    private readonly send: (text: string) => void,
    private readonly debounceMs = 200,
  ) {
    el.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.flush(), this.debounceMs);
    });
    el.addEventListener('blur', () => {
      // Leaving the field sends what it holds at once, so the next echo is of the latest text; a host text that
      // came while it had focus, and is newer than anything typed, is shown now.
      this.flush();
      if (this.pending !== null && !this.awaiting()) this.el.value = this.pending;
      this.pending = null;
    });
  }

  /** Sends the field's text now if it differs from what was last sent. */
  flush(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.el.value;
    if (text === this.sent[this.sent.length - 1]) return;
    this.sent.push(text);
    if (this.sent.length > REMEMBERED) this.sent.shift();
    this.awaitingSince = performance.now();
    this.pending = null;
    this.send(text);
  }

  /** The host's text; returns whether the field shows it now. */
  echo(text: string): boolean {
    const focused = this.focused();
    if (text === this.sent[this.sent.length - 1]) {
      // Messages arrive in order: once the latest text is echoed, no echo of an older one is on its way, and an
      // older text coming back later is a new edit (an undo in the file), not a stale echo.
      this.sent.splice(0, this.sent.length - 1);
      this.awaitingSince = null;
      this.pending = null;
      if (!focused && this.el.value !== text) this.el.value = text;
      return !focused || this.el.value === text;
    }
    if (this.awaiting() || this.sent.includes(text)) return false;
    if (focused) {
      this.pending = text;
      return false;
    }
    this.el.value = text;
    return true;
  }

  private awaiting(): boolean {
    return this.awaitingSince !== null && performance.now() - this.awaitingSince < CATCH_UP_MS;
  }

  /** Whether the field (or, for a custom element, its shadow content) has the keyboard focus. */
  private focused(): boolean {
    const active = document.activeElement;
    return active === this.el || this.el.contains(active);
  }
}

/**
 * The inline definition editor: a monospace vscode-textarea whose text goes to the host as the user types. The
 * short debounce keeps the edit → re-plot latency low; the host's validation is quick.
 */
export function definitionEditor(send: (text: string) => void, text = ''): EchoField {
  const el = document.createElement('vscode-textarea') as TextControl & { label: string };
  el.setAttribute('rows', '3');
  el.setAttribute('resize', 'vertical');
  el.setAttribute('spellcheck', 'false');
  el.setAttribute('monospace', '');
  // The element gives `label` to its inner textarea as aria-label.
  el.label = 'Definition';
  el.classList.add('definition');
  el.value = text;
  return new EchoField(el, send, 40);
}
