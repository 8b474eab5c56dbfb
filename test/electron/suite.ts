/**
 * Runs inside the VS Code extension host (loaded by @vscode/test-electron): the .cost language features through
 * VS Code's own provider commands, and a run through the palette command, checked on the extension's API.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DescentLabApi } from '../../src/extension';

const tests: [string, () => Promise<void>][] = [];
const test = (name: string, fn: () => Promise<void>) => tests.push([name, fn]);

async function until<T>(what: string, f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const openBroken = async () =>
  vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'broken.cost')));

test('opening a .cost file activates the extension, which registers every command', async () => {
  await openBroken();
  const ext = vscode.extensions.getExtension<DescentLabApi>('descent-lab.descent-lab')!;
  await until('activation', () => (ext.isActive ? true : undefined));
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['openLab', 'run', 'sweepEta', 'sweepH', 'stop', 'newCostFile', 'exportResults', 'showGradient']) {
    assert.ok(commands.includes(`descentLab.${id}`), id);
  }
});

test('diagnostics: the unknown function is underlined exactly', async () => {
  const editor = await openBroken();
  const diags = await until('diagnostics', () => {
    const d = vscode.languages.getDiagnostics(editor.document.uri);
    return d.length ? d : undefined;
  });
  assert.equal(diags.length, 1);
  assert.match(diags[0].message, /unknown function 'foo'/);
  assert.deepEqual(
    [diags[0].range.start.line, diags[0].range.start.character, diags[0].range.end.character],
    [2, 13, 16],
  );
});

test('CodeLens, hover, completion and symbols', async () => {
  const { document: doc } = await openBroken();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    ['▶ Run', 'Sweep η', 'Sweep H'],
  );
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    new vscode.Position(0, 1),
  );
  const text = hovers
    .flatMap((h) => h.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c))))
    .join('\n');
  assert.match(text, /∂f\/∂x = 2 \* x/);
  const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    new vscode.Position(0, 11),
  );
  assert.ok(completions.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'atan2'));
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
    'vscode.executeDocumentSymbolProvider',
    doc.uri,
  );
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['ok'],
  );
});

test('Run Optimizers from a CodeLens target runs in the pool and keeps the result', async () => {
  const { document: doc } = await openBroken();
  const api = vscode.extensions.getExtension<DescentLabApi>('descent-lab.descent-lab')!.exports;
  await vscode.commands.executeCommand('descentLab.run', { uri: doc.uri.toString(), name: 'ok', quick: true });
  const run = api.latestRun();
  assert.ok(run, 'a result');
  assert.equal(run.fn.name, 'ok');
  assert.deepEqual(
    run.runs.map((r) => r.optimizer),
    ['gd', 'adam', 'h-adam'],
  );
  assert.ok(run.runs.every((r) => r.n === 64));
});

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, fn] of tests) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failures.push(name);
      console.log(`not ok - ${name}\n${(e as Error).stack}`);
    }
  }
  console.log(`${tests.length - failures.length}/${tests.length} passed (${path.basename(__filename)})`);
  if (failures.length) throw new Error(`${failures.length} test(s) failed: ${failures.join('; ')}`);
}
