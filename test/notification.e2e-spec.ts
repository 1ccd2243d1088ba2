import { DeviceService } from '../src/notification/devices/device.service';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../src/notification/notification.tokens';
import { NotificationService } from '../src/notification/notification.service';
import { NotificationRepository } from '../src/notification/repositories/notification.repository';
import { sendBody, templateBody } from './support/factories';
import { createTestApp, TestApp, LOCAL_PEERS_ALLOWED } from './support/test-app';

describe('Notifications: send, inbox, read, preferences (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    // Email and SMS providers point at a closed port: sends are queued and their deliveries
    // fail and wait a minute to retry, long after each test ends. Delivery has its own tests.
    t = await createTestApp({
      env: {
        ...LOCAL_PEERS_ALLOWED,
        SMTP_URL: 'smtp://127.0.0.1:9',
        EMAIL_FROM: 'engage@example.com',
        TWILIO_ACCOUNT_SID: 'AC000',
        TWILIO_AUTH_TOKEN: 'secret',
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: 'http://127.0.0.1:9',
        DELIVERY_BACKOFF_MS: '60000',
      },
    });
    await t.http.put('/api/users/user123/contact').send({ email: 'user123@example.com', phone: '+447700900123' }).expect(200);
  });

  afterEach(async () => {
    await t.close();
  });

  describe('POST /api/notifications/send', () => {
    it("accepts the original README's fetch example verbatim and delivers it to the inbox", async () => {
      // The body of the original README's "Send a notification" example, unchanged.
      const res = await t.http
        .post('/api/notifications/send')
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            user_id: 'user123',
            title: 'Welcome!',
            message: 'Thanks for joining our platform',
            notification_type: 'welcome',
            channel: 'in_app',
            priority: 'normal',
          }),
        )
        .expect(201);
      expect(res.body).toEqual({ success: true, notification_id: expect.any(String), status: 'sent' });

      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body).toEqual({
        success: true,
        notifications: [
          {
            id: res.body.notification_id,
            user_id: 'user123',
            title: 'Welcome!',
            message: 'Thanks for joining our platform',
            notification_type: 'welcome',
            channel: 'in_app',
            status: 'sent',
            data: null,
            priority: 'normal',
            created_at: '2026-11-26T09:00:00.000Z',
            scheduled_at: null,
            sent_at: '2026-11-26T09:00:00.000Z',
            read_at: null,
            template_id: null,
            error: null,
            seen_at: null,
            archived_at: null,
            snoozed_until: null,
            category: null,
            actions: [],
            action_taken: null,
            silent: false,
            digest_id: null,
          },
        ],
        unread_count: 1,
        next_cursor: null,
      });
    });

    it('queues other channels for the delivery pipeline instead of calling them sent', async () => {
      const res = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ channel: 'email' }))
        .expect(201);
      expect(res.body.status).toBe('queued');
      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications[0]).toMatchObject({ channel: 'email', status: 'queued', sent_at: null });
    });

    it('answers 422 naming what to configure for a channel with no provider, and for a user with no address', async () => {
      const push = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ channel: 'push' }))
        .expect(422);
      expect(push.body.error).toMatchObject({ code: 'channel_not_configured', message: expect.stringContaining('VAPID_PUBLIC_KEY') });
      const webhook = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ channel: 'webhook' }))
        .expect(422);
      expect(webhook.body.error.message).toContain('WEBHOOK_SIGNING_SECRET');
      const noEmail = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ user_id: 'stranger', channel: 'email' }))
        .expect(422);
      expect(noEmail.body.error).toMatchObject({ code: 'no_recipient', message: expect.stringContaining('data.email') });
      // data.email is enough without a contact record.
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ user_id: 'stranger', channel: 'email', data: { email: 's@example.com' } }))
        .expect(201);
      const inbox = await t.http.get('/api/notifications/user/stranger').expect(200);
      expect(inbox.body.notifications).toHaveLength(1);
    });

    it.each([
      ['an unknown channel', { channel: 'fax' }, 'channel'],
      ['an unknown priority', { priority: 'critical' }, 'priority'],
      ['a missing title', { title: undefined }, 'title'],
      ['a missing message', { message: undefined }, 'message'],
      ['a missing notification_type', { notification_type: undefined }, 'notification_type'],
      ['a non-ISO scheduled_at', { scheduled_at: 'tomorrow' }, 'scheduled_at'],
      ['array data', { data: ['a'] }, 'data'],
      ['40 KiB of data', { data: { blob: 'x'.repeat(40 * 1024) } }, 'data'],
      ['a 501-character title', { title: 't'.repeat(501) }, 'title'],
    ])('rejects %s with 400 naming the field and stores nothing', async (_label, overrides, field) => {
      const res = await t.http.post('/api/notifications/send').send(sendBody(overrides)).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications).toHaveLength(0);
    });

    it('keeps a scheduled in-app notification out of the inbox until its time, then shows it as sent', async () => {
      const res = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ scheduled_at: '2026-11-26T10:00:00Z' }))
        .expect(201);
      expect(res.body.status).toBe('scheduled');
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ title: 'Now' }))
        .expect(201);

      let inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications.map((n: { title: string }) => n.title)).toEqual(['Now']);
      expect(inbox.body.unread_count).toBe(1);

      t.clock.set('2026-11-26T10:00:01Z');
      const scheduler = t.app.get(NotificationService);
      await expect(scheduler.releaseDueInApp()).resolves.toBe(1);
      inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications.map((n: { title: string }) => n.title)).toEqual(['Welcome!', 'Now']);
      expect(inbox.body.notifications[0]).toMatchObject({
        status: 'sent',
        scheduled_at: '2026-11-26T10:00:00.000Z',
        sent_at: '2026-11-26T10:00:00.000Z',
      });
      expect(inbox.body.unread_count).toBe(2);
    });
  });

  describe('GET /api/notifications/user/{user_id}', () => {
    it('pages newest first with a keyset cursor, without gaps or repeats', async () => {
      for (let i = 0; i < 7; i++) {
        await t.http
          .post('/api/notifications/send')
          .send(sendBody({ title: `n${i}` }))
          .expect(201);
        if (i % 2 === 0) t.clock.advance(1000); // some share a timestamp: the id breaks the tie
      }
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ user_id: 'other', title: 'not mine' }))
        .expect(201);

      const titles: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { notifications: { title: string }[]; next_cursor: string | null; unread_count: number } } = await t.http
          .get('/api/notifications/user/user123')
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200);
        titles.push(...res.body.notifications.map((n: { title: string }) => n.title));
        expect(res.body.unread_count).toBe(7);
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      // Paging gives exactly the order of one big page: newest first, equal times by id.
      const all = await t.http.get('/api/notifications/user/user123?limit=200').expect(200);
      expect(titles).toEqual(all.body.notifications.map((n: { title: string }) => n.title));
      expect(new Set(titles).size).toBe(7);
      expect(new Set(titles.slice(0, 2))).toEqual(new Set(['n5', 'n6'])); // sent in the same second
      expect(titles[titles.length - 1]).toBe('n0');
      const times = all.body.notifications.map((n: { created_at: string }) => n.created_at);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('filters unread_only and channel, and counts unread in the same filter', async () => {
      const a = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ title: 'a' }))
        .expect(201);
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ title: 'b' }))
        .expect(201);
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ title: 'c', channel: 'email' }))
        .expect(201);
      await t.http.post(`/api/notifications/read/${a.body.notification_id}`).expect(200);

      const unread = await t.http.get('/api/notifications/user/user123?unread_only=true').expect(200);
      expect(unread.body.notifications.map((n: { title: string }) => n.title).sort()).toEqual(['b', 'c']);
      expect(unread.body.unread_count).toBe(2);
      const inApp = await t.http.get('/api/notifications/user/user123?channel=in_app').expect(200);
      expect(inApp.body.notifications.map((n: { title: string }) => n.title).sort()).toEqual(['a', 'b']);
      expect(inApp.body.unread_count).toBe(1);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['unread_only=maybe', 'unread_only'],
      ['cursor=not-a-cursor', 'cursor'],
      ['channel=fax', 'channel'],
    ])('rejects %s with 400 naming the field', async (query, field) => {
      const res = await t.http.get(`/api/notifications/user/user123?${query}`).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('the paths renamed so none is ambiguous', () => {
    it('serves the inbox of a user called "deliveries", and the old {id}/deliveries and {id}/retry paths with a Deprecation header', async () => {
      const forUser = await t.http
        .post('/api/notifications/send')
        .send({ ...sendBody(), user_id: 'deliveries' })
        .expect(201);
      const inbox = await t.http.get('/api/notifications/user/deliveries').expect(200);
      expect(inbox.body.notifications.map((n: { id: string }) => n.id)).toEqual([forUser.body.notification_id]);

      const id = forUser.body.notification_id as string;
      const current = await t.http.get(`/api/notifications/deliveries/${id}`).expect(200);
      expect(current.headers.deprecation).toBeUndefined();
      const old = await t.http.get(`/api/notifications/${id}/deliveries`).expect(200);
      expect(old.body).toEqual(current.body);
      expect(old.headers.deprecation).toMatch(/^@\d+$/);
      expect(old.headers.link).toBe(`</api/notifications/deliveries/${id}>; rel="successor-version"`);
      const retried = await t.http.post(`/api/notifications/${id}/retry`).expect(409);
      expect(retried.body.error.code).toBe('not_failed');
      expect(retried.headers.link).toBe(`</api/notifications/retry/${id}>; rel="successor-version"`);
      // A template called "deliveries" is still the template's path.
      await t.http
        .post('/api/notifications/templates')
        .send({ name: 'deliveries', title_template: 'T', message_template: 'M' })
        .expect(201);
      const template = await t.http.get('/api/notifications/templates/deliveries').expect(200);
      expect(template.body.template.name).toBe('deliveries');
    });
  });

  describe('POST /api/notifications/read/{notification_id}', () => {
    it('marks read once and keeps the first read_at', async () => {
      const sent = await t.http.post('/api/notifications/send').send(sendBody()).expect(201);
      t.clock.advance(5000);
      const first = await t.http.post(`/api/notifications/read/${sent.body.notification_id}`).expect(200);
      expect(first.body.notification).toMatchObject({ status: 'read', read_at: '2026-11-26T09:00:05.000Z' });
      t.clock.advance(5000);
      const second = await t.http.post(`/api/notifications/read/${sent.body.notification_id}`).expect(200);
      expect(second.body.notification.read_at).toBe('2026-11-26T09:00:05.000Z');
      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.unread_count).toBe(0);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await t.http.post('/api/notifications/read/00000000-0000-4000-8000-000000000000').expect(404);
      expect(missing.body.error.code).toBe('notification_not_found');
      await t.http.post('/api/notifications/read/nope').expect(400);
    });
  });

  describe('preferences', () => {
    it('upserts a preference, lists it, and suppresses matching sends', async () => {
      const first = await t.http
        .post('/api/notifications/preferences')
        .send({ user_id: 'user123', notification_type: 'marketing', channel: 'email', enabled: false })
        .expect(200);
      expect(first.body.preference).toEqual({
        user_id: 'user123',
        notification_type: 'marketing',
        channel: 'email',
        enabled: false,
        created_at: '2026-11-26T09:00:00.000Z',
        updated_at: '2026-11-26T09:00:00.000Z',
      });

      const suppressed = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ notification_type: 'marketing', channel: 'email' }))
        .expect(200);
      expect(suppressed.body).toEqual({
        success: true,
        notification_id: null,
        status: 'suppressed',
        reason: expect.stringContaining('marketing'),
      });
      // Same type on another channel still goes out.
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ notification_type: 'marketing' }))
        .expect(201);

      t.clock.advance(60_000);
      const updated = await t.http
        .post('/api/notifications/preferences')
        .send({ user_id: 'user123', notification_type: 'marketing', channel: 'email', enabled: true })
        .expect(200);
      expect(updated.body.preference).toMatchObject({
        enabled: true,
        created_at: '2026-11-26T09:00:00.000Z',
        updated_at: '2026-11-26T09:01:00.000Z',
      });
      const list = await t.http.get('/api/notifications/preferences/user123').expect(200);
      expect(list.body.preferences).toHaveLength(1);

      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications).toHaveLength(1);
    });

    it('answers the effective value: default enabled, then the most specific stored rule', async () => {
      const effective = async (type: string, channel: string) =>
        (await t.http.get(`/api/notifications/preferences/user123/${type}/${channel}`).expect(200)).body.preference;

      expect(await effective('marketing', 'email')).toEqual({
        user_id: 'user123',
        notification_type: 'marketing',
        channel: 'email',
        enabled: true,
        source: 'default',
        required: false,
        matched: null,
      });

      const set = (notification_type: string, channel: string, enabled: boolean) =>
        t.http.post('/api/notifications/preferences').send({ user_id: 'user123', notification_type, channel, enabled }).expect(200);
      await set('*', 'email', false); // no emails at all...
      await set('security', 'email', true); // ...except security alerts

      expect(await effective('marketing', 'email')).toMatchObject({
        enabled: false,
        matched: { notification_type: '*', channel: 'email' },
      });
      expect(await effective('security', 'email')).toMatchObject({
        enabled: true,
        matched: { notification_type: 'security', channel: 'email' },
      });
      expect(await effective('marketing', 'sms')).toMatchObject({ enabled: true, matched: null });

      const blocked = await t.http
        .post('/api/notifications/send')
        .send(sendBody({ notification_type: 'digest', channel: 'email' }))
        .expect(200);
      expect(blocked.body.status).toBe('suppressed');
      await t.http
        .post('/api/notifications/send')
        .send(sendBody({ notification_type: 'security', channel: 'email' }))
        .expect(201);
    });

    it.each([
      ['a missing enabled', { user_id: 'u', notification_type: 't', channel: 'email' }, 'enabled'],
      ['a string enabled', { user_id: 'u', notification_type: 't', channel: 'email', enabled: 'no' }, 'enabled'],
      ['an unknown channel', { user_id: 'u', notification_type: 't', channel: 'fax', enabled: true }, 'channel'],
    ])('rejects %s with 400 naming the field', async (_label, body, field) => {
      const res = await t.http.post('/api/notifications/preferences').send(body).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('rejects an unknown channel in the effective-value path', async () => {
      const res = await t.http.get('/api/notifications/preferences/user123/marketing/fax').expect(400);
      expect(res.body.error.details[0].field).toBe('channel');
    });
  });

  describe('POST /api/devices/register', () => {
    it('upserts by token and moves a token to its new user, reactivated', async () => {
      const first = await t.http
        .post('/api/devices/register')
        .send({ user_id: 'alice', token: 'tok-1', platform: 'android', device_info: { model: 'Pixel' } })
        .expect(201);
      expect(first.body).toEqual({ success: true, device_token_id: expect.any(String) });

      const again = await t.http.post('/api/devices/register').send({ user_id: 'bob', token: 'tok-1', platform: 'android' }).expect(201);
      expect(again.body.device_token_id).toBe(first.body.device_token_id);

      const devices = t.app.get(DeviceService);
      await expect(devices.listActive('alice')).resolves.toEqual([]);
      const bobs = await devices.listActive('bob');
      expect(bobs).toHaveLength(1);
      expect(bobs[0]).toMatchObject({ token: 'tok-1', userId: 'bob', isActive: true, deviceInfo: { model: 'Pixel' } });
    });

    it('rejects an unknown platform and a missing token', async () => {
      const res = await t.http.post('/api/devices/register').send({ user_id: 'alice', platform: 'symbian' }).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['platform', 'token']);
    });
  });

  describe('templates', () => {
    it('creates, lists, reads, updates and deletes a template', async () => {
      const created = await t.http.post('/api/notifications/templates').send(templateBody()).expect(201);
      expect(created.body.template).toMatchObject({
        name: 'welcome',
        title_template: 'Welcome {{user_name}}!',
        channels: ['in_app', 'email', 'sms'],
        category: 'onboarding',
        data_schema: null,
      });
      const list = await t.http.get('/api/notifications/templates').expect(200);
      expect(list.body.templates.map((tpl: { name: string }) => tpl.name)).toEqual(['welcome']);
      await t.http.get('/api/notifications/templates/welcome').expect(200);

      t.clock.advance(1000);
      const updated = await t.http.put('/api/notifications/templates/welcome').send({ title_template: 'Hello {{user_name}}' }).expect(200);
      expect(updated.body.template).toMatchObject({
        title_template: 'Hello {{user_name}}',
        message_template: 'Hi {{user_name}}, thanks for joining {{app_name}}.',
        updated_at: '2026-11-26T09:00:01.000Z',
      });

      await t.http.delete('/api/notifications/templates/welcome').expect(200);
      await t.http.get('/api/notifications/templates/welcome').expect(404);
      await t.http.delete('/api/notifications/templates/welcome').expect(404);
    });

    it('answers 409 for a duplicate name, on create and on rename', async () => {
      await t.http.post('/api/notifications/templates').send(templateBody()).expect(201);
      await t.http
        .post('/api/notifications/templates')
        .send(templateBody({ name: 'other' }))
        .expect(201);
      const dup = await t.http.post('/api/notifications/templates').send(templateBody()).expect(409);
      expect(dup.body.error.code).toBe('template_exists');
      await t.http.put('/api/notifications/templates/other').send({ name: 'welcome' }).expect(409);
    });

    it('rejects template syntax errors at creation, naming the field', async () => {
      const res = await t.http
        .post('/api/notifications/templates')
        .send(templateBody({ message_template: 'Hi {{#if x}}unclosed' }))
        .expect(400);
      expect(res.body.error.details[0].field).toBe('message_template');
    });

    it('sends by template: renders, escapes HTML for in_app, keeps plain text for sms, both for email', async () => {
      await t.http.post('/api/notifications/templates').send(templateBody()).expect(201);
      const data = { user_name: 'Ada <b>& co</b>', app_name: 'Engage' };

      const inApp = await t.http.post('/api/notifications/send').send({ user_id: 'user123', template: 'welcome', data }).expect(201);
      const sms = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'user123', template: 'welcome', data, channel: 'sms' })
        .expect(201);
      expect(sms.body.status).toBe('queued');

      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      const byId = Object.fromEntries(inbox.body.notifications.map((n: { id: string }) => [n.id, n]));
      expect(byId[inApp.body.notification_id]).toMatchObject({
        title: 'Welcome Ada &lt;b&gt;&amp; co&lt;/b&gt;!',
        message: 'Hi Ada &lt;b&gt;&amp; co&lt;/b&gt;, thanks for joining Engage.',
        notification_type: 'onboarding',
        channel: 'in_app',
        template_id: expect.any(String),
        data,
      });
      expect(byId[sms.body.notification_id]).toMatchObject({
        title: 'Welcome Ada <b>& co</b>!',
        message: 'Hi Ada <b>& co</b>, thanks for joining Engage.',
        channel: 'sms',
      });
      const email = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'user123', template: 'welcome', data, channel: 'email' })
        .expect(201);
      const stored = await t.app
        .get(NotificationRepository)
        .findById(t.app.get<TransactionRunner>(NOTIFICATION_TRANSACTIONS).reads, email.body.notification_id);
      expect(stored).toMatchObject({
        title: 'Welcome Ada <b>& co</b>!',
        message: 'Hi Ada <b>& co</b>, thanks for joining Engage.',
        htmlMessage: 'Hi Ada &lt;b&gt;&amp; co&lt;/b&gt;, thanks for joining Engage.',
      });
    });

    it('answers 400 naming every missing variable, 404 for an unknown template, 400 for a channel it does not allow', async () => {
      await t.http.post('/api/notifications/templates').send(templateBody()).expect(201);
      const missing = await t.http.post('/api/notifications/send').send({ user_id: 'user123', template: 'welcome', data: {} }).expect(400);
      expect(missing.body.error.code).toBe('missing_template_variables');
      expect(missing.body.error.message).toContain('app_name, user_name');
      expect(missing.body.error.details[0].field).toBe('data');

      await t.http.post('/api/notifications/send').send({ user_id: 'user123', template: 'nope', data: {} }).expect(404);
      const channel = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'user123', template: 'welcome', data: { user_name: 'a', app_name: 'b' }, channel: 'push' })
        .expect(400);
      expect(channel.body.error.details[0].field).toBe('channel');
      const both = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'user123', template: 'welcome', title: 'x', data: { user_name: 'a', app_name: 'b' } })
        .expect(400);
      expect(both.body.error.details[0].field).toBe('title');

      const inbox = await t.http.get('/api/notifications/user/user123').expect(200);
      expect(inbox.body.notifications).toHaveLength(0);
    });
  });
});
