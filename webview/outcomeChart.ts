/** The start-point outcome map of one sweep cell: each start at its position, coloured by its steps to target. */
import {
  Chart,
  Legend,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { formatNumber } from '../src/present/format';
import type { SweepData } from '../src/shared/sweepShapes';
import type { XY } from './chartData';
import { viridis } from './colormap';
import { BAR_ROOM, COLOUR_BAR, drawColourBar, stepTicks } from './colourBar';
import { outcomePoints, stepsPosition } from './sweepData';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(ScatterController, PointElement, LinearScale, Legend, Tooltip);

type OutcomeDataset = ChartDataset<'scatter', XY[]> & { starts: number[] };

/** Each start of one cell at its position: coloured by steps to target (log scale), × where it diverged. */
export class OutcomeChart {
  readonly chart: Chart<'scatter', XY[]>;
  private data: SweepData | null = null;
  private cell = -1;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
  ) {
    const bar: Plugin<'scatter'> = {
      id: 'outcomeBar',
      afterDraw: (chart) =>
        this.data && drawColourBar(chart, this.theme, stepTicks(this.maxBudget), 'steps to target', BAR_ROOM - 8),
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [bar],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.2,
        layout: { padding: { right: COLOUR_BAR.gap + COLOUR_BAR.width + BAR_ROOM } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'x' } },
          y: { type: 'linear', title: { display: true, text: 'y' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 7, padding: 12 } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const s = (item.dataset as OutcomeDataset).starts[item.dataIndex];
                const k = this.data?.cells[this.cell]?.perStart[s];
                return `start ${s + 1} (${formatNumber(item.parsed.x ?? 0)}, ${formatNumber(item.parsed.y ?? 0)}): ${k === null || k === undefined ? item.dataset.label : `${k} steps`}`;
              },
            },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.35);
  }

  private get maxBudget(): number {
    return this.data ? this.data.budgets[this.data.budgets.length - 1] : 1;
  }

  set(data: SweepData, cell: number): void {
    this.data = data;
    this.cell = cell;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.35);
    this.rebuild();
  }

  private rebuild(): void {
    const t = this.theme;
    const d = this.data;
    if (!d) return;
    const s = this.chart.options.scales!;
    (s.x!.title as { text: string }).text = d.variables[0] ?? 'x';
    (s.y!.title as { text: string }).text = d.variables[1] ?? 'y';
    const points = outcomePoints(d, this.cell);
    const pick = (o: string) => points.filter((p) => p.outcome === o);
    const converged = pick('converged');
    const colours = converged.map((p) => {
      const [r, g, b] = viridis(stepsPosition(p.steps!, this.maxBudget));
      return `rgb(${r}, ${g}, ${b})`;
    });
    const mid = viridis(0.5);
    const datasets: OutcomeDataset[] = [
      {
        label: 'converged',
        data: converged.map((p) => ({ x: p.x, y: p.y })),
        starts: converged.map((p) => p.start),
        pointRadius: 5,
        pointHoverRadius: 7,
        pointBackgroundColor: colours,
        pointBorderColor: withAlpha(t.foreground, 0.6),
        pointBorderWidth: 0.8,
        backgroundColor: `rgb(${mid.join(', ')})`,
        borderColor: withAlpha(t.foreground, 0.6),
      },
      {
        label: 'not within budget',
        data: pick('stalled').map((p) => ({ x: p.x, y: p.y })),
        starts: pick('stalled').map((p) => p.start),
        pointStyle: 'circle',
        pointRadius: 4.5,
        pointHoverRadius: 6,
        pointBackgroundColor: 'transparent',
        pointBorderColor: t.muted,
        pointBorderWidth: 1.5,
        backgroundColor: 'transparent',
        borderColor: t.muted,
      },
      {
        label: 'diverged',
        data: pick('diverged').map((p) => ({ x: p.x, y: p.y })),
        starts: pick('diverged').map((p) => p.start),
        pointStyle: 'crossRot',
        pointRadius: 6,
        pointHoverRadius: 8,
        pointBorderColor: '#e5484d',
        pointBorderWidth: 2,
        backgroundColor: '#e5484d',
        borderColor: '#e5484d',
      },
    ];
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }
}
