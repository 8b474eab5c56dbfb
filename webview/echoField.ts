/**
 * A text field the host echoes back (the inline definition, a hyperparameter, a slice value) that never loses a
 * keystroke. The user's typing goes to the host debounced; the host's text comes back later, possibly older than
 * what is in the field by then. An echo replaces the text only when the field is not focused, or when its text is
 * still exactly what was last sent (nothing typed since); an echo of an older text we sent is dropped.
 */
import '@vscode-elements/elements/dist/vscode-textarea/index.js';

/** A vscode-textfield, vscode-textarea or native input: anything with a string `value` that fires `input`. */
export type TextControl = HTMLElement & { value: string };

/** Texts we sent and remember, to recognise an echo of an older one. */
const REMEMBERED = 64;

export class EchoField {
  private timer: number | undefined;
  /** Sent texts, oldest first; the last is what the host should echo next. */
  private readonly sent: string[] = [];

  constructor(
    readonly el: TextControl,
    private readonly send: (text: string) => void,
    private readonly debounceMs = 200,
  ) {
    el.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.flush(), this.debounceMs);
    });
    // Leaving the field sends what it holds at once, so the next echo is of the latest text.
    el.addEventListener('blur', () => this.flush());
  }

  /** Sends the field's text now if it differs from what was last sent. */
  flush(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.el.value;
    if (text === this.sent[this.sent.length - 1]) return;
    this.sent.push(text);
    if (this.sent.length > REMEMBERED) this.sent.shift();
    this.send(text);
  }

  /** The host's text; returns whether it was applied. */
  echo(text: string): boolean {
    const latest = this.sent[this.sent.length - 1];
    if (text !== latest && this.sent.includes(text)) return false;
    // Messages arrive in order: once the latest text is echoed, no echo of an older one is still on its way, and
    // an older text coming back later is a new edit (an undo in the file), not a stale echo.
    if (text === latest) this.sent.splice(0, this.sent.length - 1);
    if (this.focused() && (this.timer !== undefined || this.el.value !== latest)) return false;
    if (this.el.value !== text) this.el.value = text;
    return true;
  }

  /** Whether the field (or, for a custom element, its shadow content) has the keyboard focus. */
  private focused(): boolean {
    const active = document.activeElement;
    return active === this.el || this.el.contains(active);
  }
}

/** The inline definition editor: a monospace vscode-textarea whose text goes to the host as the user types. */
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
  return new EchoField(el, send);
}
