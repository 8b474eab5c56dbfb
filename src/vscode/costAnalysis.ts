/**
 * One analysis per `.cost` document version and data-file generation, shared by diagnostics, CodeLens, hovers,
 * symbols and completion. The engine reads data synchronously, so the document's CSV files are first brought
 * up to date asynchronously (DataFiles), then the text is parsed with a reader over that cache.
 */
import * as vscode from 'vscode';
import { scanDataSections, type DataSection } from './costDataSections';
import { analyzeCostText, type CostDocumentInfo } from './costDocument';
import { DataFiles, resolveDataPath } from './dataFiles';

export interface CostAnalysis {
  readonly version: number;
  readonly info: CostDocumentInfo;
  /** Each `@data "path"` as written → the file it reads, or why it cannot be read. */
  readonly files: ReadonlyMap<string, vscode.Uri | string>;
}

interface Memo extends CostAnalysis {
  readonly generation: number;
}

export const sourceName = (doc: vscode.TextDocument): string =>
  doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();

/** The data files a text's `@data "…"` lines name, resolved beside the document. */
function dataFiles(doc: vscode.TextDocument, text: string): Map<string, vscode.Uri | string> {
  const files = new Map<string, vscode.Uri | string>();
  for (const s of scanDataSections(text, sourceName(doc))) {
    if (s.source?.kind === 'file' && !files.has(s.source.path))
      files.set(s.source.path, resolveDataPath(doc.uri, s.source.path));
  }
  return files;
}

const uris = (files: ReadonlyMap<string, vscode.Uri | string>) =>
  [...files.values()].filter((u): u is vscode.Uri => typeof u !== 'string');

export class CostAnalyzer implements vscode.Disposable {
  private readonly memo = new WeakMap<vscode.TextDocument, Memo>();
  readonly data: DataFiles;

  /** `csvWorker`: the path of dist/csvWorker.js, which parses large CSV files. */
  constructor(csvWorker: string) {
    this.data = new DataFiles(csvWorker);
  }

  dispose(): void {
    this.data.dispose();
  }

  /** The analysis with the document's data files read from disk where they changed. */
  async analyze(doc: vscode.TextDocument): Promise<CostAnalysis> {
    const hit = this.memo.get(doc);
    if (hit?.version === doc.version && hit.generation === this.data.generation) return hit;
    const version = doc.version;
    const text = doc.getText();
    const files = dataFiles(doc, text);
    await this.data.load(uris(files));
    if (!doc.isClosed) this.data.retain(doc.uri.toString(), uris(files));
    return this.remember(doc, version, text, files);
  }

  /** At once, from what is cached (a file not read yet is reported as such): for completion and inline edits. */
  current(doc: vscode.TextDocument): CostAnalysis {
    const hit = this.memo.get(doc);
    if (hit?.version === doc.version && hit.generation === this.data.generation) return hit;
    const text = doc.getText();
    return this.remember(doc, doc.version, text, dataFiles(doc, text));
  }

  /** The data sections only (no engine parse), from what is cached: for completion as you type. */
  sections(doc: vscode.TextDocument): DataSection[] {
    const text = doc.getText();
    return scanDataSections(text, sourceName(doc), this.data.reader(dataFiles(doc, text)));
  }

  forget(doc: vscode.TextDocument): void {
    this.memo.delete(doc);
    this.data.release(doc.uri.toString());
  }

  private remember(
    doc: vscode.TextDocument,
    version: number,
    text: string,
    files: Map<string, vscode.Uri | string>,
  ): CostAnalysis {
    const generation = this.data.generation;
    const info = analyzeCostText(text, sourceName(doc), this.data.reader(files));
    const memo: Memo = { version, generation, info, files };
    // An analysis of older text (the document changed while its files loaded) is returned but not kept.
    if (version === doc.version) this.memo.set(doc, memo);
    return memo;
  }
}
