import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { Replayer } from 'rrweb';
import type { ReplayDetail, ReplayListItem, ReplayMarker } from '../reports/replays.js';
import { api } from './api.js';
import { currentSite } from './current-site.js';
import { errorState } from './error-state.js';
import { markerOffset } from './marker-offset.js';
import { clockTime, duration as clock, when } from './format-time.js';
import { visitorName } from './visitor-name.js';

const SPEEDS = [1, 2, 4, 8];
const KIND_LABEL: Record<ReplayMarker['kind'], string> = {
  page: 'Page view',
  click: 'Click',
  friction: 'Friction',
  error: 'Error',
  event: 'Event',
  chat: 'Chat message',
  survey: 'Survey answer',
};
interface AdoptedSheets {
  t: number;
  id: number;
  styleIds: number[];
  styles?: { styleId: number; rules: { rule: string }[] }[];
}

/** The list's filters, as they stand in the URL (`/console/replays?from=&to=&page=&customer=&friction=1&error=1&lowScore=1`). */
const FILTERS = ['from', 'to', 'page', 'customer', 'friction', 'error', 'lowScore'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const filtersOf = (search: string): Filters => {
  const q = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.flatMap((k) => (q.get(k) ? [[k, q.get(k)!]] : [])));
};

/**
 * Session replays: the list, and a player on rrweb's Replayer with play /
 * pause, speed, skip-inactivity, and a timeline whose markers are the
 * session's page views, clicks, friction, errors, chat messages and survey
 * answers. Deep links `/console/replays/{sessionId}?t={epoch ms}` open at that
 * moment (the survey and chat views link here). Light DOM: rrweb's player
 * styles (rrweb.css) apply to it.
 */
export class TpConsoleReplays extends LitElement {
  static override properties = {
    _list: { state: true },
    _detail: { state: true },
    _window: { state: true },
    _playing: { state: true },
    _now: { state: true },
    _speed: { state: true },
    _skip: { state: true },
    _error: { state: true },
    _filters: { state: true },
  };
  declare private _filters: Filters;
  declare private _list: ReplayListItem[] | undefined;
  declare private _detail: ReplayDetail | undefined;
  declare private _window: string | undefined;
  declare private _playing: boolean;
  declare private _now: number;
  declare private _speed: number;
  declare private _skip: boolean;
  declare private _error: string | undefined;
  private _player: Replayer | undefined;
  private _tick: number | undefined;
  private _start = 0;
  private _total = 0;
  /** The recording's adoptedStyleSheets events (lit's styles), re-applied after each seek. */
  private _adopted: AdoptedSheets[] = [];

  constructor() {
    super();
    this._playing = false;
    this._now = 0;
    this._speed = 1;
    this._skip = true;
    this._filters = filtersOf(location.search);
  }

  protected override createRenderRoot() {
    return this;
  }

