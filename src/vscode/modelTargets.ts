/**
 * Run, the sweeps and Show Gradient act on cost functions. Until they take models over data, a model given to
 * them (from its CodeLens, or with the cursor in a data section) is refused with a message that says so, rather
 * than the command quietly offering a function instead.
 */
import * as vscode from 'vscode';
import { sectionAt, scanDataSections } from './costDataSections';
import type { FunctionTarget } from './costLanguage';

function modelRefusal(what: string): string {
  return (
    `Descent Lab: ${what} is a model over data. This command takes cost functions only for now: running models ` +
    "from VS Code is not available yet (a model's ∇ℓ is in the hover on its name)."
  );
}

/** True (after telling the user) when the command was asked to act on a model; `language` is the `.cost` id. */
export function modelTargetRefused(target: FunctionTarget | undefined, language: string): boolean {
  let what: string | undefined;
  if (target?.model) what = `'${target.name}'`;
  const editor = vscode.window.activeTextEditor;
  if (!target && editor?.document.languageId === language) {
    const doc = editor.document;
    const line = editor.selection.active.line;
    const section = sectionAt(scanDataSections(doc.getText(), doc.uri.toString()), line);
    if (section) what = `what the cursor is on (the data section of line ${section.line + 1})`;
  }
  if (what === undefined) return false;
  void vscode.window.showWarningMessage(modelRefusal(what));
  return true;
}
