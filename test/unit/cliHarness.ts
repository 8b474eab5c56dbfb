/** Runs the built `descent-lab` binary (npm test builds dist/ first), as a user would. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

export function cli(args: readonly string[], options: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (r.error) throw r.error;
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

/** No stack trace and no internal error in what a user sees. */
export const NO_STACK = /internal error|\n\s+at .*:\d+:\d+/;
