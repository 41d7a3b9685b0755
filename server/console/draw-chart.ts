import { Chart, type ChartConfiguration, type ChartType } from 'chart.js';

/**
 * Draws `config` on `canvas`, reusing `chart` when it is already on that
 * canvas (new data, no flicker) and replacing it when lit rendered a new
 * canvas. Returns the chart to keep; the caller destroys it on disconnect.
 */
export const drawChart = <T extends ChartType>(chart: Chart | undefined, canvas: HTMLCanvasElement, config: ChartConfiguration<T>): Chart => {
  if (chart && chart.canvas === canvas) {
    chart.data = config.data as Chart['data'];
    chart.update();
    return chart;
  }
  chart?.destroy();
  return new Chart(canvas, { ...config, options: { maintainAspectRatio: false, animation: false, ...config.options } } as ChartConfiguration<T>) as unknown as Chart;
};
