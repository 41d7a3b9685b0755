import { describe, expect, it } from 'vitest';
import { trackFriction } from '../../src/autocapture/track-friction.js';
import { until } from '../support/until.js';

const calls: { name: string; props: Record<string, unknown> }[] = [];
trackFriction((_method, [name, props]) => calls.push({ name: name as string, props: props as Record<string, unknown> }));
const named = (name: string) => calls.filter((c) => c.name === name);

/** A custom element with a button in its shadow root; `onClick` decides what the click does. */
const shadowButton = (tag: string, label: string, onClick: (root: ShadowRoot) => void) => {
  if (!customElements.get(tag)) {
    customElements.define(
      tag,
      class extends HTMLElement {
        constructor() {
          super();
          const root = this.attachShadow({ mode: 'open' });
          const b = root.appendChild(document.createElement('button'));
          b.textContent = this.getAttribute('label');
          b.addEventListener('click', () => onClick(root));
        }
      },
    );
  }
  const el = document.createElement(tag);
  el.setAttribute('label', label);
  return document.body.appendChild(el);
};
const plainButton = (label: string) => Object.assign(document.body.appendChild(document.createElement('button')), { textContent: label });
const clickInside = (host: Element) => host.shadowRoot!.querySelector('button')!.click();
/** Lets the observer see the page's own setup (adding the buttons) before the clicks that are measured. */
const settled = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));

describe('friction signals', () => {
  it('reports a click on a control that changes nothing as a dead click, named by its text', async () => {
    const coupon = plainButton('Apply coupon');
    await settled();
    coupon.click();
    await until(() => named('Dead Click').length === 1, 6_000);
    expect(named('Dead Click')[0]!.props).toMatchObject({ text: 'Apply coupon' });
  });

  it("never reports Touchpoint's own elements, and counts a change inside a shadow root as an answer", async () => {
    const before = named('Dead Click').length;
    // Our chat launcher's button opens a panel elsewhere: not the site's friction (it was reported as a Dead Click).
    const ours = shadowButton('tp-fake-launcher', 'Talk to a person', () => {});
    // A site's component that re-renders inside its shadow root answers its click.
    const toggle = shadowButton('x-toggle', 'Show details', (root) => root.appendChild(document.createElement('p')).append('Details'));
    const barrier = plainButton('Barrier');
    await settled();
    for (let i = 0; i < 3; i++) clickInside(ours); // not a rage click either
    clickInside(toggle);
    await settled(); // the toggle's change is seen before the barrier's click
    // A barrier, not a pause: a dead click made after both is reported only after theirs would have been.
    barrier.click();
    await until(() => named('Dead Click').length > before, 6_000);
    expect(named('Dead Click').slice(before).map((c) => c.props.text)).toEqual(['Barrier']);
    expect(named('Rage Click')).toEqual([]);
  });
});
