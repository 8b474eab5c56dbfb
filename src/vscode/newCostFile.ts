/** New Cost File: an untitled `.cost` document from a template, or a copy of a built-in to edit. */
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

/** The walkthrough's example, as an untitled copy so that it can be edited and saved anywhere. */
async function openExample(extensionUri: vscode.Uri): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(extensionUri, 'media', 'examples', 'paper-functions.cost'),
  );
  await vscode.window.showTextDocument(await openCostText(new TextDecoder().decode(bytes)));
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
