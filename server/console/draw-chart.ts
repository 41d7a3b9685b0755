import type { Chart, ChartConfiguration, ChartType } from 'chart.js';
import type * as ChartKit from './chart-kit.js';

/** Chart.js arrives with the first chart a page draws: the console's own bundle stays without it. */
let kit: Promise<typeof ChartKit> | undefined;

/**
 * Draws `config` on `canvas`, reusing the chart already on that canvas (new
 * data, no flicker) and destroying `previous` when lit rendered a new canvas.
 * Resolves to the chart to keep; the caller destroys it on disconnect.
 * Tooltips on the nearest x, so a reader gets each point's figure and count.
 */
export const drawChart = async <T extends ChartType>(previous: Chart | undefined, canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Promise<Chart> => {
  const { Chart } = await (kit ??= import('./chart-kit.js'));
  // Chart.getChart: two renders may both have awaited the import; the canvas holds at most one chart.
  const current = Chart.getChart(canvas);
  if (current) {
    current.data = config.data as Chart['data'];
    current.update();
    return current;
  }
  if (previous && previous.canvas !== canvas) previous.destroy();
  return new Chart(canvas, {
    ...config,
    options: { maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false }, ...config.options },
  } as ChartConfiguration<T>) as unknown as Chart;
};
