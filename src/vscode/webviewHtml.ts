/**
 * The HTML shell of the Lab panel, the sidebar view and the dataset preview: a strict Content-Security-Policy (nothing by default,
 * scripts only with this page's nonce, styles, images and fonts only from the extension), one stylesheet and
 * one script. Pure, so the policy is unit-tested.
 */
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** Webview URIs (asWebviewUri) of the script and the stylesheet. */
  readonly script: string;
  readonly stylesheet: string;
  readonly title: string;
  /** Which page the script draws (the same bundle may serve several views). */
  readonly view: 'lab' | 'sidebar' | 'dataPreview';
  readonly nonce?: string;
}

export const newNonce = (): string => randomBytes(18).toString('base64').replace(/[+/=]/g, '');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webviewShell(o: ShellOptions): string {
  const nonce = o.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.stylesheet)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body data-view="${o.view}">
<div id="root"></div>
<script nonce="${nonce}" src="${escapeAttr(o.script)}"></script>
</body>
</html>`;
}
