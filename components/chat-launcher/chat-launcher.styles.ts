import { css } from 'lit';

export default css`
  :host {
    display: contents;
  }
  .launcher {
    position: fixed;
    inset-inline-end: max(1rem, env(safe-area-inset-right));
    /* Above the consent banner while it shows: the stacking contract. */
    bottom: calc(1rem + var(--tp-consent-offset, 0px) + env(safe-area-inset-bottom));
    z-index: calc(var(--_z) + 1);
  }
  .button {
    position: relative;
    width: var(--tp-chat-launcher-size, 3.5rem);
    height: var(--tp-chat-launcher-size, 3.5rem);
    border-radius: 50%;
    border: 0;
    background: var(--_accent);
    color: var(--tp-chat-launcher-color, #fff);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
    display: grid;
    place-items: center;
  }
  svg {
    width: 55%;
    height: 55%;
    fill: currentColor;
  }
  .badge {
    position: absolute;
    top: -0.25rem;
    inset-inline-end: -0.25rem;
    min-width: 1.35rem;
    height: 1.35rem;
    padding: 0 0.3rem;
    border-radius: 1rem;
    background: var(--tp-chat-badge-background, #c62828);
    color: #fff;
    font-size: 0.8rem;
    font-weight: 700;
    line-height: 1.35rem;
  }
`;
