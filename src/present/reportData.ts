/**
 * What `descent-lab report` and `descent-lab demo` embed in a report page (`<script type="application/json"
 * id="data">`) and the report bundle draws: the Lab's own protocol messages plus the settings that reproduce the
 * page. Checked on load like any message (the file may have been edited). Imports only src/shared, so the webview
 * may use it.
 */
import { arr, CheckError, literal, nullable, num, obj, optional, str, union, type Check } from '../shared/check';
import { modelViewsData, type ModelViewsData } from '../shared/modelViewShapes';
import { sweepData, type SweepData } from '../shared/sweepShapes';
import { fromJsonValue } from '../shared/typedJson';
import { parseHostMessage, type HostMessage, type HostMessageType } from '../shared/webviewProtocol';
import {
  metricHeatmapData,
  rosettaData,
  trainingCurvesData,
  type MetricHeatmapData,
  type RosettaData,
  type TrainingCurvesData,
} from '../shared/dataViewShapes';

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

/** How a paper's sentence fares in this reproduction, decided from the numbers by the demo. */
export type Verdict = 'agrees' | 'partly' | 'differs';
export interface ClaimRow {
  /** Where the paper says it (section, figure). */
  readonly where: string;
  readonly claim: string;
  /** What this reproduction shows, with its numbers. */
  readonly found: string;
  readonly verdict: Verdict;
}

/** One experiment's wall time (text to numbers, compilation included) and lane-steps. */
export interface TimingRow {
  readonly experiment: string;
  readonly seconds: number;
  readonly laneSteps: number;
  readonly backend: string;
}

/** A table of numbers with a label per row; null prints as a dash. */
export interface NumberTableData {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly { readonly label: string; readonly cells: readonly (number | null)[] }[];
}

/** Sprunger 2020 §3 in the demo: Figs. 4–5 as one curves view per family, Fig. 6, the final numbers, the claims. */
export interface DenseSection {
  readonly title: string;
  readonly text: readonly string[];
  readonly curves: readonly TrainingCurvesData[];
  readonly rosetta: RosettaData;
  readonly finals: NumberTableData;
  readonly claims: readonly ClaimRow[];
}

/** The Powerball SGD experiment: the γ × η heat maps per optimizer, the early training curves, the claims. */
export interface PowerballSection {
  readonly title: string;
  readonly text: readonly string[];
  readonly heatmaps: readonly MetricHeatmapData[];
  readonly early: TrainingCurvesData;
  readonly claims: readonly ClaimRow[];
}

export type ReportData =
  | {
      readonly kind: 'run';
      readonly meta: ReportMeta;
      readonly landscape: HostMessage<'landscape'> | null;
      readonly result: HostMessage<'runResult'>;
      /** A model's run: its curves, decision boundary, loss along the path and Rosetta stone; null otherwise. */
      readonly model: ModelViewsData | null;
    }
  | { readonly kind: 'sweep'; readonly meta: ReportMeta; readonly sweep: SweepData }
  | {
      readonly kind: 'demo';
      readonly meta: ReportMeta;
      readonly sweeps: readonly SweepData[];
      readonly papers: readonly PaperTableData[];
      readonly dense: DenseSection;
      readonly powerball: PowerballSection;
      /** Per experiment, in the order they ran (Baiesi Fig. 3 first). */
      readonly timings: readonly TimingRow[];
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

const paragraphs = arr(text, 32);
const claims = arr(
  obj<ClaimRow>({ where: text, claim: text, found: text, verdict: literal('agrees', 'partly', 'differs') }),
  64,
);
const numberTable = obj<NumberTableData>({
  caption: text,
  columns: arr(text, 64),
  rows: arr(obj({ label: text, cells: arr(nullable(num()), 64) }), 1024),
});
const dense = obj<DenseSection>({
  title: text,
  text: paragraphs,
  curves: arr(trainingCurvesData, 32),
  rosetta: rosettaData,
  finals: numberTable,
  claims,
});
const powerball = obj<PowerballSection>({
  title: text,
  text: paragraphs,
  heatmaps: arr(metricHeatmapData, 16),
  early: trainingCurvesData,
  claims,
});
const timing = obj<TimingRow>({
  experiment: text,
  seconds: num({ min: 0 }),
  laneSteps: num({ min: 0 }),
  backend: text,
});

const REPORTS: { readonly [K in ReportData['kind']]: Check<Extract<ReportData, { kind: K }>> } = {
  run: obj({
    kind: literal('run'),
    meta,
    landscape: (v, p) => (v === null ? null : message('landscape')(v, p)),
    result: message('runResult'),
    model: optional(nullable(modelViewsData), null),
  }),
  sweep: obj({ kind: literal('sweep'), meta, sweep: sweepData }),
  demo: obj({
    kind: literal('demo'),
    meta,
    sweeps: arr(sweepData, 64),
    papers: arr(paperTable, 16),
    dense,
    powerball,
    timings: arr(timing, 16, 1),
  }),
};

/** The embedded data (typed arrays as typedJson.ts writes them), checked; throws a CheckError naming what is wrong. */
export function parseReportData(v: unknown): ReportData {
  return union('kind', REPORTS as unknown as Record<string, Check<ReportData>>)(fromJsonValue(v), 'report data');
}
