/** Descent Lab's entry point: builds the shared services and registers each feature. Wiring only. */
import * as vscode from 'vscode';
import type { RunResult } from './engine/run/runner';
import { registerConvergenceView } from './vscode/convergenceView';
import { CostAnalyzer } from './vscode/costAnalysis';
import { registerCostLanguage } from './vscode/costLanguage';
import { registerDatasetPreview } from './vscode/datasetPreview';
import { registerExportResults } from './vscode/exportResults';
import { feedStore } from './vscode/feedStore';
import { LabPanel, registerLabPanel } from './vscode/labPanel';
import { LazyPool } from './vscode/lazyPool';
import { registerNewCostFile } from './vscode/newCostFile';
import { COST_LANGUAGE } from './vscode/pickers';
import { registerRunCommands } from './vscode/runCommands';
import { LabFeed, RunFlow } from './vscode/runFlow';
import { registerShowGradient } from './vscode/showGradient';
import { registerSweepCommands } from './vscode/sweepCommands';

/** What `activate` returns: read-only access to the latest run, for the integration tests and other extensions. */
export interface DescentLabApi {
  latestRun(): RunResult | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<DescentLabApi> {
  const log = vscode.window.createOutputChannel('Descent Lab', { log: true });
  const pool = new LazyPool(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath);
  const feed = new LabFeed(feedStore(context), log);
  // Before the serializer and the views are registered: a restored panel replays what the last session finished.
  await feed.load();
  const flow = new RunFlow(() => pool.get(), feed, log);
  const lab = new LabPanel(context.extensionUri, flow, context.globalState, log);
  const selector: vscode.DocumentSelector = [{ language: COST_LANGUAGE }];
  const costs = new CostAnalyzer(vscode.Uri.joinPath(context.extensionUri, 'dist', 'csvWorker.js').fsPath);
  context.subscriptions.push(
    log,
    pool,
    feed,
    flow,
    lab,
    costs,
    registerCostLanguage(selector, costs),
    registerDatasetPreview(context.extensionUri, costs),
    registerLabPanel(lab),
    registerRunCommands(flow, lab, context.globalState),
    registerSweepCommands(flow, lab, context.globalState, log),
    registerConvergenceView(context.extensionUri, feed, log),
    registerExportResults(flow, lab),
    registerShowGradient(log),
    registerNewCostFile(context.extensionUri),
  );
  return { latestRun: () => flow.latestRun };
}

export function deactivate(): void {}
