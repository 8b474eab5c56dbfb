/**
 * What `descent-lab report` and `descent-lab demo` embed in a report page (`<script type="application/json"
 * id="data">`) and the report bundle draws: the Lab's own protocol messages plus the settings that reproduce the
 * page. Checked on load like any message (the file may have been edited). Imports only src/shared, so the webview
 * may use it.
 */
import { arr, CheckError, literal, num, obj, str, union, type Check } from '../shared/check';
import { sweepData, type SweepData } from '../shared/sweepShapes';
import { fromJsonValue } from '../shared/typedJson';
import { parseHostMessage, type HostMessage, type HostMessageType } from '../shared/webviewProtocol';

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
      readonly landscape: HostMessage<'landscape'> | null;
      readonly result: HostMessage<'runResult'>;
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

const text = str(100_000);
const labelValue: Check<readonly [string, string]> = (v, p) => {
  const [k, x] = arr(text, 2, 2)(v, p);
  return [k, x];
};
const meta = obj<ReportMeta>({
  title: text,
  subtitle: text,
  command: text,
  version: text,
  backend: text,
  generated: text,
  settings: arr(labelValue, 64),
  notes: arr(text, 64),
});

const message =
  <T extends HostMessageType>(type: T): Check<HostMessage<T>> =>
  (v, p) => {
    const m = parseHostMessage(v);
    if (m.type !== type) throw new CheckError(`${p}: expected a ${type} message, got a ${m.type} message`);
    return m as HostMessage<T>;
  };

const count: Check<PaperCount> = (v, p) => (v === null || v === 'diverged' ? v : num()(v, p));
const paperTable: Check<PaperTableData> = (v, p) => {
  const t = obj<PaperTableData>({
    title: text,
    thresholds: arr(num(), 64),
    rows: arr(obj({ label: text, ours: arr(count, 64), paper: arr(count, 64) }), 64),
  })(v, p);
  t.rows.forEach((r, i) => {
    if (r.ours.length !== t.thresholds.length || r.paper.length !== t.thresholds.length)
      throw new CheckError(`${p}.rows[${i}]: one count per threshold (${t.thresholds.length}) for ours and the paper`);
  });
  return t;
};

const REPORTS: { readonly [K in ReportData['kind']]: Check<Extract<ReportData, { kind: K }>> } = {
  run: obj({
    kind: literal('run'),
    meta,
    landscape: (v, p) => (v === null ? null : message('landscape')(v, p)),
    result: message('runResult'),
  }),
  sweep: obj({ kind: literal('sweep'), meta, sweep: sweepData }),
  demo: obj({
    kind: literal('demo'),
    meta,
    sweeps: arr(sweepData, 64),
    papers: arr(paperTable, 16),
    fig3Seconds: num({ min: 0 }),
    fig3LaneSteps: num({ min: 0 }),
  }),
};

/** The embedded data (typed arrays as typedJson.ts writes them), checked; throws a CheckError naming what is wrong. */
export function parseReportData(v: unknown): ReportData {
  return union('kind', REPORTS as unknown as Record<string, Check<ReportData>>)(fromJsonValue(v), 'report data');
}
