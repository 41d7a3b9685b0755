import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ELEMENT_EVENTS, eventProp } from '../../frameworks/element-events.js';
import { SDK_PROPERTY } from '../../frameworks/sdk-property.js';

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'custom-elements.json'), 'utf8')) as {
  modules: { declarations?: { tagName?: string; summary?: string; events?: { name: string }[]; members?: { kind: string; name: string }[] }[] }[];
};
const publicElements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName && d.summary);

describe('the framework bindings', () => {
  it('map every event of every public element in custom-elements.json, and no other', () => {
    expect(Object.fromEntries(publicElements.map((d) => [d.tagName, (d.events ?? []).map((e) => e.name).sort()]))).toEqual(
      Object.fromEntries(Object.entries(ELEMENT_EVENTS).map(([tag, names]) => [tag, [...names].sort()])),
    );
  });

  it('hand the SDK instance to the property the elements that take one declare', () => {
    // It was `touchpoint`, a property no element reads: the provider's instance never reached them.
    const taking = publicElements.filter((d) => d.members?.some((m) => m.kind === 'field' && m.name === SDK_PROPERTY)).map((d) => d.tagName);
    expect(taking).toEqual(expect.arrayContaining(['tp-chat-launcher', 'tp-consent-banner', 'tp-survey']));
  });

  it('name event props after the event without its tp- prefix', () => {
    expect(eventProp('tp-chat-unread-change')).toBe('onChatUnreadChange');
    expect(eventProp('tp-survey-answer')).toBe('onSurveyAnswer');
  });

  it('carry element typings generated from the current custom-elements.json', () => {
    const r = spawnSync('node', ['scripts/framework-types.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('are runtime entries a plain Node import resolves (touchpoint/vue loads; touchpoint/react resolves to its module)', () => {
    const script = `const vue = await import('touchpoint/vue'); console.log(JSON.stringify({ plugin: typeof vue.touchpointPlugin.install, tp: vue.isTouchpointElement('tp-survey'), react: import.meta.resolve('touchpoint/react') }));`;
    const r = spawnSync('node', ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ plugin: 'function', tp: true, react: expect.stringMatching(/\/dist\/npm\/react\.js$/) });
  });
});
