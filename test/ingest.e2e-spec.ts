import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AnalyticsService } from '../src/activity/analytics.service';
import { SessionReaperService } from '../src/activity/session-reaper.service';
import { ACTIVITY_TRANSACTIONS } from '../src/activity/activity.tokens';
import { ApiKeyService } from '../src/auth/api-key.service';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { ACTIVITY_DATA_SOURCE } from '../src/database/data-source-names';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('Tracking ingest: batches, exactly-once, clock skew, automatic sessions, bots (e2e)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeEach(async () => {
    t = await createTestApp();
    db = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
  });

  afterEach(async () => {
    await t.close();
  });

  // As a browser sends them: a publishable key, so the request's User-Agent is the end user's.
  const track = (body: Record<string, unknown>, ua = CHROME) => t.site.post('/api/activity/track').set('User-Agent', ua).send(body);
  const analytics = async (user: string) =>
    (await t.http.get(`/api/analytics/user/${encodeURIComponent(user)}`).expect(200)).body.analytics;
  const sessionsOf = (user: string): Promise<Array<Record<string, unknown>>> =>
    db.query('SELECT * FROM user_sessions WHERE user_id = ? ORDER BY start_time', [user]);

  describe('POST /api/activity/batch', () => {
    it('judges each event on its own and stores the accepted ones', async () => {
      const res = await t.http
        .post('/api/activity/batch')
        .set('User-Agent', CHROME)
        .send({
          batch: [
            { user_id: 'b1', activity_type: 'page_view', page_url: '/a', event_id: 'e1' },
            { user_id: 'b1', activity_type: 'page_view', page_url: '/b', event_id: 'e1' }, // same id: a duplicate
            { activity_type: 'click' }, // neither user_id nor anonymous_id
            { user_id: 'b1', activity_type: 'x'.repeat(101) },
            { user_id: 'b1', activity_type: 'click', metadata: { blob: 'y'.repeat(33 * 1024) } },
            { user_id: 'b1', activity_type: 'click', unexpected: 1 },
            'not an object',
            { user_id: 'b1', activity_type: 'signup', session_id: '00000000-0000-4000-8000-000000000000' },
            { anonymous_id: 'visitor-9', activity_type: 'page_view', page_url: '/landing' },
          ],
        })
        .expect(200);
      expect(res.body).toMatchObject({ success: true, accepted: 2, duplicates: 1, rejected: 6 });
      const byIndex = (i: number) => res.body.results[i];
      expect(byIndex(0)).toMatchObject({ index: 0, status: 'accepted', activity_id: expect.any(String), session_id: expect.any(String) });
      expect(byIndex(1)).toMatchObject({ status: 'duplicate', activity_id: byIndex(0).activity_id });
      expect(byIndex(2).errors.map((e: { field: string }) => e.field)).toContain('user_id');
      expect(byIndex(3).errors[0].field).toBe('activity_type');
      expect(byIndex(4).errors[0]).toMatchObject({ field: 'event', messages: [expect.stringContaining('32768 bytes')] });
      expect(byIndex(5).errors[0].field).toBe('unexpected');
      expect(byIndex(6).errors[0].field).toBe('event');
      expect(byIndex(7)).toMatchObject({ status: 'rejected', errors: [expect.objectContaining({ field: 'session_id' })] });
      expect(byIndex(8)).toMatchObject({ status: 'accepted' });

      expect((await analytics('b1')).total_activities).toBe(1);
      expect((await analytics('anon:visitor-9')).most_visited_pages).toEqual([{ key: '/landing', count: 1 }]);
    });

    it('takes up to 500 events and 512 kB, and refuses more', async () => {
      // ~1.15 kB an event: 500 of them are over 512 kB, 250 are well over the 100 kB of other routes.
      const event = (i: number) => ({ user_id: `u${i % 7}`, activity_type: 'page_view', page_url: `/p/${'x'.repeat(1100)}/${i}` });
      const big = await t.http.post('/api/activity/batch').send({ batch: Array.from({ length: 500 }, (_, i) => event(i)) });
      expect(big.status).toBe(413);
      const ok = await t.http
        .post('/api/activity/batch')
        .send({ batch: Array.from({ length: 250 }, (_, i) => event(i)) })
        .expect(200);
      expect(ok.body.accepted).toBe(250);
      const tooMany = await t.http
        .post('/api/activity/batch')
        .send({ batch: Array.from({ length: 501 }, () => ({ user_id: 'u', activity_type: 'c' })) })
        .expect(400);
      expect(tooMany.body.error.details[0].field).toBe('batch');
      await t.http.post('/api/activity/batch').send({ batch: [] }).expect(400);
    });

    it('corrects client clock skew with sent_at, and clamps times more than a day ahead', async () => {
      // The server receives at 09:00:00; the client's clock is 2 hours fast.
      const res = await t.http
        .post('/api/activity/batch')
        .send({
          sent_at: '2026-11-26T11:00:00.000Z',
          batch: [
            { user_id: 'skew', activity_type: 'page_view', page_url: '/a', timestamp: '2026-11-26T10:59:30.000Z', event_id: 'k1' },
            { user_id: 'skew', activity_type: 'page_view', page_url: '/b', timestamp: '2026-11-26T10:59:50.000Z', event_id: 'k2' },
          ],
        })
        .expect(200);
      expect(res.body.accepted).toBe(2);
      const rows: Array<{ timestamp: string; received_at: string }> = await db.query(
        "SELECT timestamp, received_at FROM user_activities WHERE user_id = 'skew' ORDER BY timestamp",
      );
      expect(rows).toEqual([
        { timestamp: '2026-11-26 08:59:30.000', received_at: '2026-11-26 09:00:00.000' },
        { timestamp: '2026-11-26 08:59:50.000', received_at: '2026-11-26 09:00:00.000' },
      ]);

      await track({ user_id: 'future', activity_type: 'click', timestamp: '2026-11-28T09:00:00.000Z' }).expect(201);
      const [future] = await db.query("SELECT timestamp, timestamp_clamped FROM user_activities WHERE user_id = 'future'");
      expect(future).toEqual({ timestamp: '2026-11-26 09:00:00.000', timestamp_clamped: 1 });
    });
  });

  describe('exactly-once event ids', () => {
    it('stores a retried track once and says it was a duplicate', async () => {
      const body = { user_id: 'retry', activity_type: 'purchase', event_id: 'msg-1' };
      const first = await track(body).expect(201);
      const again = await track(body).expect(200);
      expect(again.body).toEqual({
        success: true,
        activity_id: first.body.activity_id,
        session_id: first.body.session_id,
        duplicate: true,
      });
      expect((await analytics('retry')).total_activities).toBe(1);
      // The same id for another user is another event.
      await track({ ...body, user_id: 'someone-else' }).expect(201);
    });

    it('stores concurrent copies of one event once', async () => {
      const body = { user_id: 'racer', activity_type: 'click', event_id: 'same' };
      const results = await Promise.all(Array.from({ length: 10 }, () => track(body)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect((await analytics('racer')).total_activities).toBe(1);
    });
  });

  describe('automatic sessions', () => {
    it('joins events into one session and splits after SESSION_TIMEOUT_MINUTES of quiet', async () => {
      const first = await track({ user_id: 'auto', activity_type: 'page_view', page_url: '/home' }).expect(201);
      t.clock.advance(10 * 60_000);
      const second = await track({ user_id: 'auto', activity_type: 'page_view', page_url: '/pricing' }).expect(201);
      expect(second.body.session_id).toBe(first.body.session_id);
      t.clock.advance(29 * 60_000);
      await track({ user_id: 'auto', activity_type: 'signup' }).expect(201);
      t.clock.advance(31 * 60_000); // quiet for more than 30 minutes
      const third = await track({ user_id: 'auto', activity_type: 'page_view', page_url: '/docs' }).expect(201);
      expect(third.body.session_id).not.toBe(first.body.session_id);

      const sessions = await sessionsOf('auto');
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).toMatchObject({
        start_time: '2026-11-26 09:00:00.000',
        end_time: '2026-11-26 09:39:00.000',
        duration: 39 * 60,
        activity_count: 3,
        pages_visited: JSON.stringify(['/home', '/pricing']),
        entry_page: '/home',
        exit_page: '/pricing',
      });
      expect(JSON.parse(sessions[0].device_info as string)).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop' });
      expect(sessions[1]).toMatchObject({ end_time: null, activity_count: 1, entry_page: '/docs' });
      expect(await analytics('auto')).toMatchObject({ total_sessions: 2, avg_session_duration: 39 * 60, total_activities: 4 });
    });

    it('splits a session that reaches 24 hours even if it never goes quiet', async () => {
      for (let i = 0; i <= 25 * 3; i++) {
        await track({ user_id: 'marathon', activity_type: 'heartbeat' }).expect(201);
        t.clock.advance(20 * 60_000);
      }
      const sessions = await sessionsOf('marathon');
      expect(sessions).toHaveLength(2);
      expect(sessions[0].duration).toBeLessThanOrEqual(24 * 3600);
      expect(sessions[0].duration).toBeGreaterThan(23 * 3600);
    });

    it('closes sessions gone quiet once a minute, at their last event', async () => {
      await track({ user_id: 'quiet', activity_type: 'page_view', page_url: '/a' }).expect(201);
      t.clock.advance(5 * 60_000);
      await track({ user_id: 'quiet', activity_type: 'page_view', page_url: '/b' }).expect(201);
      t.clock.advance(20 * 60_000);
      await expect(t.app.get(SessionReaperService).reap()).resolves.toBe(0);
      t.clock.advance(11 * 60_000);
      await expect(t.app.get(SessionReaperService).reap()).resolves.toBe(1);
      const [session] = await sessionsOf('quiet');
      expect(session).toMatchObject({ end_time: '2026-11-26 09:05:00.000', duration: 300, exit_page: '/b' });
      expect((await analytics('quiet')).avg_session_duration).toBe(300);
    });
  });

  describe('POST /api/activity/identify', () => {
    it("gives an anonymous visitor's history to the user, with analytics as if tracked under the user all along", async () => {
      const events = [
        { activity_type: 'page_view', page_url: '/landing', event_id: 'a1' },
        { activity_type: 'page_view', page_url: '/pricing', event_id: 'a2' },
        { activity_type: 'signup', event_id: 'shared' },
      ];
      // The same events, once as an anonymous visitor who is then identified, once as a known user.
      for (const event of events) {
        await track({ anonymous_id: 'visitor-1', ...event }).expect(201);
        await track({ user_id: 'control', ...event }).expect(201);
        t.clock.advance(60_000);
      }
      await track({ user_id: 'ada', activity_type: 'signup', event_id: 'shared' }).expect(201); // the same event, sent twice
      await track({ user_id: 'control', activity_type: 'signup', event_id: 'shared-2' }).expect(201);

      const res = await t.http
        .post('/api/activity/identify')
        .send({ anonymous_id: 'visitor-1', user_id: 'ada', traits: { plan: 'pro' } })
        .expect(200);
      expect(res.body).toEqual({ success: true, user_id: 'ada', merged_activities: 2, merged_sessions: 1 });

      // Ada's own copy of the shared event wins over the anonymous one; the rest adds up.
      expect(await analytics('ada')).toEqual({
        user_id: 'ada',
        total_sessions: 2,
        total_activities: 3,
        first_activity: '2026-11-26T09:00:00.000Z',
        last_activity: '2026-11-26T09:03:00.000Z',
        avg_session_duration: 0,
        most_visited_pages: [
          { key: '/landing', count: 1 },
          { key: '/pricing', count: 1 },
        ],
        favorite_features: [{ key: 'signup', count: 1 }],
        engagement_score: 7.2, // 40 × 3/100 + 30 × 2/10
        first_seen: '2026-11-26T09:00:00.000Z',
        active_days: 1,
        top_referrers: [],
        devices: [{ key: 'desktop', count: 3 }],
      });
      // A rebuild from raw history gives exactly what the incremental updates kept.
      const incremental = await analytics('control');
      await t.app.get<TransactionRunner>(ACTIVITY_TRANSACTIONS).run((tx) => t.app.get(AnalyticsService).rebuild(tx, 'control'));
      expect(await analytics('control')).toEqual(incremental);
      expect((await analytics('anon:visitor-1')).total_activities).toBe(0);

      // Later events with only the anonymous id go to the user.
      await track({ anonymous_id: 'visitor-1', activity_type: 'page_view', page_url: '/docs' }).expect(201);
      expect((await analytics('ada')).total_activities).toBe(4);
      const [{ count }] = await db.query("SELECT COUNT(*) AS count FROM user_activities WHERE user_id LIKE 'anon:%'");
      expect(count).toBe(0);
    });

    it('rejects an identify without both ids', async () => {
      const res = await t.http.post('/api/activity/identify').send({ anonymous_id: 'x' }).expect(400);
      expect(res.body.error.details[0].field).toBe('user_id');
    });
  });

  it('stores bot events flagged, outside sessions and analytics', async () => {
    const res = await track({ user_id: 'crawled', activity_type: 'page_view', page_url: '/' }, GOOGLEBOT).expect(201);
    expect(res.body.session_id).toBeNull();
    const [row] = await db.query("SELECT is_bot FROM user_activities WHERE user_id = 'crawled'");
    expect(row.is_bot).toBe(1);
    expect(await sessionsOf('crawled')).toEqual([]);
    expect((await analytics('crawled')).total_activities).toBe(0);
  });

  describe('navigator.sendBeacon', () => {
    it('accepts text/plain JSON with a publishable key in the URL', async () => {
      const key = (await t.app.get(ApiKeyService).create('site', 'track')).key;
      await t.anon
        .post(`/api/activity/track?key=${key}`)
        .set('Content-Type', 'text/plain;charset=UTF-8')
        .send(JSON.stringify({ user_id: 'beacon', activity_type: 'page_leave', page_url: '/bye' }))
        .expect(201);
      await t.anon
        .post(`/api/activity/batch?key=${key}`)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ batch: [{ user_id: 'beacon', activity_type: 'click' }] }))
        .expect(200);
      expect((await analytics('beacon')).total_activities).toBe(2);
    });

    it('refuses a secret key in the URL', async () => {
      const res = await t.anon
        .post(`/api/activity/track?key=${TEST_ADMIN_KEY}`)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ user_id: 'beacon', activity_type: 'click' }))
        .expect(401);
      expect(res.body.error.message).toContain('publishable');
    });

    it('still refuses text/plain on other endpoints', async () => {
      await t.http
        .post('/api/notifications/preferences')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ user_id: 'u', notification_type: 't', channel: 'email', enabled: true }))
        .expect(400);
    });
  });
});

