/**
 * The Lab: one webview panel that draws the function shown (a curve, the landscape or a slice), the runs and the
 * sweeps. It is restored after a window reload (serializer); its webview keeps its own UI state and the host
 * resends the data on `ready`. Messages from the webview are validated and handled one after another (an edit is
 * written before the run that follows it); runs are started, not waited for, so Stop is handled at once. The
 * landscape PNG is a request with a reply (shared/requests.ts).
 */
import * as vscode from 'vscode';
import { functionInfo, labSettings, optimizerMetas } from '../present/labInit';
import { viewMessage } from '../present/landscape';
import { CheckError } from '../shared/check';
import { Requests } from '../shared/requests';
import type { ViewRequest } from '../shared/viewShapes';
import {
  parseWebviewMessage,
  safeHostMessage,
  type HostToWebview,
  type WebviewToHost,
} from '../shared/webviewProtocol';
import { exported, saveExport } from './exportFiles';
import type { CatalogEntry } from './functionCatalog';
import { applyInlineEdit } from './inlineEdit';
import { LabRuns } from './labRuns';
import {
  defaultView,
  nextStarts,
  restoredFunction,
  settingsOf,
  startsFor,
  viewFor,
  type PlacedStarts,
} from './labState';
import { catalog, rememberedOptimizers } from './pickers';
import { pngBytes } from './pngData';
import type { RunFlow } from './runFlow';
import { liveLimit, runSettings } from './settings';
import { loadPage, webviewOptions } from './webviewPage';

export const LAB_VIEW_TYPE = 'descentLab.lab';
const REFRESH_DELAY_MS = 300;
/** A shown panel draws its PNG in well under a second; a hidden one first has to load again. */
const PNG_TIMEOUT_MS = 15_000;

/** The view of the function shown: which function (and its number of variables) and what the webview asked for. */
interface ViewState {
  readonly fn: string;
  readonly dim: number;
  readonly request: Omit<ViewRequest, 'fn'>;
}

