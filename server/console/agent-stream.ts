/** What the agent stream carries (GET /v1/agent/stream): docs/console.md. */
type Listener = (e: MessageEvent<string>) => void;

/** One listener's view of the shared stream: the EventSource calls it needs, `close()` removing only its own listeners. */
export interface AgentStream {
  addEventListener(type: string, fn: Listener): void;
  close(): void;
}

let source: EventSource | undefined;
let connection: string | undefined;
let users = 0;

/** The stream's presence connection id (its `ready` event), once known: the tab reports its visibility under it. */
export const streamConnection = (): string | undefined => connection;

/**
 * The console's one agent stream per tab, shared by the shell (presence,
 * notifications) and the pages (the inbox): a tab holds one presence
 * connection, so its visibility decides for all of it, and the browser's
 * six-connections-per-host budget is not spent on duplicates. Opened by the
 * first user, closed when the last one leaves.
 */
export const agentStream = (): AgentStream => {
  if (!source) {
    source = new EventSource('/v1/agent/stream');
    // Each (re)connect is a new connection: the server ends the old one when the stream drops.
    source.addEventListener('ready', (m) => {
      connection = (JSON.parse((m as MessageEvent<string>).data) as { connection?: string }).connection;
      dispatchEvent(new CustomEvent('tp-agent-stream-ready', { detail: connection }));
    });
  }
  const es = source;
  users++;
  const mine: [string, Listener][] = [];
  let closed = false;
  return {
    addEventListener(type, fn) {
      mine.push([type, fn]);
      es.addEventListener(type, fn as EventListener);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const [type, fn] of mine.splice(0)) es.removeEventListener(type, fn as EventListener);
      if (--users === 0 && source === es) {
        es.close();
        source = connection = undefined;
      }
    },
  };
};
