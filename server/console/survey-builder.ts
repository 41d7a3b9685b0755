import { LitElement, css, html, nothing } from 'lit';
import { LANGUAGE_TAG, QUESTION_TYPES, type SurveyDefinition, type SurveyTranslation } from 'touchpoint/protocol';
import { api } from './api.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';

type Question = SurveyDefinition['questions'][number];
type Draft = SurveyDefinition;
interface Stored {
  canManage: boolean;
  settings: { surveys?: Draft[]; pausedSurveys?: Draft[] };
}

const TYPE_NAMES: Record<string, string> = {
  ces: 'CES — effort, 1–7',
  csat: 'CSAT — satisfaction, 1–5',
  nps: 'NPS — recommend, 0–10',
  cli_buy: 'Buy again, 0–10',
  cli_try: 'Try other products, 0–10',
  miss: 'Would you miss us',
  single: 'One choice',
  multi: 'Several choices',
  text: 'Free text',
};
const SCORED = new Set(['ces', 'csat', 'nps', 'cli_buy', 'cli_try']);

/** Where the preview element comes from: the standalone build the server serves (the very element visitors get). */
const ELEMENT_URL = '/elements/survey.js';

const blank = (): Draft => ({ id: '', version: 1, questions: [{ id: 'q1', type: 'ces' }] });

/** The definition without empty optional fields: what is published is what the schema documents. */
const clean = (d: Draft): Draft => JSON.parse(JSON.stringify(d, (_k, v) => (v === '' || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) ? undefined : v))) as Draft;

/**
 * The survey builder (Surveys → Build): create, edit, pause and resume a
 * site's surveys — every question type of the protocol, follow-ups (`showIf`
 * on an earlier question's score or choice), trigger, targeting, sampling and
 * cooldown — beside a live preview that is the real `<tp-survey>` element
 * (loaded from /elements/, inline, sending nothing). Publishing a survey whose
 * questions changed makes a new version: answers keep the version they were
 * given to (survey_answers.survey_version), so the report never scores old
 * answers against new questions.
 */
export class TpSurveyBuilder extends LitElement {
  static override styles = [
    pageStyles,
    css`
      :host { padding: 0; }
      .builder { display: grid; grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr); gap: 1rem; align-items: start; }
      @media (max-width: 60rem) { .builder { grid-template-columns: 1fr; } }
      form, .preview { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; display: grid; gap: 0.6rem; }
      .preview { position: sticky; top: 1rem; }
      fieldset { border: 1px solid #d0d7de; border-radius: 6px; display: grid; gap: 0.5rem; padding: 0.5rem 0.75rem; }
      legend { font-weight: 600; }
      .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
      textarea { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8c959f; border-radius: 6px; }
      [role='alert'] { color: #a40e26; margin: 0; }
      .list td form { display: inline; border: 0; padding: 0; background: none; }
    `,
  ];
  static override properties = { _site: { state: true }, _stored: { state: true }, _draft: { state: true }, _editing: { state: true }, _err: { state: true }, _msg: { state: true }, _ready: { state: true }, _lang: { state: true } };
  declare private _site: string | undefined;
  declare private _stored: Stored | undefined;
  declare private _draft: Draft | undefined;
  /** The id of the stored survey being edited; undefined for a new one. */
  declare private _editing: string | undefined;
  declare private _err: string;
  declare private _msg: string;
  declare private _ready: boolean;
  /** The language edited and previewed: a `translations` tag, or undefined for the survey's own texts. */
  declare private _lang: string | undefined;

  constructor() {
    super();
    this._err = '';
    this._msg = '';
    this._ready = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite().then((s) => {
      this._site = s;
      return this._load();
    });
    // The real element, from the server's standalone build; a variable URL, so the bundler leaves it to the browser.
    const url = ELEMENT_URL;
    void import(/* @vite-ignore */ url).then(
      () => (this._ready = true),
      () => (this._err = 'The survey element could not be loaded for the preview.'),
    );
  }

  private async _load() {
    if (!this._site) return;
    this._stored = await api<Stored>(`/sites/${encodeURIComponent(this._site)}/site-settings`);
  }

  private get _published() {
    return this._stored?.settings.surveys ?? [];
  }
  private get _paused() {
    return this._stored?.settings.pausedSurveys ?? [];
  }

