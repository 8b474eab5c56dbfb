/** Choosing what to run: the function (under the cursor, from a CodeLens, or from a quick pick) and the optimizers. */
import * as vscode from 'vscode';
import { findOptimizer, listOptimizers } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import { arr, numOrStr, obj, record, str, tryCheck } from '../shared/check';
import { LIMITS } from '../shared/limits';
import { definitionAt } from './costDocument';
import { buildCatalog, type CatalogEntry, type CostDocumentSnapshot } from './functionCatalog';
import type { FunctionTarget } from './costLanguage';
import { modelTargetRefused } from './modelTargets';
import { parseOptimizerSettings } from './runPlan';

export const COST_LANGUAGE = 'cost';
const REMEMBERED = 'descentLab.optimizers';

export function openCostDocuments(): CostDocumentSnapshot[] {
  return vscode.workspace.textDocuments
    .filter((d) => d.languageId === COST_LANGUAGE)
    .map((d) => ({
      uri: d.uri.toString(),
      fileName: d.uri.scheme === 'file' ? d.uri.fsPath : d.uri.toString(),
      text: d.getText(),
    }));
}

export const catalog = (): CatalogEntry[] => buildCatalog(openCostDocuments());

/** The function a command acts on: the CodeLens's, the one under the cursor in a `.cost` editor, else the user's pick. */
export async function pickFunction(
  target: FunctionTarget | undefined,
  placeHolder: string,
): Promise<CatalogEntry | undefined> {
  if (modelTargetRefused(target, COST_LANGUAGE)) return undefined;
  const entries = catalog();
  if (target?.uri && target.name) {
    const hit = entries.find((e) => e.uri === target.uri && e.fn.name === target.name);
    if (hit) return hit;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === COST_LANGUAGE) {
    const uri = editor.document.uri.toString();
    const defs = entries.filter((e) => e.uri === uri && e.definition).map((e) => e.definition!);
    const def = definitionAt(defs, editor.selection.active.line);
    if (def) return entries.find((e) => e.uri === uri && e.definition === def);
  }
  const items = entries.map((e) => ({
    label: e.key,
    entry: e,
    description: `(${e.fn.variables.join(', ')}) = ${e.fn.source.replace(/\s+/g, ' ')}`,
    detail: e.origin === 'builtin' ? 'built-in' : e.uri,
  }));
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.entry;
}

/** The last optimizers chosen in the quick pick, else those of the `descentLab.optimizers` setting. */
/** What the quick pick remembers (saved state: checked like any input, and only ids the registry still has). */
const remembered = arr(obj<OptimizerConfig>({ id: str(64), params: record(numOrStr(), LIMITS.params) }), 64, 1);

export function rememberedOptimizers(state: vscode.Memento, defaults: readonly string[]): OptimizerConfig[] {
  const saved = tryCheck(remembered, state.get(REMEMBERED));
  if (saved?.every((c) => findOptimizer(c.id) !== undefined)) return saved;
  return parseOptimizerSettings(defaults);
}

/**
 * The optimizers for a run: a multi-select quick pick with the last choice (else the setting) ticked; the choice
 * is remembered. `quick` (CodeLens, Ctrl/Cmd+Enter) skips the pick and uses the remembered choice.
 */
export async function pickOptimizers(
  state: vscode.Memento,
  defaults: readonly string[],
  quick: boolean,
): Promise<OptimizerConfig[] | undefined> {
  const previous = rememberedOptimizers(state, defaults);
  if (quick) return previous;
  const items = listOptimizers().map((o) => ({
    label: o.label,
    description: o.id,
    detail: o.params.map((p) => `${p.symbol}=${p.default}`).join('  '),
    id: o.id,
    picked: previous.some((c) => c.id === o.id),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    placeHolder: 'Optimizers to run (the choice is remembered)',
    matchOnDescription: true,
  });
  if (!picked || picked.length === 0) return undefined;
  const configs = picked.map((p) => previous.find((c) => c.id === p.id) ?? { id: p.id, params: {} });
  await state.update(REMEMBERED, configs);
  return configs;
}
