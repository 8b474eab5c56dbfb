/**
 * The keyboard over a chart's cells (the sweep charts): the canvas takes focus, arrow keys move a cursor over a
 * grid of cell indices, Enter or Space activates the cell under it, as a click does.
 */
import { moveCursor } from './sweepData';

export type Activate = (cell: number) => void;
type Cursor = { row: number; col: number };

/** Canvas focus, arrow keys and Enter over a grid of cell indices; the chart draws the cursor when focused. */
export class KeyboardCursor {
  at: Cursor | null = null;
  focused = false;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly grid: () => number[][],
    private readonly redraw: () => void,
    activate: Activate,
  ) {
    canvas.tabIndex = 0;
    canvas.addEventListener('focus', () => {
      this.focused = true;
      this.at ??= this.first();
      this.redraw();
    });
    canvas.addEventListener('blur', () => {
      this.focused = false;
      this.redraw();
    });
    canvas.addEventListener('keydown', (e) => {
      if (!this.at) return;
      if (e.key === 'Enter' || e.key === ' ') {
        const cell = this.grid()[this.at.row]?.[this.at.col];
        if (cell !== undefined && cell >= 0) activate(cell);
        e.preventDefault();
        return;
      }
      const next = moveCursor(this.grid(), this.at, e.key);
      if (next !== this.at) {
        this.at = next;
        e.preventDefault();
        this.redraw();
      }
    });
  }

  /** The cell under the cursor when the canvas has focus. */
  get cell(): number | null {
    if (!this.focused || !this.at) return null;
    const c = this.grid()[this.at.row]?.[this.at.col];
    return c !== undefined && c >= 0 ? c : null;
  }

  reset(): void {
    this.at = this.first();
  }

  private first(): Cursor | null {
    const g = this.grid();
    for (let row = 0; row < g.length; row++)
      for (let col = 0; col < g[row].length; col++) if (g[row][col] >= 0) return { row, col };
    return null;
  }
}