  private _edit(d: Draft | undefined) {
    this._draft = d ? structuredClone(d) : blank();
    this._editing = d?.id;
    this._lang = undefined;
    this._err = '';
    this._msg = '';
  }

  /** Applies a change to the draft; a new object, so the preview element starts the survey afresh. */
  private _set(fn: (d: Draft) => void) {
    const d = structuredClone(this._draft!);
    fn(d);
    this._draft = d;
  }

  private _setQ(i: number, fn: (q: Question) => void) {
    this._set((d) => fn(d.questions[i]!));
  }

  private async _save(surveys: Draft[], paused: Draft[], done: string) {
    try {
      this._stored = await api<Stored>(`/sites/${encodeURIComponent(this._site!)}/site-settings`, { surveys, pausedSurveys: paused }, 'PUT');
      this._err = '';
      this._msg = done;
      return true;
    } catch (e) {
      this._err = (e as Error).message;
      return false;
    }
  }

  /** Publishes the draft: a new version when its questions changed from the stored one's. */
  private async _publish(e: Event) {
    e.preventDefault();
    const d = clean(this._draft!);
    const old = [...this._published, ...this._paused].find((s) => s.id === (this._editing ?? d.id));
    if (!this._editing && old) {
      this._err = `"${d.id}" is the id of another survey.`;
      return;
    }
    if (old) d.version = JSON.stringify(old.questions) === JSON.stringify(d.questions) ? old.version : old.version + 1;
    const others = this._published.filter((s) => s.id !== this._editing);
    const paused = this._paused.filter((s) => s.id !== this._editing);
    const bumped = old && d.version !== old.version;
    if (await this._save([...others, d], paused, `Published ${d.id}, version ${d.version}${bumped ? ' (new questions: earlier answers stay scored by their own version)' : ''}.`)) {
      this._editing = d.id;
      this._draft = d;
    }
  }

  private _pause(id: string, pause: boolean) {
    const from = pause ? this._published : this._paused;
    const s = from.find((x) => x.id === id)!;
    const published = pause ? this._published.filter((x) => x.id !== id) : [...this._published, s];
    const paused = pause ? [...this._paused, s] : this._paused.filter((x) => x.id !== id);
    void this._save(published, paused, pause ? `Paused ${id}: no visitor is asked.` : `Resumed ${id}.`);
  }

