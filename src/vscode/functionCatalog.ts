/**
 * The functions a run can use: the functions of the open `.cost` documents and the built-ins, each under a
 * unique key. A file's function keeps its name (the file is what the user works on); a second file's function
 * of the same name becomes `file.cost#name`, a built-in a file shadows `built-in#name`.
 */
import type { CostFunction } from '../engine/expr/costParser';
import { builtinFunctions } from '../engine/library';
import type { FunctionSource } from '../engine/run/request';
import { analyzeCostText, runnableText, type CostDefinition } from './costDocument';
import type { FunctionChoice } from './runPlan';

export interface CostDocumentSnapshot {
  readonly uri: string;
  readonly fileName: string;
  readonly text: string;
}

export interface CatalogEntry extends FunctionChoice {
  readonly key: string;
  readonly origin: 'builtin' | 'file';
  /** The document of a file function. */
  readonly uri?: string;
  readonly definition?: CostDefinition;
}

const baseName = (fileName: string) => fileName.split(/[\\/:]/).pop() ?? fileName;

/** A file function for the worker: the whole document, or when it has errors elsewhere, just what this function needs. */
export function fileSource(doc: CostDocumentSnapshot, fn: CostFunction, hasErrors: boolean): FunctionSource {
  const text = hasErrors ? (runnableText(doc.text, doc.fileName, fn.name) ?? doc.text) : doc.text;
  return { kind: 'file', text, name: fn.name, path: doc.fileName };
}

export function buildCatalog(docs: readonly CostDocumentSnapshot[]): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  const taken = new Set<string>();
  const unique = (name: string, qualifier: string) => {
    let key = taken.has(name) ? `${qualifier}#${name}` : name;
    for (let k = 2; taken.has(key); k++) key = `${qualifier}#${name} (${k})`;
    taken.add(key);
    return key;
  };
  for (const doc of docs) {
    const info = analyzeCostText(doc.text, doc.fileName);
    for (const definition of info.definitions) {
      const fn = definition.fn;
      entries.push({
        key: unique(fn.name, baseName(doc.fileName)),
        origin: 'file',
        fn,
        source: fileSource(doc, fn, info.diagnostics.length > 0),
        uri: doc.uri,
        definition,
      });
    }
  }
  for (const fn of builtinFunctions())
    entries.push({
      key: unique(fn.name, 'built-in'),
      origin: 'builtin',
      fn,
      source: { kind: 'builtin', name: fn.name },
    });
  return entries;
}
