/**
 * The Lab: one webview panel with the landscape, the controls, the convergence chart and the results table.
 * It is restored after a window reload (serializer); its webview keeps its own UI state (getState/setState) and
 * the host resends the data on `ready`. Every message from the webview is validated; bad ones are logged and
 * ignored.
 */
import * as vscode from 'vscode';
import { getOptimizer } from '../engine/optim/registry';
import {
  parseWebviewMessage,
  parseHostMessage,
  ProtocolError,
  type Bounds,
  type HostToWebview,
  type Point,
  type WebviewToHost,
} from '../protocol';
import { analyzeDocument, toRange } from './costLanguage';
import { expressionRange } from './costDocument';
import { pngBytes } from './exportData';
import type { CatalogEntry } from './functionCatalog';
import { functionInfo, labSettings, landscapeMessage, optimizerMetas } from './labMessages';
import { checkEdit, nextStarts, panelRequests, restoredFunction } from './labState';
import { openBuiltinCopy } from './newCostFile';
import { catalog, rememberedOptimizers } from './pickers';
import type { RunFlow } from './runFlow';
import { runRequests, shapeFromSettings, type RunShape } from './runPlan';
import { runSettings } from './settings';
import { cellLabel } from './sweepPlan';
import { webviewShell } from './webviewHtml';

export const LAB_VIEW_TYPE = 'descentLab.lab';
const REFRESH_DELAY_MS = 300;

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

  /** Asks the Lab for its landscape as PNG; its `exportPng` answer opens the save dialog. */
  requestPng(): void {
    this.panel?.reveal(undefined, true);
    this.post({ type: 'requestPng' });
  }

  /** Opens (or reveals) the panel, showing `entry`'s landscape. */
  show(entry?: CatalogEntry, preserveFocus = false): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        LAB_VIEW_TYPE,
        'Descent Lab',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        this.options(),
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
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'descent-lab.svg');
    const webview = panel.webview;
    webview.html = webviewShell({
      cspSource: webview.cspSource,
      view: 'lab',
      title: 'Descent Lab',
      script: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      stylesheet: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'lab.css')).toString(),
    });
    const subs = [
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      vscode.window.onDidChangeActiveColorTheme((t) => this.post({ type: 'theme', kind: themeKind(t.kind) })),
    ];
    panel.onDidDispose(() => {
      subs.forEach((s) => s.dispose());
      if (this.panel === panel) {
        this.panel = undefined;
        this.ready = false;
        this.queue = [];
      }
    });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
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
      if (!(e instanceof ProtocolError)) throw e;
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
          requests: panelRequests(entry, msg.settings, runSettings().backend),
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
      case 'exportPng':
        return savePng(msg.dataUrl, this.fnKey ?? 'landscape');
    }
  }

  /**
   * A click on a sweep cell: that optimizer with the cell's hyperparameters, from the sweep's own starts, for its
   * longest budget, with trajectories. The worker validates the optimizer and its parameters like any request.
   */
  private async runCell(msg: Extract<WebviewToHost, { type: 'runCell' }>): Promise<void> {
    const entry = catalog().find((e) => e.key === msg.fn);
    if (!entry) throw new Error(`no function '${msg.fn}' (open its .cost file, or pick a built-in)`);
    const optimizer = getOptimizer(msg.optimizer);
    const sweep = this.flow.latestSweep;
    const s = runSettings();
    const shape: RunShape =
      sweep?.fnName === entry.key
        ? {
            starts: sweep.request.starts,
            steps: Math.max(...sweep.request.budgets),
            target: sweep.request.target,
            backend: s.backend,
          }
        : shapeFromSettings(entry.fn, s);
    const axes = sweep?.request.grid.map((a) => a.name) ?? Object.keys(msg.params);
    const label = cellLabel(optimizer.label, msg.params, axes);
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
    this.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
    // A restored panel's function may live in a document that is not open yet: keep its key for refresh().
    if (entry)
      this.selectFunction(entry, undefined, entries.some((e) => e.key === this.fnKey) || this.fnKey === undefined);
    if (this.starts.length) this.post({ type: 'starts', points: this.starts });
    const queued = this.queue;
    this.queue = [];
    const replay = queued.length ? queued : this.flow.feed.replay();
    replay.forEach((m) => this.post(m));
  }

  /** An inline edit: validated; written back to the function's `.cost` document, or to a new copy of a built-in. */
  private async edit(text: string): Promise<void> {
    const entry = this.current();
    if (!entry) return;
    const doc = entry.uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(entry.uri)) : undefined;
    const check = checkEdit(entry.fn, text, doc ? analyzeDocument(doc).constants : {});
    this.post({ type: 'functionValidation', text, ok: check.ok, diagnostics: check.ok ? [] : check.diagnostics });
    if (!check.ok) return;
    if (doc && entry.definition) {
      const sameVariables = check.variables.join() === entry.fn.variables.join();
      const range = sameVariables ? expressionRange(doc.getText(), entry.definition) : entry.definition.range;
      if (!range) throw new Error(`could not find ${entry.fn.name}'s expression in ${doc.uri.toString()}`);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, toRange(range), sameVariables ? check.expression : check.definition);
      await vscode.workspace.applyEdit(edit);
    } else if (entry.origin === 'builtin') {
      const copy = await openBuiltinCopy(entry.fn.name, check.definition);
      if (copy) {
        await vscode.window.showTextDocument(copy, {
          viewColumn: vscode.ViewColumn.One,
          preview: false,
          preserveFocus: true,
        });
        this.fnKey = catalog().find((e) => e.uri === copy.uri.toString())?.key ?? this.fnKey;
      }
    }
    const updated = this.current();
    if (updated) this.selectFunction(updated);
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

function themeKind(kind: vscode.ColorThemeKind): 'dark' | 'light' | 'highContrast' | 'highContrastLight' {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

async function savePng(dataUrl: string, name: string): Promise<void> {
  const bytes = pngBytes(dataUrl);
  if (!bytes) throw new Error('the Lab sent an image that is not a PNG');
  const target = await vscode.window.showSaveDialog({
    filters: { 'PNG image': ['png'] },
    saveLabel: 'Export Landscape',
    defaultUri: defaultExportUri(`${name}.png`),
  });
  if (target) await vscode.workspace.fs.writeFile(target, bytes);
}

export function defaultExportUri(file: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, file.replace(/[^\w.#-]+/g, '_')) : undefined;
}

export function registerLabPanel(lab: LabPanel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('descentLab.openLab', () => lab.show()),
    vscode.window.registerWebviewPanelSerializer(LAB_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => lab.attach(panel, restoredFunction(state)),
    }),
  );
}
