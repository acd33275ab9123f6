import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { EpochPoint } from '../../src/protocol/messages';
import { themeColor } from '../shared/host';

// Only the parts of Chart.js a line chart needs, to keep the bundle small.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** Chart colors of the theme, cycled over the members. */
const PALETTE: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

/**
 * The learning curves of the members: validation loss per epoch when the run has validation
 * rows, training loss otherwise. Updated in place while the run trains.
 */
export class LossChart {
  private chart: Chart<'line', { x: number; y: number }[]> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  update(curves: Record<string, EpochPoint[]>): void {
    const validation = Object.values(curves).some((c) => c.some((p) => p.valLoss !== undefined));
    const datasets = Object.entries(curves).map(([member, curve], index) => {
      const color = themeColor(...PALETTE[index % PALETTE.length]);
      const data = curve.map((p) => ({ x: p.epoch, y: (validation ? p.valLoss : p.loss) ?? NaN }));
      return { label: member, data, borderColor: color, backgroundColor: color };
    });
    const yTitle = validation ? 'validation loss' : 'training loss';

    if (this.chart) {
      this.chart.data.datasets = datasets;
      if (this.chart.options.scales?.y) this.chart.options.scales.y = this.axis(yTitle);
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
        scales: { x: this.axis('epoch'), y: this.axis(yTitle) },
        plugins: { legend: { labels: { color: themeColor('--vscode-foreground', '#ccc') } } },
      },
    });
  }

  private axis(title: string): object {
    const foreground = themeColor('--vscode-foreground', '#ccc');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    return {
      type: 'linear',
      title: { display: true, text: title, color: foreground },
      ticks: { color: foreground },
      grid: { color: grid },
    };
  }
}