describe('SESSION_TIMEOUT_MINUTES', () => {
  it('sets how long a quiet session lasts', async () => {
    const t = await createTestApp({ env: { SESSION_TIMEOUT_MINUTES: '5' } });
    try {
      const a = await t.http.post('/api/activity/track').send({ user_id: 'short', activity_type: 'click' }).expect(201);
      t.clock.advance(6 * 60_000);
      const b = await t.http.post('/api/activity/track').send({ user_id: 'short', activity_type: 'click' }).expect(201);
      expect(b.body.session_id).not.toBe(a.body.session_id);
    } finally {
      await t.close();
    }
  });
});

describe('Overload', () => {
  it('answers 429 with Retry-After, storing nothing, while too many writes wait', async () => {
    const t = await createTestApp({ env: { INGEST_MAX_PENDING: '5' } });
    try {
      // A slow write holds the database while a burst of requests arrives behind it.
      const runner = t.app.get<TransactionRunner>(ACTIVITY_TRANSACTIONS);
      const slow = runner.run(() => new Promise((resolve) => setTimeout(resolve, 500)));
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          t.http.post('/api/activity/track').send({ user_id: 'flood', activity_type: 'click', event_id: `f-${i}` }),
        ),
      );
      await slow;
      const limited = results.filter((r) => r.status === 429);
      const stored = results.filter((r) => r.status === 201);
      expect(limited.length).toBeGreaterThan(0);
      expect(stored.length + limited.length).toBe(60);
      expect(limited[0].headers['retry-after']).toBe('1');
      expect(limited[0].body.error.code).toBe('overloaded');
      // Exactly the acknowledged events were stored.
      expect((await t.http.get('/api/analytics/user/flood').expect(200)).body.analytics.total_activities).toBe(stored.length);
    } finally {
      await t.close();
    }
  });
});

