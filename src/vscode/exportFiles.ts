/**
 * Where Export Results and the Lab's Export PNG put their files: a save dialog, defaulting to the workspace; and
 * the notice that follows, which opens the file or shows where it is.
 */
import * as vscode from 'vscode';

/** The first workspace folder's `file` (its name made safe), or undefined without a folder. */
function defaultExportUri(file: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, file.replace(/[^\w.#-]+/g, '_')) : undefined;
}

/** Asks where to save `bytes`, offering `file` in the workspace; the file written, or undefined when cancelled. */
export async function saveExport(
  file: string,
  bytes: Uint8Array,
  filter: string,
  saveLabel = 'Export',
): Promise<vscode.Uri | undefined> {
  const ext = file.slice(file.lastIndexOf('.') + 1);
  const target = await vscode.window.showSaveDialog({
    filters: { [filter]: [ext] },
    saveLabel,
    defaultUri: defaultExportUri(file),
  });
  if (target) await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

/**
 * Says where a file was exported, offering to open it and to show it: in the Explorer when it is in the
 * workspace, else in the system's file manager.
 */
export async function exported(target: vscode.Uri): Promise<void> {
  const inWorkspace = vscode.workspace.getWorkspaceFolder(target) !== undefined;
  const reveal = inWorkspace ? 'Reveal in Explorer' : 'Reveal in OS';
  const pick = await vscode.window.showInformationMessage(
    `Descent Lab: exported to ${vscode.workspace.asRelativePath(target)}`,
    'Open',
    reveal,
  );
  if (pick === 'Open') await vscode.commands.executeCommand('vscode.open', target);
  else if (pick === reveal)
    await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', target);
}
