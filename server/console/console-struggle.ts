import { LitElement, html, nothing } from 'lit';
import type { StruggleReport, StruggleSignal } from '../reports/struggle.js';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';
import { replayLink } from './replay-link.js';
import { when } from './format-time.js';

const NAMES: Record<StruggleSignal, string> = { lowCes: 'Low CES', rage: 'Rage clicks', error: 'Error clicks', poorVitals: 'Poor LCP/INP', chats: 'Chats', dead: 'Dead clicks' };

/**
 * Journeys → Where customers struggle (docs/console.md#struggle): pages
 * ranked by the published struggle score, the share of their sessions with
 * each signal, and the sessions to watch, each a replay at its first signal.
 */
export class TpConsoleStruggle extends LitElement {
  static override styles = [pageStyles];
  static override properties = { site: {}, from: {}, to: {}, _r: { state: true }, _error: { state: true } };
  declare site: string;
  declare from: string;
  declare to: string;
  declare private _r: StruggleReport | undefined;
  declare private _error: string | undefined;

  override updated(changed: Map<string, unknown>): void {
    if ((changed.has('site') || changed.has('from') || changed.has('to')) && this.site) void this._load();
  }

  private async _load() {
    try {
      this._r = await api<StruggleReport>(`/sites/${encodeURIComponent(this.site)}/struggle?from=${this.from}&to=${this.to}`);
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  override render() {
    const r = this._r;
    if (this._error) return html`<h2>Where customers struggle</h2><p role="alert">${this._error}</p>`;
    if (!r) return nothing;
    const signals = Object.keys(r.weights) as StruggleSignal[];
    return html`<h2>Where customers struggle</h2>
      <p class="muted">
        Score 0–100: for each signal, the share of the page's sessions that showed it there, times its weight
        (${signals.map((k) => `${NAMES[k]} ${r.weights[k]}`).join(', ')}), summed and divided by the weights' sum. Pages with fewer than ${r.minSessions} sessions are not ranked${r.tooFew ? ` (${r.tooFew} left out)` : ''}.
      </p>
      ${r.pages.length
        ? html`<table>
            <caption class="sr-only">Pages by struggle score</caption>
            <thead><tr><th scope="col">Page</th><th scope="col" class="num">Score</th><th scope="col" class="num">Sessions</th><th scope="col" class="num">Struggling</th>${signals.map((k) => html`<th scope="col" class="num">${NAMES[k]}</th>`)}<th scope="col">Watch</th></tr></thead>
            <tbody>
              ${r.pages.map(
                (p) => html`<tr>
                  <th scope="row"><code dir="auto">${p.path}</code></th>
                  <td class="num">${p.score}</td><td class="num">${p.sessions}</td><td class="num">${p.struggling}</td>
                  ${signals.map((k) => html`<td class="num">${p.signals[k]}</td>`)}
                  <td><ul>${p.examples.map((e) => html`<li><a href=${replayLink(e.sessionId, Date.parse(e.at))}>Replay at the ${NAMES[e.signal].toLowerCase()}, ${when(e.at)}</a></li>`)}</ul></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>No page with enough sessions showed a struggle signal in this range.</p>`}`;
  }
}
customElements.define('tp-console-struggle', TpConsoleStruggle);
