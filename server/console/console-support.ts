import { LitElement, css, html, nothing } from 'lit';
import { api } from './api.js';
import { currentSite } from './current-site.js';
import { seconds } from './inbox-words.js';
import type { InboxReport, InboxReportRow } from '../repositories/inbox-report.js';
import type { InboxSettings } from '../repositories/inbox-settings.js';
import type { Team } from '../repositories/teams.js';
import type { CannedReply } from '../repositories/canned-replies.js';
import type { InboxAgent } from './inbox-toolbar.js';

/**
 * Console → Support: how a site's inbox works (assignment by hand or
 * round-robin within a team, the first-response target), its teams and
 * canned replies, and the report — first response, resolution and CSAT per
 * agent and per team over a window of days.
 */
export class TpConsoleSupport extends LitElement {
  static override styles = css`
    :host { display: block; padding: 1rem 1.5rem; max-width: 70rem; }
    h1 { font-size: 1.4rem; margin: 0 0 1rem; }
    h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: start; padding: 0.35rem 0.5rem; border-bottom: 1px solid #d0d7de; }
    td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
    form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; }
    input, select, textarea { font: inherit; padding: 0.3rem 0.45rem; border: 1px solid #8c959f; border-radius: 6px; }
    button { font: inherit; border-radius: 6px; padding: 0.35rem 0.9rem; border: 1px solid #8c959f; background: #fff; cursor: pointer; }
    button.primary { background: #0b6e4f; color: #fff; border-color: #0b6e4f; font-weight: 600; }
    fieldset { border: 1px solid #d0d7de; border-radius: 6px; }
    .muted { color: #57606a; }
    [role='alert'] { color: #82071e; }
    .scroll { overflow-x: auto; }
  `;

  static override properties = { _site: { state: true }, _settings: { state: true }, _teams: { state: true }, _agents: { state: true }, _replies: { state: true }, _report: { state: true }, _error: { state: true } };
  declare private _site: string | undefined;
  declare private _settings: InboxSettings | undefined;
  declare private _teams: Team[];
  declare private _agents: InboxAgent[];
  declare private _replies: CannedReply[];
  declare private _report: InboxReport | undefined;
  declare private _error: string;

