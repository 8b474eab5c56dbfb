/**
 * The dataset preview's scatter: two columns of the sampled rows, coloured by a colouring (classes: one colour
 * each from the theme's palette, with a legend; values: viridis with a colour bar). Training rows are discs,
 * test rows triangles. Numbers come from the host's message; this only draws them.
 */
import {
  Chart,
  Legend,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type Plugin,
  type PointStyle,
} from 'chart.js';
import { formatNumber } from '../src/present/format';
import type { PreviewDataset } from '../src/shared/dataPreviewProtocol';
import type { XY } from './chartData';
import { viridis } from './colormap';
import { BAR_ROOM, COLOUR_BAR, drawColourBar } from './colourBar';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(ScatterController, PointElement, LinearScale, Legend, Tooltip);

export interface ScatterChoice {
  readonly x: number;
  readonly y: number;
  readonly colour: number;
}

type RowDataset = ChartDataset<'scatter', XY[]> & { rows: number[] };

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export class DataScatter {
  readonly chart: Chart<'scatter', XY[]>;
  private data: PreviewDataset | null = null;
  private choice: ScatterChoice = { x: 0, y: 0, colour: 0 };
  private range: [number, number] = [0, 1];

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
  ) {
    const bar: Plugin<'scatter'> = {
      id: 'valueBar',
      afterDraw: (chart) => {
        if (!this.continuous) return;
        const [lo, hi] = this.range;
        const ticks = [0, 0.25, 0.5, 0.75, 1].map((pos) => ({
          pos,
          label: formatNumber(lo + pos * (hi - lo), { digits: 3 }),
        }));
        drawColourBar(chart, this.theme, ticks, this.data!.colourings[this.choice.colour].name, BAR_ROOM - 8);
      },
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [bar],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.35,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'x' } },
          y: { type: 'linear', title: { display: true, text: 'y' } },
        },
        plugins: {
          // A class's first point may be a test row's triangle; the legend shows every class as a disc.
          legend: {
            position: 'bottom',
            labels: { usePointStyle: true, pointStyle: 'circle', boxHeight: 7, padding: 12 },
          },
          tooltip: {
            callbacks: {
              label: (item) => {
                const d = this.data!;
                const k = (item.dataset as RowDataset).rows[item.dataIndex];
                const c = d.colourings[this.choice.colour];
                const v = c.values[k];
                const shown = c.classes ? c.classes[v] : formatNumber(v);
                const split = d.split ? (d.scatter.test[k] ? ' (test)' : ' (train)') : '';
                return `row ${d.scatter.rows[k] + 1}${split}: (${formatNumber(item.parsed.x)}, ${formatNumber(item.parsed.y)}), ${c.name} = ${shown}`;
              },
            },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.35);
  }

  private get continuous(): boolean {
    return this.data !== null && this.data.colourings[this.choice.colour].classes === null;
  }

  set(data: PreviewDataset, choice: ScatterChoice): void {
    this.data = data;
    this.choice = choice;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.35);
    this.rebuild();
  }

  private rebuild(): void {
    const d = this.data;
    if (!d) return;
    const t = this.theme;
    const { x, y, colour } = this.choice;
    const width = d.columns.length;
    const s = this.chart.options.scales!;
    (s.x!.title as { text: string }).text = d.columns[x].name;
    (s.y!.title as { text: string }).text = d.columns[y].name;
    const c = d.colourings[colour];
    const n = d.scatter.rows.length;
    const point = (k: number): XY => ({ x: d.scatter.values[k * width + x], y: d.scatter.values[k * width + y] });
    const style = (k: number): PointStyle => (d.scatter.test[k] ? 'triangle' : 'circle');
    const make = (label: string, rows: number[], fill: string | string[], legend: string): RowDataset => ({
      label,
      rows,
      data: rows.map(point),
      pointStyle: rows.map(style),
      pointRadius: rows.map((k) => (d.scatter.test[k] ? 4.5 : 3.5)),
      pointHoverRadius: 6,
      pointBackgroundColor: fill,
      pointBorderColor: withAlpha(t.foreground, 0.35),
      pointBorderWidth: 0.6,
      backgroundColor: legend,
      borderColor: legend,
    });
    const all = Array.from({ length: n }, (_, k) => k);
    this.chart.options.layout = { padding: { right: c.classes ? 0 : COLOUR_BAR.gap + COLOUR_BAR.width + BAR_ROOM } };
    if (c.classes) {
      this.chart.data.datasets = c.classes.map((name, j) => {
        const colour = t.palette[j % t.palette.length];
        return make(
          name,
          all.filter((k) => c.values[k] === j),
          colour,
          colour,
        );
      });
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of c.values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      this.range = [lo, hi];
      const fills = all.map((k) => rgb(viridis(hi > lo ? (c.values[k] - lo) / (hi - lo) : 0.5)));
      this.chart.data.datasets = [make(c.name, all, fills, rgb(viridis(0.5)))];
    }
    this.chart.options.plugins!.legend!.display = c.classes !== null;
    this.chart.update('none');
  }
}
