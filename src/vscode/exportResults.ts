/**
 * Export Results…: the latest run as JSON (compact: aggregates and per-lane outcomes; or with curves and
 * trajectories) or CSV (per lane, or per optimizer), the latest sweep as JSON or CSV (per cell), and the Lab's
 * landscape as PNG (the panel draws it, the host saves it). The notice after an export opens or reveals the file.
 */
import * as vscode from 'vscode';
import { aggregatesCsv, lanesCsv, runJson } from '../present/runExport';
import { sweepCsv, sweepJson } from '../present/sweepExport';
import { exported, saveExport } from './exportFiles';
import type { LabPanel } from './labPanel';
import type { RunFlow } from './runFlow';

interface Format extends vscode.QuickPickItem {
  /** The file's extension and name; `make` gives its text. Absent for the PNG, which the Lab sends. */
  readonly ext?: string;
  readonly file?: string;
  readonly make?: () => string;
}

function formats(flow: RunFlow, lab: LabPanel): Format[] {
  const out: Format[] = [];
  const run = flow.latestRun;
  if (run) {
    const name = run.fn.name;
    out.push(
      {
        label: 'Run: JSON',
        description: name,
        detail: 'starts and seed, per optimizer its counts and steps to target, and every lane’s first hits and end',
        ext: 'json',
        file: name,
        make: () => JSON.stringify(runJson(run, { detail: 'compact' }), null, 2) + '\n',
      },
      {
        label: 'Run: JSON with curves and trajectories',
        description: name,
        detail: 'as `descent-lab run --json`: the same, with the convergence curves and the recorded trajectories',
        ext: 'json',
        file: `${name}-full`,
        make: () => JSON.stringify(runJson(run)) + '\n',
      },
      {
        label: 'Run: CSV, one row per lane',
        description: name,
        detail: 'start, first step reaching each target, final point and f',
        ext: 'csv',
        file: `${name}-lanes`,
        make: () => lanesCsv(run),
      },
      {
        label: 'Run: CSV, one row per optimizer',
        description: name,
        detail: 'converged, diverged, steps-to-target statistics, time per step',
        ext: 'csv',
        file: `${name}-summary`,
        make: () => aggregatesCsv(run),
      },
    );
  }
  const sweep = flow.latestSweep?.result;
  if (sweep) {
    const name = `${sweep.fn.name}-sweep`;
    out.push(
      {
        label: 'Sweep: JSON',
        description: sweep.fn.name,
        detail: 'grid, starts and seed, per cell: f_D per budget, median and mean steps, diverged fraction, orbits',
        ext: 'json',
        file: name,
        make: () => JSON.stringify(sweepJson(sweep), null, 2) + '\n',
      },
      {
        label: 'Sweep: CSV, one row per cell',
        description: sweep.fn.name,
        detail: 'the same, one row per optimizer and grid point',
        ext: 'csv',
        file: name,
        make: () => sweepCsv(sweep),
      },
    );
  }
  if (lab.isOpen)
    out.push({
      label: 'Landscape: PNG',
      description: 'from the Lab panel',
      detail: 'the heat map with its trajectories, as drawn',
    });
  return out;
}

export function registerExportResults(flow: RunFlow, lab: LabPanel): vscode.Disposable {
  return vscode.commands.registerCommand('descentLab.exportResults', async () => {
    const items = formats(flow, lab);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        'Descent Lab: nothing to export yet: run the optimizers or a sweep, or open the Lab for its landscape.',
      );
      return;
    }
    const format = await vscode.window.showQuickPick(items, { placeHolder: 'Export…', matchOnDetail: true });
    if (!format) return;
    if (!format.make || !format.ext || !format.file) {
      const png = await lab.exportPng().catch((e) => {
        void vscode.window.showErrorMessage(`Descent Lab: ${(e as Error).message}`);
        return undefined;
      });
      if (png) void exported(png);
      return;
    }
    const bytes = new TextEncoder().encode(format.make());
    const target = await saveExport(`${format.file}.${format.ext}`, bytes, format.ext.toUpperCase());
    if (target) void exported(target);
  });
}
