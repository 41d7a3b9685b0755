import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { KEYS } from '../lib/storage-keys.js';

export interface UserState {
  userId?: string | null | undefined;
  traits?: Record<string, unknown>;
}

/**
 * Who the visitor is: a time-ordered anonymous id, and once identified a user
 * id with traits. Optionally mirrored in a first-party cookie on a parent
 * domain so that sub-domains share one visitor.
 */
export const createIdentity = (cookieDomain?: string) => {
  let anonymousId: string | undefined;
  let user: UserState = {};
  let persist = false;

  const readCookie = (): string | undefined => {
    try {
      // `; ` before the first pair too, so only our name matches (never `xtp_anon`); an empty value reads as none.
      return `; ${document.cookie}`.split(`; ${KEYS.cookie.anon}=`)[1]?.split(';')[0];
    } catch {
      return undefined;
    }
  };
  /** The sub-domain mirror; an empty id deletes it. */
  const cookie = (id = '') => {
    try {
      document.cookie = `${KEYS.cookie.anon}=${id};domain=${cookieDomain};path=/;max-age=${id ? 31536000 : 0};samesite=lax${location.protocol === 'https:' ? ';secure' : ''}`;
    } catch {
      // Cookies disabled: localStorage still holds the id.
    }
  };
  const write = () => {
    if (!persist) return;
    writeStored(KEYS.localStorage.anon, anonymousId);
    writeStored(KEYS.localStorage.user, user.userId || user.traits ? user : undefined);
    if (cookieDomain) cookie(anonymousId);
  };

  // `__` members: only the SDK's parts call them, and terser mangles them (bytes of the 6 KB core).
  return {
    get anonymousId(): string {
      if (!anonymousId) {
        anonymousId = (persist && ((cookieDomain && readCookie()) || readStored<string>(KEYS.localStorage.anon))) || uuidv7();
        // Made here on a first visit: stored at once, or every page load would be a new visitor.
        write();
      }
      return anonymousId;
    },
    get user(): UserState {
      return user;
    },
    __persist(p: boolean) {
      persist = p;
      if (p) {
        // Adopt what an earlier page stored, else store what we made in memory.
        const made = anonymousId;
        anonymousId = (cookieDomain && readCookie()) || readStored<string>(KEYS.localStorage.anon) || made;
        user = { ...readStored<UserState>(KEYS.localStorage.user), ...user };
        // Nothing made yet: nothing to write (removing absent keys took 5–20 ms
        // of the start-up task at 4× throttling). The cookie mirror is always refreshed.
        if (made || cookieDomain) write();
      } else if (cookieDomain) cookie(); // storage withdrawn: the shared id goes too
    },
    identify(userId: string | null | undefined, traits?: Record<string, unknown>) {
      if (userId !== undefined && userId !== null && user.userId && userId !== user.userId) user = {};
      if (userId !== undefined) user.userId = userId;
      if (traits) user.traits = { ...user.traits, ...traits };
      write();
    },
    /** Logout: forget the user and rotate the anonymous id. */
    __forget() {
      user = {};
      anonymousId = uuidv7();
      write();
    },
  };
};
export type Identity = ReturnType<typeof createIdentity>;
