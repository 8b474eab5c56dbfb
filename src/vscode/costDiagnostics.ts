/**
 * Diagnostics as you type: the `.cost` document's own (shortly after the last keystroke), and those located in
 * the CSV files it reads, set on each CSV's URI at the cell's line and column, with the `@data` line's error
 * pointing at them. A CSV's diagnostics follow the documents that read it: they are recomputed when the CSV
 * changes on disk or the document changes, and cleared when no open document reads the CSV any more.
 */
import * as vscode from 'vscode';
import type { CostAnalysis, CostAnalyzer } from './costAnalysis';
import type { TextRange } from './costDocument';

/** Diagnostics wait this long after the last keystroke (the issue asks for at most 250 ms). */
export const DIAGNOSTICS_DELAY_MS = 200;

export const toRange = (r: TextRange) => new vscode.Range(r.startLine, r.startChar, r.endLine, r.endChar);

const sameRange = (a: TextRange, b: TextRange) =>
  a.startLine === b.startLine && a.startChar === b.startChar && a.endLine === b.endLine && a.endChar === b.endChar;

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  d.source = 'Descent Lab';
  return d;
}

/** The document's diagnostics, and per CSV file it reads (its URI) the errors located in it (maybe none). */
export function documentDiagnostics(analysis: CostAnalysis): {
  own: vscode.Diagnostic[];
  files: Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>;
} {
  const { info } = analysis;
  const files = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  for (const [, uri] of analysis.files)
    if (typeof uri !== 'string') files.set(uri.toString(), { uri, diagnostics: [] });
  const located = info.dataDiagnostics.flatMap((d) => {
    const uri = analysis.files.get(d.file);
    if (uri === undefined || typeof uri === 'string') return [];
    const at = new vscode.Location(uri, toRange(d.range));
    files.get(uri.toString())?.diagnostics.push(diagnostic(at.range, d.message));
    return [{ file: d.file, at, message: d.message }];
  });
  const own = info.diagnostics.map((d) => {
    const out = diagnostic(toRange(d.range), d.message);
    // The @data line's error quotes the CSV's; link it to the cell so that it opens from the Problems view.
    const section = info.sections.find((s) => s.referenceRange && sameRange(s.referenceRange, d.range));
    const path = section?.source?.kind === 'file' ? section.source.path : undefined;
    const cell = path !== undefined ? located.find((l) => l.file === path) : undefined;
    if (cell) out.relatedInformation = [new vscode.DiagnosticRelatedInformation(cell.at, cell.message)];
    return out;
  });
  return { own, files };
}

export function registerDiagnostics(selector: vscode.DocumentSelector, analyzer: CostAnalyzer): vscode.Disposable {
  const costs = vscode.languages.createDiagnosticCollection('cost');
  const csvs = vscode.languages.createDiagnosticCollection('cost-data');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per open document (its URI): the CSV files it reads, with their diagnostics from its latest analysis. */
  const perDocument = new Map<string, Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>>();

  const refreshCsv = (key: string) => {
    const from = [...perDocument.values()].map((m) => m.get(key)).filter((x) => x !== undefined);
    if (from.length === 0) return csvs.delete(vscode.Uri.parse(key));
    // Every reader of one file sees the same contents; the one with errors wins over one analysed before a fix.
    const latest = from.find((f) => f.diagnostics.length > 0) ?? from[0];
    csvs.set(latest.uri, latest.diagnostics);
  };
  const forget = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    costs.delete(doc.uri);
    const had = perDocument.get(key);
    perDocument.delete(key);
    had?.forEach((_, csv) => refreshCsv(csv));
    analyzer.forget(doc);
  };
  const update = async (doc: vscode.TextDocument) => {
    if (!vscode.languages.match(selector, doc) || doc.isClosed) return;
    const analysis = await analyzer.analyze(doc);
    // A newer version is scheduled already, or the document closed while its files loaded.
    if (doc.isClosed || analysis.version !== doc.version) return;
    const { own, files } = documentDiagnostics(analysis);
    costs.set(doc.uri, own);
    const key = doc.uri.toString();
    const before = perDocument.get(key);
    perDocument.set(key, files);
    new Set([...(before?.keys() ?? []), ...files.keys()]).forEach(refreshCsv);
  };
  const schedule = (doc: vscode.TextDocument, delay = DIAGNOSTICS_DELAY_MS) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void update(doc);
      }, delay),
    );
  };
  vscode.workspace.textDocuments.forEach((d) => void update(d));
  return vscode.Disposable.from(
    costs,
    csvs,
    vscode.workspace.onDidOpenTextDocument((d) => void update(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (perDocument.has(d.uri.toString()) || timers.has(d.uri.toString())) forget(d);
    }),
    analyzer.data.onDidChange((csv) => {
      for (const doc of vscode.workspace.textDocuments)
        if (analyzer.data.readersOf(csv).includes(doc.uri.toString())) schedule(doc, 0);
    }),
    { dispose: () => timers.forEach(clearTimeout) },
  );
}
