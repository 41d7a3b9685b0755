// Console queries on 1 million events in the embedded store (PGlite on disk, as
// `npm start` runs it): a seeded generator writes a month of a busy site in SQL,
// then each console query runs 5 times (after a warm-up) and reports its median.
// The issue's bar: every query under 1 s. Figures, not a timed test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeQueries } from '../lib/time-queries.mjs';
import { openStore } from '../../server/dist/js/store/open-store.js';
import { Sites } from '../../server/dist/js/sites.js';
import { overview } from '../../server/dist/js/reports/overview.js';
import { attributionReport, DEFAULT_GOALS } from '../../server/dist/js/reports/attribution.js';
import { findCustomers } from '../../server/dist/js/customers/find-customers.js';
import { customerProfile, resolveCustomer } from '../../server/dist/js/customers/customer-profile.js';
import { surveyReport } from '../../server/dist/js/reports/survey-report.js';

export const title = 'Console queries on 1 M events (PGlite)';

const EVENTS = Number(process.env.BENCH_CONSOLE_EVENTS ?? 1_000_000);
const SESSIONS = EVENTS / 10;
const VISITORS = Math.round(SESSIONS * 0.4);
export const DAYS = 30;
export const CES = { id: 'checkout-ces', version: 1, questions: [{ id: 'effort', type: 'ces' }] };

// Deterministic "random" from an integer: the same data on every run (a seeded generator in SQL).
const R = (expr, salt) => `(((${expr}) * 2654435761 + ${salt}) % 2147483647)`;

export const seed = async (db) => {
  const t0 = performance.now();
  const CH = `(ARRAY['Direct','Organic Search','Paid Search','Email','Organic Social','Referral','Paid Social','Display'])`;
  const SRC = `(ARRAY['(direct)','google','google','newsletter','facebook','blog.example','facebook','ads.example'])`;
  await db.query(`
    INSERT INTO sessions (site_key, session_id, anonymous_id, started_at, last_seen_at, events, entry_url, user_agent, channel,
                          first_channel, first_source, first_medium, first_campaign, last_channel, last_source, last_medium, last_campaign)
    SELECT 'bench', 's' || s, 'a' || (${R('s', 7)} % ${VISITORS}),
           ts, ts + interval '10 minutes', 10, 'https://shop.example/p/' || (s % 20), 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
           ${CH}[1 + ${R('s', 11)} % 8],
           ${CH}[1 + ${R(`${R('s', 7)} % ${VISITORS}`, 13)} % 8], ${SRC}[1 + ${R(`${R('s', 7)} % ${VISITORS}`, 13)} % 8], 'm', 'c' || (s % 5),
           ${CH}[1 + ${R('s', 11)} % 8], ${SRC}[1 + ${R('s', 11)} % 8], 'm', 'c' || (s % 5)
      FROM generate_series(0, ${SESSIONS - 1}) s,
           LATERAL (SELECT now() - interval '${DAYS} days' + (s::float8 / ${SESSIONS}) * interval '${DAYS} days' AS ts) t`);
  // Ten events per session: pages, clicks, 1 % orders, 2 % friction, 5 % web vitals.
  await db.query(`
    INSERT INTO events (site_key, message_id, type, name, anonymous_id, session_id, timestamp, original_timestamp, payload)
    SELECT 'bench', 'm' || i, CASE WHEN k < 40 THEN 'page' ELSE 'track' END,
           CASE WHEN k < 40 THEN NULL WHEN k < 41 THEN 'Order Completed' WHEN k < 42 THEN 'Rage Click' WHEN k < 43 THEN 'Dead Click'
                WHEN k < 48 THEN 'Web Vital' ELSE 'Element Clicked' END,
           s.anonymous_id, s.session_id, ts, ts,
           jsonb_build_object(
             'properties', CASE WHEN k < 41 AND k >= 40 THEN jsonb_build_object('revenue', 20 + k)
                                WHEN k >= 43 AND k < 48 THEN jsonb_build_object('name', (ARRAY['LCP','INP','CLS','FCP','TTFB'])[1 + k % 5], 'value', ${R('i', 17)} % 5000, 'rating', 'good')
                                ELSE '{}'::jsonb END,
             'context', jsonb_build_object(
               'page', jsonb_build_object('path', '/p/' || (i % 20), 'url', 'https://shop.example/p/' || (i % 20)),
               'session', jsonb_build_object('id', s.session_id),
               'attribution', jsonb_build_object('first', jsonb_build_object('channel', s.first_channel, 'source', s.first_source),
                                                 'last', jsonb_build_object('channel', s.last_channel, 'source', s.last_source))))
      FROM generate_series(0, ${EVENTS - 1}) i,
           LATERAL (SELECT ${R('i', 3)} % 100 AS k) r,
           LATERAL (SELECT * FROM sessions WHERE site_key = 'bench' AND session_id = 's' || (i / 10)) s,
           LATERAL (SELECT s.started_at + (i % 10) * interval '1 minute' AS ts) t`);
  // One visitor in eight signs in (verified), with traits; users have two devices each.
  await db.query(`
    INSERT INTO identities (site_key, anonymous_id, user_id, verified, linked_at)
    SELECT 'bench', 'a' || v, 'u' || (v / 2), true, now() - interval '${DAYS} days' FROM generate_series(0, ${VISITORS - 1}, 4) v`);
  await db.query(`
    INSERT INTO events (site_key, message_id, type, anonymous_id, user_id, verified, timestamp, original_timestamp, payload)
    SELECT 'bench', 'id' || v, 'identify', 'a' || v, 'u' || (v / 2), true, now() - interval '1 day', now() - interval '1 day',
           jsonb_build_object('traits', jsonb_build_object('email', 'user' || (v / 2) || '@example.com', 'plan', (ARRAY['free','pro','gold'])[1 + v % 3]))
      FROM generate_series(0, ${VISITORS - 1}, 4) v`);
  await db.query(`
    INSERT INTO conversations (id, site_key, anonymous_id, client_id, channel, status, session_id, created_at)
    SELECT 'c' || s, 'bench', anonymous_id, 'cl' || s, 'web', (ARRAY['bot','pending','open','closed'])[1 + s % 4], session_id, started_at
      FROM (SELECT s, anonymous_id, session_id, started_at FROM generate_series(0, ${SESSIONS - 1}, 20) s JOIN sessions ON site_key = 'bench' AND session_id = 's' || s) x`);
  await db.query(`
    INSERT INTO survey_answers (site_key, response_id, survey_id, survey_version, question_id, value, anonymous_id, session_id, url, timestamp, payload)
    SELECT 'bench', 'r' || s, 'checkout-ces', 1, 'effort', to_jsonb(1 + ${R('s', 19)} % 7), anonymous_id, session_id, 'https://shop.example/p/' || (s % 20), started_at, '{}'
      FROM (SELECT s, anonymous_id, session_id, started_at FROM generate_series(0, ${SESSIONS - 1}, 10) s JOIN sessions ON site_key = 'bench' AND session_id = 's' || s) x`);
  await db.query('ANALYZE');
  return performance.now() - t0;
};


