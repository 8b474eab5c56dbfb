/**
 * The `.cost` language features: diagnostics as you type, CodeLens above each definition, hover with ∇f,
 * completion of the built-in functions and constants, and document symbols. All of them read one cached
 * analysis per document version.
 */
import * as vscode from 'vscode';
import { costCompletions } from './costCompletions';
import { analyzeCostText, definitionNameAt, type CostDocumentInfo, type TextRange } from './costDocument';
import { hoverMarkdown } from './functionInfo';

/** Diagnostics wait this long after the last keystroke (the issue asks for at most 250 ms). */
export const DIAGNOSTICS_DELAY_MS = 200;

const cache = new WeakMap<vscode.TextDocument, { version: number; info: CostDocumentInfo }>();

export function analyzeDocument(doc: vscode.TextDocument): CostDocumentInfo {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit.info;
  const info = analyzeCostText(doc.getText(), doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString());
  cache.set(doc, { version: doc.version, info });
  return info;
}

export const toRange = (r: TextRange) => new vscode.Range(r.startLine, r.startChar, r.endLine, r.endChar);

function registerDiagnostics(selector: vscode.DocumentSelector): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('cost');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const update = (doc: vscode.TextDocument) => {
    if (!vscode.languages.match(selector, doc)) return;
    collection.set(
      doc.uri,
      analyzeDocument(doc).diagnostics.map((d) => {
        const diag = new vscode.Diagnostic(toRange(d.range), d.message, vscode.DiagnosticSeverity.Error);
        diag.source = 'Descent Lab';
        return diag;
      }),
    );
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        update(doc);
      }, DIAGNOSTICS_DELAY_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(update);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      collection.delete(doc.uri);
    }),
    { dispose: () => timers.forEach(clearTimeout) },
  );
}

/** What the CodeLens and the editor commands pass to Run / Sweep: the document and the function's name. */
export interface FunctionTarget {
  readonly uri: string;
  readonly name: string;
  readonly quick?: boolean;
}

class CostCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return analyzeDocument(doc).definitions.flatMap((d) => {
      const at = new vscode.Range(d.range.startLine, 0, d.range.startLine, 0);
      const target: FunctionTarget = { uri: doc.uri.toString(), name: d.fn.name, quick: true };
      return [
        new vscode.CodeLens(at, {
          title: '▶ Run',
          command: 'descentLab.run',
          arguments: [target],
          tooltip: `Run the optimizers on ${d.fn.name}`,
        }),
        new vscode.CodeLens(at, {
          title: 'Sweep η',
          command: 'descentLab.sweepEta',
          arguments: [target],
          tooltip: 'Sweep the learning rate η',
        }),
        new vscode.CodeLens(at, {
          title: 'Sweep H',
          command: 'descentLab.sweepH',
          arguments: [target],
          tooltip: 'Sweep the power exponent H',
        }),
        new vscode.CodeLens(at, {
          title: 'η × H',
          command: 'descentLab.sweepEtaH',
          arguments: [target],
          tooltip: 'Sweep the learning rate η and the power exponent H together: a heat map',
        }),
      ];
    });
  }
}

class CostHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const def = definitionNameAt(analyzeDocument(doc).definitions, pos.line, pos.character);
    if (!def) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(def.fn)), toRange(def.nameRange));
  }
}

class CostCompletionProvider implements vscode.CompletionItemProvider {
  private readonly entries = costCompletions();

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    if (before.includes('#')) return [];
    // Directives start a line; functions and constants belong in expressions.
    const directive = /^\s*@\w*$/.test(before);
    return this.entries
      .filter((c) => (c.kind === 'directive') === directive)
      .map((c) => {
        const kind =
          c.kind === 'function'
            ? vscode.CompletionItemKind.Function
            : c.kind === 'constant'
              ? vscode.CompletionItemKind.Constant
              : vscode.CompletionItemKind.Keyword;
        const item = new vscode.CompletionItem(
          {
            label: c.name,
            detail: c.kind === 'function' ? c.signature.slice(c.name.length) : undefined,
            description: c.doc,
          },
          kind,
        );
        item.insertText = new vscode.SnippetString(c.insert);
        item.documentation = new vscode.MarkdownString(`\`${c.signature}\`: ${c.doc}`);
        if (directive) item.range = new vscode.Range(pos.line, before.lastIndexOf('@'), pos.line, pos.character);
        return item;
      });
  }
}

class CostSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return analyzeDocument(doc).definitions.map(
      (d) =>
        new vscode.DocumentSymbol(
          d.fn.name,
          `(${d.fn.variables.join(', ')})`,
          vscode.SymbolKind.Function,
          new vscode.Range(
            d.range.startLine,
            0,
            Math.max(d.blockEndLine, d.range.endLine),
            doc.lineAt(Math.max(d.blockEndLine, d.range.endLine)).text.length,
          ),
          toRange(d.nameRange),
        ),
    );
  }
}

export function registerCostLanguage(selector: vscode.DocumentSelector): vscode.Disposable {
  return vscode.Disposable.from(
    registerDiagnostics(selector),
    vscode.languages.registerCodeLensProvider(selector, new CostCodeLensProvider()),
    vscode.languages.registerHoverProvider(selector, new CostHoverProvider()),
    vscode.languages.registerCompletionItemProvider(selector, new CostCompletionProvider(), '@'),
    vscode.languages.registerDocumentSymbolProvider(selector, new CostSymbolProvider()),
  );
}
