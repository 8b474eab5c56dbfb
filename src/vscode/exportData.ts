/** Export Results: a run as JSON, or as CSV tables (one row per lane, or one per optimizer). */
import type { RunResult } from '../engine/run/runner';

/** RFC 4180 quoting; numbers in full precision so that the CSV round-trips. */
function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: readonly (readonly (string | number | null)[])[]): string =>
  rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';

const targetKeys = (result: RunResult) => result.targets.map(String);

/** One row per optimizer and lane: the start, the step that first reached each target, the final point. */
export function lanesCsv(result: RunResult): string {
  const vars = result.fn.variables;
  const header = [
    'optimizer',
    'label',
    'lane',
    ...vars.map((v) => `start_${v}`),
    ...targetKeys(result).map((t) => `first_hit_${t}`),
    ...vars.map((v) => `final_${v}`),
    'final_f',
    'steps',
    'diverged_at',
  ];
  const rows = result.runs.flatMap((r) =>
    r.final.map((lane, i) => [
      r.optimizer,
      r.label,
      i,
      ...result.starts[i],
      ...targetKeys(result).map((t) => r.stepsToTarget[t]?.perLane[i] ?? null),
      ...lane.theta,
      lane.f,
      lane.steps,
      lane.divergedAt,
    ]),
  );
  return csv([header, ...rows]);
}

/** One row per optimizer: counts, steps-to-target statistics per target, time per lane-step. */
export function aggregatesCsv(result: RunResult): string {
  const stats = ['reached', 'median', 'mean', 'min', 'max'] as const;
  const header = [
    'optimizer',
    'label',
    'params',
    'n',
    'converged',
    'diverged',
    'orbits',
    ...targetKeys(result).flatMap((t) => stats.map((s) => `${s}_steps_${t}`)),
    'ns_per_lane_step',
    'backend',
  ];
  const rows = result.runs.map((r) => [
    r.optimizer,
    r.label,
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    r.n,
    r.converged,
    r.diverged,
    r.orbits,
    ...targetKeys(result).flatMap((t) => stats.map((s) => r.stepsToTarget[t]?.[s] ?? null)),
    r.timing.nsPerLaneStep,
    r.backend,
  ]);
  return csv([header, ...rows]);
}

/** The whole result, with the function and settings, as pretty JSON. */
export function resultJson(result: RunResult): string {
  return JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

/** A data: URL of a PNG (what the webview's exportPng sends) → bytes; undefined when it is not one. */
export function pngBytes(dataUrl: string): Uint8Array | undefined {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1], 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return signature.every((b, i) => bytes[i] === b) ? new Uint8Array(bytes) : undefined;
}
