import { UserTokenService } from '../src/auth/user-token.service';
import { IdempotencyRecord } from '../src/notification/entities/idempotency-record.entity';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { InboxEventLogRepository } from '../src/notification/stream/inbox-event-log.repository';
import { createTestApp, LOCAL_PEERS_ALLOWED, TestApp } from './support/test-app';

const TOKEN_SECRET = 'user-token-secret-for-fan-out-tests-0123456789';
const message = { title: 'Release 2.0', message: 'It is out', notification_type: 'release', channel: 'in_app' };

describe('Fan-out to many users and to topics (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({
      env: {
        ...LOCAL_PEERS_ALLOWED,
        USER_TOKEN_SECRET: TOKEN_SECRET,
        // Email points at a closed port: the jobs are queued and wait; delivery has its own tests.
        SMTP_URL: 'smtp://127.0.0.1:9',
        EMAIL_FROM: 'engage@example.com',
        DELIVERY_BACKOFF_MS: '60000',
      },
    });
  });

  afterEach(async () => {
    await t.close();
  });

  const inboxCount = async (user: string): Promise<number> =>
    (await t.http.get(`/api/notifications/user/${user}/counts`).expect(200)).body.counts.total as number;

  it('sends to 1,000 users in one call, each under their own preferences', async () => {
    const users = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    // Every tenth user has turned releases off; u7 has turned off everything in-app.
    for (let i = 0; i < 1000; i += 10) {
      await t.http
        .post('/api/notifications/preferences')
        .send({ user_id: `u${i}`, notification_type: 'release', channel: '*', enabled: false })
        .expect(200);
    }
    await t.http
      .post('/api/notifications/preferences')
      .send({ user_id: 'u7', notification_type: '*', channel: 'in_app', enabled: false })
      .expect(200);

    const res = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, user_ids: users })
      .expect(201);
    expect(res.body).toMatchObject({ success: true, recipients: 1000, stored: 899, suppressed: 101, undeliverable: 0 });
    expect(res.body.results).toHaveLength(1000);
    expect(res.body.results.map((r: { user_id: string }) => r.user_id)).toEqual(users);
    expect(res.body.results[1]).toEqual({ user_id: 'u1', status: 'sent', notification_id: expect.any(String) });
    expect(res.body.results[10]).toMatchObject({ user_id: 'u10', status: 'suppressed', notification_id: null, reason: expect.any(String) });
    expect(res.body.results[7]).toMatchObject({ status: 'suppressed' });

    // Each recipient's streams hear of it: the event is in their log, written with the notification.
    const log = t.app.get(InboxEventLogRepository);
    const reads = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads;
    const [created] = await log.findAfter(reads, 'u1', 0, new Date(0), 10);
    expect(created).toMatchObject({ userId: 'u1', type: 'notification.created' });
    expect(await log.lastId(reads, 'u10')).toBe(0);

    const inbox = await t.http.get('/api/notifications/user/u1').expect(200);
    expect(inbox.body.notifications).toEqual([
      expect.objectContaining({ id: res.body.results[1].notification_id, title: 'Release 2.0', user_id: 'u1' }),
    ]);
    expect(await inboxCount('u10')).toBe(0);
    expect(await inboxCount('u999')).toBe(1);
  });

  it('reports a user with no address on the channel, and still reaches the others', async () => {
    await t.http.put('/api/users/ada/contact').send({ email: 'ada@example.com' }).expect(200);
    const res = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, channel: 'email', user_ids: ['ada', 'bob'] })
      .expect(201);
    expect(res.body).toMatchObject({ recipients: 2, stored: 1, suppressed: 0, undeliverable: 1 });
    expect(res.body.results).toEqual([
      { user_id: 'ada', status: 'queued', notification_id: expect.any(String) },
      { user_id: 'bob', status: 'undeliverable', notification_id: null, reason: expect.stringContaining('no email') },
    ]);
    // A channel with no provider is the request's mistake: one 422, nothing stored.
    const sms = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, channel: 'sms', user_ids: ['ada'] })
      .expect(422);
    expect(sms.body.error.code).toBe('channel_not_configured');
  });

  it("sends to a topic's subscribers, who are kept, paged and removed", async () => {
    const subscribed = await t.http
      .put('/api/topics/project:42/subscribers')
      .send({ user_ids: ['carol', 'ada', 'bob'] })
      .expect(200);
    expect(subscribed.body).toEqual({ success: true, key: 'project:42', changed: 3, subscribers: 3 });
    const again = await t.http
      .put('/api/topics/project:42/subscribers')
      .send({ user_ids: ['ada', 'dan'] })
      .expect(200);
    expect(again.body).toMatchObject({ changed: 1, subscribers: 4 });

    const first = await t.http.get('/api/topics/project:42/subscribers?limit=3').expect(200);
    expect(first.body).toEqual({ success: true, key: 'project:42', user_ids: ['ada', 'bob', 'carol'], next_cursor: 'carol' });
    const second = await t.http.get('/api/topics/project:42/subscribers?limit=3&cursor=carol').expect(200);
    expect(second.body).toMatchObject({ user_ids: ['dan'], next_cursor: null });

    const sent = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, topic: 'project:42' })
      .expect(201);
    expect(sent.body).toEqual({ success: true, recipients: 4, stored: 4, suppressed: 0, undeliverable: 0 });
    expect(await inboxCount('dan')).toBe(1);

    await t.http
      .delete('/api/topics/project:42/subscribers')
      .send({ user_ids: ['dan', 'nobody'] })
      .expect(200);
    const after = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, title: 'Second', topic: 'project:42' })
      .expect(201);
    expect(after.body.recipients).toBe(3);
    expect(await inboxCount('dan')).toBe(1);

    expect((await t.http.delete('/api/topics/project:42').expect(200)).body).toMatchObject({ changed: 3, subscribers: 0 });
    const none = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, topic: 'project:42' })
      .expect(200);
    expect(none.body).toEqual({ success: true, recipients: 0, stored: 0, suppressed: 0, undeliverable: 0 });
  });

  it('covers the whole fan-out with an Idempotency-Key, and a retry after a stop part-way notifies no one twice', async () => {
    const body = { ...message, user_ids: ['ada', 'bob', 'carol'] };
    const first = await t.http.post('/api/notifications/fan-out').set('Idempotency-Key', 'release-2.0').send(body).expect(201);
    const replay = await t.http.post('/api/notifications/fan-out').set('Idempotency-Key', 'release-2.0').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await t.http
      .post('/api/notifications/fan-out')
      .set('Idempotency-Key', 'release-2.0')
      .send({ ...body, title: 'Other' })
      .expect(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    // A process that stopped after storing but before keeping its answer: the retry finds each
    // recipient's notification under its derived id and stores nothing again.
    const runner = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS);
    await runner.run((tx) => tx.delete(IdempotencyRecord, { key: 'release-2.0' }));
    const retried = await t.http.post('/api/notifications/fan-out').set('Idempotency-Key', 'release-2.0').send(body).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toEqual(first.body);
    for (const user of ['ada', 'bob', 'carol']) expect(await inboxCount(user)).toBe(1);
  });

  it.each([
    ['a space', 'has space'],
    ['256 characters', 'k'.repeat(256)],
    ['a non-ASCII character', 'clé'],
  ])('refuses an Idempotency-Key with %s on send and fan-out alike, storing nothing', async (_name, key) => {
    for (const [path, body] of [
      ['/api/notifications/fan-out', { ...message, user_ids: ['ada'] }],
      ['/api/notifications/send', { ...message, user_id: 'ada' }],
    ] as const) {
      const res = await t.http
        .post(path)
        .set('Idempotency-Key', encodeURI(key) === key ? key : Buffer.from(key).toString('latin1'))
        .send(body)
        .expect(400);
      expect(res.body.error.details).toEqual([
        { field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 255 printable ASCII characters'] },
      ]);
    }
    expect(await inboxCount('ada')).toBe(0);
  });

  it('takes an erased user out of a remembered fan-out answer, and its replay notifies them no more', async () => {
    const body = { ...message, user_ids: ['ada', 'bob'] };
    const first = await t.http.post('/api/notifications/fan-out').set('Idempotency-Key', 'erase-me').send(body).expect(201);
    expect(first.body.results.map((r: { user_id: string }) => r.user_id)).toEqual(['ada', 'bob']);
    await t.http.delete('/api/users/ada').expect(200);
    const replay = await t.http.post('/api/notifications/fan-out').set('Idempotency-Key', 'erase-me').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.results.map((r: { user_id: string }) => r.user_id)).toEqual(['bob']);
    expect(JSON.stringify(replay.body)).not.toContain('"ada"');
    expect(await inboxCount('ada')).toBe(0);
    expect(await inboxCount('bob')).toBe(1);
  });

  it.each([
    ['both user_ids and topic', { user_ids: ['ada'], topic: 't' }, ['topic', 'user_ids']],
    ['neither', {}, ['topic', 'user_ids']],
    ['1,001 users', { user_ids: Array.from({ length: 1001 }, (_, i) => `u${i}`) }, ['user_ids']],
    ['a user twice', { user_ids: ['ada', 'ada'] }, ['user_ids']],
    ['a bad topic key', { topic: 'has space' }, ['topic']],
  ])('refuses %s with 400 naming the field, storing nothing', async (_name, extra, fields) => {
    const res = await t.http
      .post('/api/notifications/fan-out')
      .send({ ...message, ...extra })
      .expect(400);
    expect([...new Set(res.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual(fields);
    expect(await inboxCount('ada')).toBe(0);
  });

  it('is for admin keys only, as topics are', async () => {
    const token = (await t.app.get(UserTokenService).mint('ada')).token;
    const as = { Authorization: `Bearer ${token}` };
    await t.anon
      .post('/api/notifications/fan-out')
      .set(as)
      .send({ ...message, user_ids: ['ada'] })
      .expect(403);
    await t.anon
      .put('/api/topics/news/subscribers')
      .set(as)
      .send({ user_ids: ['ada'] })
      .expect(403);
    await t.anon.get('/api/topics/news/subscribers').expect(401);
  });
});
