import { LitElement, css, html, nothing } from 'lit';
import type { HelpSettings } from 'touchpoint/protocol';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';

const EXAMPLE: HelpSettings = {
  cooldownSeconds: 60,
  rules: [{ id: 'checkout-rage', when: { path: '/checkout*', friction: { rage: 2, error: 1 } }, action: { kind: 'chat', message: 'Having trouble checking out? Ask us, we answer in minutes.' } }],
};

/** One line per rule: what it waits for and what it does, as read at a glance. */
const summary = (r: HelpSettings['rules'][number]) => {
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
  return `${parts.join(', ')} → ${does} (at most ${r.maxPerSession ?? 1} a session)`;
};

/**
 * Journeys → Help rules (docs/console.md#help-rules): the site's real-time
 * help rules as JSON (the shape of docs/protocol.md §5.2), each summarised in
 * words; saving sends them to the server, which refuses a bad rule with the
 * field's path, shown beside the editor. Only owners and admins may save (the
 * server says so to the others).
 */
export class TpConsoleHelpRules extends LitElement {
  static override styles = [pageStyles, css`textarea { inline-size: 100%; min-block-size: 14rem; font-family: ui-monospace, monospace; } ul.rules { padding-inline-start: 1.25rem; }`];
  static override properties = { site: {}, _saved: { state: true }, _text: { state: true }, _status: { state: true } };
  declare site: string;
  declare private _saved: HelpSettings | undefined;
  declare private _text: string;
  declare private _status: { ok: boolean; text: string } | undefined;

  constructor() {
    super();
    this.site = '';
    this._text = '';
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('site') && this.site) void this._load();
  }

  private async _load() {
    this._saved = await api<HelpSettings>(`/sites/${encodeURIComponent(this.site)}/help-rules`);
    this._text = JSON.stringify(this._saved.rules.length ? this._saved : EXAMPLE, null, 2);
  }

  private async _save() {
    let body: unknown;
    try {
      body = JSON.parse(this._text);
    } catch (e) {
      this._status = { ok: false, text: `Not JSON: ${(e as Error).message}` };
      return;
    }
    try {
      this._saved = await api<HelpSettings>(`/sites/${encodeURIComponent(this.site)}/help-rules`, body, 'PUT');
      this._status = { ok: true, text: this._saved.rules.length ? `Saved: ${this._saved.rules.length} rule(s), live on the site within a minute.` : 'Saved: no rules, nothing loads on the site.' };
    } catch (e) {
      this._status = { ok: false, text: (e as Error).message };
    }
  }

  override render() {
    const rules = this._saved?.rules ?? [];
    return html`<h2>Help rules</h2>
      <p class="muted">Evaluated in the visitor's browser, no round trip; each firing is recorded as <code>Help Rule Fired</code>, so the funnel's <em>Help</em> breakdown compares conversion with and without it.</p>
      ${rules.length ? html`<ul class="rules">${rules.map((r) => html`<li><code>${r.id}</code>: <span dir="auto">${summary(r)}</span></li>`)}</ul>` : html`<p>No rules yet: the example below is not saved.</p>`}
      <label>Rules (JSON) <textarea spellcheck="false" .value=${this._text} @input=${(e: Event) => (this._text = (e.target as HTMLTextAreaElement).value)}></textarea></label>
      <div class="bar"><button type="button" class="button" @click=${() => void this._save()}>Save help rules</button></div>
      ${this._status ? html`<p role=${this._status.ok ? 'status' : 'alert'} class=${this._status.ok ? 'muted' : 'error'}>${this._status.text}</p>` : nothing}`;
  }
}
customElements.define('tp-console-help-rules', TpConsoleHelpRules);
