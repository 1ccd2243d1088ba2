import { RollupRepository } from '../src/activity/repositories/rollup.repository';
import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';

// A known stream over four weeks of November 2026 (Mondays: 2, 9, 16 and 23; "today" is Thu 26).
const STREAM: Array<[string, string, string, string | null]> = [
  ['a', '2026-11-02T09:00:00Z', 'page_view', '/pricing'],
  ['a', '2026-11-02T09:10:00Z', 'signup', null],
  ['a', '2026-11-03T08:00:00Z', 'purchase', null],
  ['b', '2026-11-03T09:00:00Z', 'page_view', '/pricing'],
  ['c', '2026-11-04T09:00:00Z', 'signup', null],
  ['b', '2026-11-05T09:00:00Z', 'signup', null],
  ['a', '2026-11-10T10:00:00Z', 'page_view', '/docs'],
  ['d', '2026-11-11T09:00:00Z', 'page_view', '/docs'],
  ['c', '2026-11-12T09:00:00Z', 'page_view', '/docs'],
  ['a', '2026-11-17T10:00:00Z', 'page_view', '/pricing'],
  ['d', '2026-11-18T09:00:00Z', 'page_view', '/docs'],
  ['b', '2026-11-24T09:00:00Z', 'page_view', '/docs'],
  ['e', '2026-11-25T09:00:00Z', 'page_view', '/pricing'],
];

