import { LitElement, html } from 'lit';
import { api } from './api.js';
import { agentStream, streamConnection, type AgentStream } from './agent-stream.js';
import type { AgentPresence } from '../repositories/agent-presence.js';

/**
 * The agent's presence in the console header: their own status (online or
 * away, a choice), who else is online, and the tab's visibility reported to
 * the server (Page Visibility), which turns an agent away once every console
 * tab of theirs has been hidden for a while (server/chat/presence.ts).
 */
export class TpConsolePresence extends LitElement {
  // Light DOM: the shell's stylesheet (console.css) lays out the header.
  protected override createRenderRoot() {
    return this;
  }
  static override properties = { agentId: {}, _agents: { state: true } };
  declare agentId: string;
  declare private _agents: AgentPresence[];
  private _stream: AgentStream | undefined;

  constructor() {
    super();
    this._agents = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._stream = agentStream();
    this._stream.addEventListener('presence', (m) => (this._agents = (JSON.parse(m.data) as { agents: AgentPresence[] }).agents));
    addEventListener('tp-agent-stream-ready', this._report);
    document.addEventListener('visibilitychange', this._report);
    // The stream may have been ready before this element: say how the tab is now.
    this._report();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stream?.close();
    removeEventListener('tp-agent-stream-ready', this._report);
    document.removeEventListener('visibilitychange', this._report);
  }

  private readonly _report = () => {
    const connection = streamConnection();
    if (connection) void api('/presence', { connection, visible: document.visibilityState === 'visible' }).catch(() => {});
  };

  private async _choose(choice: 'online' | 'away') {
    this._agents = (await api<{ agents: AgentPresence[] }>('/presence', { choice })).agents;
  }

  override render() {
    const me = this._agents.find((a) => a.id === this.agentId);
    const others = this._agents.filter((a) => a.id !== this.agentId && a.state === 'online');
    return html`<label class="presence">
        <span class="presence-dot presence-dot--${me?.state ?? 'offline'}" aria-hidden="true"></span>
        <span class="sr-only">Your status</span>
        <select @change=${(e: Event) => void this._choose((e.target as HTMLSelectElement).value as 'online' | 'away')}>
          <option value="online" ?selected=${me?.state !== 'away'}>Online</option>
          <option value="away" ?selected=${me?.state === 'away'}>Away</option>
        </select>
      </label>
      <span class="presence-team" title=${others.map((a) => a.name).join(', ')}>${others.length ? `${others.length} more online` : 'No one else online'}</span>`;
  }
}
customElements.define('tp-console-presence', TpConsolePresence);
