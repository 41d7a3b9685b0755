import { LitElement, css, html, nothing } from 'lit';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';
import type { SiteSettings } from '../site-settings.js';
import type { BusinessHours, Weekday } from '../business-hours.js';
import { errorState } from './error-state.js';

const DAYS: [Weekday, string][] = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];
const CATEGORIES = ['necessary', 'functional', 'analytics', 'replay', 'marketing'];
type Answer = { keywords: string[]; answer: string };

/**
 * The site's settings, each section saved on its own (`PUT …/site-settings`
 * with that section only): site (name, time zone, currency, origins), chat
 * (greeting, hours per weekday in the site's zone, holidays, offline form),
 * the bot's answers with a test box, the consent policy, webhooks and
 * forwarding; import and export of the site file. What the server refuses is
 * shown beside the section with the path it names. Agents see it read-only.
 */
export class TpSiteSettings extends LitElement {
  static override styles = [
    pageStyles,
    css`
      /* One column that may shrink (minmax 0): a sized input (the bot's test box, size=40) no longer widens the form past a phone. */
      form { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.6rem; max-width: 46rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; }
      fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
      .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
      .day { display: grid; grid-template-columns: 7rem auto 6.5rem 6.5rem; gap: 0.5rem; align-items: center; font-size: 0.9rem; }
      /* Phones: a weekday is two lines (name and open, then from and to); on one line it was ~70 px wider than a 390 px screen. */
      @media (max-width: 30rem) {
        .day { grid-template-columns: 1fr 1fr; padding-block-end: 0.35rem; border-bottom: 1px solid #eaeef2; }
        .row > label { min-width: 0; flex: 1 1 12rem; }
        input[size] { width: 100%; }
      }
      .answer { display: grid; grid-template-columns: 1fr 2fr auto; gap: 0.5rem; align-items: start; }
      textarea { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8c959f; border-radius: 6px; }
      [role='alert'] { color: #a40e26; margin: 0; }
      output { display: block; background: #f6f8fa; border-radius: 6px; padding: 0.4rem 0.6rem; }
    `,
  ];
  static override properties = { site: {}, _s: { state: true }, _can: { state: true }, _msg: { state: true }, _err: { state: true }, _answers: { state: true }, _test: { state: true }, _loadError: { state: true } };
  declare site: string;
  declare private _s: (SiteSettings & { key: string }) | undefined;
  declare private _can: boolean;
  declare private _msg: string;
  declare private _err: Record<string, string>;
  declare private _answers: Answer[];
  declare private _test: string;
  /** The settings could not be read: said in words, with a Retry (error-state.ts). */
  declare private _loadError: string | undefined;

