/**
 * The `.cost` language features: diagnostics as you type (the CSV files' own included), CodeLens above each
 * function and model, hovers (∇f of a function; a model's parameters, data and ∇ℓ; a `@data` line's summary; the
 * columns a binding or `row[…]` reads), completion and document symbols. All of them read one cached analysis
 * per document version (costAnalysis.ts).
 */
import * as vscode from 'vscode';
import { describe } from '../engine/data';
import { CostAnalyzer, sourceName } from './costAnalysis';
import {
  columnEntries,
  completionContext,
  costCompletions,
  datasetEntries,
  directiveEntries,
  initializerEntries,
  modelCompletions,
  shuffleEntries,
  type CompletionEntry,
} from './costCompletions';
import { rowReferences, sectionAt, type DataSection } from './costDataSections';
import { registerDiagnostics, toRange } from './costDiagnostics';
import { analyzeCostText, definitionNameAt, type CostDocumentInfo } from './costDocument';
import { registerCostSymbols } from './costSymbols';
import { hoverMarkdown } from './functionInfo';
import { columnsHoverMarkdown, dataHoverMarkdown, modelHoverMarkdown } from './modelInfo';

export { DIAGNOSTICS_DELAY_MS, toRange } from './costDiagnostics';

/** The command a hover's "Preview dataset" link runs, with the document and the `@data` line. */
export const PREVIEW_DATASET_COMMAND = 'descentLab.previewDataset';

const cache = new WeakMap<vscode.TextDocument, { version: number; info: CostDocumentInfo }>();

/** The document's functions and constants, without reading its data files (for inline edits). */
export function analyzeDocument(doc: vscode.TextDocument): CostDocumentInfo {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit.info;
  const info = analyzeCostText(doc.getText(), sourceName(doc));
  cache.set(doc, { version: doc.version, info });
  return info;
}

/**
 * What the CodeLens and the editor commands pass to Run / Sweep: the document and the function's or model's
 * name; `model` marks a model over data.
 */
export interface FunctionTarget {
  readonly uri: string;
  readonly name: string;
  readonly quick?: boolean;
  readonly model?: boolean;
}

const LENSES = [
  ['▶ Run', 'descentLab.run', 'Run the optimizers on'],
  ['Sweep η', 'descentLab.sweepEta', 'Sweep the learning rate η on'],
  ['Sweep H', 'descentLab.sweepH', 'Sweep the power exponent H on'],
  ['η × H', 'descentLab.sweepEtaH', 'Sweep η and H together (a heat map) on'],
] as const;

class CostCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly analyzer: CostAnalyzer) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const { info } = await this.analyzer.analyze(doc);
    const uri = doc.uri.toString();
    const targets = [
      ...info.definitions.map((d) => ({ line: d.range.startLine, target: { uri, name: d.fn.name, quick: true } })),
      ...info.models.map((m) => ({
        line: m.range.startLine,
        target: { uri, name: m.model.name, quick: true, model: true },
      })),
    ];
    return targets.flatMap(({ line, target }) =>
      LENSES.map(
        ([title, command, tooltip]) =>
          new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
            title,
            command,
            arguments: [target satisfies FunctionTarget],
            tooltip: `${tooltip} ${target.name}`,
          }),
      ),
    );
  }
}

/** A trusted Markdown string that may run the preview command, and nothing else. */
function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = { enabledCommands: [PREVIEW_DATASET_COMMAND] };
  return md;
}

const previewLink = (doc: vscode.TextDocument, section: DataSection): string =>
  `command:${PREVIEW_DATASET_COMMAND}?${encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString(), line: section.line }]))}`;

class CostHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyzer: CostAnalyzer) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const { info } = await this.analyzer.analyze(doc);
    const def = definitionNameAt(info.definitions, pos.line, pos.character);
    if (def) return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(def.fn)), toRange(def.nameRange));
    const section = sectionAt(info.sections, pos.line);
    const model = definitionNameAt(info.models, pos.line, pos.character);
    if (model) {
      const text = modelHoverMarkdown(model.model, section, section && previewLink(doc, section));
      return new vscode.Hover(markdown(text), toRange(model.nameRange));
    }
    const data = section?.dataset;
    if (!section || !data) return undefined;
    if (pos.line === section.line) {
      const text = dataHoverMarkdown(section, describe(data, section.split), previewLink(doc, section));
      return new vscode.Hover(markdown(text), doc.lineAt(pos.line).range);
    }
    const line = doc.lineAt(pos.line).text;
    const ref = rowReferences(line, data).find((r) => r.start <= pos.character && pos.character <= r.end);
    if (ref?.columns) {
      const text = columnsHoverMarkdown(line.slice(ref.start, ref.end), ref.columns, data);
      return new vscode.Hover(markdown(text), new vscode.Range(pos.line, ref.start, pos.line, ref.end));
    }
    const word = doc.getWordRangeAtPosition(pos, /[A-Za-z_]\w*/);
    const binding = word && section.bindings.get(doc.getText(word));
    if (!binding?.columns?.length || binding.line > pos.line) return undefined;
    const text = columnsHoverMarkdown(`${binding.name} = ${binding.expression}`, binding.columns, data);
    return new vscode.Hover(markdown(text), word);
  }
}

