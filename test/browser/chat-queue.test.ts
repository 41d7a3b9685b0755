import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { ChatClient } from '../../src/chat/chat-client.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';
import { until } from '../support/until.js';
import { wipeDatabase as wipe } from '../support/wipe-database.js';

/** An endpoint nothing listens on: every request fails as offline does. */
const DOWN = 'http://127.0.0.1:9';

const client = (endpoint: string, anonymousId: string) => new ChatClient({ endpoint, siteKey: 'demo', anonymousId: () => anonymousId, mayStore: () => true });

describe('the chat offline queue', () => {
  const restore: (() => void)[] = [];
  beforeEach(async () => {
    localStorage.clear();
    await wipe('touchpoint-chat');
  });
  afterEach(() => restore.splice(0).forEach((f) => f()));

  it('keeps a message written offline through a storage quota error and the tab closing, and the next tab sends it once', async () => {
    // Every IndexedDB write fails as a full disk does.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    restore.push(() => (IDBObjectStore.prototype.put = put));
    const anon = uuidv7();
    const first = client(DOWN, anon);
    const sent = first.send('Written offline, quota full');
    expect(first.pending.map((p) => p.body)).toEqual(['Written offline, quota full']);
    // The tab goes away before the message could be sent.
    dispatchEvent(new PageTransitionEvent('pagehide'));
    void sent.catch(() => {});
    restore.splice(0).forEach((f) => f());

    // The next tab, online (a new client: nothing of the first one's memory), has it.
    const next = client(await commands.serverUrl(), anon);
    await next.resume();
    await until(() => next.events.some((e) => e.kind === 'message' && e.body === 'Written offline, quota full') && next.pending.length === 0, 15_000);
    expect(next.events.filter((e) => e.kind === 'message' && e.author.kind === 'visitor').map((e) => e.body)).toEqual(['Written offline, quota full']);
    next.reset(false);
  });
});
