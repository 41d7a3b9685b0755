/** What the console knows of a visitor: any of these may be missing. */
export interface VisitorLike {
  name?: string | null | undefined;
  email?: string | null | undefined;
  userId?: string | null | undefined;
  anonymousId?: string | null | undefined;
}

/**
 * A short label that is the same for the same anonymous id on every page and
 * every visit ("Visitor 4F2A"): FNV-1a of the id, four hex digits. Not the
 * id's own tail: ids of channels (`email:ada@…`) end in text, and UUIDv7
 * heads are timestamps that repeat within a millisecond.
 */
export const visitorLabel = (anonymousId: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < anonymousId.length; i++) h = Math.imul(h ^ anonymousId.charCodeAt(i), 0x01000193);
  return `Visitor ${((h >>> 0) & 0xffff).toString(16).toUpperCase().padStart(4, '0')}`;
};

/**
 * The one way the console names a visitor: their name trait, else their
 * e-mail, else the verified user id, else a short stable label — never a raw
 * UUID. The full id stays in the element's title for whoever needs it.
 */
export const visitorName = (v: VisitorLike): string =>
  v.name?.trim() || v.email?.trim() || v.userId?.trim() || (v.anonymousId ? visitorLabel(v.anonymousId) : 'Unknown visitor');
