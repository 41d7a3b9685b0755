import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';

// Every part the console's charts use, registered once: Chart.js is tree-shaken by registration,
// and this module is its own chunk, loaded with the first chart (draw-chart.ts), not with the console.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

export { Chart };
