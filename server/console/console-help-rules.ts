import { LitElement, css, html, nothing } from 'lit';
import { CHANNELS, HelpSettings, type HelpRule } from 'touchpoint/protocol';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';

type When = HelpRule['when'];
type Action = HelpRule['action'];
type Fault = { path: string; message: string };

/** What "Add a rule" starts from: the issue's example, to be edited before it is saved. */
const NEW_RULE = (n: number): HelpRule => ({ id: `rule-${n}`, when: { path: '/checkout*', friction: { rage: 2 } }, action: { kind: 'chat', message: 'Having trouble? Ask us, we answer in minutes.' } });
const KINDS: Action['kind'][] = ['chat', 'survey', 'link'];

/** One line per rule: what it waits for and what it does, as read at a glance. */
const summary = (r: HelpRule) => {
  const w = r.when;
  const parts = [
    w.path && `on ${w.path}`,
    w.friction && `after ${[w.friction.rage && `${w.friction.rage} rage`, w.friction.dead && `${w.friction.dead} dead`, w.friction.error && `${w.friction.error} error`].filter(Boolean).join(' or ')} clicks`,
    w.event && `after ${w.event}`,
    w.secondsOnPage && `after ${w.secondsOnPage} s on the page`,
    w.cart && `${w.cart.property} ${w.cart.min ?? '…'}–${w.cart.max ?? '…'}`,
    w.identified !== undefined && (w.identified ? 'signed in' : 'anonymous'),
    w.channel && `${w.channel.touch} touch ${w.channel.in.join('/')}`,
  ].filter(Boolean);
  const a = r.action;
  const does = a.kind === 'chat' ? `open the chat: “${a.message}”` : a.kind === 'survey' ? `show the survey ${a.surveyId}` : `show the link “${a.text}”`;
  return `${parts.join(', ')} → ${does} (at most ${r.maxPerSession ?? 1} a session${r.holdout ? `, ${percent(r.holdout)} % held out` : ''})`;
};

/** A key set to a value, or removed when the value is empty (the schema has no empty conditions). */
const put = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): T => {
  const c = { ...o };
  if (v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) delete c[k];
  else c[k] = v;
  return c;
};
const int = (s: string) => (s.trim() === '' ? undefined : Number(s));
/** A holdout share as the percent the form shows (0.1 → 10), without float noise; and back. */
const percent = (h: number | undefined) => (h === undefined ? '' : String(Math.round(h * 10_000) / 100));
const share = (s: string) => (s.trim() === '' ? undefined : Number(s) / 100);
const value = (e: Event) => (e.target as HTMLInputElement).value;

/**
 * The schema's faults for a settings document, as the server's validate()
 * would find them (the same HelpSettings schema, interpreted by TypeBox's
 * Value, loaded only when saving). A union (the action) reports every branch:
 * only the branch of the action's own kind is kept.
 */
const faultsOf = async (help: unknown): Promise<Fault[]> => {
  const { default: Value } = await import('typebox/value');
  const rules = (help as { rules?: { action?: { kind?: string } }[] }).rules;
  const seen = new Set<string>();
  return [...Value.Errors(HelpSettings, help)]
    .filter((e) => {
      const m = /^#\/properties\/rules\/items\/properties\/action\/anyOf\/(\d)/.exec(e.schemaPath);
      const i = /^\/rules\/(\d+)/.exec(e.instancePath);
      return !m || !i || KINDS.indexOf(rules?.[Number(i[1])]?.action?.kind as Action['kind']) === Number(m[1]);
    })
    .filter((e) => !seen.has(e.instancePath) && !!seen.add(e.instancePath))
    .map((e) => ({ path: e.instancePath || '/', message: e.message }));
};

/**
 * Journeys → Help rules (docs/console.md#help-rules): the site's real-time
 * help rules as a form — per rule its page pattern, trigger conditions,
 * action and cap per session — with the JSON (the shape of docs/protocol.md
 * §5.2) as an advanced view of the same rules. Saving checks the document
 * against the schema the server validates with, naming each fault by its
 * field, then sends it (`PUT …/help-rules`); what only the server can say
 * (a duplicate id, an unknown survey) comes back with its path and is shown
 * the same way. Only owners and admins may save (the server says so to the others).
 */
