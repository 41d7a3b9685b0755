import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { pageStyles } from './page.styles.js';
import type { Chart } from 'chart.js';
import type { Score } from 'touchpoint/protocol';
import type { SurveyReport } from '../reports/survey-report.js';
import { api, type SurveySummary } from './api.js';
import { siteDaysOf } from './current-site.js';
import { drawChart } from './draw-chart.js';
import { replayLink } from './replay-link.js';
import { axisDay, dayName, when } from './format-time.js';
import { errorState } from './error-state.js';
import { visitorName } from './visitor-name.js';
import { fmt, MEANING, NAMES } from './score-labels.js';
import './survey-builder.js';

/**
 * Survey results: per survey, each scored question's headline figure on its
 * own scale, the trend, breakdowns by page and by channel, the low scores with
 * their comments and a link to the replay at that moment, and a CSV export.
 */
export class TpConsoleSurveys extends LitElement {
  static override styles = pageStyles;

  static override properties = { _list: { state: true }, _key: { state: true }, _from: { state: true }, _to: { state: true }, _report: { state: true }, _error: { state: true } };
  declare private _list: SurveySummary[] | undefined;
  /** `siteKey/surveyId` of the survey shown. */
  declare private _key: string | undefined;
  declare private _from: string;
  declare private _to: string;
  declare private _report: SurveyReport | undefined;
  declare private _error: string | undefined;
  private _chart: Chart | undefined;

