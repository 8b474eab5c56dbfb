/** The webview side of VS Code: messages out, and state kept across hiding and reloads (not retainContextWhenHidden). */
import { tryCheck } from '../src/shared/check';
import { settings, type LabSettings } from '../src/shared/runShapes';
import { parseHostMessage, type HostToWebview, type WebviewToHost } from '../src/shared/webviewProtocol';

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

/** Answers the host's request `requestId` with what `reply` gives, or with the reason it failed. */
export function answer(requestId: number, reply: () => Extract<WebviewToHost, { inReplyTo: number }>): void {
  try {
    post(reply());
  } catch (e) {
    post({ type: 'requestFailed', inReplyTo: requestId, message: (e as Error).message.slice(0, 2000) });
  }
}

export function saveState<T>(state: T): void {
  api.setState(state);
}

export function loadState(): Record<string, unknown> | null {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : null;
}

/** Saved settings, checked with the same rules as a `run` message's. */
export const restoreSettings = (v: unknown): LabSettings | null => tryCheck(settings, v) ?? null;

/**
 * Validated host messages; a malformed one, or one whose handling throws (a drawing bug), is reported through
 * `onError` and dropped, so the page goes on.
 */
export function onHostMessage(handle: (m: HostToWebview) => void, onError: (e: Error) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    let msg: HostToWebview;
    try {
      msg = parseHostMessage(event.data);
    } catch (e) {
      onError(e as Error);
      return;
    }
    try {
      handle(msg);
    } catch (e) {
      onError(new Error(`could not show a ${msg.type} message: ${(e as Error).message}`));
    }
  });
}
