// Journeys queries (#25) on the console bench's 1 million events in the
// embedded store (PGlite on disk): the funnel by customer and by session, with
// a breakdown, and the struggle report. The machine's load average is part of
// the figures: on the shared 2-core machine they move with it. Same seeded month as 05-console (one
// generator), median of 5 runs after a warm-up; the bar: < 1 s each.
// Figures, not a timed test.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeQueries } from '../lib/time-queries.mjs';
import { openStore } from '../../server/dist/js/store/open-store.js';
import { Sites } from '../../server/dist/js/sites.js';
import { funnelReport } from '../../server/dist/js/reports/funnel.js';
import { struggleReport } from '../../server/dist/js/reports/struggle.js';
import { rebuildSessionSteps } from '../../server/dist/js/reports/session-steps.js';
import { rebuildSessionPages } from '../../server/dist/js/reports/session-pages.js';
import { CES, DAYS, seed } from './05-console.mjs';

export const title = 'Journeys queries on 1 M events (PGlite)';


export const run = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-journeys-'));
  const store = await openStore({ dataDir });
  try {
    await new Sites(store).configure('bench', 'Bench', ['*'], { surveys: [CES] });
    const seededMs = await seed(store);
    // The seed writes events in SQL, past ingest: build the summaries as migrations 15 and 17 do for existing data.
    const t = performance.now();
    await rebuildSessionSteps(store, 'bench');
    await rebuildSessionPages(store, 'bench');
    await store.query('ANALYZE');
    const stepsMs = performance.now() - t;
    const { rows } = await store.query(`SELECT count(*)::int AS n FROM events WHERE site_key = 'bench'`);
    const now = Date.now();
    const range = { from: new Date(now - DAYS * 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() };
    const steps = [{ page: '/p/1' }, { page: '/p/*' }, { event: 'Order Completed' }];
    // The site's surveys, as the route passes them: each funnel also reads its page steps' CES answers.
    const queries = [
      ['funnel, 3 steps, per session', () => funnelReport(store, 'bench', { steps, unit: 'session' }, range, [CES])],
      ['funnel, 3 steps, per customer (stitched)', () => funnelReport(store, 'bench', { steps }, range, [CES])],
      ['funnel, per session, first-touch breakdown', () => funnelReport(store, 'bench', { steps, unit: 'session', breakdown: 'firstTouch' }, range, [CES])],
      ['funnel, per session, help breakdown', () => funnelReport(store, 'bench', { steps, unit: 'session', breakdown: 'help' }, range, [CES])],
      ['struggle report, 30 days', () => struggleReport(store, 'bench', [CES], range)],
    ];
    return await timeQueries(
      `${rows[0].n.toLocaleString('en')} events over ${DAYS} days; seeded in ${(seededMs / 1000).toFixed(0)} s, summaries built in ${(stepsMs / 1000).toFixed(0)} s; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} before the queries. Median of 5 runs after a warm-up; bar: < 1 s each.`,
      queries,
    );
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
