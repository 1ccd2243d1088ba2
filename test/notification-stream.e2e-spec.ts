import { UserTokenService } from '../src/auth/user-token.service';
import { readDeliveryConfig } from '../src/config/delivery.config';
import { InvalidEnvironmentError } from '../src/config/env.validation';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { NotificationService } from '../src/notification/notification.service';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { StreamRetentionService } from '../src/notification/stream/stream-retention.service';
import { type EventStreamClient, listenLocally, openEventStream, type StreamMessage } from './support/event-stream';
import { startService, type ServiceProcess } from './support/service-process';
import { makeTempDir } from './support/temp-dir';
import { waitFor } from './support/wait-for';
import { createTestApp, TEST_ADMIN_KEY, type TestApp, USER_AGENTS } from './support/test-app';

const TOKEN_SECRET = 'user-token-secret-for-stream-tests-0123456789';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const NO_COUNTS = { total: 0, unread: 0, unseen: 0 };

/** The data of a message, parsed. */
const dataOf = (message: StreamMessage): Record<string, unknown> => JSON.parse(message.data) as Record<string, unknown>;
/** A message as a test compares it: name, id and parsed data. */
const summary = (message: StreamMessage) => ({ event: message.event, id: message.id, data: dataOf(message) });

describe('Notification stream: Server-Sent Events of the inbox (e2e)', () => {
  let t: TestApp;
  let base: string;
  const streams: EventStreamClient[] = [];

  beforeEach(async () => {
    t = await createTestApp({ env: { USER_TOKEN_SECRET: TOKEN_SECRET, STREAM_HEARTBEAT_MS: '300' } });
    base = await listenLocally(t.app);
  });

  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.close());
    await t?.close();
  });

  const open = async (query: string, headers: Record<string, string> = {}): Promise<EventStreamClient> => {
    const stream = await openEventStream(`${base}/api/notifications/stream${query}`, { 'User-Agent': USER_AGENTS.chrome, ...headers });
    streams.push(stream);
    return stream;
  };
  const ticketFor = async (user: string): Promise<string> =>
    (await t.http.post('/api/notifications/stream/ticket').send({ user_id: user }).expect(201)).body.ticket as string;
  const tokenFor = async (user: string): Promise<string> => (await t.app.get(UserTokenService).mint(user)).token;
  /** A user's stream opened as a browser does: a ticket in the URL, no header. */
  const openAs = async (user: string, query = ''): Promise<EventStreamClient> => open(`?ticket=${await ticketFor(user)}${query}`);
  const send = async (user = 'ada', body: Record<string, unknown> = {}): Promise<string> =>
    (
      await t.http
        .post('/api/notifications/send')
        .send({ user_id: user, title: 'Hello', message: 'Hi there', notification_type: 'comment', channel: 'in_app', ...body })
        .expect(201)
    ).body.notification_id as string;
  const listed = async (id: string, user = 'ada'): Promise<unknown> =>
    (await t.http.get(`/api/notifications/user/${user}?limit=200`).expect(200)).body.notifications.find(
      (notification: { id: string }) => notification.id === id,
    );

  it('opens with the counts, then sends created, updated, deleted and counts events with the next ids and exact payloads', async () => {
    const stream = await openAs('ada');
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toContain('no-cache');
    const opening = await stream.next();
    expect(opening).toEqual({ event: 'counts', id: '0', retry: 3000, data: JSON.stringify({ counts: NO_COUNTS, bulk: null }) });

    const first = await send('ada', { actions: [{ action_id: 'accept', label: 'Accept' }] });
    const created = await stream.next();
    expect(summary(created)).toEqual({
      event: 'notification.created',
      id: '1',
      data: { notification: await listed(first), counts: { total: 1, unread: 1, unseen: 1 } },
    });

    // An action's event carries what the action answered: the notification as it now is and the counts.
    const read = await t.http.post(`/api/notifications/read/${first}`).expect(200);
    expect(summary(await stream.next())).toEqual({
      event: 'notification.updated',
      id: '2',
      data: { notification: read.body.notification, counts: read.body.counts },
    });
    const taken = await t.http.post(`/api/notifications/actions/${first}/accept`).expect(200);
    expect(summary(await stream.next())).toEqual({
      event: 'notification.updated',
      id: '3',
      data: { notification: taken.body.notification, counts: { total: 1, unread: 0, unseen: 0 } },
    });

    // A bulk action is one `counts` event, however many notifications it changed.
    await send('ada', { notification_type: 'mention' });
    await send('ada', { notification_type: 'mention' });
    expect((await stream.take(2)).map((message) => [message.event, message.id])).toEqual([
      ['notification.created', '4'],
      ['notification.created', '5'],
    ]);
    const readAll = await t.http.post('/api/notifications/user/ada/read-all').send({ notification_type: 'mention' }).expect(200);
    expect(readAll.body.updated).toBe(2);
    expect(summary(await stream.next())).toEqual({
      event: 'counts',
      id: '6',
      data: { counts: readAll.body.counts, bulk: { action: 'read_all', notification_type: 'mention', updated: 2 } },
    });
    await t.http.post('/api/notifications/user/ada/archive-read').send({}).expect(200);
    expect(summary(await stream.next())).toEqual({
      event: 'counts',
      id: '7',
      data: { counts: NO_COUNTS, bulk: { action: 'archive_read', notification_type: null, updated: 3 } },
    });

    const deleted = await t.http.delete(`/api/notifications/item/${first}`).expect(200);
    expect(summary(await stream.next())).toEqual({
      event: 'notification.deleted',
      id: '8',
      data: { notification_id: first, counts: deleted.body.counts },
    });
    // Nothing else: no event for what changed nothing.
    await t.http.post('/api/notifications/user/ada/seen-all').send({}).expect(200);
    expect(await stream.drain(300)).toEqual([]);
  });

  it('sends a user only their own events, to each of their open streams, and nothing for a change that failed or a replayed send', async () => {
    const [ada, adaOnPhone, bob] = [await openAs('ada'), await openAs('ada'), await openAs('bob')];
    await Promise.all([ada.next(), adaOnPhone.next(), bob.next()]);
    const id = await send('ada', {});
    const [onDesktop, onPhone] = [await ada.next(), await adaOnPhone.next()];
    expect(onPhone).toEqual(onDesktop);
    expect(onDesktop.event).toBe('notification.created');

    // A failed action (another user's notification, a bad snooze) and a replayed send tell nothing.
    const bobToken = await tokenFor('bob');
    await t.anon.post(`/api/notifications/read/${id}`).set('Authorization', `Bearer ${bobToken}`).expect(404);
    await t.http.post(`/api/notifications/snooze/${id}`).send({ until: '2020-01-01T00:00:00Z' }).expect(400);
    const body = { user_id: 'ada', title: 'Once', message: 'Only once', notification_type: 'comment', channel: 'in_app' };
    await t.http.post('/api/notifications/send').set('Idempotency-Key', 'stream-once').send(body).expect(201);
    const replayed = await t.http.post('/api/notifications/send').set('Idempotency-Key', 'stream-once').send(body).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    // The send under the key, once; then nothing more (the events of this test's failures would come before it).
    expect(await ada.next()).toMatchObject({ event: 'notification.created', id: '2' });
    expect(await ada.drain(300)).toEqual([]);
    expect(await bob.drain(0)).toEqual([]);
  });

  it('tells of scheduled notifications when they come into the inbox, and of snoozed ones leaving and coming back', async () => {
    const stream = await openAs('ada');
    await stream.next();
    const later = await send('ada', { scheduled_at: '2026-11-26T10:00:00Z' });
    const snoozed = await send('ada');
    expect((await stream.next()).event).toBe('notification.created'); // only the one in the inbox now
    await t.http.post(`/api/notifications/snooze/${snoozed}`).send({ until: '2026-11-26T09:30:00Z' }).expect(200);
    const snooze = dataOf(await stream.next());
    expect(snooze).toMatchObject({ notification: { id: snoozed, snoozed_until: '2026-11-26T09:30:00.000Z' }, counts: NO_COUNTS });

    t.clock.set('2026-11-26T10:00:01Z');
    // Reading the counts brings in what is due at once (the scheduler would within a second).
    await t.http.get('/api/notifications/user/ada/counts').expect(200);
    const [first, second] = await stream.take(2);
    const comeIn = [first, second].map((message) => [message.event, (dataOf(message).notification as { id: string }).id]);
    expect(comeIn).toEqual([
      ['notification.updated', snoozed],
      ['notification.created', later],
    ]);
    expect(dataOf(second).counts).toEqual({ total: 2, unread: 2, unseen: 2 });
  });

  it('takes a single-use ticket valid 30 s, an Authorization header, and no one else’s stream; errors before the stream are JSON', async () => {
    // Issued to a user token for its own user (no body needed), or to an admin key for the user it names.
    const bobToken = await tokenFor('bob');
    const own = await t.anon.post('/api/notifications/stream/ticket').set('Authorization', `Bearer ${bobToken}`).expect(201);
    expect(own.body).toEqual({
      success: true,
      ticket: expect.stringMatching(/^est_[\w-]{43}$/),
      user_id: 'bob',
      expires_at: '2026-11-26T09:00:30.000Z',
    });
    await t.anon.post('/api/notifications/stream/ticket').set('Authorization', `Bearer ${bobToken}`).send({ user_id: 'ada' }).expect(403);
    const missing = await t.http.post('/api/notifications/stream/ticket').send({}).expect(400);
    expect(missing.body.error.details).toEqual([{ field: 'user_id', messages: ['user_id is required with an API key'] }]);
    await t.anon.post('/api/notifications/stream/ticket').set('Authorization', `Bearer ${t.trackKey}`).send({ user_id: 'ada' }).expect(403);

    const expectError = async (stream: EventStreamClient, status: number, code: string) => {
      expect({ status: stream.status, type: stream.headers.get('content-type') }).toEqual({
        status,
        type: expect.stringContaining('application/json'),
      });
      expect(JSON.parse(stream.text).error.code).toBe(code);
    };
    // Used once, then refused; an unknown one likewise.
    const ticket = own.body.ticket as string;
    const first = await open(`?ticket=${ticket}`);
    expect((await first.next()).event).toBe('counts');
    await expectError(await open(`?ticket=${ticket}`), 401, 'unauthorized');
    await expectError(await open(`?ticket=est_${'A'.repeat(43)}`), 401, 'unauthorized');
    // Two requests racing with one ticket: one stream.
    const raced = await ticketFor('bob');
    const racing = await Promise.all([open(`?ticket=${raced}`), open(`?ticket=${raced}`)]);
    expect(racing.map((stream) => stream.status).sort()).toEqual([200, 401]);
    // Expired after 30 s (and used up by the attempt).
    const late = await ticketFor('bob');
    t.clock.advance(30_001);
    await expectError(await open(`?ticket=${late}`), 401, 'unauthorized');
    const justInTime = await ticketFor('bob');
    t.clock.advance(29_000);
    expect((await open(`?ticket=${justInTime}`)).status).toBe(200);

    // A ticket or token of bob's opens bob's stream only.
    await expectError(await open(`?ticket=${await ticketFor('bob')}&user_id=ada`), 403, 'forbidden');
    await expectError(await open('?user_id=ada', { Authorization: `Bearer ${bobToken}` }), 403, 'forbidden');
    const byHeader = await open('', { Authorization: `Bearer ${bobToken}` });
    expect(await byHeader.next()).toMatchObject({ event: 'counts', id: '0' });
    await send('ada');
    await send('bob');
    expect(dataOf(await byHeader.next())).toMatchObject({ notification: { user_id: 'bob' } });

    // An admin key names the user; a publishable key or no credential opens nothing.
    await expectError(await open('', ADMIN), 400, 'validation_failed');
    expect((await open('?user_id=ada', ADMIN)).status).toBe(200);
    await expectError(await open('?user_id=ada', { Authorization: `Bearer ${t.trackKey}` }), 403, 'forbidden');
    await expectError(await open('?user_id=ada'), 401, 'unauthorized');
    // A user token in the URL is no ticket.
    await expectError(await open(`?ticket=${bobToken}`), 401, 'unauthorized');
    await expectError(await open('?user_id=ada&last_event_id=abc', ADMIN), 400, 'validation_failed');
    await expectError(await open('?user_id=ada', { ...ADMIN, 'Last-Event-ID': 'abc' }), 400, 'validation_failed');
  });

  it('resumes with Last-Event-ID (header or ?last_event_id=) with exactly the missed events, in order', async () => {
    const watcher = await openAs('ada'); // connected throughout: what the resumed stream must equal
    await watcher.next();
    const first = await openAs('ada');
    await first.next();
    await send('ada', { title: 'one' });
    await send('ada', { title: 'two' });
    const seen = await first.take(2);
    expect(first.lastEventId).toBe('2');
    first.close();

    const third = await send('ada', { title: 'three' });
    await t.http.post(`/api/notifications/read/${third}`).expect(200);
    await send('bob', { title: 'not ada’s' });
    await send('ada', { title: 'four' });
    const all = await watcher.take(5);
    expect(all.slice(0, 2)).toEqual(seen);
    const missed = all.slice(2);
    expect(missed.map((message) => [message.id, message.event])).toEqual([
      ['3', 'notification.created'],
      ['4', 'notification.updated'],
      ['5', 'notification.created'],
    ]);

    // As an EventSource reconnects: the header, with the id it last got.
    const resumed = await open(`?ticket=${await ticketFor('ada')}`, { 'Last-Event-ID': first.lastEventId });
    expect(await resumed.take(3)).toEqual(missed.map((message, i) => (i === 0 ? { ...message, retry: 3000 } : message)));
    // Then live, without a duplicate.
    await send('ada', { title: 'five' });
    expect((await resumed.next()).id).toBe('6');
    expect(await resumed.drain(200)).toEqual([]);

    // The query form (for clients that cannot set headers); the header wins over it.
    const byQuery = await openAs('ada', '&last_event_id=4');
    expect((await byQuery.take(2)).map((message) => message.id)).toEqual(['5', '6']);
    const both = await open(`?ticket=${await ticketFor('ada')}&last_event_id=1`, { 'Last-Event-ID': '5' });
    expect((await both.next()).id).toBe('6');
    expect(await both.drain(200)).toEqual([]);
    // Missed nothing: the counts, at the last id.
    const upToDate = await openAs('ada', '&last_event_id=6');
    expect(summary(await upToDate.next())).toEqual({
      event: 'counts',
      id: '6',
      data: { counts: { total: 5, unread: 4, unseen: 4 }, bulk: null },
    });
  });

  it('answers reset to an id older than the kept log (24 h, or beyond the last 1,000) or that the log never reached', async () => {
    const stream = await openAs('ada');
    await stream.next();
    await send('ada');
    await send('ada');
    await stream.take(2);
    stream.close();
    t.clock.advance(3600 * 1000);

    // A day later the events are past keeping: the client must refetch.
    t.clock.advance(23 * 3600 * 1000 + 1);
    const expired = await openAs('ada', '&last_event_id=1');
    expect(summary(await expired.next())).toEqual({ event: 'reset', id: '2', data: { counts: { total: 2, unread: 2, unseen: 2 } } });
    // It goes on live from there.
    await send('ada');
    expect((await expired.next()).id).toBe('3');
    await expect((await openAs('ada', '&last_event_id=99')).next()).resolves.toMatchObject({ event: 'reset', id: '3' });
    // The id of a stream from nowhere (the log never reached it) is no better.
    const unknown = await openAs('bob', '&last_event_id=1');
    expect(summary(await unknown.next())).toEqual({ event: 'reset', id: '0', data: { counts: NO_COUNTS } });

    // Only the last 1,000 are kept: after 1,000 more, the 3rd (minutes old) is gone and the 4th is the oldest.
    // (Sent through the service, as 1,000 requests would take most of the test's time.)
    const notifications = t.app.get(NotificationService);
    const many = { user_id: 'ada', title: 'Many', message: 'One of many', notification_type: 'comment', channel: 'in_app' } as const;
    const results = await Promise.all(Array.from({ length: 1000 }, () => notifications.send({ ...many })));
    expect(results.every((result) => result.status === 'sent')).toBe(true);
    const trimmed = await openAs('ada', '&last_event_id=2');
    expect(await trimmed.next()).toMatchObject({ event: 'reset', id: '1003' });
    const kept = await openAs('ada', '&last_event_id=3');
    const replay = await kept.take(1000, 10_000);
    expect(replay.map((message) => Number(message.id))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 4));

    // More than a stream replays (2M characters of data, past which Nest would drop a slow client): a refetch is cheaper.
    const big = { ...many, user_id: 'carol', data: { blob: 'x'.repeat(30_000) } };
    await Promise.all(Array.from({ length: 70 }, () => notifications.send({ ...big })));
    expect(await (await openAs('carol', '&last_event_id=0')).next()).toMatchObject({ event: 'reset', id: '70' });
    expect((await (await openAs('carol', '&last_event_id=10')).take(60)).map((message) => message.id)).toContain('70');
  });

  it('sweeps away events past 24 hours and tickets that expired unused, keeping the ids going', async () => {
    const reads = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads;
    const rows = async (table: string) => Number((await reads.query(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);
    await send('ada');
    await send('bob');
    await ticketFor('ada');
    t.clock.advance(12 * 3600 * 1000);
    await send('ada');
    expect(await t.app.get(StreamRetentionService).sweep()).toBe(0);
    expect({ events: await rows('inbox_events'), tickets: await rows('stream_tickets') }).toEqual({ events: 3, tickets: 0 });

    t.clock.advance(12 * 3600 * 1000 + 1);
    expect(await t.app.get(StreamRetentionService).sweep()).toBe(2);
    expect(await rows('inbox_events')).toBe(1);
    // The next event of each user follows on from their last, gone or not.
    const stream = await openAs('bob', '&last_event_id=1');
    expect(await stream.next()).toMatchObject({ event: 'counts', id: '1' });
    await send('bob');
    expect(await stream.next()).toMatchObject({ event: 'notification.created', id: '2' });
  });

  it('ends a stream when the user token it was opened with expires or is revoked, directly or through a ticket', async () => {
    const until = (stream: EventStreamClient) => waitFor(async () => (stream.ended() ? true : undefined), 5_000, 'the stream to end');
    // Opened with a token that lives 60 s: it ends once the clock passes the token's end.
    const shortLived = (await t.app.get(UserTokenService).mint('ada', 60)).token;
    const bearer = await open('', { Authorization: `Bearer ${shortLived}` });
    await bearer.next();
    await bearer.nextComment();
    expect(bearer.ended()).toBe(false);
    t.clock.advance(61_000);
    await until(bearer);

    // A ticket asked for with a user token, and one asked for with the admin key.
    const token = await tokenFor('ada');
    const byToken = (await t.anon.post('/api/notifications/stream/ticket').set('Authorization', `Bearer ${token}`).send({}).expect(201))
      .body.ticket as string;
    const fromToken = await open(`?ticket=${byToken}`);
    const fromAdmin = await openAs('ada');
    await fromToken.next();
    await fromAdmin.next();
    t.clock.advance(1000);
    await t.http.post('/api/auth/user-token/revoke').send({ user_id: 'ada' }).expect(200);
    await until(fromToken);
    // The admin's stream does not rest on ada's tokens: it goes on.
    await fromAdmin.nextComment();
    expect(fromAdmin.ended()).toBe(false);
  });

  it('sends a heartbeat comment at the configured interval (STREAM_HEARTBEAT_MS, validated)', async () => {
    const stream = await openAs('ada');
    await stream.next();
    const started = Date.now();
    await expect(stream.nextComment(2000)).resolves.toBe('heartbeat');
    await expect(stream.nextComment(2000)).resolves.toBe('heartbeat');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // Heartbeats are comments: no message, no id.
    expect(await stream.drain(0)).toEqual([]);
    expect(stream.lastEventId).toBe('0');
    expect(() => readDeliveryConfig({ STREAM_HEARTBEAT_MS: '10' })).toThrow(InvalidEnvironmentError);
    expect(() => readDeliveryConfig({ STREAM_HEARTBEAT_MS: 'soon' })).toThrow(/STREAM_HEARTBEAT_MS/);
    expect(readDeliveryConfig({}).stream).toEqual({ heartbeatMs: 25_000 });
  });

  it('ends open streams when the app shuts down, so it can', async () => {
    const stream = await openAs('ada');
    await stream.next();
    const closing = t.close();
    await expect(closing).resolves.toBeUndefined();
    await expect(stream.next(2000)).rejects.toThrow(/ended/);
    t = await createTestApp(); // for afterEach
  });
});