  constructor() {
    super();
    this._teams = [];
    this._agents = [];
    this._replies = [];
    this._error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private get _base() {
    return `/sites/${encodeURIComponent(this._site!)}`;
  }

  private async _load() {
    this._site = await currentSite();
    if (!this._site) return;
    const [s, t, a, r, rep] = await Promise.all([
      api<InboxSettings>(`${this._base}/inbox-settings`),
      api<{ teams: Team[] }>(`${this._base}/teams`),
      api<{ agents: InboxAgent[] }>('/inbox/agents'),
      api<{ replies: CannedReply[] }>(`${this._base}/canned-replies`),
      api<InboxReport>(`${this._base}/inbox-report`),
    ]);
    [this._settings, this._teams, this._agents, this._replies, this._report] = [s, t.teams, a.agents, r.replies, rep];
  }

  /** Runs a change, shows its error if any, then reloads what it changed. */
  private async _try(fn: () => Promise<unknown>) {
    this._error = '';
    try {
      await fn();
      await this._load();
    } catch (err) {
      this._error = (err as Error).message;
    }
  }

  private _saveSettings(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const minutes = Number(f.get('sla'));
    return this._try(() =>
      api(`${this._base}/inbox-settings`, { assignment: String(f.get('assignment')) as InboxSettings['assignment'], teamId: String(f.get('team') ?? '') || null, slaFirstResponseSeconds: minutes > 0 ? Math.round(minutes * 60) : null } satisfies InboxSettings, 'PUT'),
    );
  }

  private _saveTeam(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    return this._try(() => api(`${this._base}/teams`, { name: String(f.get('name')), memberIds: f.getAll('member').map(String) }).then(() => form.reset()));
  }

  private _saveReply(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    return this._try(() => api(`${this._base}/canned-replies`, { shortcut: String(f.get('shortcut')).replace(/^\//, ''), body: String(f.get('body')) }).then(() => form.reset()));
  }

  private _table(caption: string, rows: InboxReportRow[]) {
    const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
    return html`<div class="scroll"><table>
      <caption class="muted">${caption}</caption>
      <thead><tr><th scope="col">Name</th><th scope="col" class="n">Conversations</th><th scope="col" class="n">First response (median)</th><th scope="col" class="n">Resolution (median)</th><th scope="col" class="n">SLA missed</th><th scope="col" class="n">CSAT (1–5)</th><th scope="col" class="n">Satisfied</th></tr></thead>
      <tbody>
        ${rows.length
          ? rows.map(
              (r) => html`<tr>
                <th scope="row">${r.name}</th><td class="n">${r.conversations}</td><td class="n">${seconds(r.firstResponseMedianSeconds)}</td><td class="n">${seconds(r.resolutionMedianSeconds)}</td>
                <td class="n">${r.slaBreached}</td><td class="n">${r.csatAverage === null ? '—' : `${r.csatAverage.toFixed(1)} (${r.csatAnswers})`}</td><td class="n">${pct(r.csatSatisfied)}</td>
              </tr>`,
            )
          : html`<tr><td colspan="7" class="muted">No conversations handed to people in this window.</td></tr>`}
      </tbody>
    </table></div>`;
  }

  override render() {
    const s = this._settings;
    if (!this._site || !s) return html`<h1>Support</h1><p class="muted">Loading…</p>`;
    const rep = this._report;
    return html`
      <h1>Support</h1>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
      <h2>Report</h2>
      ${rep
        ? html`<p class="muted">Conversations handed to people from ${rep.from.slice(0, 10)} to ${new Date(Date.parse(rep.to) - 1).toISOString().slice(0, 10)} (UTC days). CSAT: answers of csat questions in surveys a resolved chat triggered.</p>
            ${this._table('Per agent (the assignee)', rep.agents)} ${this._table('Per team', rep.teams)}`
        : nothing}
      <h2>Assignment and first-response target</h2>
      <form @submit=${this._saveSettings} aria-label="Assignment and first-response target">
        <label>New conversations
          <select name="assignment">
            <option value="manual" ?selected=${s.assignment === 'manual'}>Stay unassigned (agents pick)</option>
            <option value="round_robin" ?selected=${s.assignment === 'round_robin'}>Round-robin among the team's online agents</option>
          </select></label>
        <label>Team
          <select name="team">
            <option value="" ?selected=${!s.teamId}>No team</option>
            ${this._teams.map((t) => html`<option value=${t.id} ?selected=${t.id === s.teamId}>${t.name}</option>`)}
          </select></label>
        <label>First response within (minutes)
          <input name="sla" type="number" min="0" step="1" .value=${s.slaFirstResponseSeconds ? String(s.slaFirstResponseSeconds / 60) : ''} placeholder="No target" /></label>
        <button class="primary">Save</button>
      </form>
      <h2>Teams</h2>
      <ul>${this._teams.map((t) => html`<li>${t.name}: ${t.memberIds.map((id) => this._agents.find((a) => a.id === id)?.name ?? id).join(', ') || 'no members'}
        <button type="button" @click=${() => this._try(() => api(`${this._base}/teams/${encodeURIComponent(t.id)}`, undefined, 'DELETE'))}>Delete ${t.name}</button></li>`)}</ul>
      <form @submit=${this._saveTeam} aria-label="New team or new members">
        <label>Team name <input name="name" required maxlength="80" /></label>
        <fieldset><legend>Members</legend>${this._agents.map((a) => html`<label style="flex-direction:row"><input type="checkbox" name="member" value=${a.id} /> ${a.name}</label>`)}</fieldset>
        <button class="primary">Save team</button>
      </form>
      <h2>Canned replies</h2>
      <p class="muted">Type <kbd>/</kbd> and the shortcut in the inbox's composer. Placeholders: <code>{{customer.name}}</code>, <code>{{customer.first_name}}</code>, <code>{{customer.email}}</code>, <code>{{agent.name}}</code>, <code>{{agent.email}}</code>, <code>{{conversation.id}}</code>.</p>
      <ul>${this._replies.map((r) => html`<li><strong>/${r.shortcut}</strong> ${r.body} <button type="button" @click=${() => this._try(() => api(`${this._base}/canned-replies/${encodeURIComponent(r.id)}`, undefined, 'DELETE'))}>Delete /${r.shortcut}</button></li>`)}</ul>
      <form @submit=${this._saveReply} aria-label="New canned reply">
        <label>Shortcut <input name="shortcut" required pattern="/?[\\p{L}\\p{N}_\\-]{1,32}" maxlength="33" /></label>
        <label style="flex:1">Reply <textarea name="body" required rows="2" maxlength="4000"></textarea></label>
        <button class="primary">Save reply</button>
      </form>
    `;
  }
}
customElements.define('tp-console-support', TpConsoleSupport);
