/**
 * The Lab: one webview panel with the landscape, the controls, the convergence chart and the results table.
 * It is restored after a window reload (serializer); its webview keeps its own UI state (getState/setState) and
 * the host resends the data on `ready`. Every message from the webview is validated; bad ones are logged and
 * ignored. The landscape PNG is a request with a reply (shared/requests.ts).
 */
import * as vscode from 'vscode';
import { labSettings, functionInfo, optimizerMetas } from '../present/labInit';
import { landscapeMessage } from '../present/landscape';
import { configLabel } from '../present/params';
import { CheckError } from '../shared/check';
import { Requests } from '../shared/requests';
import type { Bounds, Point } from '../shared/runShapes';
import {
  parseHostMessage,
  parseWebviewMessage,
  type HostToWebview,
  type WebviewMessage,
  type WebviewToHost,
} from '../shared/webviewProtocol';
import { saveExport } from './exportFiles';
import type { CatalogEntry } from './functionCatalog';
import { applyInlineEdit } from './inlineEdit';
import { nextStarts, panelRequests, restoredFunction } from './labState';
import { catalog, rememberedOptimizers } from './pickers';
import { pngBytes } from './pngData';
import type { RunFlow } from './runFlow';
import { runRequests, shapeFromSettings, type RunShape } from './runPlan';
import { runSettings } from './settings';
import { loadPage, webviewOptions } from './webviewPage';

export const LAB_VIEW_TYPE = 'descentLab.lab';
const REFRESH_DELAY_MS = 300;
/** A shown panel draws its PNG in well under a second; a hidden one first has to load again. */
const PNG_TIMEOUT_MS = 15_000;

