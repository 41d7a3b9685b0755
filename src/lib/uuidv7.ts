let lastMs = 0;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * Monotonic within a page (RFC 9562 §6.2, method 1): ids made in the same
 * millisecond — or with an earlier time, as replayed snippet calls have —
 * carry an increasing 12-bit counter in `rand_a`, so ids always sort in
 * creation order. The outbox relies on that for FIFO delivery.
 */
export const uuidv7 = (ms = Date.now()): string => {
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  ms = lastMs;
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  for (let i = 5; i >= 0; i--, ms = Math.floor(ms / 256)) b[i] = ms % 256;
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0'))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
};
