import { css } from 'lit';

/** What every shadow-DOM console page shares: headings, filter bar, cards, chart box, tables, buttons. */
export const pageStyles = css`
  :host { display: block; padding: 1rem 1.5rem 3rem; max-width: 80rem; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
  h2 { font-size: 1.05rem; margin: 1.75rem 0 0.5rem; }
  .bar { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
  label { display: grid; gap: 0.25rem; font-size: 0.85rem; font-weight: 600; }
  select, input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.75rem; }
  .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; }
  .card .value { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .card .what { color: #57606a; font-size: 0.8rem; }
  .chart { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem; height: 16rem; position: relative; }
  table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d0d7de; font-size: 0.9rem; }
  th, td { text-align: start; padding: 0.4rem 0.6rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
  .two { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
  @media (max-width: 50rem) { .two { grid-template-columns: 1fr; } }
  a { color: #0b5cad; }
  :focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  .button { display: inline-block; border: 1px solid #8c959f; border-radius: 6px; padding: 0.35rem 0.75rem; text-decoration: none; color: inherit; background: #fff; font-weight: 600; font: inherit; cursor: pointer; }
  .button.danger, button.danger { border: 1px solid #a40e26; border-radius: 6px; padding: 0.35rem 0.75rem; background: #a40e26; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  button.danger:disabled { background: #fff; color: #6e7781; border-color: #8c959f; cursor: not-allowed; }
  .muted { color: #57606a; }
  .tag { display: inline-block; padding: 0 0.45rem; border-radius: 0.75rem; background: #eaeef2; font-size: 0.75rem; white-space: nowrap; }
  .tag--friction, .tag--error, .tag--poor { background: #ffebe9; color: #a40e26; }
  .tag--good, .tag--verified { background: #dafbe1; color: #116329; }
  .tag--needs-improvement, .tag--unverified { background: #fff8c5; color: #7d4e00; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  /* Phones (#22): tables and forms shrink to the screen (cells wrap; a scrolling table would need a keyboard stop), so the page never scrolls sideways. */
  @media (max-width: 48rem) {
    :host { padding: 0.75rem 0.75rem 2rem; }
    table { table-layout: fixed; }
    th, td { overflow-wrap: anywhere; padding: 0.3rem 0.35rem; }
    fieldset { min-width: 0; }
    input, select, textarea { max-width: 100%; box-sizing: border-box; }
  }
  .online { display: inline-block; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: #1a7f37; margin-inline-end: 0.35rem; }
`;
