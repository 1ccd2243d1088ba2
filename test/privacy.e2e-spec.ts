import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivityRetentionService } from '../src/activity/activity-retention.service';
import { UserTokenService } from '../src/auth/user-token.service';
import { ACTIVITY_DATA_SOURCE, NOTIFICATION_DATA_SOURCE } from '../src/database/data-source-names';
import { createTestApp, TestApp } from './support/test-app';

describe('Data rights: export and erase (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
    // Ada: an anonymous visit identified later, tracked events, a session, notifications, preferences, a device, a contact.
    await t.http
      .post('/api/activity/track')
      .send({ anonymous_id: 'v-1', activity_type: 'page_view', page_url: '/landing', referrer: 'https://news.example/x' })
      .expect(201);
    await t.http
      .post('/api/activity/identify')
      .send({ anonymous_id: 'v-1', user_id: 'ada', traits: { plan: 'pro' } })
      .expect(200);
    await t.http
      .post('/v1/group')
      .send({ userId: 'ada', groupId: 'acme', traits: { name: 'Acme' } })
      .expect(200);
    await t.http
      .post('/api/activity/track')
      .send({ user_id: 'ada', activity_type: 'signup', metadata: { plan: 'pro' }, event_id: 'e-1' })
      .expect(201);
    await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'ada', title: 'Hi', message: 'Welcome', notification_type: 'welcome', channel: 'in_app' })
      .expect(201);
    await t.http
      .post('/api/notifications/preferences')
      .send({ user_id: 'ada', notification_type: 'marketing', channel: 'email', enabled: false })
      .expect(200);
    await t.http.post('/api/devices/register').send({ user_id: 'ada', token: 'ada-phone', platform: 'ios' }).expect(201);
    await t.http.put('/api/users/ada/contact').send({ email: 'ada@example.com' }).expect(200);
    await t.http
      .put('/api/topics/project:42/subscribers')
      .send({ user_ids: ['ada', 'bob'] })
      .expect(200);
    await t.http
      .put('/api/notifications/preferences/ada/schedule')
      .send({ timezone: 'Europe/London', quiet_hours: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' }] })
      .expect(200);
    await t.http
      .put('/api/notifications/preferences/ada')
      .send({ digests: [{ notification_type: 'marketing', digest: 'weekly' }] })
      .expect(200);
    // Someone else, who must be untouched.
    await t.http.post('/api/activity/track').send({ user_id: 'bob', activity_type: 'signup' }).expect(201);
    await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'bob', title: 'Hi', message: 'Bob', notification_type: 'welcome', channel: 'in_app' })
      .expect(201);
  });

  afterEach(async () => {
    await t.close();
  });

  it('exports every stored field of the user, times in ISO 8601', async () => {
    const res = await t.http.get('/api/users/ada/export').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'active_days',
        'activities',
        'analytics',
        'cohort',
        'contact',
        'counters',
        'devices',
        'digest_preferences',
        'digests',
        'groups',
        'identities',
        'notifications',
        'preferences',
        'schedule',
        'sessions',
        'success',
        'topics',
        'traits',
        'user_id',
      ].sort(),
    );
    expect(res.body.activities).toHaveLength(2);
    expect(res.body.activities[1]).toMatchObject({
      user_id: 'ada',
      activity_type: 'signup',
      metadata: { plan: 'pro' },
      event_id: 'e-1',
      timestamp: '2026-11-26T09:00:00.000Z',
      received_at: '2026-11-26T09:00:00.000Z',
      is_bot: false,
    });
    expect(res.body.activities[0]).toMatchObject({ anonymous_id: 'v-1', page_url: '/landing', referrer: 'https://news.example/x' });
    expect(res.body.sessions[0]).toMatchObject({ user_id: 'ada', start_time: '2026-11-26T09:00:00.000Z', activity_count: 2 });
    expect(res.body.analytics).toMatchObject({
      user_id: 'ada',
      total_activities: 2,
      active_days: 1,
      first_seen: '2026-11-26T09:00:00.000Z',
    });
    expect(res.body.identities).toEqual([
      expect.objectContaining({ anonymous_id: 'v-1', user_id: 'ada', created_at: '2026-11-26T09:00:00.000Z' }),
    ]);
    expect(res.body.notifications).toEqual([
      expect.objectContaining({ user_id: 'ada', title: 'Hi', status: 'sent', created_at: '2026-11-26T09:00:00.000Z', deliveries: [] }),
    ]);
    expect(res.body.preferences).toEqual([expect.objectContaining({ notification_type: 'marketing', enabled: false })]);
    expect(res.body.devices).toEqual([expect.objectContaining({ token: 'ada-phone', platform: 'ios', is_active: true })]);
    expect(res.body.contact).toMatchObject({ email: 'ada@example.com' });
    expect(res.body.topics).toEqual(['project:42']);
    expect(res.body.schedule).toMatchObject({ user_id: 'ada', timezone: 'Europe/London', paused_until: null });
    expect(res.body.digest_preferences).toEqual([expect.objectContaining({ notification_type: 'marketing', frequency: 'weekly' })]);
    expect(res.body.digests).toEqual([]);
    expect(res.body.traits).toEqual({ traits: { plan: 'pro' }, updated_at: '2026-11-26T09:00:00.000Z' });
    expect(res.body.active_days).toEqual(['2026-11-26']);
    expect(res.body.cohort).toBe('2026-11-26');
    expect(res.body.counters).toEqual(
      expect.arrayContaining([
        { user_id: 'ada', kind: 'page', key: '/landing', count: 1 },
        { user_id: 'ada', kind: 'feature', key: 'signup', count: 1 },
        { user_id: 'ada', kind: 'referrer', key: 'news.example', count: 1 },
      ]),
    );
    expect(res.body.groups).toEqual([
      { group_id: 'acme', user_id: 'ada', joined_at: '2026-11-26T09:00:00.000Z', group_traits: { name: 'Acme' } },
    ]);
  });

  it('lets a user token export its own data only', async () => {
    const token = (await t.app.get(UserTokenService).mint('ada')).token;
    await t.anon.get('/api/users/ada/export').set('Authorization', `Bearer ${token}`).expect(200);
    await t.anon.get('/api/users/bob/export').set('Authorization', `Bearer ${token}`).expect(403);
    await t.anon.delete('/api/users/ada').set('Authorization', `Bearer ${token}`).expect(403);
  });

  it('erases the user everywhere, leaves others alone, and keeps only anonymous counts in the rollups', async () => {
    const before = (await t.http.get('/api/analytics/overview?from=2026-11-26&to=2026-11-26').expect(200)).body;
    const eventsOfAda = "SELECT COUNT(*) AS n FROM inbox_events WHERE user_id = 'ada'";
    const notificationDb = t.app.get<DataSource>(getDataSourceToken(NOTIFICATION_DATA_SOURCE));
    expect((await notificationDb.query(eventsOfAda))[0].n).toBeGreaterThan(0);
    const res = await t.http.delete('/api/users/ada').expect(200);
    expect(res.body).toEqual({
      success: true,
      user_id: 'ada',
      deleted: { activities: 2, sessions: 1, notifications: 1, preferences: 1, devices: 1 },
    });

    const exported = await t.http.get('/api/users/ada/export').expect(200);
    expect(exported.body).toMatchObject({
      activities: [],
      sessions: [],
      analytics: null,
      identities: [],
      traits: null,
      groups: [],
      notifications: [],
      preferences: [],
      devices: [],
      contact: null,
      topics: [],
      schedule: null,
      digest_preferences: [],
      digests: [],
    });
    expect((await t.http.get('/api/topics/project:42/subscribers').expect(200)).body.user_ids).toEqual(['bob']);
    expect((await notificationDb.query(eventsOfAda))[0].n).toBe(0);
    expect((await t.http.get('/api/notifications/user/ada/counts').expect(200)).body.counts).toEqual({ total: 0, unread: 0, unseen: 0 });
    expect((await t.http.get('/api/analytics/user/ada').expect(200)).body.analytics.total_activities).toBe(0);
    expect((await t.http.get('/api/notifications/user/ada').expect(200)).body.notifications).toEqual([]);

    const db = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
    const left = await db.query("SELECT COUNT(*) AS n FROM user_active_days WHERE user_id = 'ada' OR user_id LIKE 'anon:%'");
    expect(left[0].n).toBe(0);
    const after = (await t.http.get('/api/analytics/overview?from=2026-11-26&to=2026-11-26').expect(200)).body;
    expect(after.totals).toEqual(before.totals);

    expect((await t.http.get('/api/analytics/user/bob').expect(200)).body.analytics.total_activities).toBe(1);
    expect((await t.http.get('/api/notifications/user/bob').expect(200)).body.notifications).toHaveLength(1);
    // Erasing again finds nothing more.
    const again = await t.http.delete('/api/users/ada').expect(200);
    expect(again.body.deleted).toEqual({ activities: 0, sessions: 0, notifications: 0, preferences: 0, devices: 0 });
  });
});