  constructor() {
    super();
    this.site = '';
    this._can = false;
    this._msg = '';
    this._err = {};
    this._answers = [];
    this._test = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load() {
    try {
      this._apply(await api<{ canManage: boolean; settings: SiteSettings & { key: string } }>(`/sites/${encodeURIComponent(this.site)}/site-settings`));
      this._loadError = undefined;
    } catch (e) {
      this._loadError = (e as Error).message;
    }
  }

  private _apply(r: { canManage: boolean; settings: SiteSettings & { key: string } }) {
    this._can = r.canManage;
    this._s = r.settings;
    this._answers = structuredClone(r.settings.chat?.answers ?? []);
  }

  private _v(form: HTMLFormElement, name: string): string {
    return ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
  }

  /** Saves one section; a refusal is shown in that section with the server's path and sentence. */
  private async _save(section: string, body: Record<string, unknown>, done = `${section[0]!.toUpperCase()}${section.slice(1)} settings saved: visitors get them on their next page.`) {
    try {
      this._apply(await api(`/sites/${encodeURIComponent(this.site)}/site-settings`, body, 'PUT'));
      this._err = { ...this._err, [section]: '' };
      this._msg = done;
    } catch (e) {
      this._err = { ...this._err, [section]: (e as Error).message };
      this._msg = '';
    }
  }

  private _saveSite(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const currency = this._v(f, 'currency').toUpperCase();
    void this._save('site', {
      name: this._v(f, 'name'),
      timeZone: this._v(f, 'timeZone') || 'UTC',
      currency: currency || null,
    });
  }

  private _saveOrigins(e: Event) {
    e.preventDefault();
    void this._save('origins', { allowedOrigins: this._v(e.target as HTMLFormElement, 'origins').split(/[\s,]+/).filter(Boolean) }, 'Allowed origins saved.');
  }

  private _saveChat(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const days: BusinessHours['days'] = {};
    for (const [d] of DAYS) {
      if (!(f.elements.namedItem(`${d}-open`) as HTMLInputElement).checked) continue;
      days[d] = [{ from: this._v(f, `${d}-from`), to: this._v(f, `${d}-to`) }];
    }
    const holidays = this._v(f, 'holidays').split(/[\s,]+/).filter(Boolean);
    const old = this._s?.chat ?? {};
    void this._save('chat', {
      chat: {
        ...old,
        greeting: this._v(f, 'greeting'),
        hours: { days, ...(holidays.length ? { holidays } : {}) },
        offlineForm: (f.elements.namedItem('offlineForm') as HTMLInputElement).checked,
      },
    });
  }

  private _saveBot(e: Event) {
    e.preventDefault();
    void this._save('bot', { chat: { ...(this._s?.chat ?? {}), answers: this._answers } });
  }

  private _editAnswer(i: number, key: 'keywords' | 'answer', value: string) {
    const next = [...this._answers];
    next[i] = { ...next[i]!, [key]: key === 'keywords' ? value.split(',').map((k) => k.trim()).filter(Boolean) : value };
    this._answers = next;
  }

  private async _tryBot(e: Event) {
    e.preventDefault();
    const question = this._v(e.target as HTMLFormElement, 'question');
    if (!question) return;
    try {
      const r = await api<{ kind: string; text?: string; entry?: number }>(`/sites/${encodeURIComponent(this.site)}/bot/test`, { question, answers: this._answers });
      this._test = r.kind === 'handoff' ? 'Hands the conversation to a person.' : r.kind === 'fallback' ? `No answer matches; the fallback: ${r.text}` : `Answer ${r.entry! + 1}: ${r.text}`;
    } catch (err) {
      this._test = (err as Error).message;
    }
  }

  private _saveConsent(e: Event, bump = false) {
    e.preventDefault();
    const f = (e.target as HTMLElement).closest('form')!;
    const version = this._v(f, 'policyVersion') || '1';
    const next = bump ? (/^\d+$/.test(version) ? String(Number(version) + 1) : `${version}.1`) : version;
    void this._save('consent', {
      consent: {
        mode: this._v(f, 'mode'),
        policyVersion: next,
        categories: CATEGORIES.filter((c) => c === 'necessary' || (f.elements.namedItem(`cat-${c}`) as HTMLInputElement).checked),
        text: this._v(f, 'policyText'),
      },
    });
  }

  private _saveHooks(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const lines = (name: string) => this._v(f, name).split('\n').map((l) => l.trim()).filter(Boolean);
    void this._save('integrations', {
      integrations: {
        webhooks: lines('webhooks').map((l) => {
          const [url, events] = l.split(/\s+/, 2);
          return { url, events: (events ?? '*').split(',').filter(Boolean) };
        }),
        forward: lines('forward').map((url) => ({ url })),
      },
    });
  }

  private async _import(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const r = await api<{ imported: string[] }>('/sites/import', JSON.parse(await file.text()));
      this._err = { ...this._err, file: '' };
      this._msg = `Imported ${r.imported.join(', ')}.`;
      await this._load();
    } catch (err) {
      this._err = { ...this._err, file: err instanceof SyntaxError ? 'The file is not JSON.' : (err as Error).message };
    }
  }

  private _alert(section: string) {
    // Only when there is something to say: an empty alert would be one more match for "the alert" on the page.
    return this._err[section] ? html`<p role="alert" id=${`${section}-error`}>${this._err[section]}</p>` : nothing;
  }