export class LabPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queue: HostToWebview[] = [];
  private fnKey: string | undefined;
  private starts: readonly Point[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** What the webview was last told: the function keys (init) and the current function's text (landscape). */
  private shown = { keys: '', source: '' };
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly requests = new Requests<{ png: string }>(PNG_TIMEOUT_MS, () => 'the Lab did not send its landscape');

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly flow: RunFlow,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const later = (doc: vscode.TextDocument) => {
      if (!this.ready || doc.languageId !== 'cost') return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
    };
    this.disposables.push(
      flow.feed.onMessage((m) => this.post(m)),
      vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
      vscode.workspace.onDidOpenTextDocument(later),
      vscode.workspace.onDidCloseTextDocument(later),
      { dispose: () => clearTimeout(this.refreshTimer) },
      { dispose: () => this.requests.dispose('Descent Lab was shut down') },
    );
  }

  /** After `.cost` documents change: a new function list when the keys changed, a new landscape when the current function did. */
  private refresh(): void {
    const entries = catalog();
    if (entries.map((e) => e.key).join('\n') !== this.shown.keys) this.sendInit(entries);
    const entry = this.current();
    if (entry && entry.fn.source + entry.key !== this.shown.source) this.selectFunction(entry);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The Lab's landscape as drawn, saved as PNG where the user chooses (Export Results…, the Export PNG button). */
  async exportPng(): Promise<void> {
    if (!this.panel) throw new Error('open the Lab to export its landscape');
    this.panel.reveal(undefined, true);
    const dataUrl = await this.requests.request('png', (requestId) => {
      if (this.ready) this.post({ type: 'requestPng', requestId });
    });
    const bytes = pngBytes(dataUrl);
    if (!bytes) throw new Error('the Lab sent an image that is not a PNG');
    await saveExport(`${this.fnKey ?? 'landscape'}.png`, bytes, 'PNG image', 'Export Landscape');
  }

  /** Opens (or reveals) the panel, showing `entry`'s landscape. */
  show(entry?: CatalogEntry, preserveFocus = false): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        LAB_VIEW_TYPE,
        'Descent Lab',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        webviewOptions(this.extensionUri),
      );
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, preserveFocus);
    }
    if (entry) this.selectFunction(entry);
  }

  /** Takes over a panel, new or restored by the serializer (then `restoredFn` is the function its saved state shows). */
  attach(panel: vscode.WebviewPanel, restoredFn?: string): void {
    if (restoredFn !== undefined) this.fnKey = restoredFn;
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'descent-lab.svg');
    loadPage(panel.webview, this.extensionUri, 'lab');
    const subs = [
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })),
    ];
    panel.onDidDispose(() => {
      subs.forEach((s) => s.dispose());
      if (this.panel === panel) {
        this.panel = undefined;
        this.ready = false;
        this.queue = [];
        this.requests.dispose('the Lab was closed');
      }
    });
  }

  /** Validates what the host sends too, so that a bug shows in the log instead of as a broken drawing. */
  private post(msg: HostToWebview): void {
    if (!this.panel) return;
    try {
      parseHostMessage(msg);
    } catch (e) {
      this.log.error(`not sending an invalid ${msg.type} message to the Lab: ${(e as Error).message}`);
      return;
    }
    if (!this.ready && msg.type !== 'init') {
      this.queue.push(msg);
      return;
    }
    void this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    let msg: WebviewToHost;
    try {
      msg = parseWebviewMessage(raw);
    } catch (e) {
      if (!(e instanceof CheckError)) throw e;
      this.log.warn(`ignored a malformed message from the Lab: ${e.message}`);
      return;
    }
    this.handle(msg).catch((e) => this.flow.report(null, `Lab: ${msg.type}`, e));
  }

  private current(): CatalogEntry | undefined {
    const entries = catalog();
    return entries.find((e) => e.key === this.fnKey) ?? entries.find((e) => e.key === 'rosenbrock') ?? entries[0];
  }

  private selectFunction(entry: CatalogEntry, bounds?: Bounds, remember = true): void {
    if (remember) this.fnKey = entry.key;
    this.shown.source = entry.fn.source + entry.key;
    const landscape = landscapeMessage(entry.fn, entry.key, bounds);
    if (landscape) this.post(landscape);
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.sendAll();
      case 'run': {
        const entry = catalog().find((e) => e.key === msg.settings.fn);
        if (!entry) throw new Error(`no function '${msg.settings.fn}' (open its .cost file, or pick a built-in)`);
        this.fnKey = entry.key;
        await this.flow.execute({
          title: `Descent Lab: ${entry.key}`,
          fnName: entry.key,
          progress: 'window',
          requests: panelRequests(entry, msg.settings, runSettings().backend, runSettings().precision),
        });
        return;
      }
      case 'runCell':
        return this.runCell(msg);
      case 'stop':
        this.flow.stop();
        return;
      case 'selectFunction': {
        const entry = catalog().find((e) => e.key === msg.name);
        if (entry) this.selectFunction(entry);
        else this.log.warn(`Lab asked for an unknown function '${msg.name}'`);
        return;
      }
      case 'addStart':
      case 'removeStart':
      case 'clearStarts':
        this.starts = nextStarts(this.starts, msg);
        this.post({ type: 'starts', points: this.starts });
        return;
      case 'viewChanged': {
        const entry = this.current();
        if (entry) this.selectFunction(entry, msg);
        return;
      }
      case 'editFunction':
        return this.edit(msg.text);
      case 'exportLandscape':
        return this.exportPng();
      case 'pngReply':
        if (!this.requests.resolve(msg.inReplyTo, 'png', msg.dataUrl))
          this.log.warn(`the Lab answered request ${msg.inReplyTo}, which is not waiting for a PNG`);
        return;
      case 'requestFailed':
        if (!this.requests.reject(msg.inReplyTo, msg.message))
          this.log.warn(`the Lab failed request ${msg.inReplyTo}, which is not waiting: ${msg.message}`);
        return;
    }
  }

  /**
   * A click on a sweep cell: that optimizer with the cell's hyperparameters, from the sweep's own starts, for its
   * longest budget, with trajectories. The worker validates the optimizer and its parameters like any request.
   */
  private async runCell(msg: WebviewMessage<'runCell'>): Promise<void> {
    const entry = catalog().find((e) => e.key === msg.fn);
    if (!entry) throw new Error(`no function '${msg.fn}' (open its .cost file, or pick a built-in)`);
    const sweep = this.flow.latestSweep;
    const s = runSettings();
    const shape: RunShape =
      sweep?.fnName === entry.key
        ? {
            starts: sweep.request.starts,
            steps: Math.max(...sweep.request.budgets),
            target: sweep.request.target,
            backend: s.backend,
            precision: s.precision,
          }
        : shapeFromSettings(entry.fn, s);
    const axes = sweep?.request.grid.map((a) => a.name) ?? Object.keys(msg.params);
    const label = configLabel(msg.optimizer, msg.params, axes);
    this.fnKey = entry.key;
    this.selectFunction(entry);
    await this.flow.execute({
      title: `Descent Lab: ${label} on ${entry.key}`,
      fnName: entry.key,
      progress: 'window',
      requests: runRequests(entry, [{ id: msg.optimizer, params: msg.params }], shape),
      labels: () => [label],
    });
  }

  private sendInit(entries: readonly CatalogEntry[]): void {
    const entry = this.current();
    const s = runSettings();
    let optimizers;
    try {
      optimizers = rememberedOptimizers(this.state, s.optimizers);
    } catch (e) {
      this.log.warn(`descentLab.optimizers: ${(e as Error).message}; using GD`);
      optimizers = [{ id: 'gd', params: {} }];
    }
    this.post({
      type: 'init',
      functions: entries.slice(0, 500).map((e) => functionInfo(e.fn, e.origin, e.key)),
      optimizers: optimizerMetas(),
      settings: labSettings(entry?.key ?? '', s, optimizers),
    });
    this.shown.keys = entries.map((e) => e.key).join('\n');
  }

  private sendAll(): void {
    if (!this.panel) return;
    const entries = catalog();
    this.sendInit(entries);
    const entry = this.current();
    this.ready = true;
    // A restored panel's function may live in a document that is not open yet: keep its key for refresh().
    if (entry)
      this.selectFunction(entry, undefined, entries.some((e) => e.key === this.fnKey) || this.fnKey === undefined);
    if (this.starts.length) this.post({ type: 'starts', points: this.starts });
    const queued = this.queue;
    this.queue = [];
    const replay = queued.length ? queued : this.flow.feed.replay();
    replay.forEach((m) => this.post(m));
    // A webview that loaded again lost the requests it had been sent.
    this.requests.resend();
  }

  /** An inline edit: checked, and written back where the function lives (inlineEdit.ts); the Lab is told which. */
  private async edit(text: string): Promise<void> {
    const entry = this.current();
    if (!entry) return;
    const outcome = await applyInlineEdit(entry, text);
    this.post(outcome.validation);
    if (!outcome.validation.ok) return;
    const written = outcome.written?.uri.toString();
    if (entry.origin === 'builtin' && written) this.fnKey = catalog().find((e) => e.uri === written)?.key ?? this.fnKey;
    const updated = this.current();
    if (updated) this.selectFunction(updated);
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

export function registerLabPanel(lab: LabPanel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('descentLab.openLab', () => lab.show()),
    vscode.window.registerWebviewPanelSerializer(LAB_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => lab.attach(panel, restoredFunction(state)),
    }),
  );
}
