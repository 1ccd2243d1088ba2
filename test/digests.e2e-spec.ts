import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { DeliveryWorkerService } from '../src/notification/delivery/delivery-worker.service';
import { DigestService } from '../src/notification/digest/digest.service';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { DeliveryJobRepository } from '../src/notification/repositories/delivery-job.repository';
import { listenLocally, openEventStream } from './support/event-stream';
import { SmtpPeer } from './support/smtp-peer';
import { createTestApp, LOCAL_PEERS_ALLOWED, TestApp, USER_AGENTS } from './support/test-app';

interface NotificationBody {
  id: string;
  title: string;
  status: string;
  digest_id: string | null;
  error: string | null;
  silent: boolean;
  notification_type: string;
  archived_at: string | null;
}

describe('Digests and throttles (e2e)', () => {
  const smtp = new SmtpPeer();
  let t: TestApp;

  beforeAll(async () => {
    await smtp.start();
  });

  afterAll(async () => {
    await smtp.stop();
  });

  beforeEach(async () => {
    smtp.messages.length = 0;
    t = await createTestApp({
      env: {
        ...LOCAL_PEERS_ALLOWED,
        // The test runs the worker and the digests itself, at the times it sets on the clock.
        DELIVERY_WORKER: 'false',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        EMAIL_FROM: 'Engage <engage@example.com>',
      },
    });
    t.clock.set('2026-11-26T10:00:00Z'); // a Thursday; London is on UTC in winter
    await t.http.put('/api/users/ada/contact').send({ email: 'ada@example.com', timezone: 'Europe/London' }).expect(200);
  });

  afterEach(async () => {
    await t.close();
  });

  const send = async (body: Record<string, unknown>) => {
    const res = await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'ada', title: 'Hi', message: 'There', notification_type: 'news', channel: 'email', ...body });
    expect([200, 201]).toContain(res.status);
    return res.body as { notification_id: string | null; status: string; reason?: string };
  };
  /** Sends and runs the delivery worker on the job at once, as the dispatcher would. */
  const sendAndWork = async (body: Record<string, unknown>) => {
    const { notification_id: id } = await send(body);
    const reads = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads;
    const job = (await t.app.get(DeliveryJobRepository).findByNotification(reads, id!))!;
    await t.app.get(DeliveryWorkerService).process(job);
    return id!;
  };
  /** A notification as the user's inbox (or archive) shows it. */
  const notification = async (id: string, user = 'ada') => {
    for (const view of ['', '&archived=true']) {
      const page = (await t.http.get(`/api/notifications/user/${user}?limit=100${view}`).expect(200)).body
        .notifications as NotificationBody[];
      const found = page.find((n) => n.id === id);
      if (found) return found;
    }
    throw new Error(`notification ${id} is in neither the inbox nor the archive of ${user}`);
  };
  const attempts = async (id: string) =>
    (await t.http.get(`/api/notifications/deliveries/${id}`).expect(200)).body.deliveries.length as number;
  /** Sends the digests that are due, then delivers each digest message. */
  const sendDigests = async () => {
    await t.app.get(DigestService).sendDue();
    const digests = async () =>
      (
        (await t.http.get('/api/notifications/user/ada?archived=true&limit=100').expect(200)).body.notifications as NotificationBody[]
      ).filter((n) => n.notification_type === 'engage_digest');
    const reads = t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads;
    for (const digest of (await digests()).filter((n) => n.status === 'queued')) {
      const job = (await t.app.get(DeliveryJobRepository).findByNotification(reads, digest.id))!;
      await t.app.get(DeliveryWorkerService).process(job);
    }
    return digests();
  };

  it('gathers a daily type’s emails into one message at 09:00 local, listing them; in-app stays individual', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'daily', label: 'News' }).expect(200);
    const ids: string[] = [];
    for (const [at, title] of [
      ['2026-11-26T10:00:00Z', 'Release 2.0 is out'],
      ['2026-11-26T14:00:00Z', 'Webinar on Friday'],
      ['2026-11-27T08:30:00Z', 'Ada & Co joined'],
    ]) {
      t.clock.set(at);
      ids.push(await sendAndWork({ title }));
    }
    const inApp = await send({ channel: 'in_app', title: 'In-app news' });
    expect(inApp.status).toBe('sent');
    const items = await Promise.all(ids.map((id) => notification(id)));
    expect(items.map((n) => n.status)).toEqual(['digested', 'digested', 'digested']);
    expect(new Set(items.map((n) => n.digest_id)).size).toBe(1);
    expect(await Promise.all(ids.map(attempts))).toEqual([0, 0, 0]);
    expect(smtp.messages).toHaveLength(0);

    t.clock.set('2026-11-27T08:59:59Z');
    expect(await sendDigests()).toEqual([]);
    t.clock.set('2026-11-27T09:00:00Z');
    const [digest] = await sendDigests();
    expect(digest).toMatchObject({ title: '3 new notifications', status: 'sent', archived_at: '2026-11-27T09:00:00.000Z' });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.subject).toBe('3 new notifications');
    expect(mail.to).toMatchObject({ text: 'ada@example.com' });
    expect(mail.text).toContain('- Release 2.0 is out\n- Webinar on Friday\n- Ada & Co joined');
    expect(mail.html).toContain('<li>Ada &amp; Co joined</li>');
    // Sent once: another pass finds nothing due.
    await sendDigests();
    expect(smtp.messages).toHaveLength(1);
    // The items stay in the inbox, one by one; the digest message does not add to it.
    const inbox = (await t.http.get('/api/notifications/user/ada').expect(200)).body.notifications as NotificationBody[];
    expect(inbox.map((n) => n.title)).toEqual(['In-app news', 'Ada & Co joined', 'Webinar on Friday', 'Release 2.0 is out']);
  });

  it('follows the user’s own choice (for the type, then for every type) over the registry, shown in the matrix', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'daily' }).expect(200);
    const matrix = await t.http
      .put('/api/notifications/preferences/ada')
      .send({
        digests: [
          { notification_type: 'news', digest: 'instant' },
          { notification_type: '*', digest: 'hourly' },
        ],
      })
      .expect(200);
    expect(matrix.body.digest_all).toBe('hourly');
    expect(matrix.body.types.map((type: { notification_type: string; digest: string; digest_source: string }) => type)).toEqual([
      expect.objectContaining({ notification_type: 'news', digest: 'instant', digest_source: 'user_type' }),
    ]);
    const news = await sendAndWork({});
    const other = await sendAndWork({ notification_type: 'tips', title: 'A tip' });
    expect((await notification(news)).status).toBe('sent');
    expect(await notification(other)).toMatchObject({ status: 'digested' });
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Hi']);

    t.clock.set('2026-11-26T11:00:00Z');
    await sendDigests();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Hi', '1 new notification']);

    // null removes a choice: with both gone, the registry's daily applies to news again.
    const reset = await t.http
      .put('/api/notifications/preferences/ada')
      .send({
        digests: [
          { notification_type: 'news', digest: null },
          { notification_type: '*', digest: null },
        ],
      })
      .expect(200);
    expect(reset.body.digest_all).toBeNull();
    expect(reset.body.types[0]).toMatchObject({ notification_type: 'news', digest: 'daily', digest_source: 'type_default' });
  });

  it('lets urgent sends, required types and sends addressed by their data go at once', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'weekly' }).expect(200);
    await t.http.put('/api/notifications/types/security_alert').send({ required: true }).expect(200);
    // A user's choice of every type (`*`) does not reach a required one.
    await t.http
      .put('/api/notifications/preferences/ada')
      .send({ digests: [{ notification_type: '*', digest: 'weekly' }] })
      .expect(200);
    const urgent = await sendAndWork({ priority: 'urgent', title: 'Urgent' });
    const required = await sendAndWork({ notification_type: 'security_alert', title: 'Required' });
    const addressed = await sendAndWork({ data: { email: 'other@example.com' }, title: 'Addressed' });
    for (const id of [urgent, required, addressed]) expect((await notification(id)).status).toBe('sent');
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual(['Addressed', 'Required', 'Urgent']);
  });

  it('refuses a digest for a required type, and a body with neither cells nor digests, changing nothing', async () => {
    await t.http.put('/api/notifications/types/security_alert').send({ required: true }).expect(200);
    const refused = await t.http
      .put('/api/notifications/preferences/ada')
      .send({
        digests: [
          { notification_type: 'news', digest: 'daily' },
          { notification_type: 'security_alert', digest: 'daily' },
        ],
      })
      .expect(400);
    expect(refused.body.error.details.map((d: { field: string }) => d.field)).toEqual(['digests[1].digest']);
    const empty = await t.http.put('/api/notifications/preferences/ada').send({}).expect(400);
    expect(empty.body.error.details.map((d: { field: string }) => d.field)).toEqual(['cells', 'digests']);
    const bad = await t.http
      .put('/api/notifications/preferences/ada')
      .send({ digests: [{ notification_type: 'news', digest: 'monthly' }] })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['digests[0].digest']);
    const matrix = await t.http.get('/api/notifications/preferences/ada?view=matrix').expect(200);
    expect(matrix.body.digest_all).toBeNull();
    expect(matrix.body.types.find((type: { notification_type: string }) => type.notification_type === 'news')).toBeUndefined();
  });

  it('renders with the admin’s engage_digest template in the user’s locale, and falls back to the built-in text if it cannot', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'hourly' }).expect(200);
    await t.http
      .post('/api/notifications/templates')
      .send({
        name: 'engage_digest',
        title_template: 'Your {{frequency}} summary: {{count}}',
        message_template: '{{#each items}}* {{title}} ({{notification_type}})\n{{/each}}',
        channels: [],
      })
      .expect(201);
    await t.http
      .put('/api/notifications/templates/engage_digest/locales/de')
      .send({ title_template: 'Ihre Zusammenfassung: {{count}}', message_template: '{{#each items}}* {{title}}\n{{/each}}' })
      .expect(200);
    await sendAndWork({ title: 'First' });
    await sendAndWork({ title: 'Second' });
    t.clock.set('2026-11-26T11:00:00Z');
    await sendDigests();
    expect(smtp.messages.map((m) => [m.subject, m.text?.trim()])).toEqual([['Your hourly summary: 2', '* First (news)\n* Second (news)']]);

    await t.http.put('/api/users/ada/contact').send({ email: 'ada@example.com', timezone: 'Europe/London', locale: 'de-AT' }).expect(200);
    await sendAndWork({ title: 'Dritte' });
    t.clock.set('2026-11-26T12:00:00Z');
    await sendDigests();
    expect(smtp.messages[1].subject).toBe('Ihre Zusammenfassung: 1');

    // A template that needs a variable the digest does not give: the built-in text goes instead.
    await t.http.put('/api/notifications/templates/engage_digest').send({ title_template: 'Hello {{user_name}}' }).expect(200);
    await t.http.delete('/api/notifications/templates/engage_digest/locales/de').expect(200);
    await sendAndWork({ title: 'Fourth' });
    t.clock.set('2026-11-26T13:00:00Z');
    await sendDigests();
    expect(smtp.messages[2].subject).toBe('1 new notification');
  });

  it('sends nothing for a digest whose items were all deleted, and nothing when the user muted the channel', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'hourly' }).expect(200);
    const id = await sendAndWork({});
    await t.http.delete(`/api/notifications/item/${id}`).expect(200);
    t.clock.set('2026-11-26T11:00:00Z');
    expect(await sendDigests()).toEqual([]);

    await sendAndWork({ title: 'Muted later' });
    await t.http
      .post('/api/notifications/preferences')
      .send({ user_id: 'ada', notification_type: '*', channel: 'email', enabled: false })
      .expect(200);
    t.clock.set('2026-11-26T12:00:00Z');
    expect(await sendDigests()).toEqual([]);
    expect(smtp.messages).toHaveLength(0);
  });

  it('throttles a type to N an hour per user and channel, dropping the excess with the outcome recorded', async () => {
    await t.http.put('/api/notifications/types/alerts').send({ throttle_per_hour: 2, throttle_excess: 'drop' }).expect(200);
    const ids: string[] = [];
    for (const minute of ['05', '10', '20', '59']) {
      t.clock.set(`2026-11-26T10:${minute}:00Z`);
      ids.push(await sendAndWork({ notification_type: 'alerts', title: `Alert ${minute}` }));
    }
    const outcomes = await Promise.all(ids.map((id) => notification(id)));
    expect(outcomes.map((n) => n.status)).toEqual(['sent', 'sent', 'throttled', 'throttled']);
    expect(outcomes[2].error).toBe('Throttled: "alerts" reaches a user at most 2 times an hour on email, and the type drops the rest');
    expect(await Promise.all(ids.map(attempts))).toEqual([1, 1, 0, 0]);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Alert 05', 'Alert 10']);
    // Another user has their own cap; the next hour starts afresh.
    await t.http.put('/api/users/bob/contact').send({ email: 'bob@example.com' }).expect(200);
    const bob = await sendAndWork({ user_id: 'bob', notification_type: 'alerts', title: 'Bob 1' });
    expect((await notification(bob, 'bob')).status).toBe('sent');
    t.clock.set('2026-11-26T11:00:00Z');
    expect((await notification(await sendAndWork({ notification_type: 'alerts', title: 'Alert 11' }))).status).toBe('sent');
  });

  it('gathers a throttled type’s excess into the hourly digest by default', async () => {
    await t.http.put('/api/notifications/types/alerts').send({ throttle_per_hour: 1 }).expect(200);
    const first = await sendAndWork({ notification_type: 'alerts', title: 'One' });
    t.clock.set('2026-11-26T10:30:00Z');
    const second = await sendAndWork({ notification_type: 'alerts', title: 'Two' });
    const third = await sendAndWork({ notification_type: 'alerts', title: 'Three' });
    expect((await Promise.all([first, second, third].map((id) => notification(id)))).map((n) => n.status)).toEqual([
      'sent',
      'digested',
      'digested',
    ]);
    t.clock.set('2026-11-26T11:00:00Z');
    await sendDigests();
    expect(smtp.messages.map((m) => [m.subject, m.text?.trim()])).toEqual([
      ['One', 'There'],
      ['2 new notifications', '- Two\n- Three'],
    ]);
  });

  it('throttles in-app too: past the cap it lands silently, or is dropped and the send says why', async () => {
    await t.http.put('/api/notifications/types/likes').send({ throttle_per_hour: 2 }).expect(200);
    await t.http.put('/api/notifications/types/pings').send({ throttle_per_hour: 1, throttle_excess: 'drop' }).expect(200);
    const likes = [];
    for (let i = 1; i <= 3; i += 1) likes.push(await send({ channel: 'in_app', notification_type: 'likes', title: `Like ${i}` }));
    expect(likes.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect((await notification(likes[2].notification_id!)).silent).toBe(true);
    expect((await notification(likes[1].notification_id!)).silent).toBe(false);

    expect((await send({ channel: 'in_app', notification_type: 'pings', title: 'Ping 1' })).status).toBe('sent');
    const dropped = await send({ channel: 'in_app', notification_type: 'pings', title: 'Ping 2' });
    expect(dropped).toMatchObject({ status: 'suppressed', notification_id: null, reason: expect.stringMatching(/^Throttled: "pings"/) });
    const fanOut = await t.http
      .post('/api/notifications/fan-out')
      .send({ user_ids: ['ada', 'bob'], title: 'Ping 3', message: 'x', notification_type: 'pings', channel: 'in_app' })
      .expect(201);
    expect(fanOut.body).toMatchObject({ recipients: 2, stored: 1, suppressed: 1 });
    expect(fanOut.body.results.map((r: { user_id: string; status: string }) => [r.user_id, r.status])).toEqual([
      ['ada', 'suppressed'],
      ['bob', 'sent'],
    ]);
    const titles = ((await t.http.get('/api/notifications/user/ada').expect(200)).body.notifications as NotificationBody[]).map(
      (n) => n.title,
    );
    expect(titles).toEqual(['Ping 1', 'Like 3', 'Like 2', 'Like 1']);
    expect((await t.http.get('/api/notifications/user/ada/counts').expect(200)).body.counts).toMatchObject({ total: 4 });
  });

  it('tells the user’s streams when delivery changes a status: sent, digested, throttled', async () => {
    await t.http.put('/api/notifications/types/news').send({ digest: 'hourly' }).expect(200);
    await t.http.put('/api/notifications/types/alerts').send({ throttle_per_hour: 1, throttle_excess: 'drop' }).expect(200);
    const ticket = (await t.http.post('/api/notifications/stream/ticket').send({ user_id: 'ada' }).expect(201)).body.ticket as string;
    const stream = await openEventStream(`${await listenLocally(t.app)}/api/notifications/stream?ticket=${ticket}`, {
      'User-Agent': USER_AGENTS.chrome,
    });
    try {
      expect((await stream.next()).event).toBe('counts');
      const ids = [
        await sendAndWork({ notification_type: 'alerts', title: 'Sent' }),
        await sendAndWork({ notification_type: 'news', title: 'Digested' }),
        await sendAndWork({ notification_type: 'alerts', title: 'Throttled' }),
      ];
      const events = (await stream.take(6)).map((message) => {
        const notification = (JSON.parse(message.data) as { notification: { id: string; status: string } }).notification;
        return [message.event, ids.indexOf(notification.id), notification.status];
      });
      expect(events).toEqual([
        ['notification.created', 0, 'queued'],
        ['notification.updated', 0, 'sent'],
        ['notification.created', 1, 'queued'],
        ['notification.updated', 1, 'digested'],
        ['notification.created', 2, 'queued'],
        ['notification.updated', 2, 'throttled'],
      ]);
    } finally {
      stream.close();
    }
  });

  it('refuses a bad throttle or digest in the registry with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ throttle_per_hour: 0 }, 'throttle_per_hour'],
      [{ throttle_per_hour: 1.5 }, 'throttle_per_hour'],
      [{ throttle_excess: 'queue' }, 'throttle_excess'],
      [{ digest: 'monthly' }, 'digest'],
      [{ required: true, digest: 'daily' }, 'digest'],
      [{ required: true, throttle_per_hour: 5 }, 'throttle_per_hour'],
    ] as const) {
      const res = await t.http.put('/api/notifications/types/news').send(body).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await t.http.get('/api/notifications/types/news').expect(404);
  });
});
