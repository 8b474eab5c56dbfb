// The page script of surface3d.test.ts: mounts the 3-D view in the harness page (the panel's CSP) and hands
// the test a small driver on `window.surface`. Bundled by the test itself; it never ships.
import { SurfaceView, type SurfaceData } from '../../webview/surface3d/surfaceView';
import { readTheme } from '../../webview/theme';

let view: SurfaceView | null = null;
let canvas: HTMLCanvasElement | null = null;

const driver = {
  /** The data of the last update, for tests that change one part of it in the page. */
  lastData: null as SurfaceData | null,
  mount(size: { width: number; height: number }): boolean {
    view = new SurfaceView(document.getElementById('root')!, readTheme());
    canvas = view.canvas;
    view.resize(size);
    return view.available;
  },
  update(data: SurfaceData): void {
    driver.lastData = data;
    view!.update(data);
    view!.drawNow();
  },
  setStep(k: number): void {
    view!.setStep(k);
    view!.drawNow();
  },
  /** Switches the page to another theme, as VS Code does (stylesheet and body class), and tells the view. */
  async retheme(theme: 'dark' | 'light'): Promise<void> {
    const link = document.getElementById('theme') as HTMLLinkElement;
    const loaded = new Promise((ok) => link.addEventListener('load', ok, { once: true }));
    link.href = link.href.replace(/(dark|light)\.css$/, `${theme}.css`);
    document.body.className = `vscode-${theme}`;
    await loaded;
    view!.setTheme(readTheme());
    view!.drawNow();
  },
  text(): string {
    return view!.element.textContent ?? '';
  },
  /** After dispose: whether the view's element left the page and its context was released. */
  dispose(): { removed: boolean; contextLost: boolean } {
    view!.dispose();
    const gl = canvas!.getContext('webgl2') ?? canvas!.getContext('webgl');
    return { removed: !document.body.contains(canvas), contextLost: gl?.isContextLost() ?? false };
  },
};

(window as unknown as { surface: typeof driver }).surface = driver;
