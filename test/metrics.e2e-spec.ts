import { createTestApp, LOCAL_PEERS_ALLOWED, TestApp } from './support/test-app';
import { HttpPeer } from './support/http-peer';
import { waitFor } from './support/wait-for';

describe('GET /metrics (e2e)', () => {
  let t: TestApp;
  const hooks = new HttpPeer(() => ({ status: 204 }));

  beforeAll(async () => {
    await hooks.start();
    t = await createTestApp({
      realClock: true,
      env: {
        ...LOCAL_PEERS_ALLOWED,
        WEBHOOK_SIGNING_SECRET: 'whsec_metrics_test_0123456789',
        WEBHOOK_DEFAULT_URL: `${hooks.url}/hook`,
        DELIVERY_POLL_MS: '20',
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await hooks.stop();
  });

  const scrape = async () =>
    (
      await t.http
        .get('/metrics')
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('is for admin keys only', async () => {
    await t.anon.get('/metrics').expect(401);
    await t.site.get('/metrics').expect(403);
  });

  it('counts requests by route template, ingest outcomes and delivery attempts, and reads the queue', async () => {
    await t.http.post('/api/activity/track').send({ user_id: 'm1', activity_type: 'click', event_id: 'e-1' }).expect(201);
    await t.http.post('/api/activity/track').send({ user_id: 'm1', activity_type: 'click', event_id: 'e-1' }).expect(200);
    await t.http.get('/api/analytics/user/m1').expect(200);
    const sent = await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'm1', title: 'T', message: 'M', notification_type: 'n', channel: 'webhook' })
      .expect(201);
    await waitFor(
      async () =>
        (await t.http.get(`/api/notifications/deliveries/${sent.body.notification_id}`)).body.status === 'delivered' ? true : undefined,
      10_000,
      'delivery',
    );

    const text = await scrape();
    expect(value(text, 'engage_http_requests_total{route="/api/activity/track",method="POST",status="201"}')).toBe(1);
    expect(value(text, 'engage_http_requests_total{route="/api/activity/track",method="POST",status="200"}')).toBe(1);
    // The route template, not the user id: one series whatever the users.
    expect(value(text, 'engage_http_requests_total{route="/api/analytics/user/:user_id",method="GET",status="200"}')).toBe(1);
    expect(value(text, 'engage_ingest_events_total{outcome="accepted"}')).toBe(1);
    expect(value(text, 'engage_ingest_events_total{outcome="duplicate"}')).toBe(1);
    expect(value(text, 'engage_delivery_attempts_total{channel="webhook",provider="webhook",outcome="delivered"}')).toBe(1);
    expect(value(text, 'engage_delivery_attempt_duration_seconds_count{channel="webhook",provider="webhook"}')).toBe(1);
    expect(value(text, 'engage_delivery_queue_depth')).toBe(0);
    expect(value(text, 'engage_delivery_oldest_due_seconds')).toBe(0);
    expect(text).toMatch(/^engage_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^engage_http_request_duration_seconds_bucket\{le="0.1",route="\/api\/activity\/track",method="POST"\} \d+/m);
  });
});
