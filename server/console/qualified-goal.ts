import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { QualifiedGoal } from '../reports/definitions.js';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';

/**
 * "Qualified means: [event ▾ | trait ▾] …" on the Attribution page: the
 * site's qualified goal (docs/console.md#attribution), saved as the
 * `qualified` section of the site settings (`PUT …/site-settings`, owners
 * and admins; the server's refusal is shown in its words). Fires `saved`
 * so the page reloads its report.
 */
export class TpQualifiedGoal extends LitElement {
  static override styles = [pageStyles, css`:host { display: block; padding: 0; } fieldset { border: 1px solid #d0d7de; border-radius: 8px; margin: 1rem 0 0; } legend { font-weight: 600; font-size: 0.9rem; }`];
  static override properties = { site: {}, goal: { attribute: false }, _type: { state: true }, _name: { state: true }, _equals: { state: true }, _status: { state: true } };
  declare site: string;
  declare goal: QualifiedGoal | null;
  declare private _type: '' | 'event' | 'trait';
  declare private _name: string;
  declare private _equals: string;
  declare private _status: { ok: boolean; text: string } | undefined;

  constructor() {
    super();
    this.site = '';
    this.goal = null;
    this._type = '';
    this._name = '';
    this._equals = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    // The saved goal fills the form whenever the report brings one (not while it is being edited).
    if (changed.has('goal')) {
      this._type = this.goal?.type ?? '';
      this._name = this.goal?.name ?? '';
      this._equals = this.goal?.equals ?? '';
    }
  }

  private async _save(e: Event) {
    e.preventDefault();
    const name = this._name.trim();
    const equals = this._equals.trim();
    const qualified = this._type ? { type: this._type, name, ...(this._type === 'trait' && equals ? { equals } : {}) } : null;
    try {
      await api(`/sites/${encodeURIComponent(this.site)}/site-settings`, { qualified }, 'PUT');
      this._status = { ok: true, text: qualified ? 'Saved: the report counts qualified customers by this goal.' : 'Saved: no qualified stage.' };
      this.dispatchEvent(new CustomEvent('saved'));
    } catch (err) {
      this._status = { ok: false, text: (err as Error).message };
    }
  }

  override render() {
    return html`<form @submit=${(e: Event) => void this._save(e)}>
      <fieldset>
        <legend>Qualified means</legend>
        <div class="bar">
          <label
            >Goal
            <select @change=${(e: Event) => (this._type = (e.target as HTMLSelectElement).value as '' | 'event' | 'trait')}>
              <option value="" ?selected=${this._type === ''}>Not set</option>
              <option value="event" ?selected=${this._type === 'event'}>An event</option>
              <option value="trait" ?selected=${this._type === 'trait'}>A trait</option>
            </select>
          </label>
          ${this._type
            ? html`<label
                >${this._type === 'event' ? 'Event name' : 'Trait'}
                <input required maxlength="64" .value=${this._name} placeholder=${this._type === 'event' ? 'Lead Qualified' : 'plan'} @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)}
              /></label>`
            : nothing}
          ${this._type === 'trait'
            ? html`<label
                >Equals (empty: any value)
                <input maxlength="200" .value=${this._equals} placeholder="pro" @input=${(e: Event) => (this._equals = (e.target as HTMLInputElement).value)}
              /></label>`
            : nothing}
          <button type="submit" class="button">Save goal</button>
        </div>
        <p class="muted">A customer counts once, at their first qualifying event or identify on any device, under the session it happened in.</p>
        ${this._status ? html`<p role=${this._status.ok ? 'status' : 'alert'} class=${this._status.ok ? 'muted' : 'error'}>${this._status.text}</p>` : nothing}
      </fieldset>
    </form>`;
  }
}
customElements.define('tp-qualified-goal', TpQualifiedGoal);
