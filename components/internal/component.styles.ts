import { css } from 'lit';

/**
 * Shared by every element. The stacking contract lives here: one base layer
 * (`--tp-z-index`), the consent banner one step above the chat launcher and
 * the survey, and `--tp-consent-offset` (set on <html> by the banner while it
 * shows) lifts bottom-anchored widgets so nothing ever covers the banner.
 */
export const componentStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--tp-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    color: var(--tp-color-text, #1b1f23);
    --_accent: var(--tp-color-accent, #0b6e4f);
    --_surface: var(--tp-color-surface, #fff);
    --_border: var(--tp-color-border, #d0d7de);
    --_radius: var(--tp-radius, 12px);
    --_z: var(--tp-z-index, 2147483000);
  }
  :host *,
  :host *::before,
  :host *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 3px solid var(--tp-color-focus, #0969da);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
