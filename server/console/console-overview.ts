import { LitElement, css, html } from 'lit';
import type { Chart } from 'chart.js';
import type { Overview } from '../reports/overview.js';
import { api } from './api.js';
import { drawChart } from './draw-chart.js';
import { currentSite } from './current-site.js';
import { errorState } from './error-state.js';
import { axisDay } from './format-time.js';
import { money } from './format-money.js';
import { pageStyles } from './page.styles.js';

/** Good / poor thresholds of each web vital (web.dev): p75 at or under the first is good, over the second poor. */
const THRESHOLDS: Record<string, [number, number]> = { LCP: [2500, 4000], INP: [200, 500], CLS: [0.1, 0.25], FCP: [1800, 3000], TTFB: [800, 1800] };
const rating = (metric: string, v: number) => {
  const t = THRESHOLDS[metric];
  return !t ? '' : v <= t[0] ? 'good' : v <= t[1] ? 'needs-improvement' : 'poor';
};
const NAMES = { ces: 'CES', csat: 'CSAT', nps: 'NPS' } as const;
const COLORS = { ces: '#0b6e4f', csat: '#0969da', nps: '#8250df' } as const;
/** Each score on its own scale, never two on one axis: what its number means, and the axis it is drawn on. */
const SCALE = {
  ces: { meaning: '% answering 5–7 (easy)', min: 0, max: 100 },
  csat: { meaning: '% answering 4–5 (satisfied)', min: 0, max: 100 },
  nps: { meaning: '% promoters − % detractors', min: -100, max: 100 },
} as const;
const scoreText = (score: number | null, unit: string) => (score === null ? '—' : unit === 'nps' ? `${score > 0 ? '+' : ''}${score}` : `${score}%`);

/** The console's landing page: who is here, what is waiting, how customers feel, where pages hurt. */
export class TpConsoleOverview extends LitElement {
  static override styles = [
    pageStyles,
    css`
      .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0.75rem; }
      figure.chart { margin: 0; height: auto; display: grid; gap: 0.25rem; }
      figcaption { font-weight: 600; font-size: 0.9rem; }
      .plot { position: relative; height: 11rem; }
    `,
  ];
  static override properties = { _o: { state: true }, _error: { state: true } };
  declare private _o: Overview | undefined;
  declare private _error: string | undefined;
  private _charts = new Map<string, Chart>();

  override connectedCallback(): void {
    super.connectedCallback();
    this._load();
  }

  private _load() {
    this._error = undefined;
    void currentSite()
      .then((site) => (site ? api<Overview>(`/sites/${encodeURIComponent(site)}/overview`) : undefined))
      .then(
        (o) => (this._o = o),
        (e: Error) => (this._error = e.message),
      );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const c of this._charts.values()) c.destroy();
    this._charts.clear();
  }

  protected override updated(): void {
    const o = this._o;
    if (!o) return;
    for (const s of o.scores) {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-score=${s.type}]`);
      if (!canvas || this._charts.get(s.type)?.canvas === canvas) continue;
      const scale = SCALE[s.type];
      void drawChart(this._charts.get(s.type), canvas, {
        type: 'line',
        data: {
          labels: s.trend.map((t) => axisDay(t.week)),
          datasets: [{ label: NAMES[s.type], data: s.trend.map((t) => t.score), borderColor: COLORS[s.type], backgroundColor: COLORS[s.type], pointRadius: 4, spanGaps: false, tension: 0.25 }],
        },
        options: {
          scales: { y: { min: scale.min, max: scale.max } },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => `Week of ${items[0]?.label ?? ''}`,
                label: (item) => {
                  const t = s.trend[item.dataIndex]!;
                  return t.score === null ? 'No answers' : `${NAMES[s.type]} ${scoreText(t.score, s.unit)} · ${t.n} answers`;
                },
              },
            },
          },
        },
      }).then((c) => this._charts.set(s.type, c));
    }
  }

  override render() {
    const o = this._o;
    if (this._error) return html`<h1>Overview</h1>${errorState(this._error, () => this._load())}`;
    if (!o) return html`<h1>Overview</h1><p class="muted">Loading…</p>`;
    const card = (label: string, value: string | number, what: string, href?: string) =>
      html`<div class="card"><div>${href ? html`<a href=${href}>${label}</a>` : label}</div><div class="value">${value}</div><div class="what">${what}</div></div>`;
    return html`<h1>Overview</h1>
      <div class="cards">
        ${card('Visitors today', o.today.visitors, `${o.today.sessions} sessions · ${o.today.identified} identified`, '/console/customers')}
        ${card('On the site now', o.onlineNow, 'active in the last 5 minutes', '/console/customers')}
        ${card('Waiting for a person', o.waitingConversations, 'conversations handed off', '/console/inbox')}
        ${card('Open conversations', o.openConversations, 'with an agent', '/console/inbox')}
        ${card('Conversions today', o.today.conversions, `${o.today.conversionRate ?? 0}% of sessions · ${money(o.today.revenue, o.today.currency)}`, '/console/attribution')}
        ${o.scores.map((s) => card(NAMES[s.type], scoreText(s.score, s.unit), `last 30 days · ${s.n} answers`, '/console/surveys'))}
      </div>
      <p class="muted">Days in the site's time zone (${o.timeZone}).</p>
      <h2>Scores by week <span class="muted">(last 8 weeks, each on its own scale)</span></h2>
      <div class="charts">
        ${o.scores.map(
          (s) => html`<figure class="chart">
            <figcaption>${NAMES[s.type]} <span class="muted">${SCALE[s.type].meaning}</span></figcaption>
            <div class="plot"><canvas data-score=${s.type} role="img" aria-label=${`${NAMES[s.type]} by week, ${SCALE[s.type].meaning}: ${s.trend.map((t) => `${axisDay(t.week)} ${t.score === null ? 'no answers' : scoreText(t.score, s.unit)}`).join(', ')}`}></canvas></div>
          </figure>`,
        )}
      </div>
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