  private get _sessionId(): string | undefined {
    const m = /^\/console\/replays\/([^/]+)/.exec(location.pathname);
    return m ? decodeURIComponent(m[1]!) : undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._sessionId) this._loadDetail(this._sessionId);
    else void this._loadList();
  }

  /** The list with the filters of the URL, on the console's current site (its days, its customers). */
  private async _loadList() {
    this._error = undefined;
    try {
      const site = await currentSite();
      const q = new URLSearchParams({ ...(site ? { site } : {}), ...this._filters });
      this._list = (await api<{ replays: ReplayListItem[] }>(`/replays?${q}`)).replays;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private _filter(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this._filters = Object.fromEntries(FILTERS.flatMap((k) => ((form.get(k) as string | null)?.trim() ? [[k, (form.get(k) as string).trim()]] : [])));
    const site = new URLSearchParams(location.search).get('site');
    const q = new URLSearchParams({ ...(site ? { site } : {}), ...this._filters }).toString();
    history.replaceState({}, '', `/console/replays${q ? `?${q}` : ''}`);
    void this._loadList();
  }

  private _loadDetail(id: string) {
    this._error = undefined;
    void api<ReplayDetail>(`/replays/${encodeURIComponent(id)}`).then(
      (d) => {
        const t = Number(new URL(location.href).searchParams.get('t')) || undefined;
        // The tab recording at the linked moment, else the first one.
        this._window = (t && d.windowIds.find((w) => w.first <= t && t <= w.last + 5_000)?.windowId) || d.windowIds[0]!.windowId;
        this._detail = d;
      },
      (e: Error) => (this._error = e.message),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._teardown();
  }

  private _teardown() {
    cancelAnimationFrame(this._tick ?? 0);
    this._player?.pause();
    this._player?.destroy();
    this._player = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_window') && this._window && this._detail) void this._load(this._detail.sessionId, this._window);
  }

  private async _load(sessionId: string, windowId: string) {
    this._teardown();
    const res = await fetch(`/v1/agent/replays/${encodeURIComponent(sessionId)}/events?window=${encodeURIComponent(windowId)}`);
    if (!res.ok) return void (this._error = `Could not load the recording (${res.status}).`);
    const events = (await res.json()) as { type: number; timestamp: number; data: { source?: number } & Partial<AdoptedSheets> }[];
    this._adopted = events
      .filter((e) => e.type === 3 && e.data.source === 15)
      .map((e) => ({ t: e.timestamp, id: e.data.id!, styleIds: e.data.styleIds!, ...(e.data.styles ? { styles: e.data.styles } : {}) }));
    const stage = this.querySelector<HTMLElement>('.stage')!;
    stage.replaceChildren();
    if (events.length < 2) return void (this._error = 'This recording has too few events to play.');
    // useVirtualDom off: seeking through rrdom drops adopted stylesheets (lit's styles) in rrweb 2.2.
    const player = new Replayer(events, { root: stage, skipInactive: this._skip, showWarning: false, mouseTail: false, triggerFocus: false, speed: this._speed, useVirtualDom: false });
    this._player = player;
    player.on('resize', (d) => this._fit(d as { width: number; height: number }));
    player.on('finish', () => (this._playing = false));
    const meta = player.getMetaData();
    this._start = meta.startTime;
    this._total = meta.totalTime;
    const t = Number(new URL(location.href).searchParams.get('t')) || 0;
    // Open a little before the linked moment, paused: the agent sees what led to it.
    // Never before the first snapshot has settled: the adopted stylesheets
    // (lit's styles) and fonts rrweb records just after it must be applied.
    const full = events.find((e) => e.type === 2)?.timestamp ?? this._start;
    const settled = events.filter((e) => e.timestamp - full < 200).at(-1)!.timestamp - this._start;
    const at = Math.max(settled, t ? Math.min(this._total, t - this._start - 2_000) : 0);
    player.pause(at);
    this._now = at;
    this._error = undefined;
    this._restyle();
    player.on('fullsnapshot-rebuilded', () => this._restyle());
  }

  /**
   * Seeking in rrweb 2.2 can leave shadow roots without their adopted
   * stylesheets (lit's styles): set them from the recording up to now.
   */
  private _restyle() {
    const p = this._player;
    const win = p?.iframe.contentWindow as (Window & typeof globalThis) | null | undefined;
    if (!p || !win) return;
    const mirror = p.getMirror();
    const sheets = new Map<number, CSSStyleSheet>();
    const now = this._start + this._now + 1;
    for (const a of this._adopted) {
      if (a.t > now) break;
      for (const s of a.styles ?? []) {
        const sheet = new win.CSSStyleSheet();
        for (const r of s.rules) {
          try {
            sheet.insertRule(r.rule, sheet.cssRules.length);
          } catch {
            // A rule this browser rejects: skip it, as the recorded page did.
          }
        }
        sheets.set(s.styleId, sheet);
      }
      const root = (mirror.getNode(a.id) as Element | null)?.shadowRoot;
      const list = a.styleIds.map((i) => sheets.get(i)).filter((x): x is CSSStyleSheet => !!x);
      if (root && list.length && !root.adoptedStyleSheets.length) root.adoptedStyleSheets = list;
    }
  }

  /** Scales the recorded viewport into the stage. */
  private _fit({ width, height }: { width: number; height: number }) {
    const stage = this.querySelector<HTMLElement>('.stage');
    const wrapper = this._player?.wrapper;
    if (!stage || !wrapper || !width) return;
    // Fit the width and the window's height: the playback controls under the stage stay above the fold
    // (at 1440×900 a 1280×720 recording is scaled, not pushed below it).
    const controls = this.querySelector<HTMLElement>('.controls')?.offsetHeight ?? 48;
    const room = Math.max(200, innerHeight - stage.getBoundingClientRect().top - controls - 24);
    const scale = Math.min(1, stage.clientWidth / width, room / height);
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.transformOrigin = 'top left';
    stage.style.height = `${height * scale}px`;
  }

  private _toggle() {
    const p = this._player;
    if (!p) return;
    if (this._playing) {
      p.pause();
      this._playing = false;
      cancelAnimationFrame(this._tick ?? 0);
    } else {
      p.play(this._now >= this._total ? 0 : this._now);
      this._playing = true;
      const loop = () => {
        this._now = p.getCurrentTime();
        if (this._playing) this._tick = requestAnimationFrame(loop);
      };
      loop();
    }
  }

  private _seek(ms: number) {
    this._now = Math.max(0, Math.min(this._total, ms));
    if (this._playing) this._player?.play(this._now);
    else this._player?.pause(this._now);
    this._restyle();
  }

  private _renderList() {
    const list = this._list;
    const f = this._filters;
    const check = (name: 'friction' | 'error' | 'lowScore', label: string) => html`<label class="check"><input type="checkbox" name=${name} value="1" .checked=${!!f[name]} /> ${label}</label>`;
    return html`<h1>Replays</h1>
      <form class="controls filters" role="search" aria-label="Filter recordings" @submit=${(e: SubmitEvent) => this._filter(e)}>
        <label>From <input type="date" name="from" .value=${f.from ?? ''} /></label>
        <label>To <input type="date" name="to" .value=${f.to ?? ''} /></label>
        <label>Page <input name="page" .value=${f.page ?? ''} placeholder="/checkout" size="12" /></label>
        <label>Customer <input name="customer" .value=${f.customer ?? ''} placeholder="user id or anonymous id" size="18" /></label>
        ${check('friction', 'Friction')} ${check('error', 'Errors')} ${check('lowScore', 'Low score')}
        <button type="submit" class="primary">Filter</button>
      </form>
      ${list?.length === 0
        ? html`<p class="muted">${Object.keys(f).length ? 'No recordings match these filters.' : 'No recordings yet. The demo site records sessions once replay consent is given.'}</p>`
        : nothing}
      <table class="data">
        <thead>
          <tr><th scope="col">Visitor</th><th scope="col">Started</th><th scope="col" class="num">Duration</th><th scope="col">Entry page</th><th scope="col" class="num">Pages</th><th scope="col">Signals</th><th scope="col" class="num">Tabs</th></tr>
        </thead>
        <tbody>
          ${(list ?? []).map(
            (r) => html`<tr class="replay-row">
              <td><a href=${`/console/replays/${encodeURIComponent(r.sessionId)}`} title=${`Session ${r.sessionId}, visitor ${r.userId ?? r.anonymousId ?? 'unknown'}`}>${visitorName(r)}</a></td>
              <td>${when(r.first)}</td>
              <td class="num">${clock(r.durationMs)}</td>
              <td>${r.entryPath ?? ''}</td>
              <td class="num">${r.pages}</td>
              <td>
                ${r.friction ? html`<span class="tag tag--friction">${r.friction} friction</span> ` : nothing}${r.errors ? html`<span class="tag tag--error">${r.errors} errors</span> ` : nothing}${r.lowScore
                  ? html`<span class="tag tag--poor">low score</span>`
                  : nothing}
              </td>
              <td class="num">${r.windows}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }

  override render() {
    if (!this._sessionId) return html`<div class="page">${this._error ? errorState(this._error, () => this._loadList()) : nothing}${this._renderList()}</div>`;
    const d = this._detail;
    const markers = (d?.markers ?? [])
      .filter((m) => m.t >= this._start - 1_000 && m.t <= this._start + this._total + 1_000)
      .map((m) => ({ ...m, at: markerOffset(m.t, this._start, this._total) }));
    return html`<div class="page replay">
      <h1>Replay <span class="muted">${this._sessionId}</span></h1>
      ${this._error ? errorState(this._error, () => this._loadDetail(this._sessionId!)) : nothing}
      ${d && d.windowIds.length > 1
        ? html`<label>Tab
            <select @change=${(e: Event) => (this._window = (e.target as HTMLSelectElement).value)}>
              ${d.windowIds.map((w, i) => html`<option value=${w.windowId} ?selected=${w.windowId === this._window}>Tab ${i + 1} (${clockTime(w.first)})</option>`)}
            </select></label
          >`
        : nothing}
      <div class="stage" aria-label="Recorded page"></div>
      <div class="controls" role="group" aria-label="Playback">
        <button type="button" class="primary" @click=${() => this._toggle()}>${this._playing ? 'Pause' : 'Play'}</button>
        <span class="time" aria-live="off">${clock(this._now)} / ${clock(this._total)}</span>
        <div class="timeline">
          <input
            type="range"
            aria-label="Position"
            min="0"
            max=${this._total}
            step="100"
            .value=${String(this._now)}
            @input=${(e: Event) => this._seek(Number((e.target as HTMLInputElement).value))}
          />
          ${markers.map(
            (m) => html`<button
              type="button"
              class=${`marker marker--${m.kind}`}
              style=${`left:${this._total ? (m.at / this._total) * 100 : 0}%`}
              title=${`${KIND_LABEL[m.kind]}: ${m.label}`}
              aria-label=${`${KIND_LABEL[m.kind]} at ${clock(m.at)}: ${m.label}`}
              @click=${() => this._seek(m.at)}
            ></button>`,
          )}
        </div>
        <label>Speed
          <select @change=${(e: Event) => {
            this._speed = Number((e.target as HTMLSelectElement).value);
            this._player?.setConfig({ speed: this._speed });
          }}>
            ${SPEEDS.map((s) => html`<option value=${s} ?selected=${s === this._speed}>${s}×</option>`)}
          </select>
        </label>
        <label><input type="checkbox" .checked=${this._skip} @change=${(e: Event) => {
          this._skip = (e.target as HTMLInputElement).checked;
          this._player?.setConfig({ skipInactive: this._skip });
        }} /> Skip inactivity</label>
      </div>
      <h2>Timeline</h2>
      <ol class="events">
        ${markers.map((m) => html`<li><button type="button" class="link" @click=${() => this._seek(m.at)}>${clock(m.at)}</button> <span class=${`tag tag--${m.kind}`}>${KIND_LABEL[m.kind]}</span> ${m.label}</li>`)}
      </ol>
    </div>`;
  }
}
customElements.define('tp-console-replays', TpConsoleReplays);
