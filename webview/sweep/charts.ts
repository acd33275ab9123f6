import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { SweepParameter } from '../../src/core/config/sweep-types';
import type { ParameterImportance } from '../../src/core/sweep/importance';
import type { SweepManifest } from '../../src/core/sweep/manifest';
import { historySeries, parallelLines, sliceSeries } from '../../src/core/sweep/plots';
import { themeColor } from '../shared/host';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
);

const blue = (): string => themeColor('--vscode-charts-blue', '#3794ff');
const orange = (): string => themeColor('--vscode-charts-orange', '#d18616');
const grid = (): string => themeColor('--vscode-editorWidget-border', '#80808040');
const text = (): string => themeColor('--vscode-foreground', '#cccccc');

/** Axes in the theme's colors, with a title. */
function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { display: true, text: title, color: text() },
    ticks: { color: text() },
    grid: { color: grid() },
    ...extra,
  };
}

/** Charts of one panel; each is destroyed before it is drawn again. */
export class SweepCharts {
  private readonly charts: Chart[] = [];

  destroy(): void {
    this.charts.splice(0).forEach((chart) => chart.destroy());
  }

  /** Each completed trial's objective and the best so far, by trial number. */
  history(canvas: HTMLCanvasElement, manifest: SweepManifest): void {
    const { trials, best } = historySeries(manifest);
    const metric = String(manifest.objective.metric ?? 'objective');
    this.draw(canvas, {
      type: 'scatter',
      data: {
        datasets: [
          { label: metric, data: trials, backgroundColor: blue() },
          {
            type: 'line',
            label: 'best so far',
            data: best,
            borderColor: orange(),
            stepped: true,
            pointRadius: 0,
          },
        ],
      },
      options: {
        scales: { x: axis('trial', { ticks: { color: text(), precision: 0 } }), y: axis(metric) },
        animation: false,
      },
    } as ChartConfiguration);
  }

  /** One line per completed trial across the parameters' axes and the objective. */
  parallel(canvas: HTMLCanvasElement, manifest: SweepManifest): void {
    const labels = [
      ...manifest.sweep.parameters.map((p) => p.path),
      String(manifest.objective.metric),
    ];
    const lines = parallelLines(manifest);
    const datasets = lines.map((line) => {
      const shade = line.y.at(-1) ?? 0;
      return {
        label: `trial ${line.trial}`,
        data: line.y,
        borderColor: shade > 0.8 ? orange() : blue(),
        borderWidth: shade > 0.8 ? 2 : 1,
        pointRadius: 2,
        spanGaps: false,
      };
    });
    this.draw(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: axis('parameter'),
          y: axis('low → high (objective: worst → best)', { min: 0, max: 1 }),
        },
        animation: false,
      },
    } as ChartConfiguration);
  }

  /** The objective against one parameter's values. */
  slice(canvas: HTMLCanvasElement, manifest: SweepManifest, p: SweepParameter): void {
    const x =
      p.kind === 'categorical'
        ? axis(p.path, {
            type: 'linear',
            ticks: {
              color: text(),
              stepSize: 1,
              callback: (v: number) => String(p.choices[v] ?? ''),
            },
          })
        : axis(p.path, { type: p.log ? 'logarithmic' : 'linear' });
    this.draw(canvas, {
      type: 'scatter',
      data: {
        datasets: [{ label: p.path, data: sliceSeries(manifest, p), backgroundColor: blue() }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { x, y: axis(String(manifest.objective.metric)) },
        animation: false,
      },
    } as ChartConfiguration);
  }

  /** Each parameter's share of the objective's spread. */
  importance(canvas: HTMLCanvasElement, importance: ParameterImportance[]): void {
    this.draw(canvas, {
      type: 'bar',
      data: {
        labels: importance.map((i) => i.path),
        datasets: [
          {
            label: 'importance',
            data: importance.map((i) => i.importance),
            backgroundColor: blue(),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: axis("share of the objective's spread", { min: 0, max: 1 }), y: axis('') },
        animation: false,
      },
    } as ChartConfiguration);
  }

  private draw(canvas: HTMLCanvasElement, config: ChartConfiguration): void {
    this.charts.push(new Chart(canvas, config));
  }
}