const KINDS: Readonly<Record<CompletionEntry['kind'], vscode.CompletionItemKind>> = {
  function: vscode.CompletionItemKind.Function,
  constant: vscode.CompletionItemKind.Constant,
  directive: vscode.CompletionItemKind.Keyword,
  column: vscode.CompletionItemKind.Field,
  dataset: vscode.CompletionItemKind.Module,
  initializer: vscode.CompletionItemKind.Function,
  keyword: vscode.CompletionItemKind.Keyword,
  variable: vscode.CompletionItemKind.Variable,
};

class CostCompletionProvider implements vscode.CompletionItemProvider {
  private readonly functions = costCompletions().filter((c) => c.kind !== 'directive');
  private readonly model = modelCompletions();

  constructor(private readonly analyzer: CostAnalyzer) {}

  provideCompletionItems(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] {
    const where = completionContext(doc.lineAt(pos.line).text.slice(0, pos.character));
    if (where.kind === 'none') return [];
    // A space or a dot opens completion only where a word of a known list is expected.
    const trigger = context.triggerCharacter;
    if ((trigger === ' ' || trigger === '.') && (where.kind === 'expression' || where.kind === 'directive')) return [];
    const section = sectionAt(this.analyzer.sections(doc), pos.line);
    const entries = this.entries(where.kind, section, pos.line);
    const range = new vscode.Range(pos.line, where.from, pos.line, pos.character);
    // Lists keep their own order (a CSV's header, the directives' usual order); expressions sort by name.
    const ordered = where.kind !== 'expression';
    return entries.map((c, k) => {
      const item = new vscode.CompletionItem(
        {
          label: c.name,
          detail: c.kind === 'function' ? c.signature.slice(c.name.length) : undefined,
          description: c.doc,
        },
        KINDS[c.kind],
      );
      item.insertText = new vscode.SnippetString(c.insert);
      item.documentation = new vscode.MarkdownString().appendCodeblock(c.signature, 'cost').appendText(c.doc);
      item.range = range;
      if (ordered) item.sortText = String(k).padStart(4, '0');
      return item;
    });
  }

  private entries(kind: string, section: DataSection | undefined, line: number): CompletionEntry[] {
    switch (kind) {
      case 'directive':
        return directiveEntries(section !== undefined);
      case 'dataset':
        return datasetEntries();
      case 'initializer':
        return initializerEntries();
      case 'shuffle':
        return shuffleEntries();
      case 'column':
        // row.name takes names that are identifiers; others are reached as row[j].
        return section?.dataset ? columnEntries(section.dataset).filter((c) => /^[A-Za-z_]\w*$/.test(c.name)) : [];
      default: {
        if (!section) return this.functions;
        const bindings = [...section.bindings.values()]
          .filter((b) => b.line < line)
          .map((b): CompletionEntry => {
            const signature = `${b.name} = ${b.expression}`;
            return { name: b.name, kind: 'variable', signature, doc: 'a binding of this data section', insert: b.name };
          });
        return [...this.model, ...bindings];
      }
    }
  }
}

export function registerCostLanguage(selector: vscode.DocumentSelector, analyzer: CostAnalyzer): vscode.Disposable {
  return vscode.Disposable.from(
    registerDiagnostics(selector, analyzer),
    vscode.languages.registerCodeLensProvider(selector, new CostCodeLensProvider(analyzer)),
    vscode.languages.registerHoverProvider(selector, new CostHoverProvider(analyzer)),
    vscode.languages.registerCompletionItemProvider(selector, new CostCompletionProvider(analyzer), '@', '.', ' '),
    registerCostSymbols(selector, analyzer),
  );
}