describe('App-wide analytics: overview, funnel, retention (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-26T12:00:00.000Z');
    const batch = STREAM.map(([user, timestamp, type, page]) => ({
      user_id: user,
      activity_type: type,
      timestamp,
      ...(page ? { page_url: page } : {}),
    }));
    const res = await t.http.post('/api/activity/batch').send({ batch }).expect(200);
    expect(res.body.accepted).toBe(STREAM.length);
    // A bot's events are left out of every figure: one passed on by a backend in context, one
    // sent by the crawler itself with a publishable key.
    await t.http
      .post('/api/activity/track')
      .send({
        user_id: 'crawler',
        activity_type: 'page_view',
        page_url: '/pricing',
        timestamp: '2026-11-25T10:00:00Z',
        context: { user_agent: USER_AGENTS.googlebot },
      })
      .expect(201);
    await t.site
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.bingbot)
      .send({ user_id: 'crawler', activity_type: 'page_view', page_url: '/pricing', timestamp: '2026-11-25T10:00:00Z' })
      .expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives weekly series, totals, DAU/WAU/MAU and top types and pages', async () => {
    const res = await t.http.get('/api/analytics/overview?from=2026-11-02&to=2026-11-26&interval=week').expect(200);
    expect(res.body).toEqual({
      success: true,
      from: '2026-11-02',
      to: '2026-11-26',
      interval: 'week',
      series: [
        { period: '2026-11-02', active_users: 3, events: 6, sessions: 5, new_users: 3 },
        { period: '2026-11-09', active_users: 3, events: 3, sessions: 3, new_users: 1 },
        { period: '2026-11-16', active_users: 2, events: 2, sessions: 2, new_users: 0 },
        { period: '2026-11-23', active_users: 2, events: 2, sessions: 2, new_users: 1 },
      ],
      // 12 automatic sessions; 7 have ended (each user's next event came more than 30 minutes
      // later): a's first lasted 10 minutes, the rest were single events.
      totals: { active_users: 5, events: 13, sessions: 12, avg_session_duration: 85.714, new_users: 5, returning_users: 0 },
      dau: 0,
      wau: 2,
      mau: 5,
      top_activity_types: [
        { key: 'page_view', count: 9 },
        { key: 'signup', count: 3 },
        { key: 'purchase', count: 1 },
      ],
      top_pages: [
        { key: '/docs', count: 5 },
        { key: '/pricing', count: 4 },
      ],
    });
  });

  it('tells new from returning users, day by day', async () => {
    const res = await t.http.get('/api/analytics/overview?from=2026-11-16&to=2026-11-26').expect(200);
    expect(res.body.totals).toMatchObject({ active_users: 4, new_users: 1, returning_users: 3 });
    expect(res.body.series).toHaveLength(11);
    expect(res.body.series.find((p: { period: string }) => p.period === '2026-11-25')).toEqual({
      period: '2026-11-25',
      active_users: 1,
      events: 1,
      sessions: 1,
      new_users: 1,
    });
  });

  it('counts users through a funnel in order within its window', async () => {
    const res = await t.http
      .post('/api/analytics/funnel')
      .send({ steps: ['/pricing', 'signup', 'purchase'], within_seconds: 86_400, from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' })
      .expect(200);
    // a completes it; b signs up two days after /pricing (outside the day); e only saw /pricing.
    expect(res.body).toEqual({
      success: true,
      steps: [
        { step: '/pricing', users: 3, conversion: 1 },
        { step: 'signup', users: 1, conversion: 0.3333 },
        { step: 'purchase', users: 1, conversion: 1 },
      ],
    });
    const narrow = await t.http
      .post('/api/analytics/funnel')
      .send({ steps: ['/pricing', 'signup'], within_seconds: 300, from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' })
      .expect(200);
    expect(narrow.body.steps.map((s: { users: number }) => s.users)).toEqual([3, 0]);
    const dated = await t.http
      .post('/api/analytics/funnel')
      .send({ steps: ['/pricing', 'signup'], within_seconds: 86_400, from: '2026-11-20T00:00:00Z', to: '2026-11-30T23:59:59Z' })
      .expect(200);
    expect(dated.body.steps.map((s: { users: number }) => s.users)).toEqual([1, 0]);
  });

  it('counts the same whether a funnel sorts its range or streams the user index', async () => {
    const funnels = [
      { steps: ['/pricing', 'signup', 'purchase'], within_seconds: 86_400, from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' },
      { steps: ['/pricing', 'signup'], within_seconds: 300, from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' },
      { steps: ['/pricing', 'signup'], within_seconds: 86_400, from: '2026-11-20T00:00:00Z', to: '2026-11-30T23:59:59Z' },
    ];
    const run = async () =>
      Promise.all(funnels.map(async (body) => (await t.http.post('/api/analytics/funnel').send(body).expect(200)).body));
    const sorted = await run();
    const threshold = RollupRepository.sortedFunnelMaxEvents;
    RollupRepository.sortedFunnelMaxEvents = 0;
    try {
      expect(await run()).toEqual(sorted);
    } finally {
      RollupRepository.sortedFunnelMaxEvents = threshold;
    }
    expect(sorted[0].steps.map((s: { users: number }) => s.users)).toEqual([3, 1, 1]);
  });

  it('builds weekly retention cohorts from first active week', async () => {
    const res = await t.http.get('/api/analytics/retention?cohort=week&periods=4').expect(200);
    expect(res.body).toEqual({
      success: true,
      cohort: 'week',
      periods: 4,
      cohorts: [
        { cohort: '2026-11-02', size: 3, retained: [3, 2, 1, 1], rates: [1, 0.6667, 0.3333, 0.3333] },
        { cohort: '2026-11-09', size: 1, retained: [1, 1, 0], rates: [1, 1, 0] },
        { cohort: '2026-11-16', size: 0, retained: [0, 0], rates: [0, 0] },
        { cohort: '2026-11-23', size: 1, retained: [1], rates: [1] },
      ],
    });
  });

  it.each([
    ['/api/analytics/overview?from=2026-11-20&to=2026-11-10', 'from'],
    ['/api/analytics/overview?from=2025-01-01&to=2026-11-10', 'from'],
    ['/api/analytics/overview?interval=month', 'interval'],
    ['/api/analytics/retention?periods=0', 'periods'],
    ['/api/analytics/retention?cohort=year', 'cohort'],
  ])('rejects %s naming %s', async (url, field) => {
    const res = await t.http.get(url).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('rejects a funnel of one step', async () => {
    const res = await t.http
      .post('/api/analytics/funnel')
      .send({ steps: ['a'], within_seconds: 60, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' })
      .expect(400);
    expect(res.body.error.details[0].field).toBe('steps');
  });
});
