/**
 * What the `.cost` editor features need from a document's text, without `vscode`: the definitions and models
 * with their name ranges, the diagnostics (those located in data files apart), the data sections, the definition
 * under the cursor and where CodeLenses go. Positions here are 0-based with an exclusive end, as in the VS Code
 * API; the engine's are 1-based.
 */
import { parseCostFile, type CostError, type CostFunction, type SourceRange } from '../engine/expr/costParser';
import { BUILTINS_COST } from '../engine/library/builtins';
import type { DataFileReader, ModelProgram } from '../engine/model';
import { scanDataSections, type DataSection } from './costDataSections';

/** 0-based, end exclusive. */
export interface TextRange {
  readonly startLine: number;
  readonly startChar: number;
  readonly endLine: number;
  readonly endChar: number;
}

export interface CostDefinition {
  readonly fn: CostFunction;
  /** From the name to the end of the definition's expression. */
  readonly range: TextRange;
  /** The function's name where it is written (for a bare expression: the whole expression). */
  readonly nameRange: TextRange;
  /** Through the definition's directives (@domain, @minimum), up to the next definition. */
  readonly blockEndLine: number;
}

export interface CostModelDefinition {
  readonly model: ModelProgram;
  /** From the name to the end of the loss. */
  readonly range: TextRange;
  readonly nameRange: TextRange;
  /** The first of its `@param` lines (or the definition's line). */
  readonly firstLine: number;
  /** Through its own directives (@batch, @epochs, @metric …). */
  readonly blockEndLine: number;
}

export interface CostDiagnostic {
  readonly range: TextRange;
  readonly message: string;
}

/** An error inside a data file: `file` is the name the reader was asked for (the path as written after @data). */
export interface DataFileDiagnostic extends CostDiagnostic {
  readonly file: string;
}

export interface CostDocumentInfo {
  readonly definitions: readonly CostDefinition[];
  readonly models: readonly CostModelDefinition[];
  readonly diagnostics: readonly CostDiagnostic[];
  /** Errors located in the data files; the `@data` line that read each has a diagnostic too. */
  readonly dataDiagnostics: readonly DataFileDiagnostic[];
  readonly sections: readonly DataSection[];
  /** The file's constants (`a = 1`), which its functions may use. */
  readonly constants: Readonly<Record<string, number>>;
}

export function toTextRange(r: SourceRange): TextRange {
  return { startLine: r.line - 1, startChar: r.column - 1, endLine: r.endLine - 1, endChar: r.endColumn - 1 };
}

/** A zero-width error range would be invisible in the editor: widen it to one character where the line has one. */
function visible(r: TextRange, lines: readonly string[]): TextRange {
  if (r.startLine !== r.endLine || r.startChar !== r.endChar) return r;
  const len = lines[r.startLine]?.length ?? 0;
  if (r.startChar < len) return { ...r, endChar: r.startChar + 1 };
  return r.startChar > 0 ? { ...r, startChar: r.startChar - 1 } : r;
}

/** Where a name is written at the start of `range`; the whole range when it is not (a bare expression). */
function nameRangeOf(range: TextRange, name: string, lines: readonly string[]): TextRange {
  const written = lines[range.startLine]?.slice(range.startChar, range.startChar + name.length) === name;
  if (!written) return range;
  return {
    startLine: range.startLine,
    startChar: range.startChar,
    endLine: range.startLine,
    endChar: range.startChar + name.length,
  };
}

/** `readData` reads the CSV files of `@data "…"` lines (synchronously: the caller has them in memory already). */
export function analyzeCostText(text: string, source: string, readData?: DataFileReader): CostDocumentInfo {
  const parsed = parseCostFile(text, source, { readData });
  const lines = text.split(/\r\n?|\n/);
  const sections = scanDataSections(text, source, readData);
  // Functions come before the first data section; the last one's block ends where that section starts.
  const end = sections.length ? sections[0].line : lines.length;
  const definitions = parsed.functions.map((fn, i): CostDefinition => {
    const range = toTextRange(fn.range);
    const next = parsed.functions[i + 1];
    return {
      fn,
      range,
      nameRange: nameRangeOf(range, fn.name, lines),
      blockEndLine: (next ? next.range.line - 1 : end) - 1,
    };
  });
  const models = parsed.models.map((model): CostModelDefinition => {
    const range = toTextRange(model.range);
    return {
      model,
      range,
      nameRange: nameRangeOf(range, model.name, lines),
      firstLine: Math.min(range.startLine, ...model.params.map((p) => p.range.line - 1)),
      blockEndLine: modelBlockEnd(lines, range.endLine),
    };
  });
  const diagnostics = parsed.errors.map((e: CostError) => ({
    range: visible(toTextRange(e.range), lines),
    message: e.message,
  }));
  const dataDiagnostics = parsed.dataErrors.map((e) => ({
    file: e.source,
    range: toTextRange(e.range),
    message: e.message,
  }));
  return { definitions, models, diagnostics, dataDiagnostics, sections, constants: parsed.constants };
}