export const run = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-console-'));
  const store = await openStore({ dataDir });
  try {
    await new Sites(store).configure('bench', 'Bench', ['*'], { surveys: [CES] });
    const seededMs = await seed(store);
    const { rows } = await store.query(`SELECT count(*)::int AS n FROM events WHERE site_key = 'bench'`);
    // The data was seeded relative to now (the bench measures speed, not dates).
    const now = Date.now();
    const range = { from: new Date(now - DAYS * 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() };
    const customer = await resolveCustomer(store, 'bench', 'u1000');
    const queries = [
      ['overview (today, online, chats, scores by week, friction, vitals p75)', () => overview(store, 'bench', [CES], now)],
      ['customers: recent visitors', () => findCustomers(store, 'bench', now)],
      ['customers: search by email trait', () => findCustomers(store, 'bench', now, 'user1000@example.com')],
      ['customer profile (2 devices, timeline)', () => customerProfile(store, customer, now)],
      ['attribution, first touch, 30 days', () => attributionReport(store, 'bench', { range, model: 'first', dimension: 'channel', goals: DEFAULT_GOALS })],
      ['attribution, last touch, 30 days', () => attributionReport(store, 'bench', { range, model: 'last', dimension: 'channel', goals: DEFAULT_GOALS })],
      ['attribution, sources of one channel', () => attributionReport(store, 'bench', { range, model: 'last', dimension: 'source', channel: 'Email', goals: DEFAULT_GOALS })],
      ['survey report (CES, 30 days)', () => surveyReport(store, 'bench', CES, range)],
    ];
    return await timeQueries(
      `${rows[0].n.toLocaleString('en')} events, ${SESSIONS.toLocaleString('en')} sessions, ${VISITORS.toLocaleString('en')} visitors over ${DAYS} days; seeded in ${(seededMs / 1000).toFixed(0)} s. Median of 5 runs after a warm-up; bar: < 1 s each.`,
      queries,
    );
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
