/**
 * The outline of a `.cost` document: its functions, then each data section (`@data …`) with its bindings and
 * models, each model with its parameters (shape) and metrics.
 */
import * as vscode from 'vscode';
import type { CostAnalyzer } from './costAnalysis';
import { toRange } from './costDiagnostics';
import type { CostModelDefinition } from './costDocument';
import { shapeText } from './modelInfo';

const lineRange = (doc: vscode.TextDocument, from: number, to: number) =>
  new vscode.Range(from, 0, to, doc.lineAt(Math.min(to, doc.lineCount - 1)).text.length);

function modelSymbol(doc: vscode.TextDocument, m: CostModelDefinition): vscode.DocumentSymbol {
  const { model } = m;
  const symbol = new vscode.DocumentSymbol(
    model.name,
    `(${model.params.map((p) => p.name).join(', ')}) · P = ${model.parameterCount.toLocaleString('en')}`,
    vscode.SymbolKind.Function,
    lineRange(doc, m.firstLine, Math.max(m.blockEndLine, m.range.endLine)),
    toRange(m.nameRange),
  );
  const at = (r: { line: number; column: number; endLine: number; endColumn: number }) =>
    new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1);
  symbol.children = [
    ...model.params.map(
      (p) =>
        new vscode.DocumentSymbol(p.name, shapeText(p.shape), vscode.SymbolKind.Variable, at(p.range), at(p.range)),
    ),
    ...model.metrics.map(
      (k) => new vscode.DocumentSymbol(k.name, k.source, vscode.SymbolKind.Property, at(k.range), at(k.range)),
    ),
  ];
  return symbol;
}

export function registerCostSymbols(selector: vscode.DocumentSelector, analyzer: CostAnalyzer): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider(selector, {
    async provideDocumentSymbols(doc) {
      const { info } = await analyzer.analyze(doc);
      const functions = info.definitions.map((d) => {
        const end = Math.max(d.blockEndLine, d.range.endLine);
        return new vscode.DocumentSymbol(
          d.fn.name,
          `(${d.fn.variables.join(', ')})`,
          vscode.SymbolKind.Function,
          lineRange(doc, d.range.startLine, end),
          toRange(d.nameRange),
        );
      });
      const sections = info.sections.map((s) => {
        const name = s.source?.kind === 'file' ? `"${s.source.path}"` : (s.source?.text ?? '?');
        const detail = s.dataset ? `${s.dataset.rows} × ${s.dataset.columns.length}` : '';
        const whole = lineRange(doc, s.line, s.endLine);
        const symbol = new vscode.DocumentSymbol(
          `@data ${name}`,
          detail,
          vscode.SymbolKind.Namespace,
          whole,
          lineRange(doc, s.line, s.line),
        );
        const bindings = [...s.bindings.values()].map(
          (b) =>
            new vscode.DocumentSymbol(
              b.name,
              b.expression,
              vscode.SymbolKind.Variable,
              lineRange(doc, b.line, b.line),
              lineRange(doc, b.line, b.line),
            ),
        );
        const models = info.models.filter((m) => s.line <= m.range.startLine && m.range.startLine <= s.endLine);
        symbol.children = [...bindings, ...models.map((m) => modelSymbol(doc, m))].sort(
          (a, b) => a.range.start.line - b.range.start.line,
        );
        return symbol;
      });
      return [...functions, ...sections];
    },
  });
}
