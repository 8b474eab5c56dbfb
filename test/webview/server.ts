// Serves the built webview bundles and their css from 127.0.0.1 on a random port, inside harness.html with the
// same strict CSP as the real panel (a fresh nonce per page). Only the listed files are served; a test may add
// files and pages of its own (the component tests' bundle).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES: Record<string, [string, string]> = {
  '/dist/webview.js': ['dist/webview.js', 'text/javascript'],
  '/dist/sidebar.js': ['dist/sidebar.js', 'text/javascript'],
  '/media/lab.css': ['media/lab.css', 'text/css'],
  '/media/sidebar.css': ['media/sidebar.css', 'text/css'],
  '/themes/dark.css': ['test/webview/themes/dark.css', 'text/css'],
  '/themes/light.css': ['test/webview/themes/light.css', 'text/css'],
};
type Page = { script: string; css: string[] };
const PAGES: Record<string, Page> = {
  '/panel.html': { script: 'webview.js', css: ['lab.css'] },
  '/sidebar.html': { script: 'sidebar.js', css: ['sidebar.css'] },
};

export interface HarnessServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** `files`: URL path → [path from the repository root, or absolute; content type]. */
export async function startHarness(
  extra: { files?: Record<string, [string, string]>; pages?: Record<string, Page> } = {},
): Promise<HarnessServer> {
  const template = readFileSync(resolve(import.meta.dirname, 'harness.html'), 'utf8');
  const files = { ...FILES, ...extra.files };
  const pages = { ...PAGES, ...extra.pages };
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const page = pages[url.pathname];
    if (page) {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const styles = page.css.map((c) => `<link rel="stylesheet" href="${origin}/media/${c}" />`).join('\n    ');
      const slots: Record<string, string> = {
        origin,
        nonce: randomBytes(16).toString('base64'),
        theme,
        script: page.script,
        styles,
      };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => slots[k]));
      return;
    }
    const file = files[url.pathname];
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${file[1]}; charset=utf-8` });
    res.end(readFileSync(resolve(ROOT, file[0])));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