  private _question(q: Question, i: number, all: Question[]) {
    const earlier = all.slice(0, i);
    const parent = earlier.find((p) => p.id === q.showIf?.question);
    const n = i + 1;
    return html`<fieldset>
      <legend>Question ${n}</legend>
      <div class="row">
        <label>Id <input .value=${q.id} required pattern="[A-Za-z0-9_.:\\-]+" size="10" @change=${(e: Event) => this._setQ(i, (x) => (x.id = (e.target as HTMLInputElement).value.trim()))} /></label>
        <label>Type <select @change=${(e: Event) => this._setQ(i, (x) => (x.type = (e.target as HTMLSelectElement).value as Question['type']))}>
          ${QUESTION_TYPES.map((t) => html`<option value=${t} ?selected=${q.type === t}>${TYPE_NAMES[t] ?? t}</option>`)}
        </select></label>
        <label class="row"><input type="checkbox" .checked=${q.required ?? q.type !== 'text'} @change=${(e: Event) => this._setQ(i, (x) => (x.required = (e.target as HTMLInputElement).checked))} /> required</label>
      </div>
      <label>Prompt ${q.type === 'ces' ? html`<span class="muted">(empty: “{brand} made it easy for me to {task}”)</span>` : nothing}
        <input .value=${q.prompt ?? ''} maxlength="500" @change=${(e: Event) => this._setQ(i, (x) => (x.prompt = (e.target as HTMLInputElement).value))} /></label>
      ${q.type === 'single' || q.type === 'multi'
        ? html`<label>Options (one per line: <code>id: label</code>)
            <textarea rows="3" .value=${(q.options ?? []).map((o) => `${o.id}: ${o.label}`).join('\n')} @change=${(e: Event) =>
              this._setQ(i, (x) => (x.options = (e.target as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
                const [id, ...rest] = l.split(':');
                return { id: id!.trim(), label: (rest.join(':') || id!).trim() };
              })))}></textarea></label>`
        : nothing}
      ${earlier.length
        ? html`<div class="row">
            <label>Show only if <select @change=${(e: Event) => this._setQ(i, (x) => {
              const v = (e.target as HTMLSelectElement).value;
              if (v) x.showIf = { question: v };
              else delete x.showIf;
            })}>
              <option value="">always</option>
              ${earlier.map((p) => html`<option value=${p.id} ?selected=${q.showIf?.question === p.id}>${p.id} (${p.type})</option>`)}
            </select></label>
            ${parent && SCORED.has(parent.type)
              ? html`<label>score at most <input type="number" size="4" .value=${String(q.showIf?.max ?? '')} @change=${(e: Event) => this._setQ(i, (x) => {
                  const v = (e.target as HTMLInputElement).value;
                  if (v === '') delete x.showIf!.max;
                  else x.showIf!.max = Number(v);
                })} /></label>
                <label>score at least <input type="number" size="4" .value=${String(q.showIf?.min ?? '')} @change=${(e: Event) => this._setQ(i, (x) => {
                  const v = (e.target as HTMLInputElement).value;
                  if (v === '') delete x.showIf!.min;
                  else x.showIf!.min = Number(v);
                })} /></label>`
              : parent
                ? html`<label>answer is one of (comma separated) <input .value=${(q.showIf?.in ?? []).join(', ')} @change=${(e: Event) => this._setQ(i, (x) => (x.showIf!.in = (e.target as HTMLInputElement).value.split(',').map((v) => v.trim()).filter(Boolean)))} /></label>`
                : nothing}
          </div>`
        : nothing}
      <div class="row">
        <button type="button" class="button" ?disabled=${i === 0} @click=${() => this._set((d) => d.questions.splice(i - 1, 0, ...d.questions.splice(i, 1)))}>Move up</button>
        <button type="button" class="button" ?disabled=${all.length === 1} @click=${() => this._set((d) => d.questions.splice(i, 1))}>Remove question ${n}</button>
      </div>
    </fieldset>`;
  }

  /** Applies a change to the translation being edited (made on first use). */
  private _setT(fn: (t: SurveyTranslation) => void) {
    const tag = this._lang!;
    this._set((d) => fn(((d.translations ??= {})[tag] ??= {})));
  }

  /**
   * Languages (docs/surveys.md#languages): the survey's own language, and per added
   * language its texts beside the default ones (shown as placeholders). The preview
   * shows the language picked here, as a visitor reading it would see it.
   */
  private _languages(d: Draft) {
    const tags = Object.keys(d.translations ?? {});
    const tag = this._lang;
    const tr = tag ? d.translations?.[tag] : undefined;
    const val = (e: Event) => (e.target as HTMLInputElement).value;
    const text = (label: string, value: string | undefined, fallback: string | undefined, max: number, set: (t: SurveyTranslation, v: string | undefined) => void) =>
      html`<label>${label} <input .value=${value ?? ''} maxlength=${max} placeholder=${fallback ?? ''} @change=${(e: Event) => this._setT((t) => set(t, val(e) || undefined))} /></label>`;
    return html`<fieldset>
      <legend>Languages</legend>
      <div class="row">
        <label>Default language <input .value=${d.defaultLanguage ?? ''} placeholder="en" size="8" pattern=${LANGUAGE_TAG} @change=${(e: Event) => this._set((x) => (x.defaultLanguage = val(e).trim() || undefined))} /></label>
        <label>Edit and preview in <select @change=${(e: Event) => (this._lang = (e.target as HTMLSelectElement).value || undefined)}>
          <option value="" ?selected=${!tag}>${d.defaultLanguage ?? 'en'} (default)</option>
          ${tags.map((t) => html`<option value=${t} ?selected=${tag === t}>${t}</option>`)}
        </select></label>
        <label>Add a language <input id="new-lang" placeholder="zh-Hant, ar, ro" size="10" pattern=${LANGUAGE_TAG} /></label>
        <button type="button" class="button" @click=${() => {
          const input = this.renderRoot.querySelector<HTMLInputElement>('#new-lang')!;
          const t = input.value.trim();
          if (!t) return;
          this._set((x) => ((x.translations ??= {})[t] ??= {}));
          this._lang = t;
          input.value = '';
        }}>Add</button>
      </div>
      ${tag
        ? html`<div class="row">
              ${text(`Brand (${tag})`, tr?.brand, d.brand, 100, (t, v) => (t.brand = v))}
              ${text(`Task (${tag})`, tr?.task, d.task, 200, (t, v) => (t.task = v))}
            </div>
            ${d.questions.map((q) => {
              const qt = tr?.questions?.[q.id];
              const setQ = (fn: (x: NonNullable<SurveyTranslation['questions']>[string]) => void) => (t: SurveyTranslation) => fn(((t.questions ??= {})[q.id] ??= {}));
              return html`${text(`Prompt of ${q.id} (${tag})`, qt?.prompt, q.prompt ?? '(built-in text, translated)', 500, (t, v) => setQ((x) => (x.prompt = v))(t))}
                ${(q.options ?? []).map((o) => text(`Option ${o.id} of ${q.id} (${tag})`, qt?.options?.[o.id], o.label, 200, (t, v) => setQ((x) => ((x.options ??= {})[o.id] = v!))(t)))}`;
            })}
            ${text(`Thank-you text (${tag})`, tr?.thankYou, d.thankYou, 500, (t, v) => (t.thankYou = v))}
            <div><button type="button" class="button" @click=${() => {
              this._set((x) => {
                delete x.translations![tag];
                if (!Object.keys(x.translations!).length) delete x.translations;
              });
              this._lang = undefined;
            }}>Remove ${tag}</button></div>`
        : html`<p class="muted">Texts left empty in a language show in the default one; buttons and scale labels come from the element in English, Romanian, Chinese, Arabic and Hebrew.</p>`}
    </fieldset>`;
  }

  private _form(d: Draft) {
    const t = d.trigger ?? {};
    const tg = d.targeting ?? {};
    const num = (e: Event) => (e.target as HTMLInputElement).value;
    return html`<form aria-label="Survey" @submit=${(e: Event) => this._publish(e)}>
      <div class="row">
        <label>Survey id <input .value=${d.id} required pattern="[A-Za-z0-9_.:\\-]+" ?readonly=${!!this._editing} @change=${(e: Event) => this._set((x) => (x.id = (e.target as HTMLInputElement).value.trim()))} /></label>
        <span class="muted">version ${d.version}</span>
      </div>
      <div class="row">
        <label>Brand <input .value=${d.brand ?? ''} @change=${(e: Event) => this._set((x) => (x.brand = num(e)))} /></label>
        <label>Task <input .value=${d.task ?? ''} placeholder="place my order" @change=${(e: Event) => this._set((x) => (x.task = num(e)))} /></label>
      </div>
      ${d.questions.map((q, i, all) => this._question(q, i, all))}
      <div><button type="button" class="button" @click=${() => this._set((x) => x.questions.push({ id: `q${x.questions.length + 1}`, type: 'text' }))}>Add a question</button></div>
      <fieldset>
        <legend>When</legend>
        <div class="row">
          <label>After the event <input .value=${t.event ?? ''} placeholder="Order Completed" @change=${(e: Event) => this._set((x) => (x.trigger = { ...x.trigger, event: num(e) }))} /></label>
          <label>On pages <input .value=${t.url ?? ''} placeholder="/checkout/*" @change=${(e: Event) => this._set((x) => (x.trigger = { ...x.trigger, url: num(e) }))} /></label>
          <label>after (seconds) <input type="number" min="0" size="5" .value=${t.delayMs !== undefined ? String(t.delayMs / 1000) : ''} @change=${(e: Event) => this._set((x) => (x.trigger = { ...x.trigger, delayMs: num(e) === '' ? undefined : Math.round(Number(num(e)) * 1000) }))} /></label>
        </div>
        <div class="row">
          <label class="row"><input type="checkbox" .checked=${!!t.chatClosed} @change=${(e: Event) => this._set((x) => (x.trigger = { ...x.trigger, chatClosed: (e.target as HTMLInputElement).checked || undefined }))} /> when a chat is closed</label>
          <label class="row"><input type="checkbox" .checked=${!!t.exitIntent} @change=${(e: Event) => this._set((x) => (x.trigger = { ...x.trigger, exitIntent: (e.target as HTMLInputElement).checked || undefined }))} /> on exit intent</label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Who</legend>
        <div class="row">
          <label>Only on pages <input .value=${tg.url ?? ''} placeholder="/shop/*" @change=${(e: Event) => this._set((x) => (x.targeting = { ...x.targeting, url: num(e) }))} /></label>
          <label>Visitors <select @change=${(e: Event) => this._set((x) => {
            const v = (e.target as HTMLSelectElement).value;
            x.targeting = { ...x.targeting, identified: v === '' ? undefined : v === 'yes' };
          })}>
            <option value="" ?selected=${tg.identified === undefined}>all</option>
            <option value="yes" ?selected=${tg.identified === true}>signed in</option>
            <option value="no" ?selected=${tg.identified === false}>anonymous</option>
          </select></label>
          <label>With traits (<code>plan=pro</code>, comma separated) <input .value=${Object.entries(tg.traits ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')} @change=${(e: Event) => this._set((x) => {
            const traits = Object.fromEntries(num(e).split(',').map((p) => p.split('=').map((s) => s.trim())).filter(([k, v]) => k && v !== undefined));
            x.targeting = { ...x.targeting, traits: Object.keys(traits).length ? traits : undefined };
          })} /></label>
        </div>
        <div class="row">
          <label>Sample (% of visitors) <input type="number" min="0" max="100" size="5" .value=${d.sampleRate !== undefined ? String(Math.round(d.sampleRate * 100)) : ''} @change=${(e: Event) => this._set((x) => (x.sampleRate = num(e) === '' ? undefined : Number(num(e)) / 100))} /></label>
          <label>Cooldown (days after any survey) <input type="number" min="0" size="5" .value=${d.cooldownDays !== undefined ? String(d.cooldownDays) : ''} @change=${(e: Event) => this._set((x) => (x.cooldownDays = num(e) === '' ? undefined : Number(num(e))))} /></label>
          <label class="row"><input type="checkbox" .checked=${!!d.repeat} @change=${(e: Event) => this._set((x) => (x.repeat = (e.target as HTMLInputElement).checked || undefined))} /> ask again after the cooldown</label>
        </div>
      </fieldset>
      <label>Thank-you text <input .value=${d.thankYou ?? ''} @change=${(e: Event) => this._set((x) => (x.thankYou = num(e)))} /></label>
      ${this._languages(d)}
      ${this._err ? html`<p role="alert">${this._err}</p>` : nothing}
      <div class="row">
        <button type="submit" class="button">Publish</button>
        <button type="button" class="button" @click=${() => (this._draft = undefined)}>Close the builder</button>
      </div>
    </form>`;
  }

  override render() {
    if (!this._stored) return nothing;
    const can = this._stored.canManage;
    const d = this._draft;
    const row = (s: Draft, paused: boolean) => html`<tr>
      <td>${s.id}</td><td class="num">${s.version}</td><td>${s.questions.map((q) => q.type).join(', ')}</td><td>${paused ? 'paused' : 'published'}</td>
      <td>${can
        ? html`<button type="button" class="button" @click=${() => this._edit(s)}>Edit ${s.id}</button>
            <button type="button" class="button" @click=${() => this._pause(s.id, !paused)}>${paused ? 'Resume' : 'Pause'} ${s.id}</button>`
        : nothing}</td>
    </tr>`;
    return html`<h2 id="builder-h">Build</h2>
      <table class="list" aria-labelledby="builder-h">
        <thead><tr><th scope="col">Survey</th><th scope="col" class="num">Version</th><th scope="col">Questions</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          ${this._published.map((s) => row(s, false))}${this._paused.map((s) => row(s, true))}
          ${!this._published.length && !this._paused.length ? html`<tr><td colspan="5" class="muted">No surveys on this site yet.</td></tr>` : nothing}
        </tbody>
      </table>
      ${can && !d ? html`<p><button type="button" class="button" @click=${() => this._edit(undefined)}>New survey</button></p>` : nothing}
      <p role="status" id="builder-status">${this._msg}</p>
      ${d
        ? html`<div class="builder">
            ${this._form(d)}
            <section class="preview" aria-label="Preview">
              <h3>Preview</h3>
              <p class="muted">The survey as visitors see it; answers here are not sent.</p>
              ${this._ready && d.questions.every((q) => q.id) ? html`<tp-survey presentation="inline" .locale=${this._lang ?? d.defaultLanguage ?? 'en'} .definition=${clean({ ...d, id: d.id || 'preview' })}></tp-survey>` : html`<p class="muted">Loading the preview…</p>`}
            </section>
          </div>`
        : nothing}`;
  }
}
customElements.define('tp-survey-builder', TpSurveyBuilder);
