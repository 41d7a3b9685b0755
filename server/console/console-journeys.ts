import { LitElement, css, html, nothing } from 'lit';
import type { FunnelReport, FunnelStep } from '../reports/funnel.js';
import { api } from './api.js';
import { currentSite, siteDaysOf } from './current-site.js';
import { pageStyles } from './page.styles.js';
import { replayLink } from './replay-link.js';
import { errorState } from './error-state.js';
import { when } from './format-time.js';
import { fmt, MEANING, NAMES } from './score-labels.js';
import './console-help-rules.js';
import './console-struggle.js';

type Unit = 'customer' | 'session';
type Breakdown = '' | 'firstTouch' | 'lastTouch' | 'device' | 'help';
const BREAKDOWNS: Record<Breakdown, string> = { '': 'None', firstTouch: 'First touch', lastTouch: 'Last touch', device: 'Device', help: 'Help (rules fired, held out or not)' };
const DEFAULT_STEPS: FunnelStep[] = [{ page: '/' }, { page: '/cart' }, { page: '/checkout' }, { event: 'Order Completed' }];

type Bucket = NonNullable<FunnelReport['breakdown']>[number];
/** Conversion of a bucket through the whole funnel (last step of first), in %. */
const through = (b: Bucket) => (b.counts[0] ? Math.round((b.counts.at(-1)! / b.counts[0]) * 1000) / 10 : null);
/** Help buckets in reading order: `no help`, then each rule's helped row with its held-out row right after. */
const helpOrder = (rows: Bucket[]) => {
  const rule = (v: string) => v.replace(/^(help|held out): /, '');
  return [...rows].sort((x, y) => (x.value === 'no help' ? -1 : y.value === 'no help' ? 1 : rule(x.value).localeCompare(rule(y.value)) || (x.value.startsWith('help') ? -1 : 1)));
};
/** Below this many units in a group, a difference is not shown as an effect (as Contentsquare's 30-session floor). */
const MIN_GROUP = 30;

