/** A minimal EventSource for Node tests: fetch + the text/event-stream framing, with Last-Event-ID. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export class SseClient {
  readonly messages: SseMessage[] = [];
  lastEventId: string | undefined;
  private controller = new AbortController();
  private waiters: (() => void)[] = [];
  readonly opened: Promise<number>;
  /** Whether the server ended the stream (or the client closed it). */
  ended = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.controller.signal }).then((res) => {
      if (res.ok && res.body) void this.read(res.body);
      return res.status;
    });
    // Closed before the server answered (the test moved on): still a rejection for whoever awaits it, never an unhandled one.
    this.opened.catch(() => {});
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buf = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m: SseMessage = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [k, ...rest] = line.split(':');
            const v = rest.join(':').replace(/^ /, '');
            if (k === 'event') m.event = v;
            else if (k === 'data') m.data += v;
            else if (k === 'id') m.id = this.lastEventId = v;
          }
          if (m.data) this.messages.push(m);
          this.waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted
    }
    this.ended = true;
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Messages of one event type, parsed. */
  of<T = any>(event: string): T[] {
    return this.messages.filter((m) => m.event === event).map((m) => JSON.parse(m.data) as T);
  }

  async waitFor(pred: () => boolean, ms = 5_000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`SSE: condition not met; got ${JSON.stringify(this.messages.map((m) => m.event + ' ' + m.data.slice(0, 80)))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
