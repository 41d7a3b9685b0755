import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { applySiteFile } from '../../server/site-file.js';
import type { SurveyAnswer, SurveyDefinition } from '../../src/protocol/survey.js';
import type { SurveyReport } from '../../server/reports/survey-report.js';

const CES: SurveyDefinition = {
  id: 'checkout-ces',
  version: 2,
  questions: [
    { id: 'effort', type: 'ces' },
    { id: 'why', type: 'text', showIf: { question: 'effort', max: 3 } },
  ],
};
const LOYALTY: SurveyDefinition = {
  id: 'loyalty',
  version: 1,
  questions: [
    { id: 'nps', type: 'nps' },
    { id: 'buy', type: 'cli_buy' },
    { id: 'try', type: 'cli_try' },
    { id: 'miss', type: 'miss' },
  ],
};

const answer = (responseId: string, questionId: string, value: SurveyAnswer['value'], extra: Partial<SurveyAnswer> = {}): SurveyAnswer => ({
  responseId,
  surveyId: 'checkout-ces',
  surveyVersion: 2,
  questionId,
  ...(value === undefined ? {} : { value }),
  anonymousId: `anon-${responseId}`,
  timestamp: '2026-11-20T10:00:00.000Z',
  url: 'https://shop.example/checkout/done?order=1',
  sessionId: `sess-${responseId}`,
  replayTimestamp: 1_763_632_800_000,
  ...extra,
});

