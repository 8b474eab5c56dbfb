/**
 * The sidebar's "Convergence" view: the current or latest run's curves, updated live (at most ~10 times a
 * second) and shown again when the view is reopened (the feed keeps the latest run's messages).
 */
import * as vscode from 'vscode';
import { withoutTraces } from '../present/runMessages';
import { CheckError } from '../shared/check';
import { parseWebviewMessage, type HostToWebview } from '../shared/webviewProtocol';
import type { LabFeed } from './runFlow';
import { loadPage } from './webviewPage';

export const CONVERGENCE_VIEW_ID = 'descentLab.convergence';
const FOR_SIDEBAR: ReadonlySet<HostToWebview['type']> = new Set(['runStarted', 'progress', 'runResult', 'runError']);

class ConvergenceViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly feed: LabFeed,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // The feed already limits progress to ~10 messages a second (runFlow).
    this.sub = feed.onMessage((m) => {
      if (FOR_SIDEBAR.has(m.type)) this.send(m);
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webview = view.webview;
    loadPage(webview, this.extensionUri, 'sidebar');
    webview.onDidReceiveMessage((raw) => {
      try {
        if (parseWebviewMessage(raw).type === 'ready') this.feed.replay().forEach((m) => this.send(m));
      } catch (e) {
        if (!(e instanceof CheckError)) throw e;
        this.log.warn(`ignored a malformed message from the Convergence view: ${e.message}`);
      }
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  /** The curves and rows only: the sidebar draws no trajectories, which are most of a result's bytes. */
  private send(m: HostToWebview): void {
    void this.view?.webview.postMessage(m.type === 'runResult' ? withoutTraces(m) : m);
  }

  dispose(): void {
    this.sub.dispose();
  }
}

export function registerConvergenceView(
  extensionUri: vscode.Uri,
  feed: LabFeed,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const provider = new ConvergenceViewProvider(extensionUri, feed, log);
  return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(CONVERGENCE_VIEW_ID, provider));
}
