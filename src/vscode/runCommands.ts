/** Run Optimizers and Stop: the function and optimizers are picked, the run goes to the pool, results to the panel and sidebar. */
import * as vscode from 'vscode';
import type { FunctionTarget } from './costLanguage';
import type { LabPanel } from './labPanel';
import { pickFunction, pickOptimizers } from './pickers';
import type { RunFlow } from './runFlow';
import { runRequests, shapeFromSettings } from './runPlan';
import { runSettings } from './settings';

export function registerRunCommands(flow: RunFlow, lab: LabPanel, state: vscode.Memento): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('descentLab.run', async (target?: FunctionTarget) => {
      const entry = await pickFunction(target, 'Function to run the optimizers on');
      if (!entry) return;
      const s = runSettings();
      const configs = await pickOptimizers(state, s.optimizers, target?.quick === true);
      if (!configs) return;
      lab.show(entry, true);
      await flow.execute({
        title: `Descent Lab: running ${configs.length} optimizer${configs.length === 1 ? '' : 's'} on ${entry.key}`,
        fnName: entry.key,
        progress: 'notification',
        requests: runRequests(entry, configs, shapeFromSettings(entry.fn, s)),
      });
    }),
    vscode.commands.registerCommand('descentLab.stop', () => {
      if (!flow.stop()) void vscode.window.showInformationMessage('Descent Lab: no run to stop.');
    }),
  );
}
