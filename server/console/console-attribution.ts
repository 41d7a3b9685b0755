import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { Chart } from 'chart.js';
import type { AttributionReport } from '../reports/attribution.js';
import { api } from './api.js';
import { drawChart } from './draw-chart.js';
import { errorState } from './error-state.js';
import { money as formatMoney } from './format-money.js';
import { daysBetween } from '../reports/days-between.js';
import { currentSite, siteDaysOf } from './current-site.js';
import { pageStyles } from './page.styles.js';
import './qualified-goal.js';

const PALETTE = ['#0b6e4f', '#0969da', '#8250df', '#bf8700', '#cf222e', '#1a7f37', '#57606a', '#e16f24', '#6639ba', '#0550ae'];
/** The goal in words: `event Lead Qualified`, `trait plan = pro`, `trait plan (any value)`. */
const goalText = (g: NonNullable<AttributionReport['qualifiedGoal']>) => (g.type === 'event' ? `event ${g.name}` : `trait ${g.name} ${g.equals === undefined ? '(any value)' : `= ${g.equals}`}`);
/** Qualified customers with their share of the row's visitors; a dash while no goal is set. */
const qualified = (x: { qualified: number; qualifiedRate: number | null }) => (x.qualifiedRate === null ? '—' : `${x.qualified} (${x.qualifiedRate}%)`);
const DIMENSION_LABEL = { channel: 'Channel', source: 'Source', medium: 'Medium', campaign: 'Campaign' } as const;
/** What the chart shows per day: the series' own figures (qualified: the table's count, by the day of the qualifying session). */
const METRIC_LABEL = { sessions: 'Sessions', qualified: 'Qualified customers', conversions: 'Conversions' } as const;
type Metric = keyof typeof METRIC_LABEL;

/**
 * Which channels bring visitors, conversations, qualified leads and sales:
 * the qualified goal is chosen here (<tp-qualified-goal>); per channel (or
 * source, medium, campaign within one channel) over a date range, under first-
 * or last-touch attribution; a chart per day of sessions, qualified customers
 * or conversions; CSV of the table.
 */
export class TpConsoleAttribution extends LitElement {
  static override styles = pageStyles;
  static override properties = {
    _r: { state: true },
    _from: { state: true },
    _to: { state: true },
    _model: { state: true },
    _dimension: { state: true },
    _channel: { state: true },
    _metric: { state: true },
    _error: { state: true },
  };
  declare private _r: AttributionReport | undefined;
  declare private _from: string;
  declare private _to: string;
  declare private _model: 'first' | 'last';
  declare private _dimension: keyof typeof DIMENSION_LABEL;
  declare private _channel: string;
  declare private _metric: Metric;
  declare private _error: string | undefined;
  private _site: string | undefined;
  private _chart: Chart | undefined;

