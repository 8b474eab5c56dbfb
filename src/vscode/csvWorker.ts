/** The CSV worker thread (dist/csvWorker.js): parses the files csvThread.ts sends it, off the extension host's thread. */
import { parentPort } from 'node:worker_threads';
import { parseJob, type CsvJob } from './csvThread';

parentPort!.on('message', (job: CsvJob) => {
  const reply = parseJob(job);
  parentPort!.postMessage(reply, reply.kind === 'dataset' ? [reply.values.buffer as ArrayBuffer] : []);
});
