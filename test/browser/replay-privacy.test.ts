import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import { startReplay, type Replay } from '../../src/replay/index.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';
import { wipeDatabase as wipe } from '../support/wipe-database.js';


interface Ev {
  type: number;
  data: { href?: string; plugin?: string; payload?: { payload: string[] } };
}
let tp: Touchpoint;
let replay: Replay | undefined;
let box: HTMLElement;
const start = async (o: Parameters<typeof startReplay>[1] = {}) => {
  const endpoint = await commands.serverUrl();
  tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'none' }, autocapture: false });
  await tp.ready();
  replay = startReplay(tp, { siteKey: 'demo', endpoint, sessionSampleRate: 1, ...o });
  await until(() => replay!.mode === 'session');
  return replay;
};
const chunks = async () => (await commands.replayChunks(tp.sessionId!)).flatMap((c) => c.events as unknown as Ev[]);
/** Cuts the current chunk and waits until the server holds one containing `marker`. */
const recorded = async (marker: string) => {
  await until(async () => {
    document.dispatchEvent(new Event('visibilitychange'));
    return JSON.stringify(await chunks()).includes(marker);
  }, 15_000, 250);
  return JSON.stringify(await chunks());
};
const home = location.href;

beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  await Promise.all(['touchpoint', 'touchpoint-replay', 'touchpoint-replay-buffer'].map(wipe));
  box = document.body.appendChild(document.createElement('div'));
});
afterEach(() => {
  replay?.stop();
  box.remove();
  history.replaceState(null, '', home);
});

describe('replay masking', () => {
  it('masks hidden inputs, in the snapshot and when added later', async () => {
    box.innerHTML = '<input type="hidden" name="csrf" value="csrf-secret-q8w7e6"><input type="file" name="cv">';
    await start();
    const late = box.appendChild(document.createElement('input'));
    late.type = 'hidden';
    late.value = 'late-hidden-secret-z1x2';
    box.appendChild(document.createElement('p')).textContent = 'hidden-marker';
    const all = await recorded('hidden-marker');
    expect(all).not.toContain('csrf-secret-q8w7e6');
    expect(all).not.toContain('late-hidden-secret-z1x2');
  });

  it('records no option value or label of a select, nor which one is chosen', async () => {
    box.innerHTML =
      '<select name="plan"><option value="plan-basic-v1">Basic plan label</option><option value="plan-enterprise-annual-v2" selected>Enterprise annual label</option></select>';
    await start();
    const select = box.querySelector('select')!;
    select.appendChild(new Option('Dynamic option label', 'dynamic-option-value'));
    select.options[0]!.text = 'Renamed option label';
    select.options[0]!.setAttribute('label', 'attribute-label-text');
    select.value = 'dynamic-option-value';
    select.dispatchEvent(new Event('input', { bubbles: true }));
    box.appendChild(document.createElement('p')).textContent = 'select-marker';
    const all = await recorded('select-marker');
    for (const secret of ['plan-basic-v1', 'Basic plan label', 'plan-enterprise-annual-v2', 'Enterprise annual label', 'Dynamic option label', 'dynamic-option-value', 'Renamed option label', 'attribute-label-text']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/"selected":true/);
  });

  it('masks every input value to one fixed length: a mask does not tell the value’s length', async () => {
    box.innerHTML = '<input name="a" value="ab"><input name="b" value="abcdefghijklmnopqrstuvwxyz"><textarea name="c">x</textarea>';
    await start();
    box.appendChild(document.createElement('p')).textContent = 'length-marker';
    const all = await recorded('length-marker');
    const values = [...all.matchAll(/"value":"([^"]*)"/g)].map((m) => m[1]);
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect(new Set(values)).toEqual(new Set(['********']));
  });

  it('masks text typed into a contenteditable region to the same fixed length', async () => {
    box.innerHTML = '<div contenteditable="true">ab</div><div contenteditable="true">typed-editable-secret-5r5r</div>';
    await start();
    box.querySelector('div')!.append(' and more typed text');
    box.appendChild(document.createElement('p')).textContent = 'editable-marker';
    const all = await recorded('editable-marker');
    expect(all).not.toContain('typed-editable-secret-5r5r');
    expect(all).not.toContain('more typed text');
    expect(all).not.toMatch(/"textContent":"\*{2}"/);
    expect(all).not.toContain('*'.repeat('typed-editable-secret-5r5r'.length));
  });

  it('scrubs secrets from the URL fragment and from src attributes', async () => {
    history.replaceState(null, '', `${home.split('#')[0]}#access_token=frag-secret-7h7h&state=st8`);
    box.innerHTML = '<img alt="" src="/pixel.gif?token=img-secret-4d4d&w=1"><a href="/reset#id_token=link-secret-9k9k">reset</a>';
    await start();
    box.appendChild(document.createElement('p')).textContent = 'url-marker';
    const all = await recorded('url-marker');
    expect(all).toContain('access_token=[redacted]');
    for (const secret of ['frag-secret-7h7h', 'img-secret-4d4d', 'link-secret-9k9k']) expect(all).not.toContain(secret);
  });
});

describe('replay console capture', () => {
  it('cuts each console message at 200 characters', async () => {
    await start({ recordConsole: true });
    const long = `start-${'L'.repeat(451)}`; // 457 characters
    await until(async () => {
      console.log(long);
      document.dispatchEvent(new Event('visibilitychange'));
      return JSON.stringify(await chunks()).includes('start-LLL');
    }, 15_000, 1_000);
    const logs = (await chunks()).filter((e) => e.type === 6 && e.data.plugin === 'rrweb/console@1').flatMap((e) => e.data.payload!.payload.map((p) => JSON.parse(p) as string));
    const mine = logs.filter((t) => t.startsWith('start-'));
    expect(mine.length).toBeGreaterThan(0);
    for (const t of mine) expect(t).toBe(long.slice(0, 200));
  });
});

describe('replay page views', () => {
  it('starts each SPA page view (pushState) with a full snapshot of the new page', async () => {
    await start();
    history.pushState(null, '', `${home.split('#')[0].split('?')[0]}?view=spa-second-page`);
    box.appendChild(document.createElement('p')).textContent = 'spa-marker';
    tp.page();
    await recorded('spa-marker');
    await until(async () => (await chunks()).some((e) => e.type === 4 && e.data.href?.includes('spa-second-page')), 15_000, 250);
    const events = await chunks();
    const meta = events.findIndex((e) => e.type === 4 && e.data.href?.includes('spa-second-page'));
    expect(events[meta + 1]?.type).toBe(2); // its full snapshot follows
  });
});
