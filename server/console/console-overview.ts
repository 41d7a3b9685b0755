import { LitElement, html } from 'lit';
import { CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { Overview } from '../reports/overview.js';
import { api } from './api.js';
import { drawChart } from './draw-chart.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

/** Good / poor thresholds of each web vital (web.dev): p75 at or under the first is good, over the second poor. */
const THRESHOLDS: Record<string, [number, number]> = { LCP: [2500, 4000], INP: [200, 500], CLS: [0.1, 0.25], FCP: [1800, 3000], TTFB: [800, 1800] };
const rating = (metric: string, v: number) => {
  const t = THRESHOLDS[metric];
  return !t ? '' : v <= t[0] ? 'good' : v <= t[1] ? 'needs-improvement' : 'poor';
};
const NAMES = { ces: 'CES', csat: 'CSAT', nps: 'NPS' } as const;
const COLORS = { ces: '#0b6e4f', csat: '#0969da', nps: '#8250df' } as const;

/** The console's landing page: who is here, what is waiting, how customers feel, where pages hurt. */
export class TpConsoleOverview extends LitElement {
  static override styles = pageStyles;
  static override properties = { _o: { state: true }, _error: { state: true } };
  declare private _o: Overview | undefined;
  declare private _error: string | undefined;
  private _chart: Chart | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite()
      .then((site) => (site ? api<Overview>(`/sites/${encodeURIComponent(site)}/overview`) : undefined))
      .then(
        (o) => (this._o = o),
        (e: Error) => (this._error = e.message),
      );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._chart?.destroy();
    this._chart = undefined;
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this._o || this._chart?.canvas === canvas) return;
    const weeks = [...new Set(this._o.scores.flatMap((s) => s.trend.map((t) => t.week)))].sort();
    this._chart = drawChart(this._chart, canvas, {
      type: 'line',
      data: {
        labels: weeks,
        datasets: this._o.scores.map((s) => ({
          label: NAMES[s.type],
          data: weeks.map((w) => s.trend.find((t) => t.week === w)?.score ?? null),
          borderColor: COLORS[s.type],
          backgroundColor: COLORS[s.type],
          spanGaps: true,
          tension: 0.25,
        })),
      },
      options: { scales: { y: { min: -100, max: 100 } } },
    });
  }

  override render() {
    const o = this._o;
    if (this._error) return html`<h1>Overview</h1><p role="alert">${this._error}</p>`;
    if (!o) return html`<h1>Overview</h1><p class="muted">Loading…</p>`;
    const card = (label: string, value: string | number, what: string, href?: string) =>
      html`<div class="card"><div>${href ? html`<a href=${href}>${label}</a>` : label}</div><div class="value">${value}</div><div class="what">${what}</div></div>`;
    return html`<h1>Overview</h1>
      <div class="cards">
        ${card('Visitors today', o.visitorsToday, `${o.sessionsToday} sessions`, '/console/customers')}
        ${card('On the site now', o.onlineNow, 'active in the last 5 minutes', '/console/customers')}
        ${card('Waiting for a person', o.waitingConversations, 'conversations handed off', '/console/inbox')}
        ${card('Open conversations', o.openConversations, 'with an agent', '/console/inbox')}
        ${o.scores.map((s) => card(NAMES[s.type], s.score === null ? '—' : s.unit === 'nps' ? `${s.score > 0 ? '+' : ''}${s.score}` : `${s.score}%`, `last 30 days · ${s.n} answers`, '/console/surveys'))}
      </div>
      <h2>CES, CSAT and NPS by week</h2>
      <div class="chart"><canvas role="img" aria-label="Weekly CES, CSAT and NPS over the last eight weeks"></canvas></div>
      <div class="two">
        <div>
          <h2>Top friction pages <span class="muted">(last 7 days)</span></h2>
          <table>
            <thead><tr><th scope="col">Page</th><th scope="col" class="num">Rage</th><th scope="col" class="num">Dead</th><th scope="col" class="num">Error</th></tr></thead>
            <tbody>
              ${o.friction.length
                ? o.friction.map((f) => html`<tr><td>${f.path}</td><td class="num">${f.rage}</td><td class="num">${f.dead}</td><td class="num">${f.error}</td></tr>`)
                : html`<tr><td colspan="4" class="muted">No friction signals this week.</td></tr>`}
            </tbody>
          </table>
        </div>
        <div>
          <h2>Web vitals p75 by page <span class="muted">(last 7 days)</span></h2>
          <table>
            <thead><tr><th scope="col">Page</th><th scope="col">Metric</th><th scope="col" class="num">p75</th><th scope="col" class="num">Samples</th></tr></thead>
            <tbody>
              ${o.vitals.length
                ? o.vitals.map(
                    (v) => html`<tr>
                      <td>${v.path}</td>
                      <td>${v.metric}</td>
                      <td class="num"><span class="tag tag--${rating(v.metric, v.p75)}">${v.metric === 'CLS' ? v.p75 : `${Math.round(v.p75)} ms`}</span></td>
                      <td class="num">${v.n}</td>
                    </tr>`,
                  )
                : html`<tr><td colspan="4" class="muted">No web vitals this week.</td></tr>`}
            </tbody>
          </table>
        </div>
      </div>
      `;
  }
}
customElements.define('tp-console-overview', TpConsoleOverview);