export class LabPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queue: HostToWebview[] = [];
  private fnKey: string | undefined;
  private starts: PlacedStarts = { fn: '', dim: 0, points: [] };
  private view: ViewState | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** What the webview was last sent: the function keys (init) and the view (its function, text and request). */
  private shown = { keys: '', view: '' };
  /** The definition last shown, by function key: an edit in the file (not through the panel) is told as one. */
  private definition: { readonly key: string; readonly source: string } | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private handling: Promise<void> = Promise.resolve();
  private readonly runs: LabRuns;
  private readonly requests = new Requests<{ png: string }>(PNG_TIMEOUT_MS, () => 'the Lab did not send its landscape');

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly flow: RunFlow,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.runs = new LabRuns(
      flow,
      (m) => this.post(m),
      (entry) => this.selectFunction(entry),
    );
    const later = (doc: vscode.TextDocument) => {
      if (!this.ready || doc.languageId !== 'cost') return;
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
    };
    this.disposables.push(
      flow.feed.onMessage((m) => this.post(m, false)),
      vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
      vscode.workspace.onDidOpenTextDocument(later),
      vscode.workspace.onDidCloseTextDocument(later),
      { dispose: () => clearTimeout(this.refreshTimer) },
      { dispose: () => this.requests.dispose('Descent Lab was shut down') },
    );
  }

  /** After `.cost` documents change: a new function list when the keys changed, a new view when the current function did. */
  private refresh(): void {
    const entries = catalog();
    if (entries.map((e) => e.key).join('\n') !== this.shown.keys) this.sendInit(entries);
    const entry = this.current();
    if (!entry) return;
    const edited = this.definition?.key === entry.key && this.definition.source !== entry.fn.source;
    this.selectFunction(entry);
    // The function shown was edited in its file: the panel takes the new definition as it takes its own edits
    // (its field follows unless focused, and a live-sized run re-runs).
    if (edited) {
      const f = entry.fn;
      const text = `${f.name}(${f.variables.join(', ')}) = ${f.source.trim()}`;
      this.post({ type: 'functionValidation', text, ok: true, diagnostics: [] });
    }
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The Lab's landscape as drawn, saved as PNG where the user chooses (Export Results…, the Export PNG button). */
  async exportPng(): Promise<vscode.Uri | undefined> {
    if (!this.panel) throw new Error('open the Lab to export its landscape');
    this.panel.reveal(undefined, true);
    const dataUrl = await this.requests.request('png', (requestId) => {
      if (this.ready) this.post({ type: 'requestPng', requestId });
    });
    const bytes = pngBytes(dataUrl);
    if (!bytes) throw new Error('the Lab sent an image that is not a PNG');
    return saveExport(`${this.fnKey ?? 'landscape'}.png`, bytes, 'PNG image', 'Export Landscape');
  }

  /** Opens (or reveals) the panel, showing `entry`'s view. */
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

  /**
   * Posts to the webview, or queues until it is ready. The host's own messages are checked here (the feed's were
   * checked by the feed): one that fails goes as an error the webview shows, never silently dropped.
   */
  private post(message: HostToWebview, check = true): void {
    if (!this.panel) return;
    const msg = check
      ? safeHostMessage(message, (problem) =>
          this.log.error(`not sending an invalid ${message.type} message to the Lab: ${problem}`),
        )
      : message;
    if (!this.ready && msg.type !== 'init') {
      this.queue.push(msg);
      return;
    }
    void this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    const since = performance.now();
    let msg: WebviewToHost;
    try {
      msg = parseWebviewMessage(raw);
    } catch (e) {
      if (!(e instanceof CheckError)) throw e;
      this.log.warn(`ignored a malformed message from the Lab: ${e.message}`);
      return;
    }
    // Stop must not wait behind anything; everything else keeps its order (an edit is written before a run).
    if (msg.type === 'stop') {
      this.flow.stop();
      return;
    }
    this.handling = this.handling
      .then(() => this.handle(msg, since))
      .catch((e) => this.flow.report(null, `Lab: ${msg.type}`, e));
  }

  private current(): CatalogEntry | undefined {
    const entries = catalog();
    return entries.find((e) => e.key === this.fnKey) ?? entries.find((e) => e.key === 'rosenbrock') ?? entries[0];
  }

  /**
   * Shows `entry`: its view (the one asked for while the function stays, its default when it changes) and its
   * placed starts (none when another function, or the same with other variables, takes its place). Nothing is
   * recomputed or sent when the function, its text and the view are what the webview already has.
   */
  private selectFunction(entry: CatalogEntry, request?: Omit<ViewRequest, 'fn'>, remember = true): void {
    if (remember) this.fnKey = entry.key;
    this.definition = { key: entry.key, source: entry.fn.source };
    const dim = entry.fn.variables.length;
    const same = this.view?.fn === entry.key && this.view.dim === dim;
    this.view = { fn: entry.key, dim, request: request ?? (same ? this.view!.request : defaultView(dim)) };
    const f = entry.fn;
    const key = JSON.stringify([entry.key, f.source, f.variables, f.domain, f.minima, f.fStar, this.view.request]);
    if (key !== this.shown.view) {
      this.shown.view = key;
      this.post(viewMessage(f, entry.key, this.view.request));
    }
    const starts = startsFor(this.starts, { fn: entry.key, dim });
    if (starts !== this.starts) {
      this.starts = starts;
      this.post({ type: 'starts', fn: entry.key, points: [] });
    }
  }

  private async handle(msg: Exclude<WebviewToHost, { type: 'stop' }>, since: number): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.sendAll();
      case 'run':
        return this.runs.run(msg.settings, since);
      case 'runCell':
        return this.runs.runCell(msg);
      case 'selectFunction': {
        const entry = catalog().find((e) => e.key === msg.name);
        if (entry) this.selectFunction(entry);
        else this.log.warn(`Lab asked for an unknown function '${msg.name}'`);
        return;
      }
      case 'addStart':
      case 'removeStart':
      case 'clearStarts': {
        const entry = this.current();
        if (!entry) return;
        const next = nextStarts(this.starts, msg, { fn: entry.key, dim: entry.fn.variables.length });
        this.starts = next.starts;
        if (next.problem) this.post({ type: 'notice', message: next.problem });
        this.post({ type: 'starts', fn: this.starts.fn, points: this.starts.points });
        return;
      }
      case 'viewChanged': {
        const entry = this.current();
        if (!entry) return;
        const { view, problem } = viewFor(msg, { fn: entry.key, dim: entry.fn.variables.length });
        if (problem) this.post({ type: 'notice', message: `The Lab cannot draw that view: ${problem}.` });
        if (view) this.selectFunction(entry, view);
        return;
      }
      case 'editFunction':
        return this.edit(msg.text, since);
      case 'previewStart':
        return this.runs.preview(msg);
      case 'requestInternals':
        return this.runs.internals(msg);
      case 'exportLandscape': {
        const target = await this.exportPng();
        if (target) void exported(target);
        return;
      }
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

  private sendInit(entries: readonly CatalogEntry[]): void {
    const entry = this.current();
    const s = runSettings();
    // The controls show what ran when a result is on screen; else the settings and the remembered optimizers.
    const shown = this.flow.feed.latestResult();
    let settings = shown && settingsOf(shown.config);
    if (!settings) {
      let optimizers;
      try {
        optimizers = rememberedOptimizers(this.state, s.optimizers);
      } catch (e) {
        this.log.warn(`descentLab.optimizers: ${(e as Error).message}; using GD`);
        optimizers = [{ id: 'gd', params: {} }];
      }
      settings = labSettings(entry?.key ?? '', s, optimizers);
    }
    this.post({
      type: 'init',
      functions: entries.slice(0, 500).map((e) => functionInfo(e.fn, e.origin, e.key)),
      optimizers: optimizerMetas(),
      settings,
      liveLimit: liveLimit(),
    });
    this.shown.keys = entries.map((e) => e.key).join('\n');
  }

  private sendAll(): void {
    if (!this.panel) return;
    const entries = catalog();
    // The function of the result on screen is the one to show, so that the view and the result agree.
    const shown = this.flow.feed.latestResult()?.config.fn;
    if (shown && entries.some((e) => e.key === shown)) this.fnKey = shown;
    this.sendInit(entries);
    const entry = this.current();
    this.ready = true;
    this.shown.view = '';
    // A restored panel's function may live in a document that is not open yet: keep its key for refresh().
    if (entry)
      this.selectFunction(entry, undefined, entries.some((e) => e.key === this.fnKey) || this.fnKey === undefined);
    if (entry && this.starts.fn === entry.key)
      this.post({ type: 'starts', fn: this.starts.fn, points: this.starts.points });
    const queued = this.queue;
    this.queue = [];
    const replay = queued.length ? queued : this.flow.feed.replay();
    replay.forEach((m) => this.post(m, false));
    // A webview that loaded again lost the requests it had been sent.
    this.requests.resend();
  }

  /**
   * An inline edit: checked, and written back where the function lives (inlineEdit.ts); the Lab is told which,
   * then gets the view of the new text. The time of each part goes to the log.
   */
  private async edit(text: string, since: number): Promise<void> {
    const entry = this.current();
    if (!entry) return;
    const outcome = await applyInlineEdit(entry, text);
    this.post(outcome.validation);
    const written = performance.now();
    if (!outcome.validation.ok) return;
    const uri = outcome.written?.uri.toString();
    if (entry.origin === 'builtin' && uri) this.fnKey = catalog().find((e) => e.uri === uri)?.key ?? this.fnKey;
    const updated = this.current();
    if (updated) this.selectFunction(updated);
    const ms = (a: number, b: number) => `${(b - a).toFixed(1)} ms`;
    this.log.info(`edit: written and checked ${ms(since, written)}, view ${ms(written, performance.now())}`);
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
