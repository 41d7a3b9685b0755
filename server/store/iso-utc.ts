/**
 * SQL for a timestamptz column as an ISO 8601 UTC string with milliseconds
 * (`2026-11-22T10:00:00.000Z`), the protocol's date-time form — the same on
 * PGlite and PostgreSQL, whatever the session time zone.
 */
export const isoUtc = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
