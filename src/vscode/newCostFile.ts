/** New Cost File: an untitled `.cost` document from a template, or a copy of a built-in to edit. */
import * as vscode from 'vscode';
import { builtinFunctions } from '../engine/library';
import { BUILTINS_COST } from '../engine/library/builtins';
import { analyzeCostText, definitionText, replaceRange, shiftRange } from './costDocument';

export const TEMPLATE = `# A cost function per line: name(x, y) = expression (mathjs syntax; # starts a comment).
# @domain gives the box where starts are drawn and the landscape is plotted; @minimum a known minimum (f* = f there).
bowl(x, y) = (x - 1)^2 + 4*(y + 0.5)^2
@domain [-3, 3] x [-3, 3]
@minimum (1, -0.5)
`;

/** A built-in as an untitled `.cost` document (its definition and directives), with the definition replaced if given. */
export async function openBuiltinCopy(name: string, definition?: string): Promise<vscode.TextDocument | undefined> {
  const def = analyzeCostText(BUILTINS_COST, 'builtins.cost').definitions.find((d) => d.fn.name === name);
  if (!def) return undefined;
  let text = definitionText(BUILTINS_COST, def);
  if (definition !== undefined) text = replaceRange(text, shiftRange(def.range, def.range.startLine), definition);
  return vscode.workspace.openTextDocument({
    language: 'cost',
    content: `# A copy of the built-in ${name}: edit freely.\n${text}`,
  });
}

/** The walkthrough's example, as an untitled copy so that it can be edited and saved anywhere. */
async function openExample(extensionUri: vscode.Uri): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(extensionUri, 'media', 'examples', 'paper-functions.cost'),
  );
  const doc = await vscode.workspace.openTextDocument({ language: 'cost', content: new TextDecoder().decode(bytes) });
  await vscode.window.showTextDocument(doc);
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
      const doc =
        pick.name === undefined
          ? await vscode.workspace.openTextDocument({ language: 'cost', content: TEMPLATE })
          : await openBuiltinCopy(pick.name);
      if (doc) await vscode.window.showTextDocument(doc);
    }),
  );
}
