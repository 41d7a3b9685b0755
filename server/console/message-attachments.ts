import { html, nothing, type TemplateResult } from 'lit';
import { API_PREFIX, type ChatEvent } from 'touchpoint/protocol';

interface Attachment {
  filename: string;
  contentType: string;
  size: number;
  /** The server's thumbnail of an image sent in web chat (docs/protocol.md §10.3). */
  thumbnail?: { width: number; height: number };
}

/** 1 234 567 → "1.2 MB": a file's size as an agent reads it. */
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

/**
 * The files of a message — sent in web chat by the customer or an agent
 * (docs/console.md#attachments), or mailed (docs/channels.md#attachments):
 * each a download link with its size, images also a preview that opens the
 * original: the server's thumbnail when it made one (a few KB instead of a
 * photo's megabytes), else the image itself (mailed
 * files, images the server could not decode). The server decides how a file
 * is served (sniffed type, sandbox CSP); an "image" that is not one shows
 * its alt text here and downloads as bytes.
 */
export const messageAttachments = (e: ChatEvent): TemplateResult | typeof nothing => {
  // Files sent in web chat (data.attachments) or mailed (data.email.attachments): one URL for both.
  const list = ((e.data?.attachments as Attachment[] | undefined) ?? (e.data?.email as { attachments?: Attachment[] } | undefined)?.attachments ?? []).filter((a) => a && typeof a.filename === 'string');
  if (!list.length) return nothing;
  const href = (i: number) => `${API_PREFIX}/agent/conversations/${encodeURIComponent(e.conversationId)}/attachments/${e.seq}/${i}`;
  return html`<ul class="files" aria-label="Attachments">
    ${list.map(
      (a, i) =>
        html`<li>
          ${a.thumbnail
            ? html`<a href=${href(i)} target="_blank" rel="noopener"><img src=${`${href(i)}/thumbnail`} alt=${a.filename} loading="lazy" /></a>`
            : /^image\/(png|jpeg|gif|webp)$/.test(a.contentType)
              ? html`<img src=${href(i)} alt=${a.filename} loading="lazy" />`
              : nothing}
          <a href=${href(i)} download=${a.filename} dir="auto">${a.filename}</a> <span class="muted">${size(a.size)}</span>
        </li>`,
    )}
  </ul>`;
};