/** A model's own directives follow it; a @param, @data or @split line belongs to what comes next. */
function modelBlockEnd(lines: readonly string[], last: number): number {
  let end = last;
  for (let i = last + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (/^@(?:param|data|split)(?!\w)/.test(t) || !(t === '' || t.startsWith('#') || t.startsWith('@'))) break;
    if (t.startsWith('@')) end = i;
  }
  return end;
}

/**
 * What the worker needs to run one function of a file that has errors elsewhere: the file's constants (already
 * folded to numbers, written back in full precision) and the function's own definition and directives. A run
 * must not fail because another definition is being typed.
 */
export function runnableText(text: string, source: string, name: string): string | undefined {
  const info = analyzeCostText(text, source);
  const def = info.definitions.find((d) => d.fn.name === name);
  if (!def) return undefined;
  const constants = Object.entries(info.constants);
  if (!constants.every(([, v]) => Number.isFinite(v))) return undefined;
  return [...constants.map(([k, v]) => `${k} = ${v}`), definitionText(text, def)].join('\n');
}

/** The definition whose block (definition plus its directives and comments) contains the line. */
export function definitionAt(defs: readonly CostDefinition[], line: number): CostDefinition | undefined {
  return defs.find((d) => d.range.startLine <= line && line <= Math.max(d.blockEndLine, d.range.endLine));
}

/** The model whose lines (its @param lines, the definition, its directives) contain the line. */
export function modelAt(models: readonly CostModelDefinition[], line: number): CostModelDefinition | undefined {
  return models.find((m) => m.firstLine <= line && line <= Math.max(m.blockEndLine, m.range.endLine));
}

/** The definition (or model) whose name is at the position (for hovers). */
export function definitionNameAt<T extends { readonly nameRange: TextRange }>(
  defs: readonly T[],
  line: number,
  char: number,
): T | undefined {
  return defs.find(
    (d) => d.nameRange.startLine === line && d.nameRange.startChar <= char && char <= d.nameRange.endChar,
  );
}

/** The exact text of one definition with the directives and comments that follow it, e.g. to open a built-in as an editable copy. */
export function definitionText(text: string, def: CostDefinition): string {
  const lines = text.split('\n');
  let end = def.range.endLine;
  while (end + 1 < lines.length && /^\s*(?:[@#]|$)/.test(lines[end + 1])) end++;
  const block = lines.slice(def.range.startLine, end + 1);
  while (block.length && block[block.length - 1].trim() === '') block.pop();
  return block.join('\n') + '\n';
}

/** The range of a function's right-hand side, for writing an inline edit back into the document. */
export function expressionRange(text: string, def: CostDefinition): TextRange | undefined {
  const offsets = lineOffsets(text);
  const start = offsets[def.range.startLine] + def.range.startChar;
  const end = offsets[def.range.endLine] + def.range.endChar;
  const at = text.slice(start, end).lastIndexOf(def.fn.source);
  if (at < 0) return undefined;
  return offsetRange(offsets, start + at, start + at + def.fn.source.length);
}

/** `text` with `range` replaced by `replacement`. */
export function replaceRange(text: string, range: TextRange, replacement: string): string {
  const offsets = lineOffsets(text);
  return (
    text.slice(0, offsets[range.startLine] + range.startChar) +
    replacement +
    text.slice(offsets[range.endLine] + range.endChar)
  );
}

/** The offset of a 0-based line and character in `text` (the last line's when `line` is past the end). */
export function offsetAt(text: string, line: number, char: number): number {
  const offsets = lineOffsets(text);
  return offsets[Math.min(line, offsets.length - 1)] + char;
}

/** A built-in as an editable `.cost` text (its definition and directives under a comment), and that definition. */
export function builtinCopy(name: string): { readonly text: string; readonly definition: CostDefinition } | undefined {
  const original = analyzeCostText(BUILTINS_COST, 'builtins.cost').definitions.find((d) => d.fn.name === name);
  if (!original) return undefined;
  const text = `# A copy of the built-in ${name}: edit freely.\n${definitionText(BUILTINS_COST, original)}`;
  const definition = analyzeCostText(text, `${name}.cost`).definitions.find((d) => d.fn.name === name);
  return definition && { text, definition };
}

function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

function offsetRange(offsets: readonly number[], start: number, end: number): TextRange {
  const pos = (o: number) => {
    let line = 0;
    while (line + 1 < offsets.length && offsets[line + 1] <= o) line++;
    return { line, char: o - offsets[line] };
  };
  const s = pos(start);
  const e = pos(end);
  return { startLine: s.line, startChar: s.char, endLine: e.line, endChar: e.char };
}
