/**
 * The Lab's inline edit, written back: into the function's `.cost` document (its right-hand side, or the whole
 * definition when the variables changed), or into a new untitled copy of a built-in. What will be written is
 * read back with the .cost parser first; the panel is told the outcome, with positions in the text it sent.
 */
import * as vscode from 'vscode';
import type { HostMessage } from '../shared/webviewProtocol';
import { analyzeDocument, toRange } from './costLanguage';
import { builtinCopy, expressionRange, type TextRange } from './costDocument';
import { checkEdit, checkWrite, type EditOk } from './editCheck';
import type { CatalogEntry } from './functionCatalog';
import { openCostText } from './newCostFile';

/** What became of an edit: the document it went to (undefined when it was refused or had nowhere to go). */
export interface EditOutcome {
  readonly validation: HostMessage<'functionValidation'>;
  readonly written?: vscode.TextDocument;
}

const refused = (text: string, diagnostics: HostMessage<'functionValidation'>['diagnostics']): EditOutcome => ({
  validation: { type: 'functionValidation', text, ok: false, diagnostics },
});

/** Where the edit goes in a file function's document, and what replaces it. */
function placement(doc: vscode.TextDocument, entry: CatalogEntry, edit: EditOk): [TextRange, string] {
  const definition = entry.definition!;
  const sameVariables = edit.variables.join() === entry.fn.variables.join();
  const range = sameVariables ? expressionRange(doc.getText(), definition) : definition.range;
  if (!range) throw new Error(`could not find ${entry.fn.name}'s expression in ${doc.uri.toString()}`);
  return [range, sameVariables ? edit.expression : edit.definition];
}

/** Checks `text` as the new definition of `entry`'s function and writes it where that function lives. */
export async function applyInlineEdit(entry: CatalogEntry, text: string): Promise<EditOutcome> {
  const doc = entry.uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(entry.uri)) : undefined;
  const edit = checkEdit(entry.fn, text, doc ? analyzeDocument(doc).constants : {});
  if (!edit.ok) return refused(text, edit.diagnostics);
  const accepted: HostMessage<'functionValidation'> = { type: 'functionValidation', text, ok: true, diagnostics: [] };
  if (doc && entry.definition) {
    const [range, replacement] = placement(doc, entry, edit);
    const write = checkWrite(edit, entry.fn.name, doc.getText(), range, replacement);
    if (!write.ok) return refused(text, write.diagnostics);
    const change = new vscode.WorkspaceEdit();
    change.replace(doc.uri, toRange(range), replacement);
    await vscode.workspace.applyEdit(change);
    return { validation: accepted, written: doc };
  }
  const copy = entry.origin === 'builtin' ? builtinCopy(entry.fn.name) : undefined;
  if (!copy) return { validation: accepted };
  const write = checkWrite(edit, entry.fn.name, copy.text, copy.definition.range, edit.definition);
  if (!write.ok) return refused(text, write.diagnostics);
  const written = await openCostText(write.text);
  await vscode.window.showTextDocument(written, {
    viewColumn: vscode.ViewColumn.One,
    preview: false,
    preserveFocus: true,
  });
  return { validation: accepted, written };
}
