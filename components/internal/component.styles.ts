import { css } from 'lit';

/**
 * Shared by every element. The stacking contract lives here: one base layer
 * (`--tp-z-index`), the consent banner one step above the chat launcher and
 * the survey. Bottom-anchored elements stack rather than cover each other,
 * each publishing on <html> the height it takes while it shows:
 * `--tp-consent-offset` (the banner, lowest) lifts the launcher and the
 * survey; `--tp-chat-offset` (the launcher's button) lifts a floating survey
 * where, on a phone, the card spans the width. The other way round, a
 * floating survey yields (hides) while the chat panel is open over it.
 * docs/surveys.md#side-by-side-with-the-chat shows it at 320 px.
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
