/** The `descentLab.*` settings, read fresh for every run so that a change applies to the next one. */
import * as vscode from 'vscode';
import { PRECISIONS, type BackendChoice, type Precision } from '../engine/kernel/types';
import type { RunSettings } from './runPlan';

const BACKENDS: readonly BackendChoice[] = ['auto', 'js', 'wasm-simd'];

function clampInt(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

export function runSettings(): RunSettings {
  const c = vscode.workspace.getConfiguration('descentLab');
  const target = c.get<number>('target', 1e-6);
  const backend = c.get<string>('backend', 'auto') as BackendChoice;
  const precision = c.get<string>('precision', 'f64') as Precision;
  return {
    optimizers: c
      .get<string[]>('optimizers', ['gd', 'adam', 'h-adam'])
      .filter((s) => typeof s === 'string' && s.trim() !== ''),
    steps: clampInt(c.get('steps'), 1000, 1, 1_000_000),
    starts: clampInt(c.get('starts'), 64, 1, 100_000),
    seed: clampInt(c.get('seed'), 1, 0, 2 ** 32 - 1),
    target: typeof target === 'number' && target > 0 && Number.isFinite(target) ? target : 1e-6,
    backend: BACKENDS.includes(backend) ? backend : 'auto',
    precision: PRECISIONS.includes(precision) ? precision : 'f64',
  };
}

/** Runs of at most this many lane-steps (starts × steps × optimizers) are live: they re-run on every change. */
export function liveLimit(): number {
  const v = vscode.workspace.getConfiguration('descentLab').get<number>('liveLimit', 2e7);
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 2e7;
}

/** Worker threads for the pool: the setting, or cores − 1 when it is 0. */
export function workerCount(cores: number): number {
  const n = vscode.workspace.getConfiguration('descentLab').get<number>('workers', 0);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 64) : Math.max(1, cores - 1);
}
