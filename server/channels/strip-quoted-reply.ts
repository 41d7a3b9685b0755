/**
 * What the customer wrote this time, without the quoted thread and the
 * signature below it — for the transcript; the full text is kept beside it.
 * Plain-text rules, in the order mail clients put them:
 *
 * - an attribution line: "On Tue, … wrote:" (possibly wrapped over two lines),
 *   and its usual translations ("Le … a écrit :", "Am … schrieb …:", "El … escribió:");
 * - Outlook's "-----Original Message-----", its underscore rule, and its
 *   "From: … / Sent: …" header block;
 * - a block of "> " lines reaching the end (Thunderbird, mutt);
 * - the signature delimiter "-- " (RFC 3676) and mobile footers ("Sent from my …").
 *
 * If stripping leaves nothing (the customer wrote below the quote, or only
 * forwarded it), the whole text is the reply.
 */
const ATTRIBUTION = [/^On\b.{0,300}\bwrote:\s*$/i, /^Le\b.{0,300}\ba écrit\s*:\s*$/i, /^Am\b.{0,300}\bschrieb\b.{0,100}:\s*$/i, /^El\b.{0,300}\bescribió:\s*$/i, /^Op\b.{0,300}\bschreef\b.{0,100}:\s*$/i];
const SEPARATOR = [/^-{2,}\s*Original Message\s*-{2,}\s*$/i, /^_{10,}\s*$/, /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i];
const SIGNATURE = [/^-- ?$/, /^Sent from my [\w ]{2,40}$/i, /^Get Outlook for \w+/i, /^Envoyé de mon /i];

export function stripQuotedReply(text: string): { reply: string; quoted: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    const two = i + 1 < lines.length ? `${l} ${lines[i + 1]!.trim()}` : l;
    if (ATTRIBUTION.some((r) => r.test(l)) || (/^On\b/i.test(l) && ATTRIBUTION.some((r) => r.test(two))) || SEPARATOR.some((r) => r.test(l))) {
      cut = i;
      break;
    }
    // Outlook's header block: From: then Sent:/Date: within the next two lines.
    if (/^From:\s/i.test(l) && lines.slice(i + 1, i + 3).some((n) => /^(Sent|Date):\s/i.test(n.trim()))) {
      cut = i;
      break;
    }
    if (l.startsWith('>') && lines.slice(i).every((n) => n.trim() === '' || n.trim().startsWith('>'))) {
      cut = i;
      break;
    }
  }
  let end = cut;
  for (let i = 0; i < cut; i++) {
    if (SIGNATURE.some((r) => r.test(lines[i]!.trimEnd()))) {
      end = i;
      break;
    }
  }
  const reply = lines.slice(0, end).join('\n').trim();
  if (!reply) return { reply: text.trim(), quoted: '' };
  return { reply, quoted: lines.slice(end).join('\n').trim() };
}