export class TpConsoleHelpRules extends LitElement {
  static override styles = [
    pageStyles,
    css`
      textarea { inline-size: 100%; min-block-size: 14rem; font-family: ui-monospace, monospace; }
      ul.rules { padding-inline-start: 1.25rem; }
      fieldset { border: 1px solid #d0d7de; border-radius: 8px; margin: 0.75rem 0; padding: 0.5rem 1rem 1rem; background: #fff; }
      legend { font-weight: 600; }
      fieldset fieldset { border-style: dashed; }
      input[type='number'] { inline-size: 6rem; }
      [aria-invalid='true'] { border-color: #a40e26; outline: 2px solid #a40e26; }
      .error { color: #a40e26; }
    `,
  ];
  static override properties = { site: {}, _saved: { state: true }, _rules: { state: true }, _cooldown: { state: true }, _holdout: { state: true }, _json: { state: true }, _text: { state: true }, _faults: { state: true }, _status: { state: true } };
  declare site: string;
  declare private _saved: HelpSettings | undefined;
  declare private _rules: HelpRule[];
  declare private _cooldown: number | undefined;
  /** The settings' holdout share, the default of every rule that sets none. */
  declare private _holdout: number | undefined;
  declare private _json: boolean;
  declare private _text: string;
  declare private _faults: Fault[];
  declare private _status: { ok: boolean; text: string } | undefined;

