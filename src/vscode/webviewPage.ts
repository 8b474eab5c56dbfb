/** Loads one of Descent Lab's pages into a webview (panel or view): scripts on, only dist/ and media/ readable. */
import * as vscode from 'vscode';
import { webviewShell } from './webviewHtml';

const PAGES = {
  lab: { title: 'Descent Lab', script: 'webview.js', stylesheet: 'lab.css' },
  sidebar: { title: 'Convergence', script: 'sidebar.js', stylesheet: 'sidebar.css' },
  dataPreview: { title: 'Dataset', script: 'dataPreview.js', stylesheet: 'dataPreview.css' },
} as const;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Sets the options and the HTML (which reloads the page) of `webview` for `page`. */
export function loadPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: keyof typeof PAGES): void {
  const p = PAGES[page];
  webview.options = webviewOptions(extensionUri);
  webview.html = webviewShell({
    cspSource: webview.cspSource,
    view: page,
    title: p.title,
    script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', p.script)).toString(),
    stylesheet: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', p.stylesheet)).toString(),
  });
}