/** 90 → "1 min 30 s": a step's median time, as read at a glance. */
const duration = (s: number | null) => {
  if (s === null) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${(s / 86_400).toFixed(1)} days`;
};

/**
 * Journeys: a funnel of page patterns and events (docs/console.md#funnels) —
 * how many reach each step, how long it takes, and at each step the friction,
 * the chats, the CES and CSAT answers given there, and the sessions that left
 * there, each a replay at the moment they left. The URL holds the query, so a funnel can be shared.
 */
export class TpConsoleJourneys extends LitElement {
  static override styles = [
    pageStyles,
    css`
      ol.steps { padding-inline-start: 1.5rem; display: grid; gap: 0.5rem; }
      ol.steps li { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
      .meter { display: block; block-size: 0.5rem; background: #0b6e4f; border-radius: 0.25rem; min-inline-size: 2px; }
      td ul { margin: 0; padding-inline-start: 1rem; }
    `,
  ];
  static override properties = { _site: { state: true }, _steps: { state: true }, _unit: { state: true }, _window: { state: true }, _breakdown: { state: true }, _from: { state: true }, _to: { state: true }, _r: { state: true }, _error: { state: true } };
  declare private _steps: FunnelStep[];
  declare private _unit: Unit;
  declare private _window: number;
  declare private _breakdown: Breakdown;
  declare private _from: string;
  declare private _to: string;
  declare private _r: FunnelReport | undefined;
  declare private _error: string | undefined;
  declare private _site: string | undefined;

  constructor() {
    super();
    const q = new URLSearchParams(location.search);
    let steps: FunnelStep[] = DEFAULT_STEPS;
    try {
      const s = JSON.parse(q.get('steps') ?? 'null') as unknown;
      if (Array.isArray(s) && s.length >= 2) steps = s as FunnelStep[];
    } catch {}
    this._steps = steps;
    this._unit = q.get('unit') === 'session' ? 'session' : 'customer';
    this._window = Number(q.get('window')) || 14;
    this._breakdown = (Object.keys(BREAKDOWNS).includes(q.get('breakdown') ?? '') ? q.get('breakdown') : '') as Breakdown;
    // Without ?from/?to: the site's last 30 days, known once the site (and its zone) is.
    this._from = q.get('from') ?? '';
    this._to = q.get('to') ?? '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite().then(async (s) => {
      if (s && !(this._from && this._to)) ({ from: this._from, to: this._to } = await siteDaysOf(s));
      this._site = s;
      void this._load();
    });
  }

  private async _load() {
    if (!this._site) return;
    const query = new URLSearchParams({ site: this._site, steps: JSON.stringify(this._steps), unit: this._unit, window: String(this._window), from: this._from, to: this._to, ...(this._breakdown ? { breakdown: this._breakdown } : {}) });
    history.replaceState({}, '', `/console/journeys?${query}`);
    try {
      this._r = await api<FunnelReport>(`/sites/${encodeURIComponent(this._site)}/funnel?from=${this._from}&to=${this._to}`, {
        steps: this._steps,
        unit: this._unit,
        windowDays: this._window,
        ...(this._breakdown ? { breakdown: this._breakdown } : {}),
      });
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private _setStep(i: number, s: FunnelStep) {
    this._steps = this._steps.map((x, k) => (k === i ? s : x));
  }

  private _stepRow(s: FunnelStep, i: number) {
    const kind = 'page' in s ? 'page' : 'event';
    const value = 'page' in s ? s.page : s.event;
    return html`<li>
      <label
        >Step ${i + 1}
        <select @change=${(e: Event) => this._setStep(i, (e.target as HTMLSelectElement).value === 'page' ? { page: value.startsWith('/') ? value : `/${value}` } : { event: value })}>
          <option value="page" ?selected=${kind === 'page'}>Page path</option>
          <option value="event" ?selected=${kind === 'event'}>Event</option>
        </select>
      </label>
      <label
        >${kind === 'page' ? `Path of step ${i + 1} (* for anything)` : `Event of step ${i + 1}`}
        <input .value=${value} required @change=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value.trim();
          this._setStep(i, kind === 'page' ? { page: v } : { event: v });
        }} />
      </label>
      ${this._steps.length > 2 ? html`<button type="button" class="button" @click=${() => (this._steps = this._steps.filter((_, k) => k !== i))}>Remove step ${i + 1}</button>` : nothing}
    </li>`;
  }

  private _table(r: FunnelReport) {
    const unit = r.unit === 'customer' ? 'Customers' : 'Sessions';
    return html`<table>
      <caption class="sr-only">Funnel, ${unit.toLowerCase()} per step</caption>
      <thead>
        <tr>
          <th scope="col">Step</th><th scope="col" class="num">${unit}</th><th scope="col" class="num">Conversion</th><th scope="col" class="num">From previous</th>
          <th scope="col" class="num">Left before</th><th scope="col" class="num">Median time</th><th scope="col">Friction here</th><th scope="col" class="num">Chats here</th><th scope="col">Answers here</th><th scope="col">Left after this step</th>
        </tr>
      </thead>
      <tbody>
        ${r.steps.map(
          (s, i) => html`<tr>
            <th scope="row"><code dir="auto">${s.label}</code><span class="meter" style=${`inline-size: ${s.conversion ?? 0}%`}></span></th>
            <td class="num">${s.count}</td>
            <td class="num">${s.conversion === null ? '—' : `${s.conversion}%`}</td>
            <td class="num">${s.fromPrevious === null ? '—' : `${s.fromPrevious}%`}</td>
            <td class="num">${i ? s.dropped : '—'}</td>
            <td class="num">${duration(s.medianSeconds)}</td>
            <td>${Object.entries(s.friction).filter(([, n]) => n).map(([k, n]) => html`<span class="tag tag--friction">${k} ${n}</span> `)}${Object.values(s.friction).some((n) => n) ? nothing : '—'}</td>
            <td class="num">${s.chats}</td>
            <td>${(() => {
              const given = Object.entries(s.answers).filter(([, a]) => a.n);
              return given.length ? given.map(([t, a]) => html`<span class="tag" title=${MEANING[t] ?? ''}>${NAMES[t] ?? t} ${fmt(a)}<span class="sr-only"> ${MEANING[t] ?? ''},</span> (${a.n}<span class="sr-only"> answers</span>)</span> `) : '—';
            })()}</td>
            <td>
              ${(() => {
                const next = r.steps[i + 1];
                if (!next?.dropouts.length) return '—';
                return html`<ul>
                  ${next.dropouts.map((d) => html`<li>${d.sessionId ? html`<a href=${replayLink(d.sessionId, Date.parse(d.at))}>${d.struggle ? `Replay at the ${d.struggle.toLowerCase()}` : 'Replay'}, ${when(d.at)}</a>` : when(d.at)}</li>`)}
                </ul>`;
              })()}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /**
   * Each rule with a holdout: its helped and held-out groups' conversion through the funnel and
   * the difference, the rule's effect (same rule matched both; a fixed share of visitors chose).
   */
  private _effects(rows: Bucket[]) {
    const rules = [...new Set(rows.filter((b) => b.value.startsWith('held out: ')).map((b) => b.value.slice(10)))];
    if (!rules.length) return html`<p class="muted">No rule has a holdout here: "help" beside "no help" is a correlation (rules fire for those who struggle), not the rules' effect. Set a holdout on a rule to measure it.</p>`;
    const pct = (n: number | null) => (n === null ? '—' : `${n}%`);
    return html`<h3>Effect of each rule (helped vs held out)</h3>
      <table>
        <thead><tr><th scope="col">Rule</th><th scope="col" class="num">Helped</th><th scope="col" class="num">Helped conversion</th><th scope="col" class="num">Held out</th><th scope="col" class="num">Held-out conversion</th><th scope="col" class="num">Effect</th></tr></thead>
        <tbody>
          ${rules.map((id) => {
            const helped = rows.find((b) => b.value === `help: ${id}`);
            const held = rows.find((b) => b.value === `held out: ${id}`)!;
            const [a, c] = [helped ? through(helped) : null, through(held)];
            const few = (helped?.counts[0] ?? 0) < MIN_GROUP || (held.counts[0] ?? 0) < MIN_GROUP;
            const effect = a === null || c === null ? '—' : `${a - c > 0 ? '+' : ''}${Math.round((a - c) * 10) / 10} points${few ? ` (fewer than ${MIN_GROUP} in a group: too few to tell)` : ''}`;
            return html`<tr><th scope="row"><code>${id}</code></th><td class="num">${helped?.counts[0] ?? 0}</td><td class="num">${pct(a)}</td><td class="num">${held.counts[0]}</td><td class="num">${pct(c)}</td><td class="num">${effect}</td></tr>`;
          })}
        </tbody>
      </table>
      <p class="muted">The rule's effect is helped minus held out: the same rule matched both groups and a fixed share of visitors was held out. "Help" against "no help" compares with those no rule matched, who struggled less: that difference is not the rule's.</p>`;
  }

  override render() {
    const r = this._r;
    return html`<h1>Journeys</h1>
      <h2>Funnel</h2>
      <form @submit=${(e: SubmitEvent) => (e.preventDefault(), void this._load())}>
        <ol class="steps">
          ${this._steps.map((s, i) => this._stepRow(s, i))}
        </ol>
        <div class="bar">
          ${this._steps.length < 10 ? html`<button type="button" class="button" @click=${() => (this._steps = [...this._steps, { page: '/' }])}>Add a step</button>` : nothing}
          <label
            >Count
            <select @change=${(e: Event) => (this._unit = (e.target as HTMLSelectElement).value as Unit)}>
              <option value="customer" ?selected=${this._unit === 'customer'}>Customers (devices joined when verified)</option>
              <option value="session" ?selected=${this._unit === 'session'}>Sessions</option>
            </select>
          </label>
          <label>Window (days from step 1) <input type="number" min="1" max="90" .value=${String(this._window)} @change=${(e: Event) => (this._window = Number((e.target as HTMLInputElement).value) || 14)} /></label>
          <label
            >Break down by
            <select @change=${(e: Event) => (this._breakdown = (e.target as HTMLSelectElement).value as Breakdown)}>
              ${Object.entries(BREAKDOWNS).map(([k, v]) => html`<option value=${k} ?selected=${this._breakdown === k}>${v}</option>`)}
            </select>
          </label>
          <label>From <input type="date" .value=${this._from} @change=${(e: Event) => (this._from = (e.target as HTMLInputElement).value)} /></label>
          <label>To <input type="date" .value=${this._to} @change=${(e: Event) => (this._to = (e.target as HTMLInputElement).value)} /></label>
          <button class="button">Show funnel</button>
        </div>
      </form>
      ${this._error ? errorState(this._error, () => this._load()) : nothing}
      ${r
        ? html`<p class="muted">
              Step 1 between ${this._from} and ${this._to}; each later step within ${r.windowDays} days of it, in order, anything between. A ${r.unit} counts once, at the furthest step it reached.
            </p>
            ${this._table(r)}
            ${r.breakdown
              ? html`<h2>By ${BREAKDOWNS[this._breakdown].toLowerCase()}</h2>
                  <table>
                    <thead><tr><th scope="col">${BREAKDOWNS[this._breakdown]}</th>${r.steps.map((s) => html`<th scope="col" class="num" dir="auto">${s.label}</th>`)}</tr></thead>
                    <tbody>
                      ${(this._breakdown === 'help' ? helpOrder(r.breakdown) : r.breakdown).map((b) => html`<tr><th scope="row">${b.value}</th>${b.counts.map((n) => html`<td class="num">${n}</td>`)}</tr>`)}
                    </tbody>
                  </table>
                  ${this._breakdown === 'help' ? this._effects(r.breakdown) : nothing}`
              : nothing}`
        : nothing}
      ${this._site ? html`<tp-console-struggle .site=${this._site} .from=${this._from} .to=${this._to}></tp-console-struggle><tp-console-help-rules .site=${this._site}></tp-console-help-rules>` : nothing}`;
  }
}
customElements.define('tp-console-journeys', TpConsoleJourneys);
