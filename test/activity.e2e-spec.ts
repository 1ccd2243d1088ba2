import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';
import { trackBody } from './support/factories';

describe('Activity tracking, sessions and analytics (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  describe('POST /api/activity/track', () => {
    it("accepts the original README's fetch example verbatim and stores the activity", async () => {
      // The body of the original README's "Track a user activity" example, unchanged.
      const res = await t.http
        .post('/api/activity/track')
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            user_id: 'user123',
            activity_type: 'page_view',
            page_url: '/dashboard',
            metadata: {
              referrer: 'https://google.com',
              utm_source: 'search',
            },
          }),
        )
        .expect(201);

      expect(res.body).toEqual({
        success: true,
        activity_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const analytics = await t.http.get('/api/analytics/user/user123').expect(200);
      expect(analytics.body.analytics.total_activities).toBe(1);
      expect(analytics.body.analytics.most_visited_pages).toEqual([{ key: '/dashboard', count: 1 }]);
    });

    it('records a browser caller IP and user agent, ignoring X-Forwarded-For without TRUST_PROXY', async () => {
      const started = await t.site
        .post('/api/session/start')
        .set('User-Agent', USER_AGENTS.iphone)
        .set('X-Forwarded-For', '203.0.113.9')
        .send({ user_id: 'u1' })
        .expect(201);
      const ended = await t.http.post(`/api/session/end/${started.body.session_id}`).expect(200);
      expect(ended.body.session.user_agent).toBe(USER_AGENTS.iphone);
      expect(ended.body.session.ip_address).not.toBe('203.0.113.9');
      expect(ended.body.session.ip_address).toMatch(/127\.0\.0\.1|::1/);
    });

    it.each([
      ['a missing user_id', { activity_type: 'click' }, 'user_id'],
      ['a missing activity_type', { user_id: 'u1' }, 'activity_type'],
      ['a numeric user_id', { user_id: 42, activity_type: 'click' }, 'user_id'],
      ['an empty user_id', { user_id: '', activity_type: 'click' }, 'user_id'],
      ['a 256-character user_id', { user_id: 'x'.repeat(256), activity_type: 'click' }, 'user_id'],
      ['a NUL byte in user_id', { user_id: 'u1\u0000', activity_type: 'click' }, 'user_id'],
      ['string metadata', { user_id: 'u1', activity_type: 'click', metadata: 'not-an-object' }, 'metadata'],
      ['array metadata', { user_id: 'u1', activity_type: 'click', metadata: [1, 2] }, 'metadata'],
      ['17 KiB of metadata', { user_id: 'u1', activity_type: 'click', metadata: { blob: 'x'.repeat(17 * 1024) } }, 'metadata'],
      ['a 2049-character page_url', { user_id: 'u1', activity_type: 'click', page_url: 'x'.repeat(2049) }, 'page_url'],
      ['an unknown field', { user_id: 'u1', activity_type: 'click', unexpected: true }, 'unexpected'],
    ])('rejects %s with 400 naming the field and stores nothing', async (_label, body, field) => {
      const res = await t.http.post('/api/activity/track').send(body).expect(400);
      expect(res.body.success).toBe(false);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(res.body.error.request_id).toBe(res.headers['x-request-id']);
      const analytics = await t.http.get('/api/analytics/user/u1').expect(200);
      expect(analytics.body.analytics.total_activities).toBe(0);
    });

    it('answers 404 for an unknown session and 400 for another user’s session, storing nothing', async () => {
      const unknown = await t.http
        .post('/api/activity/track')
        .send(trackBody({ session_id: '00000000-0000-4000-8000-000000000000' }))
        .expect(404);
      expect(unknown.body.error.code).toBe('session_not_found');

      const other = await t.http.post('/api/session/start').send({ user_id: 'someone-else' }).expect(201);
      const mismatch = await t.http
        .post('/api/activity/track')
        .send(trackBody({ session_id: other.body.session_id }))
        .expect(400);
      expect(mismatch.body.error.code).toBe('session_user_mismatch');
      expect(mismatch.body.error.details[0].field).toBe('session_id');

      const analytics = await t.http.get('/api/analytics/user/user123').expect(200);
      expect(analytics.body.analytics.total_activities).toBe(0);
    });
  });

  describe('sessions', () => {
    it('counts activities and distinct pages in the session, and ends it with its duration', async () => {
      const started = await t.http
        .post('/api/session/start')
        .send({ user_id: 'user123', device_info: { platform: 'web' } })
        .expect(201);
      const sessionId = started.body.session_id;
      expect(started.body).toEqual({ success: true, session_id: expect.any(String) });

      for (const page of ['/a', '/b', '/a']) {
        t.clock.advance(10_000);
        await t.http
          .post('/api/activity/track')
          .send(trackBody({ session_id: sessionId, page_url: page }))
          .expect(201);
      }
      await t.http
        .post('/api/activity/track')
        .send(trackBody({ session_id: sessionId, activity_type: 'click', page_url: undefined }))
        .expect(201);
      t.clock.advance(90_000);

      const ended = await t.http.post(`/api/session/end/${sessionId}`).expect(200);
      expect(ended.body).toEqual({
        success: true,
        session: {
          id: sessionId,
          user_id: 'user123',
          start_time: '2026-11-26T09:00:00.000Z',
          end_time: '2026-11-26T09:02:00.000Z',
          duration: 120,
          pages_visited: ['/a', '/b'],
          activity_count: 4,
          // A secret key is a backend's: its address and User-Agent are not the end user's, and
          // the body named none, so there is nothing to parse beside what the client said.
          device_info: { platform: 'web', browser: null, browser_version: null, os: null, os_version: null, device_type: null },
          ip_address: null,
          user_agent: null,
          last_activity_at: '2026-11-26T09:00:30.000Z',
          entry_page: '/a',
          exit_page: '/a',
        },
      });
    });

    it('ending an ended session is idempotent and keeps the first end', async () => {
      const { body } = await t.http.post('/api/session/start').send({ user_id: 'u1' }).expect(201);
      t.clock.advance(30_000);
      const first = await t.http.post(`/api/session/end/${body.session_id}`).expect(200);
      t.clock.advance(60_000);
      const second = await t.http.post(`/api/session/end/${body.session_id}`).expect(200);
      expect(second.body.session.end_time).toBe(first.body.session.end_time);
      expect(second.body.session.duration).toBe(30);
      const analytics = await t.http.get('/api/analytics/user/u1').expect(200);
      expect(analytics.body.analytics.avg_session_duration).toBe(30);
    });

    it('answers 404 for an unknown session id and 400 for a malformed one', async () => {
      const missing = await t.http.post('/api/session/end/00000000-0000-4000-8000-000000000000').expect(404);
      expect(missing.body.error.code).toBe('session_not_found');
      const malformed = await t.http.post('/api/session/end/not-a-uuid').expect(400);
      expect(malformed.body.error.details[0].field).toBe('session_id');
    });

    it('rejects device_info that is not an object', async () => {
      const res = await t.http.post('/api/session/start').send({ user_id: 'u1', device_info: 'ios' }).expect(400);
      expect(res.body.error.details[0].field).toBe('device_info');
    });
  });

  describe('GET /api/analytics/user/{user_id}', () => {
    it('answers zeros for a user never seen', async () => {
      const res = await t.http.get('/api/analytics/user/nobody').expect(200);
      expect(res.body).toEqual({
        success: true,
        analytics: {
          user_id: 'nobody',
          total_sessions: 0,
          total_activities: 0,
          first_activity: null,
          last_activity: null,
          avg_session_duration: 0,
          most_visited_pages: [],
          favorite_features: [],
          engagement_score: 0,
          first_seen: null,
          active_days: 0,
          top_referrers: [],
          devices: [],
        },
      });
    });

    it('computes every field from a known stream of events', async () => {
      // Two sessions of 60 s and 180 s; 7 page views over 6 pages; 4 feature events.
      const pages = ['/home', '/home', '/home', '/pricing', '/pricing', '/docs', '/blog'];
      const features = ['search', 'search', 'export', 'share'];
      const s1 = (await t.http.post('/api/session/start').send({ user_id: 'ada' }).expect(201)).body.session_id;
      const referrers = ['https://www.google.com/search?q=a', 'https://google.com/', 'https://news.ycombinator.com/item?id=1'];
      for (const [i, page] of pages.entries()) {
        await t.site
          .post('/api/activity/track')
          .set('User-Agent', i < 2 ? USER_AGENTS.iphone : '')
          .send({
            user_id: 'ada',
            activity_type: 'page_view',
            page_url: page,
            session_id: s1,
            ...(referrers[i] ? { referrer: referrers[i] } : {}),
          })
          .expect(201);
        t.clock.advance(5_000);
      }
      t.clock.set('2026-11-26T09:01:00.000Z');
      await t.http.post(`/api/session/end/${s1}`).expect(200);

      t.clock.set('2026-11-27T10:00:00.000Z');
      const s2 = (await t.http.post('/api/session/start').send({ user_id: 'ada' }).expect(201)).body.session_id;
      for (const feature of features) {
        await t.http.post('/api/activity/track').send({ user_id: 'ada', activity_type: feature, session_id: s2 }).expect(201);
      }
      // A page_view without page_url counts as an activity but not as a page.
      await t.http.post('/api/activity/track').send({ user_id: 'ada', activity_type: 'page_view' }).expect(201);
      t.clock.set('2026-11-27T10:03:00.000Z');
      await t.http.post(`/api/session/end/${s2}`).expect(200);

      const res = await t.http.get('/api/analytics/user/ada').expect(200);
      // engagement: 40*12/100 + 30*2/10 + 30*120/600 = 4.8 + 6 + 6 = 16.8
      expect(res.body.analytics).toEqual({
        user_id: 'ada',
        total_sessions: 2,
        total_activities: 12,
        first_activity: '2026-11-26T09:00:00.000Z',
        last_activity: '2026-11-27T10:00:00.000Z',
        avg_session_duration: 120,
        most_visited_pages: [
          { key: '/home', count: 3 },
          { key: '/pricing', count: 2 },
          { key: '/blog', count: 1 },
          { key: '/docs', count: 1 },
        ],
        favorite_features: [
          { key: 'search', count: 2 },
          { key: 'export', count: 1 },
          { key: 'share', count: 1 },
        ],
        engagement_score: 16.8,
        first_seen: '2026-11-26T09:00:00.000Z',
        active_days: 2,
        top_referrers: [
          { key: 'google.com', count: 2 },
          { key: 'news.ycombinator.com', count: 1 },
        ],
        devices: [{ key: 'mobile', count: 2 }],
      });
    });

    it('keeps only the top 5 pages and lets a page climb into them', async () => {
      for (const page of ['/1', '/2', '/3', '/4', '/5', '/6']) {
        await t.http
          .post('/api/activity/track')
          .send(trackBody({ user_id: 'top', page_url: page }))
          .expect(201);
      }
      await t.http
        .post('/api/activity/track')
        .send(trackBody({ user_id: 'top', page_url: '/6' }))
        .expect(201);
      const res = await t.http.get('/api/analytics/user/top').expect(200);
      expect(res.body.analytics.most_visited_pages).toEqual([
        { key: '/6', count: 2 },
        { key: '/1', count: 1 },
        { key: '/2', count: 1 },
        { key: '/3', count: 1 },
        { key: '/4', count: 1 },
      ]);
    });

    it('stays exact under concurrent tracking of one user', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.http
            .post('/api/activity/track')
            .send(trackBody({ user_id: 'busy', page_url: `/p${i % 4}` }))
            .expect(201),
        ),
      );
      const res = await t.http.get('/api/analytics/user/busy').expect(200);
      expect(res.body.analytics.total_activities).toBe(40);
      expect(res.body.analytics.most_visited_pages).toEqual([
        { key: '/p0', count: 10 },
        { key: '/p1', count: 10 },
        { key: '/p2', count: 10 },
        { key: '/p3', count: 10 },
      ]);
    });
  });
});

describe('Activity tracking behind a proxy (e2e)', () => {
  it('takes the client IP from X-Forwarded-For when TRUST_PROXY is set', async () => {
    const t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const started = await t.site.post('/api/session/start').set('X-Forwarded-For', '203.0.113.9').send({ user_id: 'u1' }).expect(201);
      const ended = await t.http.post(`/api/session/end/${started.body.session_id}`).expect(200);
      expect(ended.body.session.ip_address).toBe('203.0.113.9');
    } finally {
      await t.close();
    }
  });
});
