/**
 * Sweep Learning Rate (η), Sweep Power (H) and Sweep η × H: the function, the grid of each swept hyperparameter,
 * the optimizers and the step budgets come from quick picks (the papers' grids preselected, so Enter through them
 * is the default sweep); the sweep runs as one batch in the worker pool with a cancellable notification; the Lab
 * panel draws the success-fraction charts, heat maps and outcome maps, and the log gets the table.
 */
import * as vscode from 'vscode';
import type { GridAxis } from '../engine/run/sweep';
import { paramSpec } from '../present/params';
import { runConfig } from '../present/runConfig';
import { sweepSummary } from '../present/sweepExport';
import type { FunctionTarget } from './costLanguage';
import type { LabPanel } from './labPanel';
import { pickFunction, pickOptimizers } from './pickers';
import type { RunFlow } from './runFlow';
import { configFunction, shapeFromSettings } from './runPlan';
import { runSettings } from './settings';
import {
  BUDGET_PRESETS,
  cellCount,
  checkSweepSize,
  GRID_PRESETS,
  gridAxis,
  parseBudgets,
  sweepOptimizers,
  sweepRequest,
  SWEEP_AXES,
  sweepTitle,
  type SweepAxisName,
  type SweepKind,
} from './sweepPlan';

/** The last grids and budgets typed in (workspace memento keys), offered first next time. */
const LAST = (what: string) => `descentLab.sweep.${what}`;

interface Step {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

/**
 * A quick pick of presets plus "Custom…" (an input box checked as you type). The last value used comes first and
 * is preselected; returns the text chosen, or undefined when the user backs out.
 */
async function pickPreset(
  state: vscode.Memento,
  key: string,
  presets: readonly { text: string; label?: string; detail: string }[],
  step: Step,
  placeHolder: string,
  prompt: string,
  check: (text: string) => unknown,
): Promise<string | undefined> {
  const last = state.get<string>(LAST(key));
  const valid = (t: string | undefined): t is string => {
    try {
      return t !== undefined && (check(t), true);
    } catch {
      return false;
    }
  };
  type Item = vscode.QuickPickItem & { text?: string };
  const items: Item[] = presets.map((p, i) => ({
    label: p.label ?? p.text,
    description: i === 0 ? 'default' : p.text,
    detail: p.detail,
    text: p.text,
  }));
  if (valid(last) && !presets.some((p) => p.text === last))
    items.unshift({ label: last, description: 'last used', text: last });
  items.push({ label: 'Custom…', description: 'type the values', detail: prompt });
  const qp = vscode.window.createQuickPick<Item>();
  Object.assign(qp, { ...step, placeholder: placeHolder, items, ignoreFocusOut: true });
  const current = items.find((i) => i.text !== undefined && i.text === last) ?? items[0];
  qp.activeItems = [current];
  const chosen = await new Promise<Item | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!chosen) return undefined;
  const text =
    chosen.text ??
    (await vscode.window.showInputBox({
      ...step,
      prompt,
      value: valid(last) ? last : presets[0].text,
      ignoreFocusOut: true,
      validateInput: (t) => {
        try {
          check(t);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }));
  if (text !== undefined) await state.update(LAST(key), text.trim());
  return text?.trim();
}

/** The input box's prompt for a custom grid of `axis`: its syntax, with the default preset as the example. */
function gridPrompt(axis: SweepAxisName): string {
  const spec = paramSpec(axis);
  const spacing = spec?.kind === 'number' && spec.scale === 'log' ? 'log-spaced' : 'evenly spaced';
  const example = GRID_PRESETS[axis][0].text;
  return `${spec?.symbol ?? axis} grid: lo:hi:n (n values ${spacing} from lo to hi, e.g. ${example}) or a list (a, b, c)`;
}

async function sweep(
  kind: SweepKind,
  flow: RunFlow,
  lab: LabPanel,
  state: vscode.Memento,
  log: vscode.LogOutputChannel,
  target?: FunctionTarget,
) {
  const name = sweepTitle(kind);
  const entry = await pickFunction(target, `Function to sweep ${name} on`);
  if (!entry) return;
  const s = runSettings();
  const names = SWEEP_AXES[kind];
  const totalSteps = names.length + 2;
  const title = `Sweep ${name} on ${entry.key}`;
  const axes: GridAxis[] = [];
  for (const [i, axis] of names.entries()) {
    const text = await pickPreset(
      state,
      axis,
      GRID_PRESETS[axis],
      { title, step: i + 1, totalSteps },
      `Values of ${paramSpec(axis)?.symbol ?? axis}: ${paramSpec(axis)?.description ?? ''}`,
      gridPrompt(axis),
      (t) => gridAxis(axis, t),
    );
    if (text === undefined) return;
    axes.push(gridAxis(axis, text));
  }
  const chosen = await pickOptimizers(state, s.optimizers, false);
  if (!chosen) return;
  const budgetText = await pickPreset(
    state,
    'budgets',
    BUDGET_PRESETS,
    { title, step: totalSteps, totalSteps },
    'Step budgets T: one success-fraction chart per budget',
    'Step budgets, e.g. 100, 1000, 10000',
    parseBudgets,
  );
  if (budgetText === undefined) return;
  const budgets = parseBudgets(budgetText);
  const configs = sweepOptimizers(names, chosen);
  const replaced = chosen.filter((c) => !configs.some((d) => d.id === c.id)).map((c) => c.id);
  if (replaced.length)
    log.info(
      `Sweep ${name}: ${replaced.join(', ')} ${replaced.length === 1 ? 'has' : 'have'} no ${names.join(' and ')}; sweeping ${configs.map((c) => c.id).join(', ')}`,
    );
  const shape = shapeFromSettings(entry.fn, s);
  const cells = cellCount(configs, axes);
  try {
    checkSweepSize(cells, s.starts);
  } catch (e) {
    void vscode.window.showErrorMessage(`Descent Lab: ${(e as Error).message}`);
    return;
  }
  lab.show(entry, true);
  const steps = Math.max(...budgets);
  const result = await flow.sweep({
    title: `Descent Lab: sweeping ${name} on ${entry.key} (${cells} cells × ${s.starts} starts)`,
    config: runConfig(configFunction(entry.key, entry.fn), configs, shape.starts, steps, shape.target),
    request: sweepRequest(entry, configs, axes, budgets, shape),
    cells,
    n: s.starts,
  });
  if (result) log.info(`\n${sweepSummary(result)}`);
}

export function registerSweepCommands(
  flow: RunFlow,
  lab: LabPanel,
  state: vscode.Memento,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const command = (id: string, kind: SweepKind) =>
    vscode.commands.registerCommand(id, (target?: FunctionTarget) => sweep(kind, flow, lab, state, log, target));
  return vscode.Disposable.from(
    command('descentLab.sweepEta', 'eta'),
    command('descentLab.sweepH', 'H'),
    command('descentLab.sweepEtaH', 'etaH'),
  );
}
