import { sendBody } from './support/factories';
import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';

type Level = 'user_type_channel' | 'user_channel' | 'user_type' | 'user_all' | 'type_default';

/** Most specific first: the order of issue #16 (the channel outranks the type). */
const LEVELS: Level[] = ['user_type_channel', 'user_channel', 'user_type', 'user_all', 'type_default'];

interface Detail {
  field: string;
  messages: string[];
}

describe('Notification preferences: levels, required types, the matrix and the type registry (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    // Email and SMS are configured (a send on them is queued), and no worker delivers anything.
    t = await createTestApp({
      env: {
        DELIVERY_WORKER: 'false',
        SMTP_URL: 'smtp://127.0.0.1:9',
        EMAIL_FROM: 'engage@example.com',
        TWILIO_ACCOUNT_SID: 'AC000',
        TWILIO_AUTH_TOKEN: 'secret',
        TWILIO_FROM: '+15005550006',
      },
    });
  });

  afterEach(async () => {
    await t.close();
  });

  const setPreference = (user_id: string, notification_type: string, channel: string, enabled: boolean) =>
    t.http.post('/api/notifications/preferences').send({ user_id, notification_type, channel, enabled }).expect(200);
  const putType = (type: string, body: Record<string, unknown>) => t.http.put(`/api/notifications/types/${type}`).send(body);
  const effective = async (user: string, type: string, channel: string) =>
    (await t.http.get(`/api/notifications/preferences/${user}/${type}/${channel}`).expect(200)).body.preference;
  const send = (user_id: string, notification_type: string, channel = 'in_app') =>
    t.http.post('/api/notifications/send').send(sendBody({ user_id, notification_type, channel }));
  const stored = async (user: string) => (await t.http.get(`/api/notifications/preferences/${user}`).expect(200)).body.preferences;
  const inboxSize = async (user: string) => (await t.http.get(`/api/notifications/user/${user}`).expect(200)).body.notifications.length;
  const fields = (body: { error: { details: Detail[] } }) => body.error.details.map((detail) => detail.field);
  const userToken = async (user_id: string) =>
    (await t.http.post('/api/auth/user-token').send({ user_id }).expect(201)).body.token as string;

  /** Sets one level for (type, in_app) of the user. */
  const setLevel = async (level: Level, user: string, type: string, enabled: boolean) => {
    if (level === 'type_default') await putType(type, { default_enabled: enabled }).expect(200);
    if (level === 'user_type_channel') await setPreference(user, type, 'in_app', enabled);
    if (level === 'user_channel') await setPreference(user, '*', 'in_app', enabled);
    if (level === 'user_type') await setPreference(user, type, '*', enabled);
    if (level === 'user_all') await setPreference(user, '*', '*', enabled);
  };

  describe('precedence, through the API', () => {
    it('lets every level win over every less specific one, in the effective value and in what a send does', async () => {
      const cases = LEVELS.flatMap((higher, i) =>
        LEVELS.slice(i + 1).flatMap((lower) => [true, false].map((value) => ({ higher, lower, value }))),
      );
      const outcomes: unknown[] = [];
      const expected: unknown[] = [];
      for (const [index, { higher, lower, value }] of cases.entries()) {
        // A user and a type of its own per case: the registry is shared by every user.
        const user = `prec-${index}`;
        const type = `type-${index}`;
        await setLevel(lower, user, type, !value);
        await setLevel(higher, user, type, value);
        const preference = await effective(user, type, 'in_app');
        const sent = await send(user, type);
        outcomes.push({ higher, lower, value, enabled: preference.enabled, source: preference.source, status: sent.body.status });
        expected.push({ higher, lower, value, enabled: value, source: higher, status: value ? 'sent' : 'suppressed' });
        expect(sent.status).toBe(value ? 201 : 200);
        expect(await inboxSize(user)).toBe(value ? 1 : 0);
      }
      expect(outcomes).toEqual(expected);
      expect(cases).toHaveLength(20);
    });

    it('names the row that decided as matched, and nothing for the registry or the default', async () => {
      expect(await effective('plain', 'marketing', 'email')).toEqual({
        user_id: 'plain',
        notification_type: 'marketing',
        channel: 'email',
        enabled: true,
        source: 'default',
        required: false,
        matched: null,
      });
      await putType('marketing', { default_enabled: false }).expect(200);
      expect(await effective('plain', 'marketing', 'email')).toMatchObject({ enabled: false, source: 'type_default', matched: null });
      await setPreference('plain', 'marketing', '*', true);
      expect(await effective('plain', 'marketing', 'email')).toMatchObject({
        enabled: true,
        source: 'user_type',
        matched: { notification_type: 'marketing', channel: '*' },
      });
    });

    it('keeps a muted channel muted for a type the user enabled everywhere (the channel outranks the type)', async () => {
      await t.http.put('/api/users/ada/contact').send({ email: 'ada@example.com', phone: '+447700900123' }).expect(200);
      await setPreference('ada', '*', 'email', false);
      await setPreference('ada', 'marketing', '*', true);

      expect(await effective('ada', 'marketing', 'email')).toMatchObject({ enabled: false, source: 'user_channel' });
      const muted = await send('ada', 'marketing', 'email').expect(200);
      expect(muted.body).toEqual({
        success: true,
        notification_id: null,
        status: 'suppressed',
        reason: 'User ada has disabled all notifications on email',
      });
      // The type still goes out on the other channels, where its own level decides.
      expect(await effective('ada', 'marketing', 'sms')).toMatchObject({ enabled: true, source: 'user_type' });
      expect((await send('ada', 'marketing', 'sms').expect(201)).body.status).toBe('queued');
      // Only the exact pair reopens the muted channel for the type.
      await setPreference('ada', 'marketing', 'email', true);
      expect((await send('ada', 'marketing', 'email').expect(201)).body.status).toBe('queued');
    });

    it('says why a send was suppressed when the type is off by default and the user never turned it on', async () => {
      await putType('digest', { default_enabled: false, label: 'Weekly digest' }).expect(200);
      const off = await send('bo', 'digest').expect(200);
      expect(off.body.reason).toBe('"digest" notifications are off by default and user bo has not enabled them on in_app');
      await setPreference('bo', 'digest', 'in_app', true);
      await send('bo', 'digest').expect(201);
      expect(await inboxSize('bo')).toBe(1);
    });
  });

  describe('required types', () => {
    beforeEach(async () => {
      await putType('security_alert', { required: true, label: 'Security alerts', category: 'account' }).expect(200);
    });

    it.each([
      ['on one channel', 'email'],
      ['on every channel', '*'],
    ])('refuses to disable a required type %s: 400 naming enabled and saying why, nothing stored', async (_label, channel) => {
      const res = await t.http
        .post('/api/notifications/preferences')
        .send({ user_id: 'cy', notification_type: 'security_alert', channel, enabled: false })
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toEqual([
        {
          field: 'enabled',
          messages: ['enabled cannot be false: notification_type "security_alert" is required, so users cannot turn it off'],
        },
      ]);
      expect(await stored('cy')).toEqual([]);
      // Turning it on is fine (and changes nothing about what is sent).
      await setPreference('cy', 'security_alert', channel, true);
    });

    it('sends a required type past every level the user disabled, while other types stay suppressed', async () => {
      await t.http.put('/api/users/cy/contact').send({ email: 'cy@example.com' }).expect(200);
      await setPreference('cy', '*', '*', false);
      await setPreference('cy', '*', 'in_app', false);
      await setPreference('cy', '*', 'email', false);

      expect(await effective('cy', 'security_alert', 'email')).toEqual({
        user_id: 'cy',
        notification_type: 'security_alert',
        channel: 'email',
        enabled: true,
        source: 'type_default',
        required: true,
        matched: null,
      });
      expect((await send('cy', 'security_alert').expect(201)).body.status).toBe('sent');
      expect((await send('cy', 'security_alert', 'email').expect(201)).body.status).toBe('queued');
      expect((await send('cy', 'marketing').expect(200)).body.status).toBe('suppressed');
      expect(await inboxSize('cy')).toBe(2);
    });

    it('overrides a disabled row stored before the type became required, and honours it again once the type is removed', async () => {
      await setPreference('dee', 'password_reset', 'in_app', false);
      await send('dee', 'password_reset').expect(200);
      await putType('password_reset', { required: true }).expect(200);
      await send('dee', 'password_reset').expect(201);
      expect(await effective('dee', 'password_reset', 'in_app')).toMatchObject({ enabled: true, required: true });
      await t.http.delete('/api/notifications/types/password_reset').expect(200);
      expect(await effective('dee', 'password_reset', 'in_app')).toMatchObject({ enabled: false, source: 'user_type_channel' });
      expect((await send('dee', 'password_reset').expect(200)).body.status).toBe('suppressed');
    });

    it('refuses a required type that is off by default, naming default_enabled', async () => {
      const res = await putType('login_code', { required: true, default_enabled: false }).expect(400);
      expect(fields(res.body)).toEqual(['default_enabled']);
      await t.http.get('/api/notifications/types/login_code').expect(404);
    });
  });

  describe('GET /api/notifications/preferences/{user_id}', () => {
    it('keeps the original list shape without view and with view=list', async () => {
      await setPreference('eve', 'marketing', 'email', false);
      const row = {
        user_id: 'eve',
        notification_type: 'marketing',
        channel: 'email',
        enabled: false,
        created_at: '2026-11-26T09:00:00.000Z',
        updated_at: '2026-11-26T09:00:00.000Z',
      };
      for (const query of ['', '?view=list']) {
        const res = await t.http.get(`/api/notifications/preferences/eve${query}`).expect(200);
        expect(res.body).toEqual({ success: true, preferences: [row] });
      }
    });

    it('answers view=matrix with every known type on every channel, each cell with its value, level and required', async () => {
      await putType('security_alert', { required: true, label: 'Security alerts', category: 'account' }).expect(200);
      await putType('digest', { default_enabled: false, label: 'Weekly digest', description: 'Once a week.', category: 'news' }).expect(
        200,
      );
      await setPreference('fay', 'marketing', 'email', false);
      await setPreference('fay', '*', 'sms', false);
      await setPreference('fay', 'digest', '*', true);
      await setPreference('fay', '*', '*', true);

      const res = await t.http.get('/api/notifications/preferences/fay?view=matrix').expect(200);
      const { channels, types } = res.body as { channels: string[]; types: Array<Record<string, unknown>> };
      expect(channels[0]).toBe('in_app');
      expect(channels).toEqual(expect.arrayContaining(['email', 'sms', 'push', 'slack', 'webhook']));
      // Registered types and the user's own, in type order; never the wildcard.
      expect(types.map((type) => type.notification_type)).toEqual(['digest', 'marketing', 'security_alert']);
      const row = (type: string) => types.find((candidate) => candidate.notification_type === type) as Record<string, unknown>;
      expect(row('digest')).toMatchObject({
        label: 'Weekly digest',
        description: 'Once a week.',
        category: 'news',
        required: false,
        registered: true,
      });
      expect(row('marketing')).toMatchObject({ label: null, description: null, category: null, required: false, registered: false });
      expect(row('security_alert')).toMatchObject({ label: 'Security alerts', category: 'account', required: true, registered: true });
      for (const type of types) {
        expect((type.cells as Array<{ channel: string }>).map((cell) => cell.channel)).toEqual(channels);
      }
      const cell = (type: string, channel: string) =>
        (row(type).cells as Array<{ channel: string }>).find((candidate) => candidate.channel === channel);
      expect(cell('marketing', 'email')).toEqual({ channel: 'email', enabled: false, source: 'user_type_channel', required: false });
      expect(cell('marketing', 'sms')).toEqual({ channel: 'sms', enabled: false, source: 'user_channel', required: false });
      expect(cell('marketing', 'push')).toEqual({ channel: 'push', enabled: true, source: 'user_all', required: false });
      expect(cell('digest', 'sms')).toEqual({ channel: 'sms', enabled: false, source: 'user_channel', required: false });
      expect(cell('digest', 'email')).toEqual({ channel: 'email', enabled: true, source: 'user_type', required: false });
      expect(cell('security_alert', 'sms')).toEqual({ channel: 'sms', enabled: true, source: 'type_default', required: true });
      // Each cell is what the effective-value endpoint says of it.
      for (const type of types) {
        for (const { channel, enabled, source } of type.cells as Array<{ channel: string; enabled: boolean; source: string }>) {
          expect(await effective('fay', type.notification_type as string, channel)).toMatchObject({ enabled, source });
        }
      }
    });

    it('gives a user with nothing stored the registered types at their defaults', async () => {
      await putType('digest', { default_enabled: false }).expect(200);
      const res = await t.http.get('/api/notifications/preferences/new-user?view=matrix').expect(200);
      expect(res.body).toMatchObject({ success: true, user_id: 'new-user' });
      expect(res.body.types).toHaveLength(1);
      expect(
        new Set(res.body.types[0].cells.map((cell: { enabled: boolean; source: string }) => `${cell.enabled} ${cell.source}`)),
      ).toEqual(new Set(['false type_default']));
      const empty = await t.http.delete('/api/notifications/types/digest').expect(200);
      expect(empty.body).toEqual({ success: true });
      expect((await t.http.get('/api/notifications/preferences/new-user?view=matrix').expect(200)).body.types).toEqual([]);
    });

    it('refuses an unknown view with 400 naming view', async () => {
      const res = await t.http.get('/api/notifications/preferences/eve?view=grid').expect(400);
      expect(fields(res.body)).toEqual(['view']);
    });

    it("lets a user token read its own matrix from a browser, and not another user's", async () => {
      const token = await userToken('gus');
      const own = await t.anon
        .get('/api/notifications/preferences/gus?view=matrix')
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', USER_AGENTS.iphone)
        .expect(200);
      expect(own.body.user_id).toBe('gus');
      await t.anon.get('/api/notifications/preferences/hal?view=matrix').set('Authorization', `Bearer ${token}`).expect(403);
    });
  });

  describe('PUT /api/notifications/preferences/{user_id}', () => {
    const cells = [
      { notification_type: 'marketing', channel: 'email', enabled: false },
      { notification_type: '*', channel: 'sms', enabled: false },
      { notification_type: 'digest', channel: '*', enabled: true },
    ];

    it('stores every cell, keeps created_at of the cells it changes, and answers the matrix', async () => {
      await setPreference('ivy', 'marketing', 'email', true);
      t.clock.advance(60_000);
      const res = await t.http.put('/api/notifications/preferences/ivy').set('User-Agent', USER_AGENTS.curl).send({ cells }).expect(200);
      expect(res.body).toMatchObject({ success: true, user_id: 'ivy' });
      const marketing = res.body.types.find((type: { notification_type: string }) => type.notification_type === 'marketing');
      expect(marketing.cells.find((cell: { channel: string }) => cell.channel === 'email')).toMatchObject({
        enabled: false,
        source: 'user_type_channel',
      });

      const rows = await stored('ivy');
      expect(
        rows.map((row: Record<string, unknown>) => [row.notification_type, row.channel, row.enabled, row.created_at, row.updated_at]),
      ).toEqual([
        ['*', 'sms', false, '2026-11-26T09:01:00.000Z', '2026-11-26T09:01:00.000Z'],
        ['digest', '*', true, '2026-11-26T09:01:00.000Z', '2026-11-26T09:01:00.000Z'],
        ['marketing', 'email', false, '2026-11-26T09:00:00.000Z', '2026-11-26T09:01:00.000Z'],
      ]);
      expect((await send('ivy', 'anything', 'in_app').expect(201)).body.status).toBe('sent');
    });

    it.each([
      ['an unknown channel', { notification_type: 'x', channel: 'fax', enabled: false }, ['cells[1].channel']],
      ['a string enabled', { notification_type: 'x', channel: 'email', enabled: 'no' }, ['cells[1].enabled']],
      ['a missing notification_type', { channel: 'email', enabled: true }, ['cells[1].notification_type']],
      ['an unknown field', { notification_type: 'x', channel: 'email', enabled: true, mode: 'all' }, ['cells[1].mode']],
      ['a required type disabled', { notification_type: 'security_alert', channel: 'push', enabled: false }, ['cells[1].enabled']],
      ['a repeated cell', { notification_type: 'marketing', channel: 'email', enabled: true }, ['cells[1]']],
    ])('refuses the whole update for %s among good cells: 400 naming it, no cell changed', async (_label, bad, named) => {
      await putType('security_alert', { required: true }).expect(200);
      await setPreference('jo', 'marketing', 'email', true);
      const before = await stored('jo');
      const res = await t.http
        .put('/api/notifications/preferences/jo')
        .send({ cells: [cells[0], bad, ...cells.slice(1)] })
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(fields(res.body)).toEqual(named);
      expect(await stored('jo')).toEqual(before);
    });

    it('names every bad cell at once, in order', async () => {
      await putType('security_alert', { required: true }).expect(200);
      const res = await t.http
        .put('/api/notifications/preferences/kim')
        .send({
          cells: [
            { notification_type: 'security_alert', channel: '*', enabled: false },
            cells[0],
            { notification_type: 'x', channel: 'fax', enabled: true },
          ],
        })
        .expect(400);
      expect(fields(res.body)).toEqual(['cells[0].enabled', 'cells[2].channel']);
      expect(res.body.error.details[0].messages[0]).toContain('"security_alert" is required');
      expect(await stored('kim')).toEqual([]);
    });

    it.each([
      ['no cells', { cells: [] }],
      [
        'more than 500 cells',
        { cells: Array.from({ length: 501 }, (_, i) => ({ notification_type: `t${i}`, channel: 'email', enabled: true })) },
      ],
      ['cells that are not a list', { cells: { notification_type: 'x', channel: 'email', enabled: true } }],
      ['no cells field', {}],
    ])('refuses %s with 400 naming cells', async (_label, body) => {
      const res = await t.http.put('/api/notifications/preferences/lee').send(body).expect(400);
      expect(fields(res.body)).toContain('cells');
      expect(await stored('lee')).toEqual([]);
    });

    it('takes 500 cells in one request', async () => {
      const many = Array.from({ length: 500 }, (_, i) => ({
        notification_type: `type-${i}`,
        channel: i % 2 ? 'email' : '*',
        enabled: i % 3 === 0,
      }));
      const res = await t.http.put('/api/notifications/preferences/max').send({ cells: many }).expect(200);
      expect(res.body.types).toHaveLength(500);
      expect(await stored('max')).toHaveLength(500);
    });

    it("lets a user token change its own cells and not another user's", async () => {
      const token = await userToken('mo');
      await t.anon
        .put('/api/notifications/preferences/mo')
        .set('Authorization', `Bearer ${token}`)
        .set('User-Agent', USER_AGENTS.chrome)
        .send({ cells })
        .expect(200);
      expect(await stored('mo')).toHaveLength(3);
      await t.anon.put('/api/notifications/preferences/ned').set('Authorization', `Bearer ${token}`).send({ cells }).expect(403);
      expect(await stored('ned')).toEqual([]);
    });
  });

  describe("a type's default from its template", () => {
    it('takes an unregistered type’s default from the template that sends it, under the registry and the user', async () => {
      await t.http
        .post('/api/notifications/templates')
        .send({ name: 'weekly_report', title_template: 'Your week', message_template: 'Numbers', default_enabled: false })
        .expect(201);
      expect(await effective('ada', 'weekly_report', 'in_app')).toMatchObject({ enabled: false, source: 'type_default', required: false });
      const matrix = await t.http.get('/api/notifications/preferences/ada?view=matrix').expect(200);
      const row = matrix.body.types.find((type: { notification_type: string }) => type.notification_type === 'weekly_report');
      expect(row).toMatchObject({ registered: false, required: false });
      expect(row.cells.map((cell: { enabled: boolean; source: string }) => [cell.enabled, cell.source])).toContainEqual([
        false,
        'type_default',
      ]);
      // By template and by literal send alike: the type is off until the user opts in.
      const byTemplate = await t.http.post('/api/notifications/send').send({ user_id: 'ada', template: 'weekly_report' }).expect(200);
      expect(byTemplate.body).toMatchObject({ status: 'suppressed', notification_id: null });
      expect((await send('ada', 'weekly_report').expect(200)).body.status).toBe('suppressed');
      await setPreference('ada', 'weekly_report', 'in_app', true);
      await t.http.post('/api/notifications/send').send({ user_id: 'ada', template: 'weekly_report' }).expect(201);
      // The registry outranks the template: registered on, bob gets it with nothing stored.
      await putType('weekly_report', { default_enabled: true }).expect(200);
      expect(await effective('bob', 'weekly_report', 'in_app')).toMatchObject({ enabled: true, source: 'type_default' });
      await t.http.post('/api/notifications/send').send({ user_id: 'bob', template: 'weekly_report' }).expect(201);
      // A template's default can be cleared (null): enabled, as for any type.
      await t.http.delete('/api/notifications/types/weekly_report').expect(200);
      const cleared = await t.http.put('/api/notifications/templates/weekly_report').send({ default_enabled: null }).expect(200);
      expect(cleared.body.template.default_enabled).toBeNull();
      expect(await effective('bob', 'weekly_report', 'in_app')).toMatchObject({ enabled: true, source: 'default' });
    });
  });

  describe('the type registry', () => {
    it('registers a type with defaults, replaces it whole, lists, gets and deletes it', async () => {
      const created = await putType('security_alert', {}).expect(200);
      expect(created.body).toEqual({
        success: true,
        type: {
          notification_type: 'security_alert',
          default_enabled: true,
          required: false,
          label: null,
          description: null,
          category: null,
          digest: 'instant',
          throttle_per_hour: null,
          throttle_excess: 'digest',
          created_at: '2026-11-26T09:00:00.000Z',
          updated_at: '2026-11-26T09:00:00.000Z',
        },
      });
      t.clock.advance(60_000);
      const full = { default_enabled: true, required: true, label: 'Security alerts', description: 'New sign-ins.', category: 'account' };
      const replaced = await putType('security_alert', full).expect(200);
      expect(replaced.body.type).toEqual({
        notification_type: 'security_alert',
        ...full,
        digest: 'instant',
        throttle_per_hour: null,
        throttle_excess: 'digest',
        created_at: '2026-11-26T09:00:00.000Z',
        updated_at: '2026-11-26T09:01:00.000Z',
      });
      // A field left out takes its default again: PUT replaces the entry.
      expect((await putType('security_alert', { required: true }).expect(200)).body.type).toMatchObject({ label: null, category: null });
      await putType('digest', { default_enabled: false }).expect(200);

      const list = await t.http.get('/api/notifications/types').expect(200);
      expect(list.body.types.map((type: { notification_type: string }) => type.notification_type)).toEqual(['digest', 'security_alert']);
      const one = await t.http.get('/api/notifications/types/digest').expect(200);
      expect(one.body.type).toMatchObject({ notification_type: 'digest', default_enabled: false, required: false });

      await t.http.delete('/api/notifications/types/digest').expect(200);
      const gone = await t.http.get('/api/notifications/types/digest').expect(404);
      expect(gone.body.error).toMatchObject({ code: 'notification_type_not_found', message: 'No notification type named digest' });
      await t.http.delete('/api/notifications/types/digest').expect(404);
      expect((await t.http.get('/api/notifications/types').expect(200)).body.types).toHaveLength(1);
    });

    it('is for admin keys only: 401 without a credential, 403 for a user token or a publishable key', async () => {
      await putType('security_alert', {}).expect(200);
      const token = await userToken('ola');
      const calls = [
        () => t.anon.put('/api/notifications/types/security_alert').send({ required: true }),
        () => t.anon.get('/api/notifications/types'),
        () => t.anon.get('/api/notifications/types/security_alert'),
        () => t.anon.delete('/api/notifications/types/security_alert'),
      ];
      for (const call of calls) {
        expect((await call()).status).toBe(401);
        const asUser = await call().set('Authorization', `Bearer ${token}`).set('User-Agent', USER_AGENTS.iphone);
        expect({ status: asUser.status, code: asUser.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
        expect((await call().set('Authorization', `Bearer ${t.trackKey}`)).status).toBe(403);
      }
      // Nothing the refused calls asked for happened.
      expect((await t.http.get('/api/notifications/types/security_alert').expect(200)).body.type.required).toBe(false);
    });

    it.each([
      ['a label over 100 characters', 'security_alert', { label: 'x'.repeat(101) }, 'label'],
      ['a description over 1000 characters', 'security_alert', { description: 'x'.repeat(1001) }, 'description'],
      ['an empty category', 'security_alert', { category: '' }, 'category'],
      ['a control character in the label', 'security_alert', { label: 'a\nb' }, 'label'],
      ['a string required', 'security_alert', { required: 'yes' }, 'required'],
      ['a null default_enabled', 'security_alert', { default_enabled: null }, 'default_enabled'],
      ['an unknown field', 'security_alert', { channel: 'email' }, 'channel'],
      ['the wildcard as the type', '*', {}, 'type'],
      ['a type over 100 characters', 'x'.repeat(101), {}, 'type'],
    ])('refuses %s with 400 naming the field', async (_label, type, body, field) => {
      const res = await putType(type, body).expect(400);
      expect(fields(res.body)).toContain(field);
      expect((await t.http.get('/api/notifications/types').expect(200)).body.types).toEqual([]);
    });
  });
});
