/**
 * New Cost File: an untitled `.cost` document from a template, or a copy of a built-in to edit. Open Example: the
 * walkthrough's example as a real file, in the workspace (or where the user says when no folder is open).
 */
import * as vscode from 'vscode';
import { builtinFunctions } from '../engine/library';
import { builtinCopy } from './costDocument';

export const TEMPLATE = `# A cost function per line: name(x, y) = expression (mathjs syntax; # starts a comment).
# @domain gives the box where starts are drawn and the landscape is plotted; @minimum a known minimum (f* = f there).
bowl(x, y) = (x - 1)^2 + 4*(y + 0.5)^2
@domain [-3, 3] x [-3, 3]
@minimum (1, -0.5)
`;

/** An untitled `.cost` document of `content` (a built-in's copy, checked by the caller when it was edited). */
export function openCostText(content: string): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language: 'cost', content });
}

const EXAMPLE = 'paper-functions.cost';

/** The file's bytes, or undefined when there is none. */
async function read(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Where the example goes in `folder`: paper-functions.cost, or that file again when it still is the example; a
 * file of that name the user changed is kept, and the example goes to paper-functions-2.cost (-3, …).
 */
async function exampleTarget(folder: vscode.Uri, example: Uint8Array): Promise<vscode.Uri> {
  for (let k = 1; ; k++) {
    const uri = vscode.Uri.joinPath(folder, k === 1 ? EXAMPLE : EXAMPLE.replace('.cost', `-${k}.cost`));
    const there = await read(uri);
    if (!there || same(there, example)) return uri;
  }
}

/** The walkthrough's example as a real file: its CodeLens, hover and runs work as in the user's own files. */
async function openExample(extensionUri: vscode.Uri): Promise<void> {
  const example = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', 'examples', EXAMPLE));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = folder
    ? await exampleTarget(folder, example)
    : await vscode.window.showSaveDialog({
        title: 'Save the Descent Lab example',
        saveLabel: 'Save Example',
        filters: { 'Cost functions': ['cost'] },
      });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, example);
  await vscode.window.showTextDocument(target);
}

export function registerNewCostFile(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('descentLab.openExample', () => openExample(extensionUri)),
    vscode.commands.registerCommand('descentLab.newCostFile', async () => {
      const items = [
        {
          label: 'Empty template',
          description: 'a two-variable bowl with @domain and @minimum',
          name: undefined as string | undefined,
        },
        ...builtinFunctions().map((f) => ({
          label: `Copy of ${f.name}`,
          description: f.source.replace(/\s+/g, ' '),
          name: f.name as string | undefined,
        })),
      ];
      const pick = await vscode.window.showQuickPick(items, {
        placeHolder: 'Start from a template or a built-in function',
      });
      if (!pick) return;
      const content = pick.name === undefined ? TEMPLATE : builtinCopy(pick.name)?.text;
      if (content !== undefined) await vscode.window.showTextDocument(await openCostText(content));
    }),
  );
}
