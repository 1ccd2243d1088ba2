import { UserTokenService } from '../src/auth/user-token.service';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { DeliveryWorkerService } from '../src/notification/delivery/delivery-worker.service';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { DeliveryJobRepository } from '../src/notification/repositories/delivery-job.repository';
import { createTestApp, LOCAL_PEERS_ALLOWED, TestApp } from './support/test-app';

const TOKEN_SECRET = 'user-token-secret-for-quiet-hour-tests-012345';
const NIGHTS = { timezone: 'Europe/London', quiet_hours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }] };

describe('Quiet hours and pause (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({
      env: {
        ...LOCAL_PEERS_ALLOWED,
        USER_TOKEN_SECRET: TOKEN_SECRET,
        // The test runs the worker itself; email points at a closed port (an attempt fails and is recorded).
        DELIVERY_WORKER: 'false',
        SMTP_URL: 'smtp://127.0.0.1:9',
        EMAIL_FROM: 'engage@example.com',
        DELIVERY_BACKOFF_MS: '60000',
        WEBHOOK_SIGNING_SECRET: 'whsec_test_0123456789abcdef',
      },
    });
    await t.http
      .put('/api/users/ada/contact')
      .send({ email: 'ada@example.com', webhook_url: 'http://127.0.0.1:9/engage', timezone: 'Europe/London' })
      .expect(200);
  });

  afterEach(async () => {
    await t.close();
  });

  const send = async (body: Record<string, unknown>) =>
    (
      await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'ada', title: 'Hi', message: 'There', notification_type: 'digest', channel: 'email', ...body })
        .expect(201)
    ).body.notification_id as string;
  /** Runs the delivery worker on the notification's job, as the dispatcher would when it falls due. */
  const work = async (id: string) => {
    const jobs = t.app.get(DeliveryJobRepository);
    const job = (await jobs.findByNotification(t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads, id))!;
    return t.app.get(DeliveryWorkerService).process(job);
  };
  const attempts = async (id: string) =>
    (await t.http.get(`/api/notifications/deliveries/${id}`).expect(200)).body.deliveries.length as number;

  it('holds a non-urgent email due in quiet hours until they end, without an attempt', async () => {
    await t.http.put('/api/notifications/preferences/ada/schedule').send(NIGHTS).expect(200);
    t.clock.set('2026-11-26T23:30:00Z'); // 23:30 in London (UTC+0 in winter)
    const id = await send({});
    const job = await work(id);
    expect(job).toMatchObject({ state: 'pending', attempts: 0 });
    expect(job.runAt.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(await attempts(id)).toBe(0);

    t.clock.set('2026-11-27T07:00:00Z');
    await work(id);
    expect(await attempts(id)).toBe(1);
  });

  it('lets urgent notifications, required types and webhooks through at once', async () => {
    await t.http.put('/api/notifications/preferences/ada/schedule').send(NIGHTS).expect(200);
    await t.http.put('/api/notifications/types/security_alert').send({ required: true }).expect(200);
    t.clock.set('2026-11-26T23:30:00Z');
    const urgent = await send({ priority: 'urgent' });
    const required = await send({ notification_type: 'security_alert' });
    const webhook = await send({ channel: 'webhook' });
    await work(urgent);
    await work(required);
    await work(webhook);
    expect(await attempts(urgent)).toBe(1);
    expect(await attempts(required)).toBe(1);
    expect(await attempts(webhook)).toBe(1);
  });

  it('lands in-app notifications at once, silently inside quiet hours', async () => {
    await t.http.put('/api/notifications/preferences/ada/schedule').send(NIGHTS).expect(200);
    t.clock.set('2026-11-26T21:00:00Z');
    await send({ channel: 'in_app', title: 'Evening' });
    t.clock.set('2026-11-26T23:30:00Z');
    await send({ channel: 'in_app', title: 'Night' });
    await send({ channel: 'in_app', title: 'Urgent', priority: 'urgent' });
    const inbox = await t.http.get('/api/notifications/user/ada').expect(200);
    expect(inbox.body.notifications.map((n: { title: string; silent: boolean }) => [n.title, n.silent])).toEqual([
      ['Urgent', false],
      ['Night', true],
      ['Evening', false],
    ]);
    expect(inbox.body.unread_count).toBe(3);
  });

  it('pauses for a while, until a time, or until tomorrow morning, and resumes', async () => {
    t.clock.set('2026-11-26T12:00:00Z');
    const hour = await t.http.post('/api/notifications/preferences/ada/pause').send({ minutes: 60 }).expect(200);
    expect(hour.body.schedule).toMatchObject({
      paused_until: '2026-11-26T13:00:00.000Z',
      holds_until: '2026-11-26T13:00:00.000Z',
      timezone: 'Europe/London',
      timezone_set: false,
    });
    const id = await send({});
    expect((await work(id)).runAt.toISOString()).toBe('2026-11-26T13:00:00.000Z');

    const tomorrow = await t.http.post('/api/notifications/preferences/ada/pause').send({ until_tomorrow: true }).expect(200);
    expect(tomorrow.body.schedule.paused_until).toBe('2026-11-27T08:00:00.000Z');
    const resumed = await t.http.delete('/api/notifications/preferences/ada/pause').expect(200);
    expect(resumed.body.schedule).toMatchObject({ paused_until: null, holds_until: null });
    const now = await send({});
    await work(now);
    expect(await attempts(now)).toBe(1);
  });

  it('sets held messages free at once when a pause ends early or quiet hours change, but not sends scheduled for later', async () => {
    t.clock.set('2026-11-26T12:00:00Z');
    await t.http.post('/api/notifications/preferences/ada/pause').send({ minutes: 120 }).expect(200);
    const held = await send({ title: 'Held' });
    expect((await work(held)).runAt.toISOString()).toBe('2026-11-26T14:00:00.000Z');
    const later = await send({ title: 'Later', scheduled_at: '2026-11-26T15:00:00Z' });
    const jobs = t.app.get(DeliveryJobRepository);
    const reads = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads;

    t.clock.set('2026-11-26T12:30:00Z');
    await t.http.delete('/api/notifications/preferences/ada/pause').expect(200);
    expect((await jobs.findByNotification(reads, held))!.runAt.toISOString()).toBe('2026-11-26T12:30:00.000Z');
    expect((await jobs.findByNotification(reads, later))!.runAt.toISOString()).toBe('2026-11-26T15:00:00.000Z');
    await work(held);
    expect(await attempts(held)).toBe(1);

    // Held by tonight's quiet hours, then the user drops them: it goes now.
    await t.http.put('/api/notifications/preferences/ada/schedule').send(NIGHTS).expect(200);
    t.clock.set('2026-11-26T23:00:00Z');
    const night = await send({ title: 'Night' });
    expect((await work(night)).runAt.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    await t.http.put('/api/notifications/preferences/ada/schedule').send({ quiet_hours: [] }).expect(200);
    // Its one attempt is made now (SMTP here is a closed port: the attempt fails and is recorded).
    await work(night);
    expect(await attempts(night)).toBe(1);
  });

  it('lands a scheduled in-app notification silently when its time falls in quiet hours', async () => {
    await t.http.put('/api/notifications/preferences/ada/schedule').send(NIGHTS).expect(200);
    t.clock.set('2026-11-26T21:00:00Z');
    await send({ channel: 'in_app', title: 'Scheduled into the night', scheduled_at: '2026-11-26T23:30:00Z' });
    await send({ channel: 'in_app', title: 'Scheduled for the morning', scheduled_at: '2026-11-27T08:00:00Z' });
    t.clock.set('2026-11-27T08:00:00Z');
    const inbox = await t.http.get('/api/notifications/user/ada').expect(200);
    expect(inbox.body.notifications.map((n: { title: string; silent: boolean }) => [n.title, n.silent])).toEqual([
      ['Scheduled for the morning', false],
      ['Scheduled into the night', true],
    ]);
  });

  it('keeps wall-clock quiet hours across a DST change', async () => {
    await t.http
      .put('/api/notifications/preferences/ada/schedule')
      .send({ ...NIGHTS, timezone: 'America/New_York' })
      .expect(200);
    t.clock.set('2026-03-08T04:00:00Z'); // 23:00 EST on 7 March; the clocks go forward that night
    const id = await send({});
    expect((await work(id)).runAt.toISOString()).toBe('2026-03-08T11:00:00.000Z'); // 07:00 EDT
  });

  it.each([
    ['an unknown timezone', { timezone: 'Mars/Olympus', quiet_hours: [] }, 'timezone'],
    ['a time that is not HH:MM', { quiet_hours: [{ days: [1], start: '7pm', end: '07:00' }] }, 'quiet_hours[0].start'],
    ['a day outside 1–7', { quiet_hours: [{ days: [0], start: '22:00', end: '07:00' }] }, 'quiet_hours[0].days'],
    ['a window that starts where it ends', { quiet_hours: [{ days: [1], start: '22:00', end: '22:00' }] }, 'quiet_hours[0].end'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_name, body, field) => {
    const res = await t.http.put('/api/notifications/preferences/ada/schedule').send(body).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await t.http.get('/api/notifications/preferences/ada/schedule').expect(200)).body.schedule.quiet_hours).toEqual([]);
  });

  it('refuses a pause given two ways, or none, or in the past', async () => {
    t.clock.set('2026-11-26T12:00:00Z');
    const two = await t.http.post('/api/notifications/preferences/ada/pause').send({ minutes: 5, until_tomorrow: true }).expect(400);
    expect(two.body.error.details.map((d: { field: string }) => d.field)).toEqual(['minutes', 'until', 'until_tomorrow']);
    await t.http.post('/api/notifications/preferences/ada/pause').send({}).expect(400);
    const past = await t.http.post('/api/notifications/preferences/ada/pause').send({ until: '2026-11-26T11:00:00Z' }).expect(400);
    expect(past.body.error.details).toEqual([{ field: 'until', messages: ['until must be in the future'] }]);
    expect((await t.http.get('/api/notifications/preferences/ada/schedule').expect(200)).body.schedule.paused_until).toBeNull();
  });

  it("lets a user's token set its own schedule and no one else's", async () => {
    const token = (await t.app.get(UserTokenService).mint('ada')).token;
    const as = { Authorization: `Bearer ${token}` };
    await t.anon.put('/api/notifications/preferences/ada/schedule').set(as).send(NIGHTS).expect(200);
    await t.anon.put('/api/notifications/preferences/bob/schedule').set(as).send(NIGHTS).expect(403);
    await t.anon.post('/api/notifications/preferences/bob/pause').set(as).send({ minutes: 5 }).expect(403);
  });
});
