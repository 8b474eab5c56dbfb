/**
 * Where the latest run and sweep are kept so that a window reload shows them again: a file in the extension's
 * storage. A `file:` storage is written with node's fs from the extension host: `workspace.fs` would route the
 * bytes through the window (in a browser workbench, the page), and a reload right after a run loses a write in
 * flight. Written to a temporary file and renamed, so a reader never sees half a file. Reads are capped: the
 * file holds a few messages of bounded size, and anything larger is not one this extension wrote.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FeedStore } from './runFlow';

/** Far above what a saved run and sweep take (their messages are bounded by the protocol's limits). */
const MAX_FEED_BYTES = 256 * 1024 * 1024;

/** The file's JSON, or undefined when there is no file yet; a file too large or not JSON is an error. */
async function parse(size: () => Promise<number>, text: () => Promise<string>): Promise<unknown> {
  let bytes: number;
  try {
    bytes = await size();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'FileNotFound') return undefined;
    throw e;
  }
  if (bytes > MAX_FEED_BYTES) throw new Error(`the saved results are ${bytes} bytes, more than ${MAX_FEED_BYTES}`);
  return JSON.parse(await text());
}

export function feedStore(context: vscode.ExtensionContext): FeedStore {
  const dir = context.storageUri ?? context.globalStorageUri;
  const file = vscode.Uri.joinPath(dir, 'latest-results.json');
  if (dir.scheme === 'file') {
    return {
      load: () =>
        parse(
          async () => (await stat(file.fsPath)).size,
          () => readFile(file.fsPath, 'utf8'),
        ),
      save: async (data) => {
        await mkdir(dir.fsPath, { recursive: true });
        const temp = `${file.fsPath}.${process.pid}.tmp`;
        await writeFile(temp, JSON.stringify(data));
        await rename(temp, file.fsPath);
      },
    };
  }
  return {
    load: () =>
      parse(
        async () => (await vscode.workspace.fs.stat(file)).size,
        async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(file)),
      ),
    save: async (data) => {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(data)));
    },
  };
}
