import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

export const CHANNEL_KINDS = ['email', 'messenger', 'instagram', 'whatsapp'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const isChannelKind = (v: unknown): v is ChannelKind => CHANNEL_KINDS.includes(v as ChannelKind);

/** What only the server reads: never in an API answer, never in the browser. */
export interface ChannelSecrets {
  /** Meta: the app secret, key of X-Hub-Signature-256. */
  appSecret?: string;
  /** Meta: the Page / Instagram / WhatsApp system-user access token for the Graph API send endpoints. */
  accessToken?: string;
  /** Meta: the token the subscription handshake must echo (hub.verify_token). */
  verifyToken?: string;
  /** E-mail: the password of the inbound-parse webhook's basic auth (Postmark format). */
  inboundPassword?: string;
}

export interface ChannelSettings {
  /** E-mail: the display name of replies' From. */
  fromName?: string;
  /** Graph API version path segment (default v21.0). */
  graphVersion?: string;
  /** WhatsApp: the approved template sent when the 24-hour window has closed (else the inbox says it cannot reply). */
  template?: { name: string; language: string };
}

export interface ChannelAccount {
  id: string;
  siteKey: string;
  kind: ChannelKind;
  /** E-mail: the support address (lower case); Messenger: the Page id; Instagram: the account id; WhatsApp: the phone number id. */
  address: string;
  name: string;
  secrets: ChannelSecrets;
  settings: ChannelSettings;
  createdAt: string;
}

/** An account as an API answer may show it: which secrets are set, never their values. */
export const publicAccount = (a: ChannelAccount) => ({
  id: a.id,
  siteKey: a.siteKey,
  kind: a.kind,
  address: a.address,
  name: a.name,
  settings: a.settings,
  secretsSet: Object.keys(a.secrets).filter((k) => !!a.secrets[k as keyof ChannelSecrets]),
  createdAt: a.createdAt,
});

interface Row {
  id: string;
  site_key: string;
  kind: ChannelKind;
  address: string;
  name: string;
  secrets: ChannelSecrets;
  settings: ChannelSettings;
  created_at: string;
}
const COLUMNS = `id, site_key, kind, address, name, secrets, settings, ${isoUtc('created_at')} AS created_at`;
const toAccount = (r: Row): ChannelAccount => ({ id: r.id, siteKey: r.site_key, kind: r.kind, address: r.address, name: r.name, secrets: r.secrets ?? {}, settings: r.settings ?? {}, createdAt: r.created_at });

/** E-mail addresses compare without case (local parts are case-sensitive in theory, never in practice). */
export const normalAddress = (kind: ChannelKind, address: string): string => (kind === 'email' ? address.trim().toLowerCase() : address.trim());

export const accountById = async (db: Queryable, id: string): Promise<ChannelAccount | undefined> => {
  const r = (await db.query<Row>(`SELECT ${COLUMNS} FROM channel_accounts WHERE id = $1`, [id])).rows[0];
  return r && toAccount(r);
};

export const accountByAddress = async (db: Queryable, kind: ChannelKind, address: string): Promise<ChannelAccount | undefined> => {
  const r = (await db.query<Row>(`SELECT ${COLUMNS} FROM channel_accounts WHERE kind = $1 AND address = $2`, [kind, normalAddress(kind, address)])).rows[0];
  return r && toAccount(r);
};

export const accountsOf = async (db: Queryable, siteKey: string): Promise<ChannelAccount[]> =>
  (await db.query<Row>(`SELECT ${COLUMNS} FROM channel_accounts WHERE site_key = $1 ORDER BY kind, address`, [siteKey])).rows.map(toAccount);

/**
 * Adds an account, or updates the one with the same (kind, address) on the
 * same site. Secrets merge: a field left out keeps its value, so a form that
 * never shows a token can still change the name. Returns undefined when the
 * address belongs to another site.
 */
export const saveAccount = async (
  db: Queryable,
  a: { siteKey: string; kind: ChannelKind; address: string; name?: string; secrets?: ChannelSecrets; settings?: ChannelSettings },
  at: string,
): Promise<ChannelAccount | undefined> => {
  const address = normalAddress(a.kind, a.address);
  const { rows } = await db.query<Row>(
    `INSERT INTO channel_accounts (id, site_key, kind, address, name, secrets, settings, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (kind, address) DO UPDATE SET
       name = CASE WHEN $9 THEN EXCLUDED.name ELSE channel_accounts.name END,
       secrets = channel_accounts.secrets || EXCLUDED.secrets,
       settings = channel_accounts.settings || EXCLUDED.settings
     WHERE channel_accounts.site_key = EXCLUDED.site_key
     RETURNING ${COLUMNS}`,
    [randomUUID(), a.siteKey, a.kind, address, a.name ?? '', JSON.stringify(a.secrets ?? {}), JSON.stringify(a.settings ?? {}), at, a.name !== undefined],
  );
  return rows[0] && toAccount(rows[0]);
};

export const removeAccount = async (db: Queryable, siteKey: string, id: string): Promise<boolean> =>
  (await db.query('DELETE FROM channel_accounts WHERE id = $1 AND site_key = $2 RETURNING id', [id, siteKey])).rows.length > 0;
