import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, TestApp } from './support/test-app';

// Inputs that took the first release down or answered 500: each must be a 4xx, in bounded time,
// and leave the service healthy.
describe('Client mistakes are 4xx in bounded time (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(async () => {
    await t.anon.get('/api/health').expect(200);
  });

  it('refuses dates past year 9999 (whose text sorts before every other year) and answers the last days before it', async () => {
    const started = Date.now();
    for (const query of [
      'from=9999-12-01&to=+275760-09-13',
      'from=10000-01-01&to=10000-01-02',
      'to=%2B010000-01-01',
      'from=1969-12-31&to=1970-01-02',
    ]) {
      const res = await t.http.get(`/api/analytics/overview?${query}`);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
    const edge = await t.http.get('/api/analytics/overview?from=9999-12-01&to=9999-12-31&interval=week').expect(200);
    expect(edge.body.series.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    const funnel = await t.http
      .post('/api/analytics/funnel')
      .send({ steps: ['a', 'b'], within_seconds: 60, from: '2026-01-01T00:00:00Z', to: '+275760-09-13T00:00:00Z' });
    expect(funnel.status).toBe(400);
    const track = await t.http
      .post('/api/activity/track')
      .send({ user_id: 'u1', activity_type: 'click', timestamp: '+275760-09-13T00:00:00.000Z' });
    expect(track.status).toBe(400);
  });

  it('answers null in a field that does not take it with a 400 naming the field, storing nothing', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/activity/track', { user_id: 'nul', activity_type: 'click', metadata: null }, 'metadata'],
      ['/api/activity/track', { user_id: 'nul', activity_type: 'click', session_id: null }, 'session_id'],
      ['/api/session/start', { user_id: 'nul', device_info: null }, 'device_info'],
      [
        '/api/notifications/send',
        { user_id: 'nul', title: 'T', message: 'M', notification_type: 'n', channel: 'in_app', data: null },
        'data',
      ],
      [
        '/api/notifications/send',
        { user_id: 'nul', title: 'T', message: 'M', notification_type: 'n', channel: 'in_app', scheduled_at: null },
        'scheduled_at',
      ],
    ];
    for (const [path, body, field] of cases) {
      const res = await t.http.post(path).send(body);
      expect({ path, field, status: res.status, fields: res.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({
        path,
        field,
        status: 400,
        fields: [field],
      });
    }
    expect((await t.http.get('/api/users/nul/export').expect(200)).body).toMatchObject({ activities: [], sessions: [], notifications: [] });
    // Where null means "the default", it is accepted.
    await t.http.post('/api/auth/user-token').send({ user_id: 'nul', ttl_seconds: null }).expect(201);
  });

  it('refuses JSON nested thousands of levels deep with 400, in the body and inside a JSON field', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const body = await t.http
      .post('/api/activity/track')
      .set('Content-Type', 'application/json')
      .send(`{"user_id":"deep","activity_type":"click","metadata":{"x":${deep(5000)}}}`);
    expect(body.status).toBe(400);
    expect(body.body.error.code).toBe('too_deep');
    const batch = await t.http
      .post('/api/activity/batch')
      .set('Content-Type', 'application/json')
      .send(`{"batch":[${deep(40)}]}`);
    expect(batch.status).toBe(400);
    // 32 levels are fine.
    const nested = JSON.parse(`{"user_id":"deep","activity_type":"click","metadata":{"x":${deep(29)}}}`);
    await t.http.post('/api/activity/track').send(nested).expect(201);
  });

  it('refuses lone surrogates and NUL characters, in values and in keys, with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['{"user_id":"\\ud800","activity_type":"click"}', 'user_id'],
      ['{"user_id":"u1","activity_type":"click","metadata":{"note":"\\udfff tail"}}', 'metadata.note'],
      ['{"user_id":"u1","activity_type":"click","metadata":{"k\\u0000ey":1}}', 'metadata.k\u0000ey'],
      ['{"user_id":"u1","activity_type":"click","metadata":{"\\ud83d":1}}', 'metadata.\ud83d'],
    ];
    for (const [raw, field] of cases) {
      const res = await t.http.post('/api/activity/track').set('Content-Type', 'application/json').send(raw);
      expect({ raw, status: res.status, fields: res.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({
        raw,
        status: 400,
        fields: [field],
      });
    }
    const inBatch = await t.http
      .post('/api/activity/batch')
      .set('Content-Type', 'application/json')
      .send('{"batch":[{"user_id":"\\ud800","activity_type":"click"}]}')
      .expect(400);
    expect(inBatch.body.error.details).toEqual([expect.objectContaining({ field: 'batch[0].user_id' })]);
    const segment = await t.http.post('/v1/track').set('Content-Type', 'application/json').send('{"userId":"\\udc00","event":"x"}');
    expect(segment.status).toBe(400);
  });

  // Found by the OpenAPI fuzz test: a nested "constructor" key made class-transformer throw (500).
  it('refuses the keys __proto__, constructor and prototype anywhere, with 400 naming the field, storing nothing', async () => {
    const cases: Array<[string, string, string]> = [
      ['/v1/track', '{"userId":"u1","event":"x","messageId":{"constructor":{"prototype":{"polluted":true}}}}', 'messageId.constructor'],
      ['/v1/alias', '{"userId":"u1","previousId":"a","integrations":{"constructor":{"prototype":1}}}', 'integrations.constructor'],
      ['/api/activity/track', '{"user_id":"u1","activity_type":"click","metadata":{"__proto__":{"polluted":true}}}', 'metadata.__proto__'],
      ['/api/activity/track', '{"user_id":"u1","activity_type":"click","metadata":{"a":[{"prototype":1}]}}', 'metadata.a[0].prototype'],
    ];
    for (const [path, raw, field] of cases) {
      const res = await t.http.post(path).set('Content-Type', 'application/json').send(raw);
      expect({ raw, status: res.status, fields: res.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({
        raw,
        status: 400,
        fields: [field],
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = await t.http.get('/api/analytics/user/u1').expect(200);
    expect(stored.body.analytics.total_activities).toBe(0);
  });
});

describe('A request trickled a byte at a time (e2e)', () => {
  it('is answered 408 once HTTP_REQUEST_TIMEOUT_MS has passed, and the connection closed', async () => {
    const t = await createTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '2000' } });
    const server = t.app.getHttpServer() as Server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    try {
      await once(socket, 'connect');
      const started = Date.now();
      socket.write(
        'POST /api/activity/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      const ticker = setInterval(() => socket.write(' '), 500);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 8000))]);
      clearInterval(ticker);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      socket.destroy();
      await t.close();
    }
  });
});

describe('Another process holding the database lock (e2e)', () => {
  it('keeps answering other routes, and answers a write that waited too long 503 database_busy with Retry-After', async () => {
    const t = await createTestApp({ realClock: true });
    try {
      await t.http.post('/api/activity/track').send({ user_id: 'warm', activity_type: 'click' }).expect(201);
      const driver = require.resolve('better-sqlite3');
      const script = `
        const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(`${t.dir}/user_activities.db`)});
        db.exec('BEGIN IMMEDIATE'); db.prepare("UPDATE user_analytics SET total_activities = total_activities WHERE user_id = 'warm'").run();
        process.stdout.write('locked\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6500);
        db.exec('ROLLBACK'); db.close();
      `;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = { promise: once(child, 'exit') };
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const started = Date.now();
      const write = t.http.post('/api/activity/track').send({ user_id: 'blocked', activity_type: 'click' });
      // Meanwhile the event loop is free: health and a read answer at once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const healthAt = Date.now();
      await t.anon.get('/api/health').expect(200);
      await t.http.get('/api/analytics/user/warm').expect(200);
      expect(Date.now() - healthAt).toBeLessThan(500);
      const res = await write;
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('database_busy');
      expect(res.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(6500);
      await exited.promise;
      expect((await t.http.get('/api/users/blocked/export').expect(200)).body.activities).toEqual([]);
    } finally {
      await t.close();
    }
  }, 20_000);
});
