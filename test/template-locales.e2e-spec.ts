import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../src/database/data-source-names';
import { templateBody } from './support/factories';
import { createTestApp, type TestApp, USER_AGENTS } from './support/test-app';

const PT = { title_template: 'Bem-vindo, {{user_name}}!', message_template: 'Olá {{user_name}}, obrigado por entrar no {{app_name}}.' };
const PT_BR = { title_template: 'Boas-vindas, {{user_name}}!', message_template: 'Oi {{user_name}}, que bom ter você no {{app_name}}.' };
const DATA = { user_name: 'Ada', app_name: 'Engage' };

describe('Template locale variants (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ env: { DELIVERY_WORKER: 'false' } });
    await t.http
      .post('/api/notifications/templates')
      .send(templateBody({ channels: ['in_app'] }))
      .expect(201);
  });

  afterEach(async () => {
    await t.close();
  });

  const putLocale = (locale: string, body: object, name = 'welcome') =>
    t.http.put(`/api/notifications/templates/${name}/locales/${locale}`).set('User-Agent', USER_AGENTS.curl).send(body);
  const setContactLocale = (userId: string, locale: string) => t.http.put(`/api/users/${userId}/contact`).send({ locale }).expect(200);
  /** Sends the template and answers the stored notification's title and message, as the user's inbox shows them. */
  const sendAndRead = async (userId: string, extra: object = {}) => {
    const sent = await t.http
      .post('/api/notifications/send')
      .send({ user_id: userId, template: 'welcome', data: DATA, ...extra })
      .expect(201);
    const inbox = await t.http.get(`/api/notifications/user/${userId}`).expect(200);
    const stored = inbox.body.notifications.find((n: { id: string }) => n.id === sent.body.notification_id);
    return { title: stored.title as string, message: stored.message as string };
  };

  it('sends one template to three locales: pt-BR exactly, pt-PT by its language, de by the base template', async () => {
    await putLocale('pt', PT).expect(200);
    await putLocale('pt-BR', PT_BR).expect(200);
    await setContactLocale('ana', 'pt-BR');
    await setContactLocale('joao', 'pt-PT');
    await setContactLocale('lena', 'de');

    expect(await sendAndRead('ana')).toEqual({ title: 'Boas-vindas, Ada!', message: 'Oi Ada, que bom ter você no Engage.' });
    expect(await sendAndRead('joao')).toEqual({ title: 'Bem-vindo, Ada!', message: 'Olá Ada, obrigado por entrar no Engage.' });
    expect(await sendAndRead('lena')).toEqual({ title: 'Welcome Ada!', message: 'Hi Ada, thanks for joining Engage.' });
    // No contact record at all: the base template.
    expect(await sendAndRead('nobody')).toEqual({ title: 'Welcome Ada!', message: 'Hi Ada, thanks for joining Engage.' });
  });

  it("takes the send's locale over the contact's, matching without regard to case", async () => {
    await putLocale('pt', PT).expect(200);
    await putLocale('pt-BR', PT_BR).expect(200);
    await setContactLocale('ana', 'pt-BR');

    expect(await sendAndRead('ana', { locale: 'en' })).toEqual({ title: 'Welcome Ada!', message: 'Hi Ada, thanks for joining Engage.' });
    expect(await sendAndRead('ana', { locale: 'PT-pt' })).toMatchObject({ title: 'Bem-vindo, Ada!' });
    expect(await sendAndRead('lena', { locale: 'pt-br' })).toMatchObject({ title: 'Boas-vindas, Ada!' });
  });

  it('renders a fan-out in each recipient’s own locale, or in the one the fan-out gives', async () => {
    await putLocale('pt', PT).expect(200);
    await setContactLocale('ana', 'pt-BR');
    await setContactLocale('lena', 'de');
    const titles = async (userId: string) =>
      (await t.http.get(`/api/notifications/user/${userId}`).expect(200)).body.notifications.map((n: { title: string }) => n.title);

    await t.http
      .post('/api/notifications/fan-out')
      .send({ user_ids: ['ana', 'lena'], template: 'welcome', data: DATA })
      .expect(201);
    expect(await titles('ana')).toEqual(['Bem-vindo, Ada!']);
    expect(await titles('lena')).toEqual(['Welcome Ada!']);

    t.clock.advance(1000);
    await t.http
      .post('/api/notifications/fan-out')
      .send({ user_ids: ['ana', 'lena'], template: 'welcome', data: DATA, locale: 'pt' })
      .expect(201);
    expect(await titles('lena')).toEqual(['Bem-vindo, Ada!', 'Welcome Ada!']);
  });

  it("matches a contact locale given in any case, and a variant's own missing variables are named", async () => {
    await putLocale('pt', { title_template: 'Olá {{first_name}}', message_template: 'Bem-vindo' }).expect(200);
    await setContactLocale('ana', 'PT-br');
    const res = await t.http.post('/api/notifications/send').send({ user_id: 'ana', template: 'welcome', data: DATA }).expect(400);
    expect(res.body.error).toMatchObject({
      code: 'missing_template_variables',
      details: [{ field: 'data', messages: ['data.first_name is required by template welcome (pt)'] }],
    });
  });

  it('creates, replaces, lists and deletes variants, storing the canonical tag', async () => {
    const created = await putLocale('pt-br', PT_BR).expect(200);
    expect(created.body).toEqual({
      success: true,
      variant: { locale: 'pt-BR', ...PT_BR, created_at: expect.any(String), updated_at: expect.any(String) },
    });
    await putLocale('pt', PT).expect(200);
    t.clock.advance(60_000);
    const replaced = await putLocale('PT-BR', { title_template: 'Oi!', message_template: 'Tudo bem?' }).expect(200);
    expect(replaced.body.variant).toMatchObject({ locale: 'pt-BR', title_template: 'Oi!', created_at: created.body.variant.created_at });
    expect(replaced.body.variant.updated_at).not.toBe(created.body.variant.updated_at);

    const list = await t.http.get('/api/notifications/templates/welcome/locales').expect(200);
    expect(list.body).toEqual({
      success: true,
      variants: [
        expect.objectContaining({ locale: 'pt', ...PT }),
        expect.objectContaining({ locale: 'pt-BR', title_template: 'Oi!', message_template: 'Tudo bem?' }),
      ],
    });

    expect((await t.http.delete('/api/notifications/templates/welcome/locales/pt-br').expect(200)).body).toEqual({ success: true });
    const gone = await t.http.delete('/api/notifications/templates/welcome/locales/pt-BR').expect(404);
    expect(gone.body.error.code).toBe('template_locale_not_found');
    expect(
      (await t.http.get('/api/notifications/templates/welcome/locales').expect(200)).body.variants.map((v: { locale: string }) => v.locale),
    ).toEqual(['pt']);
    // pt-BR now falls back to pt.
    expect(await sendAndRead('ana', { locale: 'pt-BR' })).toMatchObject({ title: 'Bem-vindo, Ada!' });
  });

  it('keeps variants through a rename and deletes them with their template', async () => {
    await putLocale('pt', PT).expect(200);
    await t.http.put('/api/notifications/templates/welcome').send({ name: 'hello' }).expect(200);
    expect((await t.http.get('/api/notifications/templates/hello/locales').expect(200)).body.variants).toHaveLength(1);

    await t.http.delete('/api/notifications/templates/hello').expect(200);
    await t.http
      .post('/api/notifications/templates')
      .send(templateBody({ name: 'hello' }))
      .expect(201);
    expect((await t.http.get('/api/notifications/templates/hello/locales').expect(200)).body.variants).toEqual([]);
    const rows = await t.app
      .get<DataSource>(getDataSourceToken(NOTIFICATION_DATA_SOURCE))
      .query('SELECT * FROM notification_template_locales');
    expect(rows).toEqual([]);
  });

  it.each([
    ['an underscore', 'pt_BR'],
    ['a repeated region, which Intl refuses', 'en-GB-GB'],
    ['a one-letter language', 'p'],
    ['a tag longer than 35 characters', `en-${'abcdefgh-'.repeat(4)}x1`],
  ])('answers 400 naming locale for %s', async (_what, locale) => {
    const res = await putLocale(encodeURIComponent(locale), PT).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ field: 'locale', messages: expect.arrayContaining([expect.stringContaining('BCP 47')]) }]);
    const deleted = await t.http.delete(`/api/notifications/templates/welcome/locales/${encodeURIComponent(locale)}`).expect(400);
    expect(deleted.body.error.details[0].field).toBe('locale');
    const sent = await t.http.post('/api/notifications/send').send({ user_id: 'ana', template: 'welcome', data: DATA, locale }).expect(400);
    expect(sent.body.error.details).toEqual([{ field: 'locale', messages: expect.any(Array) }]);
  });

  it('refuses a locale on a literal send, and a variant with bad Handlebars or missing text, naming the field', async () => {
    const literal = await t.http
      .post('/api/notifications/send')
      .send({ user_id: 'ana', title: 'Hi', message: 'There', notification_type: 'welcome', channel: 'in_app', locale: 'pt-BR' })
      .expect(400);
    expect(literal.body.error.details).toEqual([{ field: 'locale', messages: [expect.stringContaining('only for a send by template')] }]);

    const syntax = await putLocale('pt', { title_template: 'Olá {{#if x}}', message_template: 'Bem-vindo' }).expect(400);
    expect(syntax.body.error).toMatchObject({ code: 'invalid_template', details: [{ field: 'title_template' }] });
    const missing = await putLocale('pt', { title_template: 'Olá' }).expect(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['message_template']);
    await t.http.get('/api/notifications/templates/welcome/locales').expect(200, { success: true, variants: [] });
  });

  it('answers 404 for an unknown template on every variant route and on a send', async () => {
    for (const res of [
      await putLocale('pt', PT, 'nope').expect(404),
      await t.http.get('/api/notifications/templates/nope/locales').expect(404),
      await t.http.delete('/api/notifications/templates/nope/locales/pt').expect(404),
      await t.http.post('/api/notifications/send').send({ user_id: 'ana', template: 'nope', locale: 'pt' }).expect(404),
    ]) {
      expect(res.body.error.code).toBe('template_not_found');
    }
  });

  it("refuses a user token on the variant routes with 403, even for the user's own locale", async () => {
    const token = (await t.http.post('/api/auth/user-token').send({ user_id: 'ana' }).expect(201)).body.token as string;
    const asUser = (req: ReturnType<typeof t.anon.get>) =>
      req.set('Authorization', `Bearer ${token}`).set('User-Agent', USER_AGENTS.iphone);
    for (const res of [
      await asUser(t.anon.put('/api/notifications/templates/welcome/locales/pt')).send(PT),
      await asUser(t.anon.get('/api/notifications/templates/welcome/locales')),
      await asUser(t.anon.delete('/api/notifications/templates/welcome/locales/pt')),
    ]) {
      expect(res.status).toBe(403);
    }
    await t.http.get('/api/notifications/templates/welcome/locales').expect(200, { success: true, variants: [] });
  });

  it("finds a send's variants through the primary key", async () => {
    const dataSource = t.app.get<DataSource>(getDataSourceToken(NOTIFICATION_DATA_SOURCE));
    const plan: Array<{ detail: string }> = await dataSource.query(
      'EXPLAIN QUERY PLAN SELECT * FROM notification_template_locales WHERE template_id = ? AND locale IN (?, ?)',
      ['t1', 'pt-BR', 'pt'],
    );
    expect(plan.map((step) => step.detail).join('\n')).toMatch(
      /USING INDEX sqlite_autoindex_notification_template_locales_1 \(template_id=\? AND locale=\?\)/,
    );
  });
});