  constructor() {
    super();
    // The survey's site's last 30 days, known once the survey (and its site's zone) is.
    this._from = this._to = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Deep link: /console/surveys/<siteKey>/<surveyId>
    const m = /^\/console\/surveys\/([^/]+)\/([^/]+)/.exec(location.pathname);
    const link = m ? `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}` : undefined;
    void api<{ surveys: SurveySummary[] }>('/surveys').then(
      async (r) => {
        const key = link ?? (r.surveys[0] ? `${r.surveys[0].siteKey}/${r.surveys[0].id}` : undefined);
        if (key) ({ from: this._from, to: this._to } = await siteDaysOf(key.split('/')[0]!));
        this._list = r.surveys;
        this._key = key;
      },
      (e: Error) => (this._error = e.message),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._chart?.destroy();
    this._chart = undefined;
  }

  private get _query() {
    return `from=${this._from}&to=${this._to}`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('_key') || changed.has('_from') || changed.has('_to')) && this._key) void this._load();
  }

  private async _load() {
    const [site, id] = this._key!.split('/') as [string, string];
    try {
      this._report = await api<SurveyReport>(`/sites/${encodeURIComponent(site)}/surveys/${encodeURIComponent(id)}/report?${this._query}`);
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const r = this._report;
    if (!canvas || !r) return;
    const headline = r.questions.find((q) => q.id === r.headline);
    const name = headline ? NAMES[headline.type] : '';
    // Every day of the range is on the axis (the server fills them); a day without answers is a gap.
    const data = { labels: r.trend.map((t) => axisDay(t.day)), datasets: [{ label: name, data: r.trend.map((t) => t.score), borderColor: '#0b6e4f', backgroundColor: '#0b6e4f', pointRadius: 3, spanGaps: false, tension: 0.25 }] };
    const nps = headline?.score?.unit === 'nps';
    const tooltip = { callbacks: { label: (item: { dataIndex: number }) => ((t) => (t.score === null ? 'No answers' : `${name} ${fmt({ score: t.score, unit: nps ? 'nps' : '%' } as Score)} · ${t.n} answers`))(r.trend[item.dataIndex]!) } };
    void drawChart(this._chart, canvas, { type: 'line', data, options: { scales: { y: { min: nps ? -100 : 0, max: 100 } }, plugins: { legend: { display: false }, tooltip } } }).then((c) => (this._chart = c));
  }

  private _card(q: SurveyReport['questions'][number]) {
    const s = q.score!;
    return html`<div class="card">
      <div>${NAMES[q.type]} <span class="muted">· ${q.id}</span></div>
      <div class="value" data-question=${q.id}>${fmt(s)}</div>
      <div class="what">${MEANING[q.type]}${s.mean !== null ? html` · mean ${s.mean}` : nothing} · ${s.n} answers</div>
    </div>`;
  }

  private _breakdown(title: string, rows: SurveyReport['byPage'], unit: Score['unit']) {
    return html`<div>
      <h2>${title}</h2>
      <table>
        <thead><tr><th scope="col">${title.replace('By ', '').replace(/^./, (c) => c.toUpperCase())}</th><th scope="col" class="num">Score</th><th scope="col" class="num">Answers</th></tr></thead>
        <tbody>
          ${rows.length
            ? rows.map((b) => html`<tr><td>${b.key}</td><td class="num">${fmt({ score: b.score, unit } as Score)}</td><td class="num">${b.n}</td></tr>`)
            : html`<tr><td colspan="3" class="muted">No answers in this range.</td></tr>`}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const r = this._report;
    const [site, id] = (this._key ?? '/').split('/') as [string, string];
    const headline = r?.questions.find((q) => q.id === r.headline);
    const unit = headline?.score?.unit ?? '%';
    return html`<h1>Surveys</h1>
      <tp-survey-builder></tp-survey-builder>
      <h2>Results</h2>
      ${this._error ? errorState(this._error, () => (this._key ? this._load() : location.reload())) : nothing}
      <div class="bar">
        <label
          >Survey
          <select @change=${(e: Event) => (this._key = (e.target as HTMLSelectElement).value)}>
            ${(this._list ?? []).map((s) => html`<option value=${`${s.siteKey}/${s.id}`} ?selected=${this._key === `${s.siteKey}/${s.id}`}>${s.siteName}: ${s.id} (v${s.version}, ${s.responses} responses)</option>`)}
          </select>
        </label>
        <label>From <input type="date" .value=${this._from} @change=${(e: Event) => (this._from = (e.target as HTMLInputElement).value)} /></label>
        <label>To <input type="date" .value=${this._to} @change=${(e: Event) => (this._to = (e.target as HTMLInputElement).value)} /></label>
        ${this._key ? html`<a class="button" download href=${`/v1/agent/sites/${encodeURIComponent(site)}/surveys/${encodeURIComponent(id)}/answers.csv?${this._query}`}>Export CSV</a>` : nothing}
      </div>
      ${r
        ? html`
            <p class="muted">
              Version ${r.survey.version}: ${r.responses} responses, ${r.completed} completed, ${r.dismissed} dismissed.
            </p>
            <div class="cards">
              ${r.questions.filter((q) => q.score).map((q) => this._card(q))}
              ${r.cli
                ? html`<div class="card"><div>CLI</div><div class="value">${r.cli.mean ?? '—'}</div><div class="what">mean of recommend, buy again, try others (0–10) · ${r.cli.n} responses</div></div>`
                : nothing}
            </div>
            ${headline
              ? html`<h2>${NAMES[headline.type]} over time</h2>
                  <div class="chart"><canvas role="img" aria-label=${`${NAMES[headline.type]} per day: ${r.trend.filter((t) => t.n).map((t) => `${dayName(t.day)} ${fmt({ score: t.score, unit } as Score)}`).join(', ') || 'no answers'}`}></canvas></div>
                  <div class="two">${this._breakdown('By page', r.byPage, unit)}${this._breakdown('By channel', r.byChannel, unit)}${this._breakdown('By language', r.byLanguage, unit)}</div>
                  <h2 id="low">Low scores (${r.low.length})</h2>
                  <table aria-labelledby="low">
                    <thead><tr><th scope="col">When</th><th scope="col">Visitor</th><th scope="col" class="num">Score</th><th scope="col">Comment</th><th scope="col">Page</th><th scope="col">Replay</th></tr></thead>
                    <tbody>
                      ${r.low.length
                        ? r.low.map(
                            (l) => html`<tr class="low">
                              <td>${when(l.timestamp)}</td>
                              <td><a href=${`/console/customers/${encodeURIComponent(l.userId ?? l.anonymousId)}`} title=${l.userId ?? l.anonymousId}>${visitorName(l)}</a></td>
                              <td class="num">${l.value}</td>
                              <td>${l.comment ?? html`<span class="muted">—</span>`}</td>
                              <td>${l.url ? new URL(l.url).pathname : ''}</td>
                              <td>${l.sessionId ? html`<a href=${replayLink(l.sessionId, l.replayTimestamp)}>Watch the moment</a>` : html`<span class="muted">no session</span>`}</td>
                            </tr>`,
                          )
                        : html`<tr><td colspan="6" class="muted">No low scores in this range.</td></tr>`}
                    </tbody>
                  </table>`
              : nothing}
          `
        : this._list?.length === 0
          ? html`<p class="muted">No surveys yet: add definitions to the site config (docs/surveys.md).</p>`
          : nothing}`;
  }
}
customElements.define('tp-console-surveys', TpConsoleSurveys);