describe.each(STORES)('survey reports on $name', ({ databaseUrl }) => {
  // The answers below were given on the 20th and 21st, and sent a little later.
  const clock = testClock('2026-11-21T09:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const get = (path: string) => fetch(`${s.url}/v1/agent${path}`, { headers: { cookie } });
  const report = async (survey = 'checkout-ces', q = 'from=2026-11-01&to=2026-11-30') => (await (await get(`/sites/demo/surveys/${survey}/report?${q}`)).json()) as SurveyReport;

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const dir = mkdtempSync(join(tmpdir(), 'tp-sites-'));
    writeFileSync(join(dir, 'sites.json'), JSON.stringify({ sites: [{ key: 'demo', name: 'Demo site', config: { surveys: [CES, LOYALTY] } }] }));
    await applySiteFile(s.app.deps.sites, join(dir, 'sites.json'));
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    // The session's entry channel comes from its events.
    const ev = (id: string, session: string, channel: string) => ({
      type: 'page',
      messageId: id,
      anonymousId: 'a',
      timestamp: '2026-11-20T09:59:00.000Z',
      properties: {},
      context: { session: { id: session }, attribution: { session: { channel, timestamp: '2026-11-20T09:59:00.000Z' } } },
    });
    const answers = [
      // r1: hard (2) with a comment, from Email; r2: easy (6) from Organic Search; r3: 7; r4: 3, another day, no comment.
      answer('r1', 'effort', 2),
      answer('r1', 'why', 'The coupon field kept resetting', { final: true }),
      answer('r2', 'effort', 6, { final: true, locale: 'zh-Hant' }),
      answer('r3', 'effort', 7, { final: true, url: 'https://shop.example/cart', locale: 'ar' }),
      answer('r4', 'effort', 3, { timestamp: '2026-11-21T08:00:00.000Z' }),
      answer('r5', '$dismissed', undefined, { final: true }),
      // An answer to an older version of the survey: never mixed into version 2's score.
      answer('r6', 'effort', 1, { surveyVersion: 1 }),
      // Loyalty: r7 complete CLI (9, 6, 3 → 6), r8 without `try` (no CLI).
      ...[['nps', 9], ['buy', 6], ['try', 3], ['miss', 'very']].map(([q, v]) => answer('r7', q as string, v as number, { surveyId: 'loyalty', surveyVersion: 1 })),
      ...[['nps', 4], ['buy', 8], ['miss', 'not']].map(([q, v]) => answer('r8', q as string, v as number, { surveyId: 'loyalty', surveyVersion: 1 })),
    ];
    const res = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: clock.iso(),
      batch: [ev('e1', 'sess-r1', 'Email'), ev('e2', 'sess-r2', 'Organic Search')],
      responses: answers,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it('scores the current version only, on its own scale', async () => {
    const r = await report();
    const effort = r.questions.find((q) => q.id === 'effort')!;
    // 2, 6, 7, 3 → 2 of 4 are 5–7 = 50 %; mean 4.5. Version 1's answer (1) is not counted.
    expect(effort.score).toMatchObject({ n: 4, score: 50, mean: 4.5, unit: '%' });
    expect(r).toMatchObject({ responses: 5, completed: 3, dismissed: 1, headline: 'effort' });
  });

  it('breaks down by the language the survey was shown in', async () => {
    const r = await report();
    expect(r.byLanguage).toEqual([
      { key: '(unknown)', n: 2, score: 0 },
      { key: 'ar', n: 1, score: 100 },
      { key: 'zh-Hant', n: 1, score: 100 },
    ]);
  });

  it('trends by day and breaks down by page and by the session channel', async () => {
    const r = await report();
    expect(r.trend.filter((t) => t.n)).toEqual([
      { day: '2026-11-20', n: 3, score: 66.7 },
      { day: '2026-11-21', n: 1, score: 0 },
    ]);
    // Every day of the range is on the chart's axis: the empty ones have no score, not a zero.
    expect(r.trend.map((t) => t.day)).toHaveLength(30);
    expect(r.trend[0]).toEqual({ day: '2026-11-01', n: 0, score: null });
    expect(r.trend.at(-1)!.day).toBe('2026-11-30');
    expect(r.byPage).toEqual([
      { key: '/checkout/done', n: 3, score: 33.3 },
      { key: '/cart', n: 1, score: 100 },
    ]);
    expect(r.byChannel).toEqual(
      expect.arrayContaining([
        { key: 'Email', n: 1, score: 0 },
        { key: 'Organic Search', n: 1, score: 100 },
        { key: '(unknown)', n: 2, score: 50 },
      ]),
    );
  });

  it('lists the low scores newest first, each with its comment and replay moment', async () => {
    const r = await report();
    expect(r.low.map((l) => [l.responseId, l.value, l.comment])).toEqual([
      ['r4', 3, null],
      ['r1', 2, 'The coupon field kept resetting'],
    ]);
    expect(r.low[1]).toMatchObject({ sessionId: 'sess-r1', replayTimestamp: 1_763_632_800_000 });
  });

  it('respects the date range', async () => {
    const r = await report('checkout-ces', 'from=2026-11-21&to=2026-11-21');
    expect(r.questions[0]!.score).toMatchObject({ n: 1, score: 0 });
  });

  it('computes NPS, the loyalty index and "would you miss us" without mixing them', async () => {
    const r = await report('loyalty');
    const by = Object.fromEntries(r.questions.map((q) => [q.id, q.score]));
    expect(by.nps).toMatchObject({ n: 2, score: 0, unit: 'nps' }); // one promoter, one detractor
    expect(by.miss).toMatchObject({ n: 2, score: 50, unit: '%' });
    expect(r.cli).toEqual({ n: 1, mean: 6 });
  });

  it('exports every answer as CSV, spreadsheet-safe', async () => {
    const res = await get('/sites/demo/surveys/checkout-ces/answers.csv?from=2026-11-01&to=2026-11-30');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('response_id,timestamp,survey_version,question_id,question_type,value,anonymous_id,user_id,session_id,replay_ts,conversation_id,url,channel');
    expect(lines).toHaveLength(1 + 7); // all versions of this survey's answers
    expect(lines.find((l) => l.startsWith('r1,') && l.includes(',why,'))).toContain(',text,The coupon field kept resetting,');
    expect(lines.find((l) => l.startsWith('r1,') && l.includes(',effort,'))).toMatch(/,Email$/);
  });

  it('needs an agent session, and says what is wrong with a bad range or survey', async () => {
    expect((await fetch(`${s.url}/v1/agent/sites/demo/surveys/checkout-ces/report`)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/surveys`)).status).toBe(401);
    const bad = await get('/sites/demo/surveys/checkout-ces/report?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_body', path: '?from' });
    expect((await get('/sites/demo/surveys/nope/report')).status).toBe(404);
  });

  it('lists surveys with their response counts', async () => {
    const list = (await (await get('/surveys')).json()) as { surveys: { id: string; responses: number }[] };
    // The current version's responses only: r6 answered version 1 (it was counted in version 2's total).
    expect(list.surveys.map((x) => [x.id, x.responses])).toEqual([
      ['checkout-ces', 5],
      ['loyalty', 2],
    ]);
  });

  it('never scores a stored answer outside its scale or of the wrong type', async () => {
    // Rows stored before answers were validated at ingest (or by another backend): the report defends itself.
    const put = (id: string, survey: string, version: number, q: string, value: unknown) =>
      s.store.query(
        `INSERT INTO survey_answers (site_key, response_id, survey_id, survey_version, question_id, value, anonymous_id, timestamp, received_at, payload)
         VALUES ('demo', $1, $2, $3, $4, $5::jsonb, 'legacy', '2026-11-20T11:00:00Z', '2026-11-20T11:00:00Z', '{}')`,
        [id, survey, version, q, JSON.stringify(value)],
      );
    await put('x1', 'checkout-ces', 2, 'effort', '6'); // a string, not a number
    await put('x2', 'checkout-ces', 2, 'effort', 0); // below CES's 1–7
    await put('x3', 'checkout-ces', 2, 'effort', 4.5); // not a point of the scale
    for (const [q, v] of [['nps', 11], ['buy', -1], ['try', 5]] as const) await put('x4', 'loyalty', 1, q, v);
    const ces = await report();
    expect(ces.questions.find((q) => q.id === 'effort')!.score).toMatchObject({ n: 4, score: 50, mean: 4.5 });
    expect(ces.low.map((l) => l.responseId)).toEqual(['r4', 'r1']);
    const loyalty = await report('loyalty');
    expect(loyalty.questions.find((q) => q.id === 'nps')!.score).toMatchObject({ n: 2 });
    expect(loyalty.cli).toEqual({ n: 1, mean: 6 });
  });
});

describe('the site file', () => {
  it('stops with the exact path of a mistake, applying nothing', async () => {
    const s = await startServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'tp-sites-'));
      const bad = { sites: [{ key: 'x', name: 'X', config: { surveys: [{ ...CES, questions: [{ id: 'q', type: 'stars' }] }] } }] };
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
      await expect(applySiteFile(s.app.deps.sites, join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: \/sites\/0\/config\/surveys\/0\/questions\/0\/type/);
      expect(await s.app.deps.sites.get('x')).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
