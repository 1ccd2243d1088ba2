import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../src/database/data-source-names';
import { trackBody } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

describe('Errors, request ids and health (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('answers malformed JSON with 400 in the one error shape, changing nothing', async () => {
    const res = await t.http
      .post('/api/activity/track')
      .set('Content-Type', 'application/json')
      .send('{"user_id": "u1", "activity_type": ')
      .expect(400);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'malformed_json', message: 'Request body is not valid JSON', request_id: res.headers['x-request-id'] },
    });
    const analytics = await t.http.get('/api/analytics/user/u1').expect(200);
    expect(analytics.body.analytics.total_activities).toBe(0);
  });

  it('answers a body over 100 kB with 413', async () => {
    const res = await t.http
      .post('/api/activity/track')
      .send({ ...trackBody(), referrer: 'r', metadata: { blob: 'x'.repeat(110 * 1024) } })
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await t.http.get('/api/nothing-here').expect(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'not_found' } });
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const echoed = await t.http.get('/api/analytics/user/u1').set('X-Request-Id', 'abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http.get('/api/analytics/user/u1').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await t.http.get('/api/analytics/user/u1').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides internal errors behind a 500 with no stack, SQL or path', async () => {
    const dataSource = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
    await dataSource.query('DROP TABLE user_analytics');
    const res = await t.http.post('/api/activity/track').send(trackBody()).expect(500);
    expect(res.body).toEqual({
      success: false,
      error: { code: 'internal_error', message: 'Internal server error', request_id: res.headers['x-request-id'] },
    });
    // The activity insert was in the same transaction, so it was rolled back.
    const [{ count }] = await dataSource.query('SELECT COUNT(*) AS count FROM user_activities');
    expect(count).toBe(0);
    // A 500 is a bug, never part of the contract: the recorder flags it (and only it).
    expect(t.contractViolations.splice(0)).toEqual([expect.stringContaining('POST /api/activity/track 500: status not documented')]);
  });

  it('reports both databases healthy, and 503 naming the one that stops answering', async () => {
    const ok = await t.http.get('/api/health').expect(200);
    expect(ok.body).toMatchObject({ status: 'ok', info: { activity_db: { status: 'up' }, notification_db: { status: 'up' } } });

    const dataSource = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
    await dataSource.destroy();
    const down = await t.http.get('/api/health').expect(503);
    expect(down.body.success).toBe(false);
    expect(down.body.error.code).toBe('unhealthy');
    expect(down.body.error.message).toContain('activity_db');
    expect(down.body.error.details).toMatchObject({ activity_db: { status: 'down' }, notification_db: { status: 'up' } });
    await dataSource.initialize();
  });
});
