/**
 * CSV files parsed off the extension host's thread: parsing 50 MB takes seconds, which would freeze every
 * extension in the host. Files up to INLINE_BYTES are parsed in place (a worker's start costs more than they
 * do); larger ones go to one worker thread (dist/csvWorker.js), started on first use and ended after
 * IDLE_MS without work. The bytes are transferred to the worker and the values transferred back; the worker's
 * replies are checked like any message that crosses a boundary. No `vscode` here: tests run it with real threads.
 */
import { Worker } from 'node:worker_threads';
import { MAX_CSV_BYTES, MAX_DATA_COLUMNS, MAX_DATA_ROWS, parseCsv } from '../engine/data';
import { CostError } from '../engine/expr/costParser';
import type { DataFileResult } from '../engine/model';
import { arr, count, literal, obj, str, typed, union, type Check } from '../shared/check';

export const INLINE_BYTES = 1_000_000;
const IDLE_MS = 30_000;

export interface CsvJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** The file's name for messages. */
  readonly name: string;
}

export type CsvReply =
  | {
      readonly kind: 'dataset';
      readonly id: number;
      readonly columns: string[];
      readonly rows: number;
      readonly values: Float64Array;
    }
  | {
      readonly kind: 'error';
      readonly id: number;
      readonly message: string;
      readonly range: { line: number; column: number; endLine: number; endColumn: number };
    };

/** What the worker does with a job (and what the host does with a small file). */
export function parseJob(job: CsvJob): CsvReply {
  try {
    const text = new TextDecoder().decode(job.bytes);
    const d = parseCsv(text, { name: job.name, bytes: job.bytes.length });
    return { kind: 'dataset', id: job.id, columns: [...d.columns], rows: d.rows, values: d.values };
  } catch (e) {
    if (!(e instanceof CostError)) throw e;
    return { kind: 'error', id: job.id, message: e.message, range: e.range };
  }
}

const position = count(Number.MAX_SAFE_INTEGER);
const reply: Check<CsvReply> = union<CsvReply>('kind', {
  dataset: obj({
    kind: literal('dataset'),
    id: count(),
    columns: arr(str(MAX_CSV_BYTES), MAX_DATA_COLUMNS, 1),
    rows: count(MAX_DATA_ROWS),
    values: typed(Float64Array, MAX_DATA_ROWS * MAX_DATA_COLUMNS),
  }),
  error: obj({
    kind: literal('error'),
    id: count(),
    message: str(10_000),
    range: obj({ line: position, column: position, endLine: position, endColumn: position }),
  }),
});

export function toResult(r: CsvReply, name: string): DataFileResult {
  if (r.kind === 'error') return { ok: false, error: new CostError(r.message, r.range, name) };
  if (r.values.length !== r.rows * r.columns.length)
    throw new Error(`csv worker: ${r.values.length} values for ${r.rows} rows of ${r.columns.length} columns`);
  return { ok: true, dataset: { name, columns: r.columns, rows: r.rows, values: r.values } };
}

export class CsvThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<
    number,
    { name: string; resolve: (r: DataFileResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly workerScript: string) {}

  parse(bytes: Uint8Array, name: string): Promise<DataFileResult> {
    if (bytes.length <= INLINE_BYTES) return Promise.resolve(toResult(parseJob({ id: 0, bytes, name }), name));
    const id = this.nextId++;
    const worker = this.start();
    clearTimeout(this.idle);
    // Only a buffer of its own is transferred (a view into a shared one is copied first).
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { name, resolve, reject });
      worker.postMessage({ id, bytes: own, name } satisfies CsvJob, [own.buffer as ArrayBuffer]);
    });
  }

  dispose(): void {
    this.stop(new Error('the CSV reader was closed'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript);
    // The host may exit with the worker idle.
    worker.unref();
    worker.on('message', (m: unknown) => {
      let r: CsvReply;
      try {
        r = reply(m, 'csv reply');
      } catch (e) {
        return this.stop(e as Error);
      }
      const job = this.pending.get(r.id);
      if (!job) return;
      this.pending.delete(r.id);
      try {
        job.resolve(toResult(r, job.name));
      } catch (e) {
        job.reject(e as Error);
      }
      if (this.pending.size === 0) this.idle = setTimeout(() => this.stop(), IDLE_MS);
    });
    worker.on('error', (e) => this.stop(e));
    worker.on('exit', () => this.stop(new Error('the CSV worker stopped')));
    this.worker = worker;
    return worker;
  }

  private stop(why?: Error): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    for (const job of this.pending.values()) job.reject(why ?? new Error('the CSV worker stopped'));
    this.pending.clear();
    void worker?.terminate();
  }
}
