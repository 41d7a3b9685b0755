/**
 * Text the SDK captured from the page (a control's label, an error message or
 * stack), made safe to send and cut to at most `max` UTF-16 units: NULs
 * dropped, unpaired surrogates made U+FFFD, and the cut never inside a
 * surrogate pair. `text.slice(0, 64)` through an emoji left half of it, which
 * a backend refuses (docs/protocol.md §6.1) — and with it the whole event.
 */
export function clipText(text: string, max: number): string {
  let out = '';
  // for…of walks code points: a pair comes as one 2-unit string, a lone surrogate as a 1-unit one.
  for (const ch of text) {
    if (ch === '\0') continue;
    const c = ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch;
    if (out.length + c.length > max) break;
    out += c;
  }
  return out;
}
