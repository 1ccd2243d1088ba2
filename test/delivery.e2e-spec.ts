import { verify } from 'jsonwebtoken';
import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { Webhook } from 'standardwebhooks';
import { webhookSignature } from '../src/notification/delivery/providers/signed-webhook.provider';
import { DeviceService } from '../src/notification/devices/device.service';
import { ApnsPeer } from './support/apns-peer';
import { HttpPeer } from './support/http-peer';
import { SmtpPeer } from './support/smtp-peer';
import { createTestApp, TestApp, LOCAL_PEERS_ALLOWED } from './support/test-app';
import { waitFor } from './support/wait-for';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as { decrypt(body: Buffer, params: Record<string, unknown>): Buffer };

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
const FCM_ACCESS_TOKEN = 'ya29.engage-test-token';

interface DeliveryRow {
  attempt: number;
  provider: string;
  outcome: string;
  status_code: number | null;
  provider_message_id: string | null;
  error: string | null;
  started_at: string;
}

const QUEUES: Array<[string, Record<string, string>]> = [
  ['the embedded queue', {}],
  [
    'BullMQ on Redis',
    { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `engage-test-${process.pid}-${Date.now()}` },
  ],
];

describe.each(QUEUES)('Delivery through real protocols to local peers, on %s (e2e)', (_queue, queueEnv) => {
  const smtp = new SmtpPeer();
  const twilio = new HttpPeer(() => ({ status: 201, body: { sid: 'SM123' } }));
  const slack = new HttpPeer(() => ({ status: 200, body: 'ok' }));
  const hooks = new HttpPeer(() => ({ status: 204 }));
  const pushService = new HttpPeer(() => ({ status: 201, headers: { Location: 'https://push.example/m/1' } }), true);
  const fcm = new HttpPeer((request) =>
    request.url === '/token'
      ? { status: 200, body: { access_token: FCM_ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' } }
      : request.headers.authorization === `Bearer ${FCM_ACCESS_TOKEN}`
        ? { status: 200, body: { name: 'projects/engage-test/messages/0:1' } }
        : { status: 401, body: { error: { status: 'UNAUTHENTICATED' } } },
  );
  const apns = new ApnsPeer();
  const fcmKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const apnsKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const vapid = webpush.generateVAPIDKeys();
  let t: TestApp;

  beforeAll(async () => {
    await Promise.all([smtp.start(), twilio.start(), slack.start(), hooks.start(), pushService.start(), fcm.start(), apns.start()]);
    t = await createTestApp({
      realClock: true,
      env: {
        ...LOCAL_PEERS_ALLOWED,
        DELIVERY_BACKOFF_MS: '30',
        DELIVERY_POLL_MS: '20',
        DELIVERY_MAX_ATTEMPTS: '4',
        // The first relay refuses connections: every email fails over to the second.
        SMTP_URL: `smtp://127.0.0.1:9,smtp://127.0.0.1:${smtp.port}`,
        EMAIL_FROM: 'Engage <engage@example.com>',
        TWILIO_ACCOUNT_SID: 'AC0123',
        TWILIO_AUTH_TOKEN: 'twilio-secret',
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: twilio.url,
        WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.com',
        FCM_SERVICE_ACCOUNT: JSON.stringify({
          project_id: 'engage-test',
          client_email: 'engage@engage-test.iam.gserviceaccount.com',
          private_key: fcmKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          token_uri: `${fcm.url}/token`,
        }),
        FCM_BASE_URL: fcm.url,
        APNS_KEY: apnsKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        APNS_KEY_ID: 'KEY123',
        APNS_TEAM_ID: 'TEAM123',
        APNS_TOPIC: 'com.example.app',
        APNS_BASE_URL: apns.url,
        ...queueEnv,
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await Promise.all([smtp.stop(), twilio.stop(), slack.stop(), hooks.stop(), pushService.stop(), fcm.stop(), apns.stop()]);
  });

  const send = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.http
      .post('/api/notifications/send')
      .send({ title: 'Hello', message: 'World', notification_type: 'test', ...body })
      .expect(201);
    expect(res.body.status).toBe('queued');
    return res.body.notification_id as string;
  };

  /** Waits until the notification settles (sent, delivered or failed) and returns its attempts. */
  const settled = async (id: string) =>
    waitFor(
      async () => {
        const res = await t.http.get(`/api/notifications/deliveries/${id}`).expect(200);
        return ['sent', 'delivered', 'failed'].includes(res.body.status)
          ? (res.body as { status: string; deliveries: DeliveryRow[] })
          : undefined;
      },
      15_000,
      `notification ${id} to settle`,
    );

  it('emails through SMTP, failing over to the second relay: rendered subject, text and HTML bodies', async () => {
    await t.http
      .post('/api/notifications/templates')
      .send({
        name: 'receipt',
        title_template: 'Receipt for {{name}}',
        message_template: 'Thanks {{name}} <3\nTotal: {{total}}',
        channels: ['email'],
      })
      .expect(201);
    await t.http.put('/api/users/mail-user/contact').send({ email: 'ada@example.com' }).expect(200);
    const id = (
      await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'mail-user', template: 'receipt', data: { name: 'Ada & Co', total: '€12' } })
        .expect(201)
    ).body.notification_id;

    const result = await settled(id);
    expect(result.status).toBe('sent');
    expect(result.deliveries).toEqual([
      expect.objectContaining({
        attempt: 1,
        provider: `smtp:127.0.0.1:${smtp.port}`,
        outcome: 'sent',
        provider_message_id: `<${id}.email@example.com>`,
      }),
    ]);
    const mail = smtp.messages.find((m) => m.subject === 'Receipt for Ada & Co');
    expect(mail).toBeDefined();
    expect(mail?.messageId).toBe(`<${id}.email@example.com>`);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('ada@example.com');
    expect(mail?.from?.value).toEqual([{ name: 'Engage', address: 'engage@example.com' }]);
    expect(mail?.text?.trim()).toBe('Thanks Ada & Co <3\nTotal: €12');
    // Data is escaped in the HTML body; the template's own text is HTML as its author wrote it.
    expect(mail?.html).toBe('Thanks Ada &amp; Co <3\nTotal: €12');
  });

  it('gives an email one Message-ID, the same on a refused first attempt and its retry, shown on each attempt', async () => {
    await t.http.put('/api/users/greylisted/contact').send({ email: 'grey@example.com' }).expect(200);
    smtp.refuse(451);
    const refusedBefore = smtp.refused.length;
    const id = await send({ user_id: 'greylisted', channel: 'email', title: 'Greylisted once' });
    const result = await settled(id);
    const messageId = `<${id}.email@example.com>`;
    expect(messageId).toMatch(/^<[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.email@example\.com>$/);
    expect(result.deliveries.map((d) => [d.outcome, d.status_code, d.provider_message_id])).toEqual([
      ['retry', 451, messageId],
      ['sent', null, messageId],
    ]);
    // What the relay saw: the refused copy and the accepted one carry the same Message-ID header.
    expect(smtp.refused.slice(refusedBefore).map((m) => [m.subject, m.messageId])).toEqual([['Greylisted once', messageId]]);
    expect(smtp.messages.filter((m) => m.subject === 'Greylisted once').map((m) => m.messageId)).toEqual([messageId]);
  });

  it('texts through the Twilio Messages API with basic auth', async () => {
    const id = await send({ user_id: 'sms-user', channel: 'sms', data: { phone: '+447700900123' } });
    const result = await settled(id);
    expect(result.deliveries).toEqual([
      expect.objectContaining({ provider: 'twilio', outcome: 'sent', status_code: 201, provider_message_id: 'SM123' }),
    ]);
    const request = twilio.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/2010-04-01/Accounts/AC0123/Messages.json');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('AC0123:twilio-secret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request.text))).toEqual({
      To: '+447700900123',
      From: '+15005550006',
      Body: 'Hello\nWorld',
    });
  });

  it('posts to a Slack incoming webhook', async () => {
    await t.http
      .put('/api/users/slack-user/contact')
      .send({ slack_webhook_url: `${slack.url}/services/T1/B1/x` })
      .expect(200);
    const id = await send({ user_id: 'slack-user', channel: 'slack' });
    await settled(id);
    const request = slack.requests.at(-1)!;
    expect(request.url).toBe('/services/T1/B1/x');
    expect(JSON.parse(request.text)).toEqual({ text: '*Hello*\nWorld' });
  });

  it('posts signed webhooks a receiver can verify as the README says', async () => {
    await t.http
      .put('/api/users/hook-user/contact')
      .send({ webhook_url: `${hooks.url}/engage` })
      .expect(200);
    const id = await send({ user_id: 'hook-user', channel: 'webhook', data: { order: 42 } });
    const result = await settled(id);
    expect(result.status).toBe('delivered');
    const request = hooks.requests.at(-1)!;
    const timestamp = request.headers['x-engage-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(30);
    expect(request.headers['x-engage-signature']).toBe(webhookSignature(WEBHOOK_SECRET, timestamp, request.text));
    expect(request.headers['x-engage-signature']).not.toBe(webhookSignature('wrong-secret-000000', timestamp, request.text));
    expect(JSON.parse(request.text)).toMatchObject({ id, user_id: 'hook-user', title: 'Hello', message: 'World', data: { order: 42 } });
  });

  it('signs webhooks by the Standard Webhooks spec, with the same webhook-id on every retry', async () => {
    await t.http
      .put('/api/users/std-hook/contact')
      .send({ webhook_url: `${hooks.url}/standard` })
      .expect(200);
    hooks.answer({ path: '/standard', status: 503 }, { path: '/standard', status: 500 });
    const before = hooks.requests.length;
    const id = await send({ user_id: 'std-hook', channel: 'webhook' });
    const result = await settled(id);
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['retry', 'retry', 'delivered']);
    const attempts = hooks.requests.slice(before).filter((r) => r.url === '/standard');
    expect(attempts).toHaveLength(3);
    // What a receiver does with the spec's own library: the same id three times, each verified.
    const receiver = new Webhook(WEBHOOK_SECRET, { format: 'raw' });
    const impostor = new Webhook('another-secret-0123456789', { format: 'raw' });
    for (const attempt of attempts) {
      expect(attempt.headers['webhook-id']).toBe(id);
      const headers = {
        'webhook-id': String(attempt.headers['webhook-id']),
        'webhook-timestamp': String(attempt.headers['webhook-timestamp']),
        'webhook-signature': String(attempt.headers['webhook-signature']),
      };
      expect(receiver.verify(attempt.text, headers)).toMatchObject({ id });
      expect(() => impostor.verify(attempt.text, headers)).toThrow();
    }
    expect(result.deliveries.at(-1)).toMatchObject({ provider_message_id: id });
  });

  it('sends a failed notification again on request, one or in bulk, numbering attempts on from the last', async () => {
    await t.http
      .put('/api/users/outage/contact')
      .send({ webhook_url: `${hooks.url}/outage` })
      .expect(200);
    const down = { path: '/outage', status: 503 };
    hooks.answer(down, down, down, down, down, down, down, down);
    const first = await send({ user_id: 'outage', channel: 'webhook' });
    const second = await send({ user_id: 'outage', channel: 'webhook' });
    expect((await settled(first)).status).toBe('failed');
    expect((await settled(second)).status).toBe('failed');
    const delivered = await t.http.post(`/api/notifications/retry/${first}`).expect(200);
    expect(delivered.body).toEqual({ success: true, retried: 1, notification_ids: [first] });
    const again = await settled(first);
    expect(again.status).toBe('delivered');
    expect(again.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
      [4, 'failed'],
      [5, 'delivered'],
    ]);
    const hookIds = hooks.requests
      .filter((r) => r.url === '/outage' && JSON.parse(r.text).id === first)
      .map((r) => r.headers['webhook-id']);
    expect(new Set(hookIds)).toEqual(new Set([first]));
    // Only a failed one can be retried; a bulk retry finds the other.
    expect((await t.http.post(`/api/notifications/retry/${first}`).expect(409)).body.error.code).toBe('not_failed');
    const now = Date.now();
    const bulk = await t.http
      .post('/api/notifications/retry')
      .send({ channel: 'webhook', from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() })
      .expect(200);
    expect(bulk.body).toMatchObject({ retried: 1, notification_ids: [second] });
    expect((await settled(second)).status).toBe('delivered');
  });

  it('retries FCM after 500, 500 and delivers on the third attempt with three attempt rows; the OAuth assertion is signed', async () => {
    await t.http.post('/api/devices/register').send({ user_id: 'droid', token: 'fcm-token-1', platform: 'android' }).expect(201);
    const sendPath = '/v1/projects/engage-test/messages:send';
    fcm.answer(
      { path: sendPath, status: 500, body: { error: { status: 'INTERNAL' } } },
      { path: sendPath, status: 500, body: { error: { status: 'INTERNAL' } } },
    );
    const id = await send({ user_id: 'droid', channel: 'push', data: { deep_link: '/orders/1' } });
    const result = await settled(id);
    expect(result.status).toBe('sent');
    // FCM takes no client id; its own message id (`name`) is what the successful attempt records.
    expect(result.deliveries.map((d) => [d.attempt, d.outcome, d.status_code, d.provider_message_id])).toEqual([
      [1, 'retry', 500, null],
      [2, 'retry', 500, null],
      [3, 'sent', 200, 'projects/engage-test/messages/0:1'],
    ]);
    const sends = fcm.requests.filter((r) => r.url === '/v1/projects/engage-test/messages:send');
    expect(sends.length).toBeGreaterThanOrEqual(3);
    // Every try carries the notification id as the Android tag: a duplicate replaces, not adds, a banner.
    const tries = sends.map((r) => JSON.parse(r.text).message).filter((m) => m.data.notification_id === id);
    expect(tries.map((m) => m.android.notification.tag)).toEqual([id, id, id]);
    expect(JSON.parse(sends.at(-1)!.text).message).toMatchObject({
      token: 'fcm-token-1',
      notification: { title: 'Hello', body: 'World' },
      data: { deep_link: '/orders/1', notification_id: id },
    });
    const tokenRequest = fcm.requests.find((r) => r.url === '/token')!;
    const form = new URLSearchParams(tokenRequest.text);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = verify(form.get('assertion')!, fcmKeys.publicKey, { algorithms: ['RS256'] }) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: 'engage@engage-test.iam.gserviceaccount.com',
      aud: `${fcm.url}/token`,
      scope: expect.stringContaining('firebase.messaging'),
    });
  });

  it('retries a push only to the devices the failed attempt did not reach', async () => {
    await t.http.post('/api/devices/register').send({ user_id: 'two-phones', token: 'phone-a', platform: 'android' }).expect(201);
    await t.http.post('/api/devices/register').send({ user_id: 'two-phones', token: 'phone-b', platform: 'android' }).expect(201);
    const sendPath = '/v1/projects/engage-test/messages:send';
    const before = fcm.requests.length;
    // Phone A is reached; phone B's first try meets a 503.
    fcm.answer(
      { path: sendPath, status: 200, body: { name: 'm-a' } },
      { path: sendPath, status: 503, body: { error: { status: 'UNAVAILABLE' } } },
    );
    const result = await settled(await send({ user_id: 'two-phones', channel: 'push' }));
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['retry', 'sent']);
    const tokens = fcm.requests
      .slice(before)
      .filter((r) => r.url === sendPath)
      .map((r) => JSON.parse(r.text).message.token);
    expect(tokens).toEqual(['phone-a', 'phone-b', 'phone-b']);
  });

  it('deactivates an FCM token answered UNREGISTERED and does not retry', async () => {
    await t.http.post('/api/devices/register').send({ user_id: 'gone', token: 'fcm-dead', platform: 'android' }).expect(201);
    fcm.answer({
      path: '/v1/',
      status: 404,
      body: {
        error: {
          code: 404,
          status: 'NOT_FOUND',
          details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
        },
      },
    });
    const id = await send({ user_id: 'gone', channel: 'push' });
    const result = await settled(id);
    expect(result.status).toBe('failed');
    expect(result.deliveries).toHaveLength(1);
    expect(result.deliveries[0].error).toContain('UNREGISTERED');
    await expect(t.app.get(DeviceService).listActive('gone')).resolves.toEqual([]);
  });

  it('keeps an FCM token after an INVALID_ARGUMENT about the payload, and does not retry it', async () => {
    await t.http.post('/api/devices/register').send({ user_id: 'payload', token: 'fcm-ok', platform: 'android' }).expect(201);
    fcm.answer({
      path: '/v1/',
      status: 400,
      body: {
        error: {
          status: 'INVALID_ARGUMENT',
          details: [
            { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' },
            {
              '@type': 'type.googleapis.com/google.rpc.BadRequest',
              fieldViolations: [{ field: 'message.data[0].value', description: 'Invalid value' }],
            },
          ],
        },
      },
    });
    const result = await settled(await send({ user_id: 'payload', channel: 'push' }));
    expect(result.status).toBe('failed');
    expect(result.deliveries).toHaveLength(1);
    await expect(t.app.get(DeviceService).listActive('payload')).resolves.toHaveLength(1);
  });

  it('pushes to iOS over HTTP/2 with an ES256 provider token, and deactivates on 410 Unregistered', async () => {
    await t.http
      .post('/api/devices/register')
      .send({ user_id: 'iphone', token: 'a'.repeat(64), platform: 'ios' })
      .expect(201);
    const ok = await settled(await send({ user_id: 'iphone', channel: 'push', priority: 'urgent' }));
    const request = apns.requests.at(-1)!;
    expect(ok.deliveries[0]).toMatchObject({ outcome: 'sent', provider_message_id: request.headers['apns-id'] });
    expect(request.headers[':path']).toBe(`/3/device/${'a'.repeat(64)}`);
    expect(request.headers['apns-topic']).toBe('com.example.app');
    expect(request.headers['apns-priority']).toBe('10');
    const jwt = String(request.headers.authorization).replace(/^bearer /, '');
    const claims = verify(jwt, apnsKeys.publicKey, { algorithms: ['ES256'], complete: true });
    expect(claims.header.kid).toBe('KEY123');
    expect(claims.payload).toMatchObject({ iss: 'TEAM123' });
    expect(JSON.parse(request.body).aps.alert).toEqual({ title: 'Hello', body: 'World' });

    apns.answer({ status: 410, reason: 'Unregistered' });
    const gone = await settled(await send({ user_id: 'iphone', channel: 'push' }));
    expect(gone.status).toBe('failed');
    expect(gone.deliveries).toHaveLength(1);
    await expect(t.app.get(DeviceService).listActive('iphone')).resolves.toEqual([]);
  });

  it('sends APNs one apns-id per notification and device, a canonical UUID, the same on a failed first attempt and its retry', async () => {
    await t.http
      .post('/api/devices/register')
      .send({ user_id: 'iphone-retry', token: 'b'.repeat(64), platform: 'ios' })
      .expect(201);
    apns.answer({ status: 503, reason: 'ServiceUnavailable' });
    const before = apns.requests.length;
    const id = await send({ user_id: 'iphone-retry', channel: 'push' });
    const result = await settled(id);
    const tries = apns.requests.slice(before).filter((r) => r.headers[':path'] === `/3/device/${'b'.repeat(64)}`);
    expect(tries).toHaveLength(2);
    const apnsId = tries[0].headers['apns-id'] as string;
    // Lowercase 8-4-4-4-12 as APNs requires; version 5: derived from the ids, not drawn at random.
    expect(apnsId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(tries.map((r) => [r.headers['apns-id'], r.headers['apns-collapse-id']])).toEqual([
      [apnsId, id],
      [apnsId, id],
    ]);
    // What an admin sees: both attempts name the same apns-id, the one APNs echoed.
    expect(result.deliveries.map((d) => [d.outcome, d.status_code, d.provider_message_id])).toEqual([
      ['retry', 503, apnsId],
      ['sent', 200, apnsId],
    ]);
    // Another notification to the same device is another APNs message.
    await settled(await send({ user_id: 'iphone-retry', channel: 'push' }));
    expect(apns.requests.at(-1)!.headers['apns-id']).not.toBe(apnsId);
  });

  it('sends encrypted Web Push with VAPID, readable by the subscriber, and deactivates on 410', async () => {
    const subscriber = createECDH('prime256v1');
    subscriber.generateKeys();
    const auth = randomBytes(16).toString('base64url');
    const subscription = {
      endpoint: `${pushService.url}/push/sub-1`,
      keys: { p256dh: subscriber.getPublicKey().toString('base64url'), auth },
    };
    await t.http
      .post('/api/devices/register')
      .send({ user_id: 'browser', token: JSON.stringify(subscription), platform: 'web' })
      .expect(201);

    await settled(await send({ user_id: 'browser', channel: 'push' }));
    const request = pushService.requests.at(-1)!;
    expect(request.url).toBe('/push/sub-1');
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(String(request.headers.authorization)).toMatch(new RegExp(`^vapid t=[^,]+, k=${vapid.publicKey}$`));
    const plain = ece.decrypt(request.body, { version: 'aes128gcm', privateKey: subscriber, authSecret: auth });
    expect(JSON.parse(plain.toString('utf8'))).toMatchObject({ title: 'Hello', body: 'World' });

    pushService.answer({ status: 410 });
    const gone = await settled(await send({ user_id: 'browser', channel: 'push' }));
    expect(gone.status).toBe('failed');
    await expect(t.app.get(DeviceService).listActive('browser')).resolves.toEqual([]);
  });

  it('honours Retry-After on 429', async () => {
    await t.http
      .put('/api/users/busy/contact')
      .send({ slack_webhook_url: `${slack.url}/busy` })
      .expect(200);
    slack.answer({ status: 429, headers: { 'Retry-After': '1' } });
    const result = await settled(await send({ user_id: 'busy', channel: 'slack' }));
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['retry', 'sent']);
    const gap = Date.parse(result.deliveries[1].started_at) - Date.parse(result.deliveries[0].started_at);
    expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it('does not retry a permanent 4xx, and gives up after DELIVERY_MAX_ATTEMPTS', async () => {
    await t.http
      .put('/api/users/bad/contact')
      .send({ slack_webhook_url: `${slack.url}/bad` })
      .expect(200);
    slack.answer({ status: 404, body: 'no_service' });
    const permanent = await settled(await send({ user_id: 'bad', channel: 'slack' }));
    expect(permanent.deliveries.map((d) => d.outcome)).toEqual(['failed']);

    slack.answer(...Array.from({ length: 4 }, () => ({ status: 503 })));
    const exhausted = await settled(await send({ user_id: 'bad', channel: 'slack' }));
    expect(exhausted.status).toBe('failed');
    expect(exhausted.deliveries.map((d) => d.outcome)).toEqual(['retry', 'retry', 'retry', 'failed']);
    const inbox = await t.http.get('/api/notifications/user/bad?channel=slack').expect(200);
    expect(inbox.body.notifications[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('503') });
  });

  it('never sends twice for one Idempotency-Key, and refuses the key with another body', async () => {
    await t.http
      .put('/api/users/idem/contact')
      .send({ slack_webhook_url: `${slack.url}/idem` })
      .expect(200);
    const body = { user_id: 'idem', title: 'Once', message: 'Only once', notification_type: 'test', channel: 'slack' };
    const [first, second] = await Promise.all([
      t.http.post('/api/notifications/send').set('Idempotency-Key', 'order-42').send(body),
      t.http.post('/api/notifications/send').set('Idempotency-Key', 'order-42').send(body),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.notification_id).toBe(first.body.notification_id);
    const third = await t.http
      .post('/api/notifications/send')
      .set('Idempotency-Key', 'order-42')
      .send({ ...body })
      .expect(201);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.body).toEqual(first.body);
    await settled(first.body.notification_id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.requests.filter((r) => r.url === '/idem')).toHaveLength(1);

    const conflict = await t.http
      .post('/api/notifications/send')
      .set('Idempotency-Key', 'order-42')
      .send({ ...body, title: 'Other' })
      .expect(409);
    expect(conflict.body.error.code).toBe('idempotency_key_reused');
  });

  it('holds a scheduled notification until its time, to the second', async () => {
    await t.http
      .put('/api/users/later/contact')
      .send({ slack_webhook_url: `${slack.url}/later` })
      .expect(200);
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const id = await send({ user_id: 'later', channel: 'slack', scheduled_at: at.toISOString() });
    await new Promise((resolve) => setTimeout(resolve, at.getTime() - Date.now() - 300));
    expect(slack.requests.filter((r) => r.url === '/later')).toHaveLength(0);
    const result = await settled(id);
    const started = Date.parse(result.deliveries[0].started_at);
    expect(started).toBeGreaterThanOrEqual(at.getTime());
    expect(started - at.getTime()).toBeLessThan(1000);
  });
});
