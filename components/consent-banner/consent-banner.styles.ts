import { css } from 'lit';

export default css`
  :host {
    display: contents;
  }
  .banner {
    position: fixed;
    inset-inline: 0;
    bottom: 0;
    /* One step above the chat launcher and survey: the stacking contract. */
    z-index: calc(var(--_z) + 2);
    margin: 0 auto;
    max-width: var(--tp-consent-max-width, 44rem);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius) var(--_radius) 0 0;
    box-shadow: 0 -4px 24px rgb(0 0 0 / 0.12);
    padding: 1rem 1.25rem calc(1rem + env(safe-area-inset-bottom));
    font-size: 0.95rem;
    line-height: 1.5;
  }
  @media (min-width: 48rem) {
    .banner {
      bottom: 1rem;
      border-radius: var(--_radius);
    }
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.35rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .gpc {
    font-size: 0.875rem;
    border-inline-start: 3px solid var(--_accent);
    padding-inline-start: 0.5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  /* Equal prominence: every choice looks the same (EDPB guidelines 03/2022). */
  .btn {
    flex: 1 1 9rem;
    min-height: 44px;
    padding: 0.6rem 1rem;
    border-radius: calc(var(--_radius) / 1.5);
    border: 2px solid var(--_accent);
    background: var(--tp-consent-button-background, var(--_accent));
    color: var(--tp-consent-button-color, #fff);
    font-weight: 600;
  }
  a {
    color: var(--_accent);
  }
`;
