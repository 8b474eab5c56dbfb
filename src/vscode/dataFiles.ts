/**
 * The CSV files that open `.cost` documents read (`@data "…"`), for the engine's synchronous DataFileReader: each
 * file is stat'ed, read and parsed asynchronously through `vscode.workspace.fs` (any file system, remote ones
 * included), at most once per modification time and size, and kept while an open document reads it. A file past
 * MAX_CSV_BYTES is refused from its size alone, never read; a large one is parsed on a worker thread
 * (csvThread.ts), so that the extension host never waits seconds on a 50 MB file. A watcher per file reports
 * changes, so that the documents reading it are analysed again; parse errors stay in the cached result and reach
 * the CSV itself as diagnostics (costDiagnostics.ts).
 */
import * as vscode from 'vscode';
import { MAX_CSV_BYTES, parseCsv } from '../engine/data';
import { CostError } from '../engine/expr/costParser';
import type { DataFileReader, DataFileResult } from '../engine/model';
import { CsvThread } from './csvThread';

interface Entry {
  /** Undefined while the first read is under way, or after a change was reported. */
  result?: DataFileResult;
  mtime: number;
  size: number;
  watcher: vscode.FileSystemWatcher;
}

/** Where `@data "path"` of the document at `doc` points: beside it, or an absolute path; a message when nowhere. */
export function resolveDataPath(doc: vscode.Uri, path: string): vscode.Uri | string {
  if (doc.scheme === 'untitled')
    return `${path}: save this file first; data files are found beside it (the path is relative to the .cost file)`;
  if (/^(?:[A-Za-z]:)?[\\/]/.test(path)) return doc.scheme === 'file' ? vscode.Uri.file(path) : doc.with({ path });
  return vscode.Uri.joinPath(doc, '..', path);
}

const baseName = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1);

/** "EntryNotFound (FileSystemError): …" → a short reason. */
function reason(e: unknown): string {
  if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return 'no such file';
  if (e instanceof vscode.FileSystemError && e.code === 'NoPermissions') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

export class DataFiles implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<void>>();
  /** Which files each open document reads (document URI → file URIs), so that unread files are dropped. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** A file's contents changed (its URI as a string): documents reading it should be analysed again. */
  readonly onDidChange = this.changed.event;
  /** Bumped whenever a cached result changes, so that analyses made from older contents are known stale. */
  generation = 0;
  private readonly csv: CsvThread;

  /** `workerScript`: dist/csvWorker.js. */
  constructor(workerScript: string) {
    this.csv = new CsvThread(workerScript);
  }

  /** A reader over what is cached; `files` maps each path as written to where it resolved (or why not). */
  reader(files: ReadonlyMap<string, vscode.Uri | string>): DataFileReader {
    return (path) => {
      const uri = files.get(path);
      if (uri === undefined || typeof uri === 'string') return { ok: false, error: uri ?? `${path}: not read yet` };
      const result = this.entries.get(uri.toString())?.result;
      if (!result) return { ok: false, error: `${path}: not read yet` };
      // The cached error names the file by its base name; the document names it by the path it wrote.
      if (!result.ok && result.error instanceof CostError)
        return { ok: false, error: new CostError(result.error.message, result.error.range, path) };
      return result;
    };
  }

  /** Brings every file up to date with the disk (a stat each; a read and parse only when it changed). */
  async load(uris: readonly vscode.Uri[]): Promise<void> {
    await Promise.all(uris.map((uri) => this.loadOne(uri)));
  }

  /** Records which files the document reads; files no open document reads are forgotten. */
  retain(document: string, uris: readonly vscode.Uri[]): void {
    this.readers.set(document, new Set(uris.map((u) => u.toString())));
    this.evict();
  }

  release(document: string): void {
    this.readers.delete(document);
    this.evict();
  }

  /** The documents that read `uri`. */
  readersOf(uri: string): string[] {
    return [...this.readers].filter(([, files]) => files.has(uri)).map(([doc]) => doc);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.watcher.dispose();
    this.entries.clear();
    this.changed.dispose();
    this.csv.dispose();
  }

  private evict(): void {
    const read = new Set([...this.readers.values()].flatMap((s) => [...s]));
    for (const [key, e] of this.entries) {
      if (read.has(key) || this.loading.has(key)) continue;
      e.watcher.dispose();
      this.entries.delete(key);
    }
  }

  private loadOne(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const running = this.loading.get(key);
    if (running) return running;
    const done = this.refresh(uri).finally(() => this.loading.delete(key));
    this.loading.set(key, done);
    return done;
  }

  private async refresh(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const entry = this.entries.get(key) ?? this.watch(uri);
    let stat: vscode.FileStat | undefined;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (e) {
      return this.settle(entry, -1, -1, { ok: false, error: `cannot read ${uri.fsPath || key}: ${reason(e)}` });
    }
    if (entry.result && entry.mtime === stat.mtime && entry.size === stat.size) return;
    const name = baseName(uri);
    if (stat.type & vscode.FileType.Directory)
      return this.settle(entry, stat.mtime, stat.size, { ok: false, error: `${name} is a directory, not a CSV file` });
    if (stat.size > MAX_CSV_BYTES) return this.settle(entry, stat.mtime, stat.size, tooBig(name, stat.size));
    let result: DataFileResult;
    try {
      result = await this.csv.parse(await vscode.workspace.fs.readFile(uri), name);
    } catch (e) {
      result = { ok: false, error: `cannot read ${name}: ${reason(e)}` };
    }
    this.settle(entry, stat.mtime, stat.size, result);
  }

  private settle(entry: Entry, mtime: number, size: number, result: DataFileResult): void {
    // A file that is still missing gives the same message each time: nothing changed, no new analysis.
    const same =
      entry.result && !entry.result.ok && !result.ok && entry.result.error === result.error && entry.mtime === mtime;
    Object.assign(entry, { mtime, size, result });
    if (!same) this.generation++;
  }

  private watch(uri: vscode.Uri): Entry {
    const key = uri.toString();
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), baseName(uri)),
    );
    const stale = () => {
      const e = this.entries.get(key);
      if (!e) return;
      e.result = undefined;
      this.generation++;
      this.changed.fire(key);
    };
    watcher.onDidChange(stale);
    watcher.onDidCreate(stale);
    watcher.onDidDelete(stale);
    const entry: Entry = { mtime: -1, size: -1, watcher };
    this.entries.set(key, entry);
    return entry;
  }
}

/** parseCsv refuses by size before it looks at the text: its message and position, without reading 50 MB. */
function tooBig(name: string, bytes: number): DataFileResult {
  try {
    parseCsv('', { name, bytes });
  } catch (e) {
    if (e instanceof CostError) return { ok: false, error: e };
    throw e;
  }
  throw new Error(`parseCsv accepted ${bytes} bytes`);
}
