/**
 * The files the CLI reads and writes. Reads are bounded: a path may name /dev/zero or a huge file, so no read goes
 * past its cap + 1 byte. A file that cannot be read or written is the user's mistake (exit 2, the path and the
 * reason), never an internal error.
 */
import { accessSync, constants, mkdirSync, openSync, closeSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { shownPath, UsageError } from './usageError';

/** A .cost file: the worker protocol carries at most 1,000,000 characters of a file's text. */
export const MAX_COST_FILE_BYTES = 1_000_000;
/** A starts file: a JSON array of up to 10⁶ points of a few coordinates each. */
export const MAX_STARTS_FILE_BYTES = 64_000_000;

const CHUNK = 1 << 16;

/** "ENOENT: no such file or directory, open '/x'" → "no such file or directory". */
function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return /^[A-Z0-9_]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

const megabytes = (bytes: number) => `${+(bytes / 1_000_000).toFixed(1)} MB`;

/** The file's text, read in chunks that together never exceed maxBytes + 1 bytes. */
export function readTextFile(path: string, maxBytes: number, what: string): string {
  const read = readBounded(path, maxBytes, what);
  if ('error' in read) throw new UsageError(`${what} ${shownPath(path)}: ${read.error}`);
  return read.text;
}

/**
 * The file's text and its size in bytes, or why it cannot be had (`cannot read: …`, `larger than …`): the
 * reads together never exceed maxBytes + 1 bytes. `what` names the kind of file in the size message.
 */
export function readBounded(
  path: string,
  maxBytes: number,
  what: string,
): { text: string; bytes: number } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { error: `cannot read: ${reason(e)}` };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        return { error: `cannot read: ${reason(e)}` };
      }
      if (n === 0) return { text: Buffer.concat(chunks, total).toString('utf8'), bytes: total };
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { error: `larger than ${megabytes(maxBytes)}, the limit for ${what} files` };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks before the work starts that `path` can be written: its directory exists (created first when
 * `createDirectory`) and is writable, and the path is not a directory. The write itself may still fail.
 */
export function checkWritable(path: string, what: string, createDirectory = false): void {
  const dir = dirname(resolve(path));
  if (createDirectory) makeDirectory(dir, path, what);
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what} ${shownPath(path)}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${what} ${shownPath(path)}: cannot write in ${shownPath(dir)}: ${reason(e)}`);
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // Absent: it will be created.
  }
  if (isDirectory) throw new UsageError(`${what} ${shownPath(path)}: is a directory`);
}

export function writeTextFile(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${what} ${shownPath(path)}: cannot write: ${reason(e)}`);
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor: `mkdirSync(…, { recursive: true })` loops
 * forever on some paths (/proc/nope/x), and this is bounded by the number of path components.
 */
function makeDirectory(dir: string, path: string, what: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      statSync(at);
      break;
    } catch {
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      throw new UsageError(`${what} ${shownPath(path)}: cannot create directory ${shownPath(d)}: ${reason(e)}`);
    }
  }
}
