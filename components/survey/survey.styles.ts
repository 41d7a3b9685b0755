import { css } from 'lit';

export default css`
  :host {
    display: block;
  }
  :host([presentation='floating']) {
    display: contents;
  }
  .card {
    position: relative;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem 1.25rem 1.25rem;
    max-width: 36rem;
  }
  :host([presentation='floating']) .card {
    position: fixed;
    /* Bottom corner opposite the chat launcher; lifted above the consent banner while it shows. */
    inset-inline-start: var(--tp-survey-inset, max(1rem, env(safe-area-inset-left)));
    bottom: calc(var(--tp-survey-inset, 1rem) + var(--tp-consent-offset, 0px) + env(safe-area-inset-bottom));
    width: min(var(--tp-survey-width, 24rem), calc(100vw - 2rem));
    z-index: var(--_z);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.2);
    /* Lifted above the banner and the launcher, it still fits the screen. */
    max-height: calc(100dvh - 2rem - var(--tp-consent-offset, 0px));
    overflow-y: auto;
  }
  /* Where the card spans a phone's width it would sit under the chat launcher: it stacks above it instead… */
  @media (max-width: 30rem) {
    :host([presentation='floating']) .card {
      bottom: calc(var(--tp-survey-inset, 1rem) + var(--tp-consent-offset, 0px) + var(--tp-chat-offset, 0px) + env(safe-area-inset-bottom));
      max-height: calc(100dvh - 2rem - var(--tp-consent-offset, 0px) - var(--tp-chat-offset, 0px));
    }
  }
  /* …and yields while the chat panel is open where the two would overlap (the panel is full screen on phones). */
  @media (max-width: 52rem) {
    :host([data-chat-open]) .card {
      visibility: hidden;
    }
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  legend,
  #prompt {
    font-weight: 600;
    line-height: 1.4;
    padding: 0;
    /* Room for the close button, on whichever side it is. */
    margin-block: 0 0.75rem;
    margin-inline: 0 2rem;
  }
  .scale {
    display: grid;
    grid-template-columns: repeat(5, minmax(0, 1fr));
    gap: 0.25rem;
  }
  .scale[data-points='7'] {
    grid-template-columns: repeat(7, minmax(0, 1fr));
  }
  .scale[data-points='11'] {
    grid-template-columns: repeat(11, minmax(0, 1fr));
  }
  /* 11 points don't fit a phone in one row at touch size (44×44): as many rows as it takes… */
  @media (max-width: 30rem) {
    .scale[data-points='11'] {
      grid-template-columns: repeat(auto-fill, minmax(2.75rem, 1fr));
    }
    /* …so the end labels no longer sit under the ends of a row: they read as a key, each with its number. */
    .scale[data-points='11'] + .ends {
      flex-direction: column;
      gap: 0;
    }
    .scale[data-points='11'] + .ends span::before {
      content: attr(data-n) ' = ';
    }
  }
  .point {
    position: relative;
  }
  .point input,
  .option input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .point span {
    display: grid;
    place-items: center;
    min-height: 2.75rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    font-variant-numeric: tabular-nums;
  }
  .point input:checked + span,
  .option input:checked + span {
    background: var(--_accent);
    border-color: var(--_accent);
    color: #fff;
  }
  .point input:focus-visible + span,
  .option input:focus-visible + span {
    outline: 3px solid var(--tp-color-focus, #0969da);
    outline-offset: 2px;
  }
  .ends {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    font-size: 0.8rem;
    opacity: 0.8;
    margin-top: 0.35rem;
  }
  .options {
    display: grid;
    gap: 0.4rem;
  }
  .option {
    position: relative;
  }
  .option span {
    display: block;
    padding: 0.6rem 0.8rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
  }
  textarea {
    width: 100%;
    font: inherit;
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    resize: vertical;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 0.9rem;
  }
  .btn {
    min-height: 2.5rem;
    padding: 0 1.1rem;
    border-radius: calc(var(--_radius) / 2);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: #fff;
    font-weight: 600;
  }
  .btn--quiet {
    background: transparent;
    color: inherit;
    border-color: var(--_border);
  }
  .close {
    position: absolute;
    top: 0.4rem;
    inset-inline-end: 0.4rem;
    width: 2.25rem;
    height: 2.25rem;
    border: 0;
    background: transparent;
    color: inherit;
    font-size: 1.5rem;
    line-height: 1;
    border-radius: 50%;
  }
  .error {
    color: #b3261e;
    margin: 0.5rem 0 0;
    font-size: 0.9rem;
  }
  .thanks {
    padding-block: 0.5rem 0.25rem;
    padding-inline: 0 2rem;
    font-weight: 600;
  }
  .card:focus,
  .step:focus {
    outline: none;
  }
`;
