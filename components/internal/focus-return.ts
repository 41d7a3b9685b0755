/** The element focus is on, looking into shadow roots. */
export const deepActive = (): Element | null => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

/**
 * The focus rule of the elements that appear on their own (the consent banner,
 * a floating survey): they take focus on their container — never on a choice,
 * so no key press answers by accident — remembering where it was, and when
 * they go they give it back there. If that element is gone (or focus was on
 * nothing), it goes to the page's `<main>` (made focusable with
 * `tabindex="-1"` if needed), so it never falls to `<body>`, where a
 * keyboard or screen-reader user would start over from the top. Focus the
 * visitor moved elsewhere meanwhile is left alone.
 */
export class FocusReturn {
  /** Where focus was when taken; undefined while not holding it. */
  private _to: Element | null | undefined;

  /** Focuses `target`, remembering the focus it takes. */
  take(target: HTMLElement): void {
    const a = deepActive();
    if (this._to === undefined || !target.getRootNode().contains(a)) this._to = a;
    target.focus();
  }

  /** Gives focus back, once, if it was taken and is still inside `host` (or lost to `<body>`). */
  give(host: HTMLElement): void {
    const a = deepActive();
    const to = this._to as HTMLElement | null | undefined;
    this._to = undefined;
    if (to === undefined || (a !== document.body && !host.shadowRoot!.contains(a))) return;
    to?.focus();
    // Gone, or never anywhere (focusing <body> does nothing): the main content, never <body>.
    if (deepActive() === document.body) {
      const main = document.querySelector<HTMLElement>('main, [role=main]');
      if (main && !main.hasAttribute('tabindex')) main.tabIndex = -1;
      main?.focus();
    }
  }
}
