import { css } from 'lit';

export default css`
  :host {
    position: fixed;
    z-index: calc(var(--_z) + 1);
    inset-inline-end: 1rem;
    bottom: calc(5.5rem + var(--tp-consent-offset, 0px));
    width: min(24rem, calc(100vw - 2rem));
    height: min(36rem, calc(100dvh - 7rem - var(--tp-consent-offset, 0px)));
  }
  /* Phones: full screen, sized to the visual viewport so the keyboard never hides the composer. */
  @media (max-width: 640px) {
    :host {
      inset: 0;
      width: auto;
      height: 100dvh;
    }
  }
  .panel {
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.2);
    overflow: hidden;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.75rem 1rem;
    background: var(--_accent);
    color: #fff;
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  header h2 {
    font-size: 1rem;
    margin: 0;
    flex: 1;
  }
  /* One line on any phone (320 px): the header keeps its height; the full status stays in the DOM for screen readers. */
  header p {
    margin: 0;
    font-size: 0.8rem;
    opacity: 0.9;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .close {
    border: 0;
    background: none;
    color: inherit;
    font-size: 1.5rem;
    min-width: 44px;
    min-height: 44px;
  }
  /* The attach control: a 44 px target, its icon in the text colour. */
  .attach {
    flex: none;
    display: grid;
    place-items: center;
    min-width: 44px;
    min-height: 44px;
    border: 1px solid var(--_border);
    border-radius: 0.5rem;
    background: none;
    color: inherit;
  }
  .attach svg {
    width: 1.25rem;
    height: 1.25rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
  }
  /* An image shown at most panel-wide and 12rem tall: the server's thumbnail (320 px), or the file scaled down. */
  .file {
    display: block;
    color: inherit;
    overflow-wrap: anywhere;
  }
  .file img {
    display: block;
    max-width: 100%;
    max-height: 12rem;
    border-radius: 0.375rem;
  }
  .log {
    margin: 0;
    padding: 0.75rem;
    flex: 1;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  .msg {
    max-width: 85%;
    padding: 0.5rem 0.75rem;
    border-radius: 1rem;
    background: var(--tp-chat-bubble-background, #eef1f4);
    overflow-wrap: anywhere;
  }
  /* Only the message text keeps its line breaks (not the template's own whitespace). */
  .text {
    display: block;
    white-space: pre-wrap;
  }
  .msg.visitor {
    align-self: flex-end;
    background: var(--_accent);
    color: #fff;
  }
  .msg.visitor a {
    color: inherit;
  }
  .msg.system {
    align-self: center;
    background: none;
    font-size: 0.85rem;
    text-align: center;
  }
  .who {
    display: block;
    font-size: 0.75rem;
    font-weight: 600;
  }
  .meta {
    display: block;
    font-size: 0.7rem;
    opacity: 0.8;
  }
  .typing {
    min-height: 1.25rem;
    margin: 0 1rem;
    font-size: 0.8rem;
  }
  form {
    display: flex;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem 0.75rem;
    border-top: 1px solid var(--_border);
  }
  textarea,
  input {
    flex: 1;
    /* 16 px or more: iOS does not zoom into the field. */
    font: inherit;
    font-size: max(16px, 1rem);
    padding: 0.5rem;
    border-radius: 0.5rem;
    border: 1px solid var(--_border);
    resize: none;
    min-height: 44px;
  }
  .send,
  .human,
  .retry {
    border: 0;
    border-radius: 0.5rem;
    background: var(--_accent);
    color: #fff;
    padding: 0 1rem;
    min-height: 44px;
    font-weight: 600;
  }
  .human {
    margin: 0 0.75rem 0.5rem;
    background: none;
    color: var(--_accent);
    border: 2px solid var(--_accent);
  }
  .retry {
    min-height: 32px;
    margin-inline-start: 0.5rem;
    background: #fff;
    color: #c62828;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