  constructor() {
    super();
    this.site = '';
    this._rules = [];
    this._json = false;
    this._text = '';
    this._faults = [];
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('site') && this.site) void this._load();
  }

  private async _load() {
    this._saved = await api<HelpSettings>(`/sites/${encodeURIComponent(this.site)}/help-rules`);
    this._rules = structuredClone(this._saved.rules);
    this._cooldown = this._saved.cooldownSeconds;
    this._holdout = this._saved.holdout;
  }

  private get _doc(): HelpSettings {
    return { ...(this._cooldown === undefined ? {} : { cooldownSeconds: this._cooldown }), ...(this._holdout === undefined ? {} : { holdout: this._holdout }), rules: this._rules };
  }

  private _rule(i: number, change: (r: HelpRule) => HelpRule) {
    this._rules = this._rules.map((r, j) => (j === i ? change(r) : r));
  }

  private _when(i: number, change: (w: When) => When) {
    this._rule(i, (r) => ({ ...r, when: change(r.when) }));
  }

  /** The JSON view edits the same rules: switching back reads it, and refuses what is not JSON. */
  private _toggle() {
    if (!this._json) {
      this._text = JSON.stringify(this._doc, null, 2);
      this._json = true;
      return;
    }
    const doc = this._parse();
    if (!doc) return;
    this._rules = Array.isArray(doc.rules) ? doc.rules : [];
    this._cooldown = doc.cooldownSeconds;
    this._holdout = doc.holdout;
    this._json = false;
  }

  private _parse(): HelpSettings | undefined {
    try {
      return JSON.parse(this._text) as HelpSettings;
    } catch (e) {
      this._status = { ok: false, text: `Not JSON: ${(e as Error).message}` };
      return undefined;
    }
  }

  private async _save() {
    const body = this._json ? this._parse() : this._doc;
    if (!body) return;
    this._faults = await faultsOf(body);
    if (this._faults.length) {
      this._status = { ok: false, text: `Not saved: ${this._faults.map((f) => `${this._where(f.path)} ${f.message}`).join('; ')}.` };
      return;
    }
    try {
      this._saved = await api<HelpSettings>(`/sites/${encodeURIComponent(this.site)}/help-rules`, body, 'PUT');
      this._rules = structuredClone(this._saved.rules);
      this._cooldown = this._saved.cooldownSeconds;
      this._holdout = this._saved.holdout;
      if (this._json) this._text = JSON.stringify(this._saved, null, 2);
      this._status = { ok: true, text: this._saved.rules.length ? `Saved: ${this._saved.rules.length} rule(s), live on the site within a minute.` : 'Saved: no rules, nothing loads on the site.' };
    } catch (e) {
      // The server's refusal names its field ("/rules/0/id: … is used by an earlier rule"): marked like the schema's.
      const message = (e as Error).message;
      const path = /^(\/[^:\s]*):/.exec(message)?.[1];
      this._faults = path ? [{ path, message }] : [];
      this._status = { ok: false, text: message };
    }
  }

  /** A fault's path in words: `/rules/0/action/message` → `Rule 1 (checkout-rage) › action › message:`. */
  private _where(path: string) {
    const m = /^\/rules\/(\d+)(.*)$/.exec(path);
    if (!m) return `${path}:`;
    const r = this._rules[Number(m[1])];
    return `Rule ${Number(m[1]) + 1}${r?.id ? ` (${r.id})` : ''}${m[2]!.split('/').filter(Boolean).map((k) => ` › ${k}`).join('')}:`;
  }

  /** Marks a field whose path (or a path below it) has a fault. */
  private _bad(path: string) {
    return this._faults.some((f) => f.path === path || f.path.startsWith(`${path}/`)) ? 'true' : 'false';
  }

  private _ruleForm(r: HelpRule, i: number) {
    const w = r.when;
    const a = r.action;
    const at = `/rules/${i}`;
    const friction = (k: 'rage' | 'dead' | 'error', label: string) =>
      html`<label
        >${label}
        <input type="number" min="1" max="100" aria-invalid=${this._bad(`${at}/when/friction`)} .value=${String(w.friction?.[k] ?? '')}
          @change=${(e: Event) => this._when(i, (x) => { const f = put(x.friction ?? {}, k, int(value(e))); return put(x, 'friction', Object.keys(f).length ? f : undefined); })}
      /></label>`;
    const channel = w.channel;
    return html`<fieldset>
      <legend>Rule ${i + 1}: ${r.id}</legend>
      <div class="bar">
        <label>Id <input required maxlength="64" aria-invalid=${this._bad(`${at}/id`)} .value=${r.id} @change=${(e: Event) => this._rule(i, (x) => ({ ...x, id: value(e).trim() }))} /></label>
        <label>Page pattern <input maxlength="500" placeholder="/checkout*" aria-invalid=${this._bad(`${at}/when/path`)} .value=${w.path ?? ''} @change=${(e: Event) => this._when(i, (x) => put(x, 'path', value(e).trim()))} /></label>
        <label>At most per session <input type="number" min="1" max="10" placeholder="1" aria-invalid=${this._bad(`${at}/maxPerSession`)} .value=${String(r.maxPerSession ?? '')} @change=${(e: Event) => this._rule(i, (x) => put(x, 'maxPerSession', int(value(e))))} /></label>
        <label>Held out (% of visitors, 0–50) <input type="number" min="0" max="50" step="any" placeholder=${percent(this._holdout) || '0'} aria-invalid=${this._bad(`${at}/holdout`)} .value=${percent(r.holdout)} @change=${(e: Event) => this._rule(i, (x) => put(x, 'holdout', share(value(e))))} /></label>
        <button type="button" class="button" @click=${() => (this._rules = this._rules.filter((_, j) => j !== i))}>Remove rule ${i + 1}</button>
      </div>
      <fieldset>
        <legend>When (every condition given must hold; clicks: any count reached)</legend>
        <div class="bar">
          ${friction('rage', 'Rage clicks')} ${friction('error', 'Error clicks')} ${friction('dead', 'Dead clicks')}
          <label>Seconds on page <input type="number" min="0" max="3600" aria-invalid=${this._bad(`${at}/when/secondsOnPage`)} .value=${String(w.secondsOnPage ?? '')} @change=${(e: Event) => this._when(i, (x) => put(x, 'secondsOnPage', int(value(e))))} /></label>
          <label>After event <input maxlength="200" placeholder="Coupon Failed" aria-invalid=${this._bad(`${at}/when/event`)} .value=${w.event ?? ''} @change=${(e: Event) => this._when(i, (x) => put(x, 'event', value(e).trim()))} /></label>
        </div>
        <div class="bar">
          <label>Cart property <input maxlength="100" placeholder="cart_value" aria-invalid=${this._bad(`${at}/when/cart`)} .value=${w.cart?.property ?? ''}
            @change=${(e: Event) => this._when(i, (x) => put(x, 'cart', value(e).trim() ? { ...x.cart, property: value(e).trim() } : undefined))} /></label>
          <label>Cart at least <input type="number" step="any" ?disabled=${!w.cart} .value=${String(w.cart?.min ?? '')} @change=${(e: Event) => this._when(i, (x) => (x.cart ? { ...x, cart: put(x.cart, 'min', int(value(e))) } : x))} /></label>
          <label>Cart at most <input type="number" step="any" ?disabled=${!w.cart} .value=${String(w.cart?.max ?? '')} @change=${(e: Event) => this._when(i, (x) => (x.cart ? { ...x, cart: put(x.cart, 'max', int(value(e))) } : x))} /></label>
          <label
            >Visitor
            <select @change=${(e: Event) => this._when(i, (x) => put(x, 'identified', value(e) === '' ? undefined : value(e) === 'yes'))}>
              <option value="" ?selected=${w.identified === undefined}>Anyone</option>
              <option value="yes" ?selected=${w.identified === true}>Signed in</option>
              <option value="no" ?selected=${w.identified === false}>Anonymous</option>
            </select>
          </label>
          <label
            >Channel touch
            <select @change=${(e: Event) => this._when(i, (x) => put(x, 'channel', value(e) ? { touch: value(e) as 'first' | 'last', in: x.channel?.in ?? [] } : undefined))}>
              <option value="" ?selected=${!channel}>Any channel</option>
              <option value="first" ?selected=${channel?.touch === 'first'}>First touch</option>
              <option value="last" ?selected=${channel?.touch === 'last'}>Last touch</option>
            </select>
          </label>
          ${channel
            ? html`<label
                >Channels
                <select multiple size="5" aria-invalid=${this._bad(`${at}/when/channel`)}
                  @change=${(e: Event) => this._when(i, (x) => ({ ...x, channel: { touch: x.channel!.touch, in: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value as (typeof CHANNELS)[number]) } }))}>
                  ${CHANNELS.map((c) => html`<option value=${c} ?selected=${channel.in.includes(c)}>${c}</option>`)}
                </select>
              </label>`
            : nothing}
        </div>
      </fieldset>
      <fieldset>
        <legend>Then</legend>
        <div class="bar">
          <label
            >Action
            <select @change=${(e: Event) => this._rule(i, (x) => ({ ...x, action: value(e) === 'chat' ? { kind: 'chat', message: '' } : value(e) === 'survey' ? { kind: 'survey', surveyId: '' } : { kind: 'link', text: '', url: '' } }))}>
              <option value="chat" ?selected=${a.kind === 'chat'}>Open the chat with a message</option>
              <option value="survey" ?selected=${a.kind === 'survey'}>Show a survey</option>
              <option value="link" ?selected=${a.kind === 'link'}>Show a help link</option>
            </select>
          </label>
          ${a.kind === 'chat'
            ? html`<label>Chat message <input maxlength="500" aria-invalid=${this._bad(`${at}/action/message`)} .value=${a.message} @change=${(e: Event) => this._rule(i, (x) => ({ ...x, action: { kind: 'chat', message: value(e).trim() } }))} /></label>`
            : a.kind === 'survey'
              ? html`<label>Survey id <input maxlength="64" aria-invalid=${this._bad(`${at}/action/surveyId`)} .value=${a.surveyId} @change=${(e: Event) => this._rule(i, (x) => ({ ...x, action: { kind: 'survey', surveyId: value(e).trim() } }))} /></label>`
              : html`<label>Link text <input maxlength="200" aria-invalid=${this._bad(`${at}/action/text`)} .value=${a.text} @change=${(e: Event) => this._rule(i, (x) => ({ ...x, action: { ...(x.action as Extract<Action, { kind: 'link' }>), text: value(e).trim() } }))} /></label>
                  <label>Link URL <input maxlength="2048" placeholder="/help/checkout" aria-invalid=${this._bad(`${at}/action/url`)} .value=${a.url} @change=${(e: Event) => this._rule(i, (x) => ({ ...x, action: { ...(x.action as Extract<Action, { kind: 'link' }>), url: value(e).trim() } }))} /></label>`}
        </div>
      </fieldset>
    </fieldset>`;
  }

  override render() {
    const saved = this._saved?.rules ?? [];
    return html`<h2>Help rules</h2>
      <p class="muted">Evaluated in the visitor's browser, no round trip; each firing is recorded as <code>Help Rule Fired</code>, so the funnel's <em>Help</em> breakdown compares conversion with and without it.</p>
      ${saved.length ? html`<ul class="rules">${saved.map((r) => html`<li><code>${r.id}</code>: <span dir="auto">${summary(r)}</span></li>`)}</ul>` : html`<p>No rules saved yet.</p>`}
      <div class="bar">
        <button type="button" class="button" aria-pressed=${this._json ? 'true' : 'false'} @click=${() => this._toggle()}>${this._json ? 'Back to the form' : 'Advanced: edit as JSON'}</button>
      </div>
      ${this._json
        ? html`<label>Rules (JSON) <textarea spellcheck="false" .value=${this._text} @input=${(e: Event) => (this._text = (e.target as HTMLTextAreaElement).value)}></textarea></label>`
        : html`${this._rules.map((r, i) => this._ruleForm(r, i))}
            <div class="bar">
              <button type="button" class="button" @click=${() => (this._rules = [...this._rules, NEW_RULE(this._rules.length + 1)])}>Add a rule</button>
              <label>Cooldown after any rule fires (seconds) <input type="number" min="0" max="86400" placeholder="60" aria-invalid=${this._bad('/cooldownSeconds')} .value=${String(this._cooldown ?? '')} @change=${(e: Event) => (this._cooldown = int(value(e)))} /></label>
              <label>Held out of every rule that sets none (% of visitors) <input type="number" min="0" max="50" step="any" placeholder="0" aria-invalid=${this._bad('/holdout')} .value=${percent(this._holdout)} @change=${(e: Event) => (this._holdout = share(value(e)))} /></label>
            </div>`}
      <div class="bar"><button type="button" class="button" @click=${() => void this._save()}>Save help rules</button></div>
      ${this._status ? html`<p role=${this._status.ok ? 'status' : 'alert'} class=${this._status.ok ? 'muted' : 'error'}>${this._status.text}</p>` : nothing}`;
  }
}
customElements.define('tp-console-help-rules', TpConsoleHelpRules);
