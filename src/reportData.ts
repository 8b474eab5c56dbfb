/**
 * What `descent-lab report` and `descent-lab demo` embed in a report page (`<script type="application/json"
 * id="data">`) and the report bundle draws: the Lab's own protocol messages plus the settings that reproduce the
 * page. Checked on load like any message (the file may have been edited). Imports only the protocol, so the
 * webview may use it.
 */
import { parseHostMessage, ProtocolError, type HostToWebview, type SweepData } from './protocol';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

export interface ReportMeta {
  readonly title: string;
  readonly subtitle: string;
  /** The command line that writes this report again. */
  readonly command: string;
  readonly version: string;
  readonly backend: string;
  readonly generated: string;
  /** Settings as label/value pairs, seeds included. */
  readonly settings: readonly (readonly [string, string])[];
  readonly notes: readonly string[];
}

export type PaperCount = number | 'diverged' | null;
export interface PaperTableData {
  readonly title: string;
  readonly thresholds: readonly number[];
  readonly rows: readonly {
    readonly label: string;
    readonly ours: readonly PaperCount[];
    readonly paper: readonly PaperCount[];
  }[];
}

export type ReportData =
  | {
      readonly kind: 'run';
      readonly meta: ReportMeta;
      readonly landscape: Msg<'landscape'> | null;
      readonly result: Msg<'runResult'>;
    }
  | { readonly kind: 'sweep'; readonly meta: ReportMeta; readonly sweep: SweepData }
  | {
      readonly kind: 'demo';
      readonly meta: ReportMeta;
      readonly sweeps: readonly SweepData[];
      readonly fig3Seconds: number;
      readonly fig3LaneSteps: number;
      readonly papers: readonly PaperTableData[];
    };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function need(ok: boolean, what: string): void {
  if (!ok) throw new ProtocolError(`report data: ${what}`);
}
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length <= 100_000;
const isCount = (v: unknown): v is PaperCount =>
  v === null || v === 'diverged' || (typeof v === 'number' && Number.isFinite(v));

function meta(v: unknown): ReportMeta {
  need(isObj(v), 'meta must be an object');
  const m = v as Record<string, unknown>;
  for (const k of ['title', 'subtitle', 'command', 'version', 'backend', 'generated'])
    need(isStr(m[k]), `meta.${k} must be a string`);
  need(
    Array.isArray(m.settings) &&
      m.settings.every((p) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && isStr(p[1])),
    'meta.settings must be [label, value] pairs',
  );
  need(Array.isArray(m.notes) && m.notes.every(isStr), 'meta.notes must be strings');
  return m as unknown as ReportMeta;
}

function message<T extends HostToWebview['type']>(v: unknown, type: T): Msg<T> {
  const m = parseHostMessage(v);
  need(m.type === type, `expected a ${type} message`);
  return m as Msg<T>;
}

const sweep = (v: unknown): SweepData => message({ type: 'sweepResult', sweepId: 0, sweep: v }, 'sweepResult').sweep;

function paperTable(v: unknown): PaperTableData {
  need(isObj(v), 'a paper table must be an object');
  const t = v as Record<string, unknown>;
  need(isStr(t.title), 'paper table title');
  need(
    Array.isArray(t.thresholds) && t.thresholds.every((x) => typeof x === 'number' && Number.isFinite(x)),
    'paper table thresholds',
  );
  const n = (t.thresholds as number[]).length;
  need(
    Array.isArray(t.rows) &&
      t.rows.every(
        (r) =>
          isObj(r) &&
          isStr(r.label) &&
          Array.isArray(r.ours) &&
          r.ours.length === n &&
          r.ours.every(isCount) &&
          Array.isArray(r.paper) &&
          r.paper.length === n &&
          r.paper.every(isCount),
      ),
    'paper table rows: label, ours and paper per threshold',
  );
  return t as unknown as PaperTableData;
}

/** The embedded data, checked; throws ProtocolError naming what is wrong. */
export function parseReportData(v: unknown): ReportData {
  need(isObj(v), 'not an object');
  const d = v as Record<string, unknown>;
  switch (d.kind) {
    case 'run':
      return {
        kind: 'run',
        meta: meta(d.meta),
        landscape: d.landscape === null ? null : message(d.landscape, 'landscape'),
        result: message(d.result, 'runResult'),
      };
    case 'sweep':
      return { kind: 'sweep', meta: meta(d.meta), sweep: sweep(d.sweep) };
    case 'demo':
      need(Array.isArray(d.sweeps) && d.sweeps.length <= 64, 'sweeps must be an array');
      need(Array.isArray(d.papers) && d.papers.length <= 16, 'papers must be an array');
      need(
        typeof d.fig3Seconds === 'number' && typeof d.fig3LaneSteps === 'number',
        'fig3Seconds and fig3LaneSteps must be numbers',
      );
      return {
        kind: 'demo',
        meta: meta(d.meta),
        sweeps: (d.sweeps as unknown[]).map(sweep),
        papers: (d.papers as unknown[]).map(paperTable),
        fig3Seconds: d.fig3Seconds as number,
        fig3LaneSteps: d.fig3LaneSteps as number,
      };
    default:
      throw new ProtocolError(`report data: unknown kind ${JSON.stringify(d.kind)}`);
  }
}
