/**
 * The data sections of a `.cost` document as the editor sees them, without `vscode`: each `@data` line with its
 * dataset, its `@split` and its bindings (`x = row[1:10]`), and the columns a `row[…]` or `row.name` reads. The
 * engine's ModelPrograms know their data only when a model parses; hovers, completion and the dataset preview
 * need the section's columns while its model is still being typed, so this reads the lines directly (with the
 * engine's own readers for the `@data` reference and the `@split` arguments). Lines are 0-based.
 */
import { builtinDataset, type Dataset, type SplitSpec } from '../engine/data';
import { DirectiveArgs, directiveTokens } from '../engine/expr/directiveArgs';
import { LineMap, type Span } from '../engine/expr/sourceMap';
import type { DataFileReader } from '../engine/model';
import { dataReference, splitSpec } from '../engine/model/modelDirectives';
import type { TextRange } from './costDocument';

export type DataSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'builtin'; readonly text: string };

export interface SectionBinding {
  readonly name: string;
  readonly line: number;
  /** The right-hand side as written (a comment excluded). */
  readonly expression: string;
  /** The columns its `row[…]` and `row.name` read (0-based, in order of first use); undefined without data. */
  readonly columns?: readonly number[];
}

export interface DataSection {
  /** The `@data` line. */
  readonly line: number;
  /** What follows `@data`: the quoted file name or the built-in reference. */
  readonly referenceRange?: TextRange;
  /** Undefined when the reference itself is malformed (the diagnostics say why). */
  readonly source?: DataSource;
  /** The section's last line (the line before the next `@data`, or the document's last). */
  readonly endLine: number;
  /** Undefined when the data cannot be had (unknown built-in, unreadable file: the diagnostics say why). */
  readonly dataset?: Dataset;
  /** The section's first `@split`, when it reads. */
  readonly split?: SplitSpec;
  /** By name; a later binding of a name replaces an earlier one as the engine's scope does. */
  readonly bindings: ReadonlyMap<string, SectionBinding>;
}

interface Line {
  readonly start: number;
  readonly text: string;
}

const BINDING = /^\s*([A-Za-z_]\w*)\s*=(?!=)(.*)$/;
/** `row.name` or `row[index]`, an index without nested brackets. */
const ROW_REFERENCE = /\brow\s*(?:\.\s*([A-Za-z_]\w*)|\[([^[\]]*)\])/g;

/** Lines without their ends, as the engine splits them (\r\n, \r, \n). */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const end = /\r\n?|\n/g;
  let start = 0;
  for (let m = end.exec(text); ; m = end.exec(text)) {
    const stop = m ? m.index : text.length;
    lines.push({ start, text: text.slice(start, stop) });
    if (!m) return lines;
    start = stop + m[0].length;
  }
}

const directive = (line: string, name: string) => new RegExp(`^\\s*${name}(?![\\w])`).test(line);

/** The sections of `text`; without `readData` (or when it fails) a file's section has no dataset. */
export function scanDataSections(text: string, source: string, readData?: DataFileReader): DataSection[] {
  const lines = splitLines(text);
  const map = new LineMap(text, source);
  const starts = lines.flatMap((l, i) => (directive(l.text, '@data') ? [i] : []));
  return starts.map((line, k) => {
    const endLine = (starts[k + 1] ?? lines.length) - 1;
    const at = lines[line];
    const keywordStart = at.start + at.text.indexOf('@data');
    const ref = readReference(map, { start: keywordStart, end: keywordStart + 5 }, at.start + at.text.length);
    const dataset = ref && loadDataset(ref.source, readData);
    const body = lines.slice(line + 1, endLine + 1).map((l, i) => ({ ...l, line: line + 1 + i }));
    const splitLine = body.find((l) => directive(l.text, '@split'));
    const bindings = new Map<string, SectionBinding>();
    for (const l of body) {
      const m = BINDING.exec(l.text);
      if (!m) continue;
      const expression = m[2].split('#')[0].trim();
      const columns = dataset && rowColumns(expression, dataset);
      bindings.set(m[1], { name: m[1], line: l.line, expression, ...(columns && { columns }) });
    }
    return {
      line,
      endLine,
      bindings,
      ...(ref && { source: ref.source, referenceRange: ref.range }),
      ...(dataset && { dataset }),
      ...(dataset && splitLine && readSplit(map, splitLine, dataset.rows)),
    };
  });
}

