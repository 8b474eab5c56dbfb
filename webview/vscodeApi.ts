/** The webview side of VS Code: messages out, and state kept across hiding and reloads (not retainContextWhenHidden). */
import {
  parseHostMessage,
  parseWebviewMessage,
  type HostToWebview,
  type LabSettings,
  type WebviewToHost,
} from '../src/protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(msg: WebviewToHost): void {
  api.postMessage(msg);
}

export function saveState<T>(state: T): void {
  api.setState(state);
}

export function loadState(): Record<string, unknown> | null {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : null;
}

/** A saved host message, checked again: state from an older version must not break the view. */
export function restoreMessage<T extends HostToWebview['type']>(
  v: unknown,
  type: T,
): Extract<HostToWebview, { type: T }> | null {
  try {
    const m = parseHostMessage(v);
    return m.type === type ? (m as Extract<HostToWebview, { type: T }>) : null;
  } catch {
    return null;
  }
}

/** Saved settings, checked with the same rules as a `run` message. */
export function restoreSettings(v: unknown): LabSettings | null {
  try {
    const m = parseWebviewMessage({ type: 'run', settings: v });
    return m.type === 'run' ? m.settings : null;
  } catch {
    return null;
  }
}

/** Validated host messages; a malformed one is reported through `onError` and dropped. */
export function onHostMessage(handle: (m: HostToWebview) => void, onError: (e: Error) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    let msg: HostToWebview;
    try {
      msg = parseHostMessage(event.data);
    } catch (e) {
      onError(e as Error);
      return;
    }
    handle(msg);
  });
}
