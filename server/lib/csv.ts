/**
 * RFC 4180 CSV. Cells are quoted when needed, and a cell starting with
 * = + - @ (or a tab / CR) gets a leading `'`: a spreadsheet must never run
 * what a visitor typed as a formula.
 */
export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A CSV document: a header row, then one row per record, CRLF line ends. */
export const toCsv = (header: string[], rows: Record<string, unknown>[]): string =>
  `${[header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\r\n')}\r\n`;
