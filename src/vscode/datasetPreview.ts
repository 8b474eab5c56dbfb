/**
 * Descent Lab: Preview Dataset — a webview panel with a dataset's first rows and a scatter of two columns coloured
 * by a third. It previews the `@data` of a hover's link (document and line), else the one under the cursor in a
 * `.cost` editor, else the CSV file in the active editor, else a built-in picked from a list. One panel, reused;
 * the page asks for its data with `ready` whenever it loads (also after being hidden), and gets a fresh message
 * (posted typed arrays are transferred, so one message is never posted twice).
 */
import * as vscode from 'vscode';
import { BUILTIN_DATASETS, builtinDataset, type Dataset, type SplitSpec } from '../engine/data';
import { int, obj, str, tryCheck } from '../shared/check';
import { parsePreviewReply } from '../shared/dataPreviewProtocol';
import type { CostAnalyzer } from './costAnalysis';
import { sectionAt } from './costDataSections';
import { PREVIEW_DATASET_COMMAND } from './costLanguage';
import { resolveDataPath } from './dataFiles';
import { COST_LANGUAGE } from './pickers';
import { previewMessage, type PreviewSource } from './previewData';
import { loadPage } from './webviewPage';

export const PREVIEW_VIEW_TYPE = 'descentLab.datasetPreview';

interface Shown {
  readonly data: Dataset;
  readonly source: PreviewSource;
}

/** A hover link's argument: the document and its `@data` line. */
const linkTarget = obj<{ uri: string; line: number }>({ uri: str(10_000, 1), line: int(0, 10_000_000) });

class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(shown: Shown): void {
    this.shown = shown;
    const title = `Dataset: ${shown.source.title}`;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
      this.post();
      return;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, title, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    this.panel = panel;
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      // The page is untrusted: anything but a well-formed `ready` is dropped.
      if (tryCheck((v) => parsePreviewReply(v), m)?.type === 'ready') this.post();
    });
    loadPage(panel.webview, this.extensionUri, 'dataPreview');
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private post(): void {
    if (this.panel && this.shown)
      void this.panel.webview.postMessage(previewMessage(this.shown.data, this.shown.source));
  }
}

async function pickBuiltin(): Promise<Shown | undefined> {
  const items = [...BUILTIN_DATASETS.values()].map((d) => ({
    label: d.name,
    description: d.params.map((p) => `${p.name}=${p.default}`).join(', '),
    detail: d.doc,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Built-in dataset to preview' });
  const result = picked && builtinDataset(picked.label);
  return result?.ok ? { data: result.dataset, source: { title: picked!.label, kind: 'built-in' } } : undefined;
}

/** A CSV file through the same cache as the editor's diagnostics; a message when it cannot be read. */
async function csvFile(
  analyzer: CostAnalyzer,
  uri: vscode.Uri,
  title: string,
  split?: SplitSpec,
): Promise<Shown | string> {
  await analyzer.data.load([uri]);
  const result = analyzer.data.reader(new Map([[title, uri]]))(title);
  if (result.ok) return { data: result.dataset, source: { title, kind: 'CSV file', ...(split && { split }) } };
  return typeof result.error === 'string'
    ? result.error
    : `${title}:${result.error.range.line}:${result.error.range.column}: ${result.error.message}`;
}

/** The `@data` at `line` of a `.cost` document; a message when there is none or it cannot be read. */
async function sectionData(
  analyzer: CostAnalyzer,
  doc: vscode.TextDocument,
  line: number,
): Promise<Shown | string | undefined> {
  const { info } = await analyzer.analyze(doc);
  const section = sectionAt(info.sections, line);
  if (!section?.source) return section && `line ${section.line + 1}: the @data line does not name a dataset`;
  const split = section.split;
  if (section.source.kind === 'builtin') {
    const data = section.dataset;
    if (!data)
      return `line ${section.line + 1}: ${info.diagnostics.find((d) => d.range.startLine === section.line)?.message ?? 'no such dataset'}`;
    return { data, source: { title: data.name, kind: 'built-in', ...(split && { split }) } };
  }
  const uri = resolveDataPath(doc.uri, section.source.path);
  return typeof uri === 'string' ? uri : csvFile(analyzer, uri, section.source.path, split);
}

export function registerDatasetPreview(extensionUri: vscode.Uri, analyzer: CostAnalyzer): vscode.Disposable {
  const preview = new PreviewPanel(extensionUri);
  const command = vscode.commands.registerCommand(PREVIEW_DATASET_COMMAND, async (arg?: unknown) => {
    const link = tryCheck(linkTarget, arg);
    const editor = vscode.window.activeTextEditor;
    let shown: Shown | string | undefined;
    if (link) {
      const uri = vscode.Uri.parse(link.uri);
      const doc =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === link.uri) ??
        (await vscode.workspace.openTextDocument(uri));
      shown = await sectionData(analyzer, doc, link.line);
    } else if (editor?.document.languageId === COST_LANGUAGE) {
      shown = await sectionData(analyzer, editor.document, editor.selection.active.line);
    } else if (editor && /\.csv$/i.test(editor.document.uri.path)) {
      const uri = editor.document.uri;
      shown = await csvFile(analyzer, uri, uri.path.slice(uri.path.lastIndexOf('/') + 1));
    }
    shown ??= await pickBuiltin();
    if (typeof shown === 'string')
      void vscode.window.showErrorMessage(`Descent Lab: cannot preview the dataset: ${shown}`);
    else if (shown) preview.show(shown);
  });
  return vscode.Disposable.from(command, preview);
}