  override render() {
    const s = this._s;
    if (this._loadError) return errorState(this._loadError, () => this._load());
    if (!s) return html`<p class="muted">Loading settings…</p>`;
    const ro = !this._can;
    const hours = s.chat?.hours;
    const consent = s.consent ?? { mode: 'opt-in', policyVersion: '1', categories: CATEGORIES as never };
    const zones = Intl.supportedValuesOf('timeZone');
    return html`
      ${ro ? html`<p class="muted">You can read these settings; owners and admins change them.</p>` : nothing}
      <p role="status" id="saved">${this._msg}</p>
      <h2 id="site-h">Site</h2>
      <form aria-labelledby="site-h" @submit=${(e: Event) => this._saveSite(e)}>
        <fieldset ?disabled=${ro}>
          <label>Site name <input name="name" required maxlength="200" .value=${s.name ?? ''} /></label>
          <div class="row">
            <label>Time zone <input name="timeZone" list="zones" .value=${s.timeZone ?? 'UTC'} aria-describedby="site-error" /></label>
            <datalist id="zones">${zones.map((z) => html`<option value=${z}></option>`)}</datalist>
            <label>Currency (ISO 4217) <input name="currency" maxlength="3" size="5" .value=${s.currency ?? ''} placeholder="EUR" /></label>
          </div>
          <p class="muted">Every day in the reports, "today" and the business hours are this zone's.</p>
          ${this._alert('site')}
          <div><button type="submit" class="button">Save site</button></div>
        </fieldset>
      </form>
      <h2 id="origins-h">Allowed origins</h2>
      <form @submit=${(e: Event) => this._saveOrigins(e)}>
        <fieldset ?disabled=${ro}>
          <p class="muted">Only pages on these origins may send data (<code>https://shop.example</code>, one per line; <code>*</code> allows any). Others are refused with <code>403 origin_not_allowed</code>.</p>
          <label>Allowed origins <textarea name="origins" rows="3" cols="60">${(s.allowedOrigins ?? []).join('\n')}</textarea></label>
          ${this._alert('origins')}
          <div><button type="submit" class="button">Save origins</button></div>
        </fieldset>
      </form>

      <h2 id="chat-h">Chat</h2>
      <form aria-labelledby="chat-h" @submit=${(e: Event) => this._saveChat(e)}>
        <fieldset ?disabled=${ro}>
          <label>Greeting <textarea name="greeting" rows="2" cols="60" maxlength="500">${s.chat?.greeting ?? ''}</textarea></label>
          <p class="muted">Business hours, in the site's time zone (${s.timeZone ?? 'UTC'}). Outside them the launcher says no one is online.</p>
          ${DAYS.map(([d, name]) => {
            const r = hours?.days[d]?.[0];
            return html`<div class="day">
              <span>${name}</span>
              <label class="row"><input type="checkbox" name=${`${d}-open`} ?checked=${!!r} /> open</label>
              <label>from <input name=${`${d}-from`} type="time" .value=${r?.from ?? '09:00'} /></label>
              <label>to <input name=${`${d}-to`} type="time" .value=${r?.to === '24:00' ? '23:59' : (r?.to ?? '17:00')} /></label>
            </div>`;
          })}
          ${!hours && s.chat?.businessHours ? html`<p class="muted">Until saved, visitors read the old text: “${s.chat.businessHours}”.</p>` : nothing}
          <label>Holidays (YYYY-MM-DD, comma separated) <input name="holidays" .value=${(hours?.holidays ?? []).join(', ')} /></label>
          <label class="row"><input type="checkbox" name="offlineForm" ?checked=${s.chat?.offlineForm !== false} /> Offer the e-mail form when no one is available</label>
          ${this._alert('chat')}
          <div><button type="submit" class="button">Save chat</button></div>
        </fieldset>
      </form>

      <h2 id="bot-h">The bot's answers</h2>
      <form aria-labelledby="bot-h" @submit=${(e: Event) => this._saveBot(e)}>
        <fieldset ?disabled=${ro}>
          <p class="muted">The first answer one of whose keywords starts a word of the visitor's message is sent; none: the fallback, which offers a person. ${s.chat?.answers ? '' : 'Until saved, the server\'s FAQ file answers.'}</p>
          ${this._answers.map(
            (a, i) => html`<div class="answer">
              <label>Keywords ${i + 1} <input .value=${a.keywords.join(', ')} @change=${(e: Event) => this._editAnswer(i, 'keywords', (e.target as HTMLInputElement).value)} /></label>
              <label>Answer ${i + 1} <textarea rows="2" .value=${a.answer} @change=${(e: Event) => this._editAnswer(i, 'answer', (e.target as HTMLTextAreaElement).value)}></textarea></label>
              <button type="button" class="button" aria-label=${`Remove answer ${i + 1}`} @click=${() => (this._answers = this._answers.filter((_, j) => j !== i))}>Remove</button>
            </div>`,
          )}
          <div class="row">
            <button type="button" class="button" @click=${() => (this._answers = [...this._answers, { keywords: [], answer: '' }])}>Add an answer</button>
            <button type="submit" class="button">Save answers</button>
          </div>
          ${this._alert('bot')}
        </fieldset>
      </form>
      <form aria-label="Test the bot" @submit=${(e: Event) => this._tryBot(e)}>
        <div class="row">
          <label>Try a question <input name="question" size="40" placeholder="How long does shipping take?" /></label>
          <button type="submit" class="button">Test</button>
        </div>
        <output aria-live="polite" id="bot-test">${this._test}</output>
      </form>

      <h2 id="consent-h">Consent policy</h2>
      <form aria-labelledby="consent-h" @submit=${(e: Event) => this._saveConsent(e)}>
        <fieldset ?disabled=${ro}>
          <div class="row">
            <label>Mode <select name="mode">${['opt-in', 'opt-out', 'none'].map((m) => html`<option ?selected=${consent.mode === m}>${m}</option>`)}</select></label>
            <label>Policy version <input name="policyVersion" size="8" .value=${consent.policyVersion} /></label>
          </div>
          <div class="row">
            ${CATEGORIES.map((c) => html`<label class="row"><input type="checkbox" name=${`cat-${c}`} ?checked=${c === 'necessary' || (consent.categories as string[]).includes(c)} ?disabled=${c === 'necessary'} /> ${c}</label>`)}
          </div>
          <label>Policy text <textarea name="policyText" rows="3" cols="60">${s.consent?.text ?? ''}</textarea></label>
          <p class="muted">A new version asks every visitor again on their next page.</p>
          ${this._alert('consent')}
          <div class="row">
            <button type="submit" class="button">Save consent policy</button>
            <button type="button" class="button" @click=${(e: Event) => this._saveConsent(e, true)}>Save as a new version</button>
          </div>
        </fieldset>
      </form>

      <h2 id="hooks-h">Webhooks and forwarding</h2>
      <form aria-labelledby="hooks-h" @submit=${(e: Event) => this._saveHooks(e)}>
        <fieldset ?disabled=${ro}>
          <label>Webhooks (one per line: URL, then event types comma separated, e.g. <code>https://hooks.example/tp conversation.*,survey.answered</code>)
            <textarea name="webhooks" rows="3" cols="60">${(s.integrations?.webhooks ?? []).map((w) => `${w.url} ${w.events.join(',')}`).join('\n')}</textarea></label>
          <label>Forward every event to (Segment-compatible URLs, one per line) <textarea name="forward" rows="2" cols="60">${(s.integrations?.forward ?? []).map((f) => f.url).join('\n')}</textarea></label>
          <p class="muted">Signing secrets are made by the server and kept when a URL stays. Inbound channels (e-mail, WhatsApp, Messenger…) have their own page: <a href="/console/channels">Channels</a>.</p>
          ${this._alert('integrations')}
          <div><button type="submit" class="button">Save webhooks and forwarding</button></div>
        </fieldset>
      </form>

      ${this._can
        ? html`<h2>Site file</h2>
            <p class="muted">The same settings as a file (<code>TOUCHPOINT_SITES_FILE</code>): export this site, or import a file of one or more sites — checked whole before anything changes.</p>
            <div class="row">
              <a class="button" href=${`/v1/agent/sites/${encodeURIComponent(this.site)}/export`} download>Export site file</a>
              <label>Import a site file <input type="file" accept="application/json,.json" @change=${(e: Event) => this._import(e)} aria-describedby="file-error" /></label>
            </div>
            ${this._alert('file')}`
        : nothing}
    `;
  }
}
customElements.define('tp-site-settings', TpSiteSettings);
