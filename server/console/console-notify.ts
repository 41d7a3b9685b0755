import { LitElement, html, nothing } from 'lit';
import type { ChatEvent } from 'touchpoint/protocol';
import { api } from './api.js';
import { agentStream, type AgentStream } from './agent-stream.js';

/** A short two-tone chime made on the spot (WebAudio): no sound file to ship or load. */
const chime = (ctx: AudioContext) => {
  const t = ctx.currentTime;
  for (const [i, f] of [880, 1320].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, t + i * 0.12);
    gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.12 + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.15);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t + i * 0.12);
    osc.stop(t + i * 0.12 + 0.16);
  }
};

const SOUND_KEY = 'tp:console:sound';

/**
 * Tells the agent about new work while they look elsewhere (#22): a new
 * conversation (handed to people) and a customer's message in one, as a
 * count in the tab's title, a chime, and a desktop notification once they
 * allowed it (one per conversation: a newer one replaces it). While the agent
 * is looking at the console nothing rings: the inbox shows it already.
 */
export class TpConsoleNotify extends LitElement {
  protected override createRenderRoot() {
    return this;
  }
  static override properties = { _permission: { state: true }, _sound: { state: true } };
  declare private _permission: NotificationPermission | 'unsupported';
  declare private _sound: boolean;
  private _stream: AgentStream | undefined;
  private _audio: AudioContext | undefined;
  private _unseen = 0;
  private readonly _title = document.title;
  /** Conversations' statuses as the stream told them; a customer's words in a conversation with the bot are the bot's to answer. */
  private readonly _status = new Map<string, string>();

  constructor() {
    super();
    this._permission = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
    this._sound = localStorage.getItem(SOUND_KEY) !== 'off';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._stream = agentStream();
    this._stream.addEventListener('chat', (m) => void this._onEvent(JSON.parse(m.data) as ChatEvent));
    document.addEventListener('visibilitychange', this._seen);
    addEventListener('focus', this._seen);
    // Browsers start audio only after a gesture: the first click or key on the page unlocks it.
    addEventListener('pointerdown', this._unlock, { once: true });
    addEventListener('keydown', this._unlock, { once: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stream?.close();
    document.removeEventListener('visibilitychange', this._seen);
    removeEventListener('focus', this._seen);
    document.title = this._title;
  }

  private readonly _unlock = () => {
    try {
      this._audio ??= new AudioContext();
      void this._audio.resume();
    } catch {
      // No WebAudio: the title and desktop notifications still tell.
    }
  };

  private readonly _seen = () => {
    if (!this._away()) {
      this._unseen = 0;
      document.title = this._title;
    }
  };

  /** Whether the agent is looking elsewhere: the tab hidden or another window in front. */
  private _away() {
    return document.visibilityState !== 'visible' || !document.hasFocus();
  }

  private async _statusOf(id: string): Promise<string | undefined> {
    if (!this._status.has(id)) {
      const r = await api<{ conversation: { status: string } }>(`/conversations/${encodeURIComponent(id)}`).catch(() => undefined);
      if (r && !this._status.has(id)) this._status.set(id, r.conversation.status);
    }
    return this._status.get(id);
  }

  private async _onEvent(e: ChatEvent) {
    if (e.kind === 'status') this._status.set(e.conversationId, String(e.data?.status));
    const fresh = e.kind === 'handoff' || (e.kind === 'status' && e.data?.status === 'pending' && e.seq <= 2);
    const message = e.kind === 'message' && e.author.kind === 'visitor' && (await this._statusOf(e.conversationId)) !== 'bot';
    if (fresh) this._notify(e.conversationId, 'New conversation', 'A customer is waiting for a person.');
    else if (message) this._notify(e.conversationId, 'New message', e.body ?? 'A file');
  }

  private _notify(conversationId: string, title: string, body: string) {
    if (!this._away()) return;
    this._unseen++;
    document.title = `(${this._unseen}) ${this._title}`;
    if (this._sound && this._audio?.state === 'running') chime(this._audio);
    if (this._permission === 'granted') {
      try {
        const n = new Notification(title, { body: body.slice(0, 140), tag: `tp-conversation-${conversationId}` });
        n.onclick = () => {
          focus();
          n.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the title still counts.
      }
    }
  }

  private async _ask() {
    this._permission = await Notification.requestPermission();
  }

  private _toggleSound() {
    this._sound = !this._sound;
    localStorage.setItem(SOUND_KEY, this._sound ? 'on' : 'off');
    if (this._sound) this._unlock();
  }

  override render() {
    return html`${this._permission === 'default' ? html`<button type="button" class="notify-ask" @click=${() => this._ask()}>Turn on notifications</button>` : nothing}
      <button type="button" class="notify-sound" aria-pressed=${this._sound ? 'true' : 'false'} @click=${() => this._toggleSound()}>Sound</button>`;
  }
}
customElements.define('tp-console-notify', TpConsoleNotify);