  constructor() {
    super();
    const q = new URLSearchParams(location.search);
    // Without ?from/?to: the site's last 30 days, known once the site (and its zone) is.
    this._from = q.get('from') ?? '';
    this._to = q.get('to') ?? '';
    this._model = q.get('model') === 'last' ? 'last' : 'first';
    this._dimension = (q.get('dimension') as keyof typeof DIMENSION_LABEL | null) ?? 'channel';
    this._channel = q.get('channel') ?? '';
    const m = q.get('chart');
    this._metric = m && m in METRIC_LABEL ? (m as Metric) : 'sessions';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite().then(async (s) => {
      const days = s && !(this._from && this._to) ? await siteDaysOf(s) : undefined;
      this._site = s;
      // New dates load through willUpdate; dates from the URL, here.
      if (days) ({ from: this._from, to: this._to } = days);
      else void this._load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._chart?.destroy();
    this._chart = undefined;
  }

  private get _query() {
    return `from=${this._from}&to=${this._to}&model=${this._model}&dimension=${this._dimension}${this._channel ? `&channel=${encodeURIComponent(this._channel)}` : ''}`;
  }

  /** The page's URL: the report's query and the chart shown, so a view can be shared or bookmarked. */
  private _remember() {
    history.replaceState({}, '', `/console/attribution?${this._query}${this._metric === 'sessions' ? '' : `&chart=${this._metric}`}`);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (['_from', '_to', '_model', '_dimension', '_channel'].some((k) => changed.has(k)) && this._site) void this._load();
    else if (changed.has('_metric') && this._r) this._remember();
  }

  private async _load() {
    try {
      this._r = await api<AttributionReport>(`/sites/${encodeURIComponent(this._site!)}/attribution?${this._query}`);
      this._error = undefined;
      this._remember();
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const r = this._r;
    if (!canvas || !r) return;
    const days = daysBetween(this._from, this._to);
    const keys = r.rows.map((x) => x.key).slice(0, PALETTE.length);
    const data = {
      labels: days,
      datasets: keys.map((k, i) => ({ label: k, data: days.map((d) => r.series.find((p) => p.day === d && p.key === k)?.[this._metric] ?? 0), backgroundColor: PALETTE[i] })),
    };
    void drawChart(this._chart, canvas, { type: 'bar', data, options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } }).then((c) => (this._chart = c));
  }

  override render() {
    const r = this._r;
    const label = DIMENSION_LABEL[this._dimension];
    // In the site's currency when it has one (config.currency); a bare number otherwise.
    const money = (n: number) => formatMoney(n, r?.currency);
    return html`<h1>Attribution</h1>
      <div class="bar">
        <label>From <input type="date" .value=${this._from} @change=${(e: Event) => (this._from = (e.target as HTMLInputElement).value)} /></label>
        <label>To <input type="date" .value=${this._to} @change=${(e: Event) => (this._to = (e.target as HTMLInputElement).value)} /></label>
        <label
          >Attribution
          <select @change=${(e: Event) => (this._model = (e.target as HTMLSelectElement).value as 'first' | 'last')}>
            <option value="first" ?selected=${this._model === 'first'}>First touch</option>
            <option value="last" ?selected=${this._model === 'last'}>Last touch (last non-direct)</option>
          </select>
        </label>
        <label
          >Group by
          <select @change=${(e: Event) => (this._dimension = (e.target as HTMLSelectElement).value as keyof typeof DIMENSION_LABEL)}>
            ${Object.entries(DIMENSION_LABEL).map(([k, v]) => html`<option value=${k} ?selected=${this._dimension === k}>${v}</option>`)}
          </select>
        </label>
        ${this._channel ? html`<button type="button" class="button" @click=${() => ((this._channel = ''), (this._dimension = 'channel'))}>All channels (now: ${this._channel}) ✕</button>` : nothing}
        ${this._site ? html`<a class="button" download href=${`/v1/agent/sites/${encodeURIComponent(this._site)}/attribution.csv?${this._query}`}>Export CSV</a>` : nothing}
      </div>
      ${this._site && r ? html`<tp-qualified-goal .site=${this._site} .goal=${r.qualifiedGoal} @saved=${() => void this._load()}></tp-qualified-goal>` : nothing}
      ${this._error ? errorState(this._error, () => this._load()) : nothing}
      ${r
        ? html`<p class="muted">
              Goals: ${r.goals.join(', ')}. Qualified: ${r.qualifiedGoal ? goalText(r.qualifiedGoal) : 'not set'}. Sessions count under the touch they started with; a conversion under the touch its event carried.
            </p>
            <h2>${METRIC_LABEL[this._metric]} per day by ${label.toLowerCase()}</h2>
            <label
              >Chart
              <select @change=${(e: Event) => (this._metric = (e.target as HTMLSelectElement).value as Metric)}>
                ${Object.entries(METRIC_LABEL).map(([k, v]) => html`<option value=${k} ?selected=${this._metric === k} ?disabled=${k === 'qualified' && !r.qualifiedGoal}>${v}${k === 'qualified' && !r.qualifiedGoal ? ' (goal not set)' : ''}</option>`)}
              </select>
            </label>
            <div class="chart"><canvas role="img" aria-label=${`${METRIC_LABEL[this._metric]} per day by ${label.toLowerCase()}, stacked`}></canvas></div>
            <h2>By ${label.toLowerCase()}${this._channel ? ` within ${this._channel}` : ''}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">${label}</th><th scope="col" class="num">Sessions</th><th scope="col" class="num">Visitors</th><th scope="col" class="num">Conversations</th>
                  <th scope="col" class="num">Identified</th><th scope="col" class="num">Qualified</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Conv. rate</th>
                </tr>
              </thead>
              <tbody>
                ${r.rows.length
                  ? r.rows.map(
                      (x) => html`<tr>
                        <th scope="row">
                          ${this._dimension === 'channel' && !this._channel
                            ? html`<button type="button" class="button" title=${`Sources of ${x.key}`} @click=${() => ((this._channel = x.key), (this._dimension = 'source'))}>${x.key}</button>`
                            : x.key}
                        </th>
                        <td class="num">${x.sessions}</td><td class="num">${x.visitors}</td><td class="num">${x.conversations}</td><td class="num">${x.identified}</td><td class="num">${qualified(x)}</td>
                        <td class="num">${x.conversions}</td><td class="num">${money(x.revenue)}</td><td class="num">${x.conversionRate === null ? '—' : `${x.conversionRate}%`}</td>
                      </tr>`,
                    )
                  : html`<tr><td colspan="9" class="muted">No sessions in this range.</td></tr>`}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th><td class="num">${r.totals.sessions}</td><td class="num">${r.totals.visitors}</td><td class="num">${r.totals.conversations}</td><td class="num">${r.totals.identified}</td><td class="num">${qualified(r.totals)}</td>
                  <td class="num">${r.totals.conversions}</td><td class="num">${money(r.totals.revenue)}</td><td class="num">${r.totals.conversionRate === null ? '—' : `${r.totals.conversionRate}%`}</td>
                </tr>
              </tfoot>
            </table>`
        : nothing}`;
  }
}
customElements.define('tp-console-attribution', TpConsoleAttribution);