describe('Notification stream across two processes over Redis (e2e)', () => {
  const dir = makeTempDir('engage-stream-');
  const env = {
    API_KEYS: TEST_ADMIN_KEY,
    USER_TOKEN_SECRET: TOKEN_SECRET,
    REDIS_URL,
    REDIS_PREFIX: `engage-test-stream-${process.pid}-${Date.now()}`,
    LOG_LEVEL: 'warn',
  };
  let a: ServiceProcess;
  let b: ServiceProcess;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    // One after the other: the first makes the shared databases.
    a = await startService(dir.path, env);
    b = await startService(dir.path, env);
  }, 60_000);

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await Promise.all([a?.stop(), b?.stop()]);
    dir.remove();
  });

  const post = async (service: ServiceProcess, path: string, body: object): Promise<Record<string, unknown>> => {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  };
  const open = async (service: ServiceProcess, query: string, headers: Record<string, string> = {}) => {
    const stream = await openEventStream(`${service.baseUrl}/api/notifications/stream${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const send = (service: ServiceProcess, title: string) =>
    post(service, '/api/notifications/send', { user_id: 'ada', title, message: 'Hi', notification_type: 'comment', channel: 'in_app' });

  it('delivers what one process publishes to a stream the other holds, with a ticket of either, resuming on either', async () => {
    // A ticket from B opens a stream on A (the ticket is in the shared database), once.
    const { ticket } = (await post(b, '/api/notifications/stream/ticket', { user_id: 'ada' })) as { ticket: string };
    const onA = await open(a, `?ticket=${ticket}`);
    expect(onA.status).toBe(200);
    expect(await onA.next()).toMatchObject({ event: 'counts', id: '0' });
    expect((await open(b, `?ticket=${ticket}`)).status).toBe(401);
    const onB = await open(b, '?user_id=ada', ADMIN);
    await onB.next();

    const sentOnB = (await send(b, 'from B')) as { notification_id: string };
    const heard = await onA.next(5000);
    expect(summary(heard)).toMatchObject({
      event: 'notification.created',
      id: '1',
      data: { notification: { id: sentOnB.notification_id, title: 'from B' }, counts: { total: 1, unread: 1, unseen: 1 } },
    });
    await post(a, `/api/notifications/read/${sentOnB.notification_id}`, {});
    await send(a, 'from A');
    expect((await onB.take(2)).map((message) => [message.id, message.event])).toEqual([
      ['1', 'notification.created'],
      ['2', 'notification.updated'],
    ]);
    expect(await onB.next()).toMatchObject({ id: '3', event: 'notification.created' });
    expect((await onA.take(2)).map((message) => message.id)).toEqual(['2', '3']);

    // Resumed on the other process, from where it left off on the first.
    onA.close();
    await send(b, 'while away');
    const resumed = await open(b, '?user_id=ada', { ...ADMIN, 'Last-Event-ID': onA.lastEventId });
    expect(await resumed.next()).toMatchObject({ id: '4', event: 'notification.created' });
  }, 30_000);
});