function readReference(map: LineMap, keyword: Span, lineEnd: number) {
  try {
    const ref = dataReference(map, keyword, lineEnd);
    const source: DataSource =
      ref.kind === 'file' ? { kind: 'file', path: ref.path } : { kind: 'builtin', text: ref.text };
    const s = map.range(ref.span);
    return {
      source,
      range: { startLine: s.line - 1, startChar: s.column - 1, endLine: s.endLine - 1, endChar: s.endColumn - 1 },
    };
  } catch {
    return undefined;
  }
}

function loadDataset(source: DataSource, readData: DataFileReader | undefined): Dataset | undefined {
  if (source.kind === 'builtin') {
    const r = builtinDataset(source.text);
    return r.ok ? r.dataset : undefined;
  }
  const r = readData?.(source.path);
  return r?.ok ? r.dataset : undefined;
}

function readSplit(map: LineMap, line: Line, rows: number): { split: SplitSpec } | undefined {
  const first = line.start + line.text.search(/\S/);
  const tokens = directiveTokens(map, { start: first, end: line.start + line.text.length });
  try {
    return { split: splitSpec(new DirectiveArgs(map, tokens, tokens[0]), rows) };
  } catch {
    return undefined;
  }
}

/** The section a line belongs to (from its `@data` line to the next), if any. */
export function sectionAt(sections: readonly DataSection[], line: number): DataSection | undefined {
  return sections.find((s) => s.line <= line && line <= s.endLine);
}

/**
 * The 0-based columns one index of `row[…]` selects: `j`, `a:b`, `a:`, `:b`, `:` with whole numbers, `end` and
 * `end-k` (1-based, both ends included, as the engine reads them); undefined for anything else or out of range.
 */
export function indexColumns(index: string, width: number): number[] | undefined {
  const bound = (s: string, dflt: number): number | undefined => {
    const t = s.trim();
    if (t === '') return dflt;
    const m = /^(?:(\d+)|end(?:\s*-\s*(\d+))?)$/.exec(t);
    if (!m) return undefined;
    return m[1] !== undefined ? Number(m[1]) : width - Number(m[2] ?? 0);
  };
  const parts = index.split(':');
  if (parts.length > 2 || (parts.length === 1 && parts[0].trim() === '')) return undefined;
  const lo = bound(parts[0], 1);
  const hi = parts.length === 2 ? bound(parts[1], width) : lo;
  if (lo === undefined || hi === undefined || lo < 1 || hi > width || lo > hi) return undefined;
  return Array.from({ length: hi - lo + 1 }, (_, k) => lo - 1 + k);
}

export interface RowReference {
  /** Character offsets in the text searched, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** 0-based; undefined when the reference does not name columns of this dataset. */
  readonly columns?: readonly number[];
}

/** Every `row.name` and `row[…]` in `text`. */
export function rowReferences(text: string, dataset: Dataset): RowReference[] {
  const out: RowReference[] = [];
  for (const m of text.matchAll(ROW_REFERENCE)) {
    const start = m.index;
    const end = start + m[0].length;
    const columns =
      m[1] !== undefined ? oneColumn(dataset.columns.indexOf(m[1])) : indexColumns(m[2], dataset.columns.length);
    out.push({ start, end, ...(columns && { columns }) });
  }
  return out;
}

const oneColumn = (j: number) => (j >= 0 ? [j] : undefined);

/** The columns an expression reads through `row`, each once, in order of first use. */
export function rowColumns(expression: string, dataset: Dataset): number[] {
  return [...new Set(rowReferences(expression, dataset).flatMap((r) => r.columns ?? []))];
}
