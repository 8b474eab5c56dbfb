/**
 * Run Optimizers and Stop: the function and optimizers are picked, the run goes to the pool, results to the panel
 * and sidebar. Stop ends the run in flight with what it reached, which is shown as its result.
 */
import * as vscode from 'vscode';
import { runConfig } from '../present/runConfig';
import type { FunctionTarget } from './costLanguage';
import type { LabPanel } from './labPanel';
import { pickFunction, pickOptimizers } from './pickers';
import type { RunFlow } from './runFlow';
import { configFunction, laneSteps, runRequests, shapeFromSettings } from './runPlan';
import { liveLimit, runSettings } from './settings';

export function registerRunCommands(flow: RunFlow, lab: LabPanel, state: vscode.Memento): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('descentLab.run', async (target?: FunctionTarget) => {
      const entry = await pickFunction(target, 'Function to run the optimizers on');
      if (!entry) return;
      const s = runSettings();
      const configs = await pickOptimizers(state, s.optimizers, target?.quick === true);
      if (!configs) return;
      lab.show(entry, true);
      const shape = shapeFromSettings(entry.fn, s);
      const { requests, maxPoints } = runRequests(entry, configs, shape);
      await flow.execute({
        title: `Descent Lab: running ${configs.length} optimizer${configs.length === 1 ? '' : 's'} on ${entry.key}`,
        config: runConfig(configFunction(entry.key, entry.fn), configs, shape.starts, shape.steps, shape.target),
        requests,
        maxPoints,
        live: laneSteps(requests, entry.fn.variables.length) <= liveLimit(),
        progress: 'notification',
      });
    }),
    vscode.commands.registerCommand('descentLab.stop', () => {
      if (!flow.stop()) void vscode.window.showInformationMessage('Descent Lab: no run to stop.');
    }),
  );
}
