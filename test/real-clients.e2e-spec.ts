import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';

// Tracking calls as real clients send them: a host's backend with a secret key and an HTTP
// library's User-Agent, a browser with a publishable key, a crawler running a page's script,
// and a backend passing its user's browser on in `context`. The figures must say what happened.
describe('Tracking from the clients that really call it (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  const analyticsOf = async (user: string) =>
    (await t.http.get(`/api/analytics/user/${encodeURIComponent(user)}`).expect(200)).body.analytics;
  const exportOf = async (user: string) => (await t.http.get(`/api/users/${encodeURIComponent(user)}/export`).expect(200)).body;
  const overviewTotals = async () => (await t.http.get('/api/analytics/overview?from=2026-11-26&to=2026-11-26').expect(200)).body.totals;

  const BACKENDS = ['curl', 'node', 'axios', 'pythonRequests', 'go', 'okhttp', 'java', 'postman'] as const;

  it.each(BACKENDS)(
    'counts every call from a backend using %s with a secret key, without taking its User-Agent as the user’s',
    async (client) => {
      const user = `backend-${client}`;
      const ua = USER_AGENTS[client];
      const session = await t.http.post('/api/session/start').set('User-Agent', ua).send({ user_id: user }).expect(201);
      await t.http
        .post('/api/activity/track')
        .set('User-Agent', ua)
        .send({ user_id: user, activity_type: 'page_view', page_url: '/pricing', session_id: session.body.session_id })
        .expect(201);
      await t.http
        .post('/api/activity/batch')
        .set('User-Agent', ua)
        .send({
          batch: [
            { user_id: user, activity_type: 'signup' },
            { user_id: user, activity_type: 'page_view', page_url: '/welcome' },
          ],
        })
        .expect(200);

      expect(await analyticsOf(user)).toMatchObject({
        total_activities: 3,
        total_sessions: 1,
        most_visited_pages: [
          { key: '/pricing', count: 1 },
          { key: '/welcome', count: 1 },
        ],
        favorite_features: [{ key: 'signup', count: 1 }],
        devices: [],
      });
      const data = await exportOf(user);
      for (const activity of data.activities) expect(activity).toMatchObject({ is_bot: false, user_agent: null, ip_address: null });
      expect(data.sessions[0]).toMatchObject({ is_bot: false, user_agent: null, ip_address: null, activity_count: 3 });
    },
  );

  it("parses the user's browser when a backend passes it on in context", async () => {
    await t.http
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.axios)
      .send({
        user_id: 'relayed',
        activity_type: 'page_view',
        page_url: '/',
        context: { user_agent: USER_AGENTS.iphone, ip: '203.0.113.7' },
      })
      .expect(201);
    await t.http
      .post('/api/session/start')
      .set('User-Agent', USER_AGENTS.curl)
      .send({ user_id: 'relayed', context: { user_agent: USER_AGENTS.iphone } })
      .expect(201);
    expect(await analyticsOf('relayed')).toMatchObject({ total_activities: 1, total_sessions: 2, devices: [{ key: 'mobile', count: 1 }] });
    const data = await exportOf('relayed');
    expect(data.activities[0]).toMatchObject({ user_agent: USER_AGENTS.iphone, ip_address: '203.0.113.7', is_bot: false });
    expect(data.sessions.map((s: { device_info: { os: string } }) => s.device_info.os)).toEqual(['iOS', 'iOS']);
  });

  it('parses a browser calling with a publishable key, and takes its address', async () => {
    await t.site
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.iphone)
      .send({ user_id: 'visitor', activity_type: 'page_view', page_url: '/' })
      .expect(201);
    expect(await analyticsOf('visitor')).toMatchObject({ total_activities: 1, total_sessions: 1, devices: [{ key: 'mobile', count: 1 }] });
    const data = await exportOf('visitor');
    expect(data.activities[0]).toMatchObject({
      user_agent: USER_AGENTS.iphone,
      ip_address: expect.stringMatching(/127\.0\.0\.1|::1/),
      is_bot: false,
    });
  });

  it('counts a script calling with a publishable key as a person, its User-Agent naming no device', async () => {
    await t.site
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.curl)
      .send({ user_id: 'scripted', activity_type: 'click' })
      .expect(201);
    await t.site
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.okhttp)
      .send({ user_id: 'scripted', activity_type: 'click' })
      .expect(201);
    expect(await analyticsOf('scripted')).toMatchObject({ total_activities: 2, total_sessions: 1, devices: [] });
    expect((await exportOf('scripted')).activities[0]).toMatchObject({ user_agent: null, is_bot: false });
  });

  it('keeps a crawler out of every figure, its explicit session start included', async () => {
    const before = await overviewTotals();
    const session = await t.site
      .post('/api/session/start')
      .set('User-Agent', USER_AGENTS.googlebot)
      .send({ user_id: 'crawler' })
      .expect(201);
    await t.site
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.googlebot)
      .send({ user_id: 'crawler', activity_type: 'page_view', page_url: '/', session_id: session.body.session_id })
      .expect(201);
    await t.http
      .post('/api/activity/track')
      .send({ user_id: 'crawler', activity_type: 'page_view', page_url: '/', context: { user_agent: USER_AGENTS.bingbot } })
      .expect(201);
    await t.site.post(`/api/session/end/${session.body.session_id}`).set('User-Agent', USER_AGENTS.googlebot).expect(200);

    expect(await analyticsOf('crawler')).toMatchObject({ total_activities: 0, total_sessions: 0, avg_session_duration: 0 });
    expect(await overviewTotals()).toEqual(before);
    const data = await exportOf('crawler');
    expect(data.activities.map((a: { is_bot: boolean; session_id: string | null }) => [a.is_bot, a.session_id])).toEqual([
      [true, null],
      [true, null],
    ]);
    expect(data.sessions).toEqual([expect.objectContaining({ is_bot: true })]);
    // A person's later event does not land in the crawler's open session.
    await t.site.post('/api/activity/track').send({ user_id: 'crawler', activity_type: 'click' }).expect(201);
    const after = await exportOf('crawler');
    expect(after.sessions).toHaveLength(2);
    expect(await analyticsOf('crawler')).toMatchObject({ total_activities: 1, total_sessions: 1 });
  });

  describe('validation that does not depend on who is calling', () => {
    const callers = [
      ['a backend with curl', () => t.http, USER_AGENTS.curl],
      ['a browser with a publishable key', () => t.site, USER_AGENTS.chrome],
      ['a crawler with a publishable key', () => t.site, USER_AGENTS.googlebot],
    ] as const;

    it.each(callers)('answers %s 404 for an unknown session and 400 for another user’s, storing nothing', async (_label, agent, ua) => {
      const theirs = (await t.http.post('/api/session/start').send({ user_id: 'owner' }).expect(201)).body.session_id;
      const unknown = await agent()
        .post('/api/activity/track')
        .set('User-Agent', ua)
        .send({ user_id: 'caller', activity_type: 'click', session_id: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('session_not_found');
      const foreign = await agent()
        .post('/api/activity/track')
        .set('User-Agent', ua)
        .send({ user_id: 'caller', activity_type: 'click', session_id: theirs });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.details).toEqual([expect.objectContaining({ field: 'session_id' })]);
      expect((await exportOf('caller')).activities).toEqual([]);
    });

    it('names context.ip when it is not an address, storing nothing', async () => {
      const res = await t.http
        .post('/api/activity/track')
        .send({ user_id: 'caller', activity_type: 'click', context: { ip: 'localhost' } })
        .expect(400);
      expect(res.body.error.details).toEqual([{ field: 'context.ip', messages: ['context.ip must be an IPv4 or IPv6 address'] }]);
      const batch = await t.http
        .post('/api/activity/batch')
        .send({ batch: [{ user_id: 'caller', activity_type: 'click', context: { user_agent: 5 } }] })
        .expect(200);
      expect(batch.body.results[0].errors).toEqual([{ field: 'context.user_agent', messages: ['context.user_agent must be a string'] }]);
      expect((await exportOf('caller')).activities).toEqual([]);
    });
  });

  it("reads the original API's referrer and campaign from metadata", async () => {
    // The original README's example body, as its users send it from a backend.
    await t.http
      .post('/api/activity/track')
      .set('User-Agent', USER_AGENTS.node)
      .send({
        user_id: 'user123',
        activity_type: 'page_view',
        page_url: '/dashboard',
        metadata: { referrer: 'https://google.com', utm_source: 'search', utm_campaign: 'spring' },
      })
      .expect(201);
    expect(await analyticsOf('user123')).toMatchObject({
      total_activities: 1,
      total_sessions: 1,
      top_referrers: [{ key: 'google.com', count: 1 }],
    });
    const [activity] = (await exportOf('user123')).activities;
    expect(activity).toMatchObject({
      referrer: 'https://google.com',
      context: { campaign: { source: 'search', name: 'spring' } },
      metadata: { utm_source: 'search' },
    });
  });
});
