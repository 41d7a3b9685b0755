import { css } from 'lit';

/** Styles of the preferences dialog, adopted when it first opens (with its lazy chunk). */
export default css`
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0;
    width: min(36rem, calc(100vw - 1rem));
    max-height: calc(100dvh - 2rem);
    background: var(--_surface);
    color: inherit;
  }
  dialog::backdrop {
    background: #0007;
  }
  .dialog__body {
    padding: 1.25rem;
    overflow: auto;
  }
  .dialog__head {
    display: flex;
    justify-content: space-between;
    align-items: start;
    gap: 1rem;
  }
  .close {
    border: 0;
    background: none;
    font-size: 1.5rem;
    line-height: 1;
    min-width: 44px;
    min-height: 44px;
    color: inherit;
  }
  .category {
    border-top: 1px solid var(--_border);
    padding: 0.75rem 0;
  }
  .category label {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1rem;
    font-weight: 600;
  }
  .category p {
    margin: 0.25rem 0 0;
    font-size: 0.875rem;
  }
  /* A native checkbox (role=switch): accessible and themeable without drawing one. */
  input[type='checkbox'] {
    flex: none;
    width: 1.35rem;
    height: 1.35rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  .dialog__actions {
    padding: 1rem 1.25rem;
    border-top: 1px solid var(--_border);
  }
`;
