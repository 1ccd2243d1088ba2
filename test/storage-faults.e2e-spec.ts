import { Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ApiKeyService } from '../src/auth/api-key.service';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, NOTIFICATION_DATA_SOURCE } from '../src/database/data-source-names';
import { sqliteConnection } from '../src/database/engine/typeorm-adapter';
import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';

/**
 * A full disk, as SQLite sees it: `PRAGMA max_page_count` on the app's own connection caps the
 * file at its present size, and every write that needs a new page fails with SQLITE_FULL, exactly
 * as when the disk has no block left (src/database/engine/wal-checkpointer.spec.ts fills a real tmpfs).
 */
describe('Storage full or failing (e2e)', () => {
  let t: TestApp;
  let activityDb: DataSource;
  let notificationDb: DataSource;
  // Past one 4 KiB page, so each event needs new pages and cannot fit in the file's free space.
  const bulky = { notes: 'n'.repeat(12_000) };

  const capAtPresentSize = (db: DataSource) => {
    const connection = sqliteConnection(db)!;
    connection.pragma(`max_page_count = ${connection.pragma('page_count', { simple: true }) as number}`);
  };
  const uncap = (db: DataSource) => sqliteConnection(db)!.pragma('max_page_count = 4294967294');
  const count = async (db: DataSource, text: string) => ((await db.query(text)) as Array<{ n: number }>)[0].n;
  const scrape = async () => (await t.http.get('/metrics').expect(200)).text;
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    t = await createTestApp({ realClock: true, env: { STORAGE_MIN_FREE_MB: '1' } });
    activityDb = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
    notificationDb = t.app.get<DataSource>(getDataSourceToken(NOTIFICATION_DATA_SOURCE));
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers every write of a failed group commit 503 storage_unavailable with Retry-After, stores none of them, and reports it in health and metrics until a write succeeds', async () => {
    await t.http.post('/api/activity/track').send({ user_id: 'before', activity_type: 'click' }).expect(201);
    const healthy = await t.anon.get('/api/health').set('User-Agent', USER_AGENTS.curl).expect(200);
    expect(healthy.body.details.storage).toEqual({ status: 'up' });
    expect(healthy.body.details.disk).toMatchObject({ status: 'up', free_bytes: expect.any(Number), min_free_bytes: 1024 * 1024 });
    const unitsBefore = value(await scrape(), 'engage_sqlite_transaction_units_count{database="activity"}') ?? 0;
    expect(unitsBefore).toBeGreaterThanOrEqual(1);

    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const logs = jest.spyOn(Logger.prototype, 'log');
    capAtPresentSize(activityDb);
    try {
      // Sent together, so the runner gathers them into group commits: each group fails as a whole.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t.site
            .post('/api/activity/track')
            .send({ user_id: `full-${i}`, activity_type: 'click', event_id: `full-event-${i}`, metadata: bulky }),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('30');
        expect(res.body).toEqual({
          success: false,
          error: { code: 'storage_unavailable', message: expect.stringMatching(/^Storage is full/), request_id: expect.any(String) },
        });
        expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|\.db|\//);
      }
      expect(await count(activityDb, "SELECT COUNT(*) AS n FROM user_activities WHERE user_id LIKE 'full-%'")).toBe(0);
      expect(await count(activityDb, "SELECT COUNT(*) AS n FROM user_analytics WHERE user_id LIKE 'full-%'")).toBe(0);

      // Reads still work; health says which database cannot store data, and why.
      await t.http.get('/api/analytics/user/before').expect(200);
      const sick = await t.anon.get('/api/health').expect(503);
      expect(sick.body.error.code).toBe('unhealthy');
      expect(sick.body.error.message).toBe(
        'Not healthy: storage: activity database cannot store data (SQLITE_FULL: database or disk is full)',
      );
      expect(sick.body.error.details.storage.databases.activity).toMatchObject({ code: 'SQLITE_FULL', failed_writes: expect.any(Number) });
      expect(sick.body.error.details.activity_db).toMatchObject({ status: 'up' });

      const text = await scrape();
      expect(value(text, 'engage_storage_healthy{database="activity"}')).toBe(0);
      expect(value(text, 'engage_storage_healthy{database="notification"}')).toBe(1);
      const failedTransactions = value(text, 'engage_sqlite_storage_errors_total{database="activity",code="SQLITE_FULL"}') ?? 0;
      expect(failedTransactions).toBeGreaterThanOrEqual(1);
      expect(failedTransactions).toBe(sick.body.error.details.storage.databases.activity.failed_writes);
      // Failed transactions are no commits.
      expect(value(text, 'engage_sqlite_transaction_units_count{database="activity"}')).toBe(unitsBefore);
    } finally {
      // Space again: the same events are stored when retried, and health recovers with the first commit.
      uncap(activityDb);
    }
    await t.anon.get('/api/health').expect(503);
    const retried = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.site
          .post('/api/activity/track')
          .send({ user_id: `full-${i}`, activity_type: 'click', event_id: `full-event-${i}`, metadata: bulky }),
      ),
    );
    expect(retried.map((res) => res.status)).toEqual(Array(12).fill(201));
    expect(await count(activityDb, "SELECT COUNT(*) AS n FROM user_activities WHERE user_id LIKE 'full-%'")).toBe(12);
    await t.anon.get('/api/health').expect(200);
    // One line when the burst began and one when it ended, however many requests failed.
    const messages = (spy: jest.SpyInstance) => spy.mock.calls.map(([message]) => String(message));
    expect(messages(warnings).filter((m) => m.startsWith('activity database'))).toEqual([
      'activity database: writes failing (SQLITE_FULL: database or disk is full); answering 503 storage_unavailable until a write succeeds',
    ]);
    expect(messages(logs).filter((m) => m.startsWith('activity database'))).toEqual([
      expect.stringMatching(/^activity database: writes succeed again, after \d+ failed transaction\(s\) over \d+ s \(SQLITE_FULL\)$/),
    ]);
    warnings.mockRestore();
    logs.mockRestore();
    const after = await scrape();
    expect(value(after, 'engage_storage_healthy{database="activity"}')).toBe(1);
    // Group commit at work: 12 requests in fewer commits than requests.
    expect(value(after, 'engage_sqlite_transaction_units_sum{database="activity"}')).toBeGreaterThanOrEqual(13);
    expect(value(after, 'engage_sqlite_transaction_units_count{database="activity"}')! - unitsBefore).toBeLessThan(12);
  });

  it('answers a notification send 503 storage_unavailable on a full notification database, storing no notification', async () => {
    const body = (i: number) => ({
      user_id: 'full-n',
      title: `T${i}`,
      message: 'M'.repeat(1000),
      notification_type: 'n',
      channel: 'in_app',
      data: bulky,
    });
    await t.http.post('/api/notifications/send').send(body(0)).expect(201);
    const before = await count(notificationDb, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = 'full-n'");
    capAtPresentSize(notificationDb);
    try {
      const answers = await Promise.all([1, 2, 3, 4].map((i) => t.http.post('/api/notifications/send').send(body(i))));
      expect(answers.map((res) => [res.status, res.body.error?.code, res.headers['retry-after']])).toEqual(
        Array(4).fill([503, 'storage_unavailable', '30']),
      );
      expect(await count(notificationDb, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = 'full-n'")).toBe(before);
      const sick = await t.anon.get('/api/health').expect(503);
      expect(sick.body.error.message).toContain('notification database cannot store data (SQLITE_FULL');
      // The queue's polls and the scheduler commit read-only transactions meanwhile: they say
      // nothing of the storage, and must not end the burst.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await t.anon.get('/api/health').expect(503);
    } finally {
      uncap(notificationDb);
    }
    await t.http.post('/api/notifications/send').send(body(5)).expect(201);
    await t.anon.get('/api/health').expect(200);
  });

  it('counts busy retries by database while another process holds the write lock, and health names the wait', async () => {
    await t.http.post('/api/activity/track').send({ user_id: 'busy', activity_type: 'click' }).expect(201);
    const before = value(await scrape(), 'engage_sqlite_busy_retries_total{database="activity"}') ?? 0;
    const script = `
      const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(join(t.dir, 'user_activities.db'))});
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      db.exec('ROLLBACK'); db.close();
    `;
    expect((await t.anon.get('/api/health').expect(200)).body.details.locks).toEqual({ status: 'up' });
    const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(holder, 'exit');
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    await t.http.post('/api/activity/track').send({ user_id: 'busy', activity_type: 'click' }).expect(201);
    await exited;
    expect(value(await scrape(), 'engage_sqlite_busy_retries_total{database="activity"}')).toBeGreaterThan(before);
    // Health names the wait, as a warning: writes went on.
    const health = await t.anon.get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.details.locks).toEqual({
      status: 'degraded',
      message: "activity database: writes waited 1 s or more for another process's lock in the last 10 s",
      databases: ['activity'],
    });
  });

  it('keeps authenticating while another process holds auth.db, and waits for it on an auth write without holding up the event loop', async () => {
    const fresh = (await t.app.get(ApiKeyService).create('lock-test', 'admin')).key;
    const script = `
      const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(join(t.dir, 'auth.db'))});
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      db.exec('ROLLBACK'); db.close();
    `;
    const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(holder, 'exit');
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    // The key's first use records its last use: that write waits for the lock, the request does not.
    await t.http.get('/api/analytics/user/anyone').set('Authorization', `Bearer ${fresh}`).expect(200);
    const revoke = t.http.post('/api/auth/user-token/revoke').send({ user_id: 'locked-out' });
    const health = await t.anon.get('/api/health');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(health.status).toBe(200);
    const revoked = await revoke;
    await exited;
    expect(revoked.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await t.anon.get('/api/health').expect(200)).body.details.locks.databases).toContain('auth');
  });

  it('answers an auth write on a full auth.db 503 storage_unavailable, and health names the auth database', async () => {
    const authDb = t.app.get<DataSource>(getDataSourceToken(AUTH_DATA_SOURCE));
    capAtPresentSize(authDb);
    try {
      // Enough revocations to need a new page.
      let answer: { status: number; body: { error?: { code?: string } } } | undefined;
      for (let i = 0; i < 200 && answer?.status !== 503; i++) {
        answer = await t.http.post('/api/auth/user-token/revoke').send({ user_id: `full-auth-${i}-${'u'.repeat(200)}` });
      }
      expect([answer?.status, answer?.body.error?.code]).toEqual([503, 'storage_unavailable']);
      const sick = await t.anon.get('/api/health').expect(503);
      expect(sick.body.error.message).toContain('auth database cannot store data (SQLITE_FULL');
    } finally {
      uncap(authDb);
    }
    await t.http.post('/api/auth/user-token/revoke').send({ user_id: 'after-full' }).expect(200);
    await t.anon.get('/api/health').expect(200);
  });

  it('reports free space under STORAGE_MIN_FREE_MB as degraded, still answering 200', async () => {
    const degraded = await createTestApp({ env: { STORAGE_MIN_FREE_MB: '1000000' } });
    try {
      const res = await degraded.anon.get('/api/health').expect(200);
      expect(res.body.status).toBe('degraded');
      expect(res.body.details.disk).toMatchObject({
        status: 'degraded',
        message: expect.stringMatching(/MB free, under STORAGE_MIN_FREE_MB$/),
        min_free_bytes: 1_000_000 * 1024 * 1024,
      });
    } finally {
      await degraded.close();
    }
  });
});