describe('ACTIVITY_RETENTION_DAYS', () => {
  it('purges raw events older than the period and keeps the aggregates', async () => {
    const t = await createTestApp({ env: { ACTIVITY_RETENTION_DAYS: '30' } });
    try {
      const batch = [
        { user_id: 'old', activity_type: 'page_view', page_url: '/a', timestamp: '2026-09-01T09:00:00Z', event_id: 'o-1' },
        { user_id: 'old', activity_type: 'page_view', page_url: '/a', timestamp: '2026-11-20T09:00:00Z', event_id: 'o-2' },
      ];
      await t.http.post('/api/activity/batch').send({ batch }).expect(200);
      await expect(t.app.get(ActivityRetentionService).purge()).resolves.toBe(1);
      const exported = await t.http.get('/api/users/old/export').expect(200);
      expect(exported.body.activities.map((a: { event_id: string }) => a.event_id)).toEqual(['o-2']);
      expect((await t.http.get('/api/analytics/user/old').expect(200)).body.analytics.total_activities).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('refuses a period under 30 days, which would forget duplicate ids too soon', async () => {
    await expect(createTestApp({ env: { ACTIVITY_RETENTION_DAYS: '7' } })).rejects.toThrow(/ACTIVITY_RETENTION_DAYS/);
  });
});