describe('Group commit over HTTP', () => {
  it('commits concurrent track requests together, each stored once and answered after its commit', async () => {
    const t = await createTestApp();
    try {
      const db = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
      const runner = t.app.get<TransactionRunner>(ACTIVITY_TRANSACTIONS);
      // Listening before the requests: supertest otherwise opens a listener per request, and 40
      // listen() calls spread the arrivals out on a busy machine (the commits did not get to share).
      const server = t.app.getHttpServer() as Server;
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      // Another process holds the write lock for a second while the requests arrive, so they are
      // all waiting at once however slowly a busy machine reads them (on CI they sometimes came in
      // one by one and each committed alone); when it lets go, the queue must go in a few commits.
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(join(t.dir, 'user_activities.db'))});
           db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
           db.exec('ROLLBACK'); db.close();`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const released = once(holder, 'exit');
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const before = runner.transactions;
      // Each request arrives on its own socket, as separate I/O: they must still share commits.
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.http.post('/api/activity/track').send({ user_id: `g-${i % 4}`, activity_type: 'click', event_id: `g-${i}` }),
        ),
      );
      await released;
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 201));
      expect(runner.transactions - before).toBeLessThan(20);
      const rows: Array<{ n: number }> = await db.query("SELECT COUNT(*) AS n FROM user_activities WHERE user_id LIKE 'g-%'");
      expect(rows[0].n).toBe(40);
    } finally {
      await t.close();
    }
  });
});
