/**
 * The per-epoch CSV of a model's run (issue 11 §2, Export): one row per configuration, start and epoch, with the
 * training loss F and each metric at that epoch's end, as the engine recorded them for that start (a start that
 * stopped early has rows up to its last epoch). A configuration is written as the CLI spells it
 * (`nasgd:alpha=0.7`), with each hyperparameter in its own column too, so the file sorts and pivots as it is.
 */
import type { DataRunResult } from '../engine/run/dataRunner';
import { csv, type CsvCell } from './csv';

const finite = (v: number): CsvCell => (Number.isFinite(v) ? v : null);

export function epochCsv(result: DataRunResult): string {
  const { metrics, epochSteps } = result.problem;
  const params = [...new Set(result.runs.flatMap((r) => Object.keys(r.params)))];
  const head = ['configuration', 'optimizer', ...params, 'start', 'epoch', 'step', 'training_loss', ...metrics];
  const rows: CsvCell[][] = [];
  for (const r of result.runs) {
    const configuration = [r.optimizer, ...Object.entries(r.params).map(([k, v]) => `${k}=${v}`)].join(':');
    const settings = params.map((p) => (Object.hasOwn(r.params, p) ? r.params[p] : null));
    r.epochs.perStart.forEach((s, start) =>
      s.loss.forEach((loss, e) =>
        rows.push([
          configuration,
          r.optimizer,
          ...settings,
          start,
          e,
          e * epochSteps,
          finite(loss),
          ...metrics.map((_, m) => finite(s.metrics[m][e])),
        ]),
      ),
    );
  }
  return csv([head, ...rows]);
}
