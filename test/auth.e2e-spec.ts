import type { Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, PIPES_METADATA } from '@nestjs/common/constants';
import { AuthGuard } from '../src/auth/auth.guard';
import { StreamAuthGuard } from '../src/notification/stream/stream-auth.guard';
import { CredentialThrottlerGuard } from '../src/auth/credential-throttler.guard';
import { EngageController } from '../src/auth/engage-controller.decorator';
import { AllExceptionsFilter } from '../src/common/all-exceptions.filter';
import { EngageValidationPipe } from '../src/common/validation/validation.pipe';
import { Controller, Get, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import request from 'supertest';
import { ApiKeyService } from '../src/auth/api-key.service';
import { UserTokenService } from '../src/auth/user-token.service';
import { AppModule } from '../src/app.module';
import { firstEventThenClose } from './support/event-stream';
import { makeTempDir } from './support/temp-dir';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

type Access = { track: boolean; user: 'param' | 'body' | 'owned' | 'batch' | null; public?: boolean };
interface Ctx {
  user: string;
  /** A publishable key, for routes that take it in their path. */
  trackKey: string;
  session: string;
  notification: string;
  /** A new in-app notification of the user's, with one action (`go`), for routes that use one up. */
  freshNotification: () => Promise<string>;
  template: () => Promise<string>;
  /** A template with a pt-BR variant, fresh for each call. */
  templateWithLocale: () => Promise<string>;
  /** A registered notification type, fresh for each call. */
  notificationType: () => Promise<string>;
  seq: () => number;
}
interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  template: string;
  /** The status an admitted call gets when it is not a 2xx (the route was reached, and refused the state). */
  admitted?: number;
  path: (c: Ctx) => string | Promise<string>;
  body?: (c: Ctx) => object;
  access: Access;
  /** Answers with an event stream, which never ends by itself: read its first event, then close it. */
  stream?: boolean;
}

const ROUTES: Route[] = [
  {
    method: 'post',
    template: '/api/activity/track',
    path: () => '/api/activity/track',
    body: (c) => ({ user_id: c.user, activity_type: 'click' }),
    access: { track: true, user: 'body' },
  },
  {
    method: 'post',
    template: '/api/activity/batch',
    path: () => '/api/activity/batch',
    body: (c) => ({ batch: [{ user_id: c.user, activity_type: 'click' }] }),
    access: { track: true, user: 'batch' },
  },
  {
    method: 'post',
    template: '/api/activity/identify',
    path: () => '/api/activity/identify',
    body: (c) => ({ anonymous_id: `anon-${c.seq()}`, user_id: c.user }),
    access: { track: true, user: 'body' },
  },
  { method: 'get', template: '/api/analytics/overview', path: () => '/api/analytics/overview', access: { track: false, user: null } },
  { method: 'get', template: '/api/analytics/retention', path: () => '/api/analytics/retention', access: { track: false, user: null } },
  {
    method: 'post',
    template: '/api/analytics/funnel',
    path: () => '/api/analytics/funnel',
    body: () => ({ steps: ['a', 'b'], within_seconds: 60, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/users/{user_id}/export',
    path: (c) => `/api/users/${c.user}/export`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'delete',
    template: '/api/users/{user_id}',
    path: (c) => `/api/users/${c.user}-erasable`,
    access: { track: false, user: null },
  },
  {
    method: 'post',
    template: '/api/session/start',
    path: () => '/api/session/start',
    body: (c) => ({ user_id: c.user }),
    access: { track: true, user: 'body' },
  },
  {
    method: 'post',
    template: '/api/session/end/{session_id}',
    path: (c) => `/api/session/end/${c.session}`,
    access: { track: true, user: 'owned' },
  },
  {
    method: 'get',
    template: '/api/analytics/user/{user_id}',
    path: (c) => `/api/analytics/user/${c.user}`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'post',
    template: '/api/notifications/send',
    path: () => '/api/notifications/send',
    body: (c) => ({ user_id: c.user, title: 't', message: 'm', notification_type: 'n', channel: 'in_app' }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/user/{user_id}',
    path: (c) => `/api/notifications/user/${c.user}`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'post',
    template: '/api/notifications/read/{notification_id}',
    path: (c) => `/api/notifications/read/${c.notification}`,
    access: { track: false, user: 'owned' },
  },
  {
    method: 'get',
    template: '/api/notifications/user/{user_id}/counts',
    path: (c) => `/api/notifications/user/${c.user}/counts`,
    access: { track: false, user: 'param' },
  },
  ...(['read-all', 'seen-all', 'archive-read'] as const).map((verb): Route => ({
    method: 'post',
    template: `/api/notifications/user/{user_id}/${verb}`,
    path: (c) => `/api/notifications/user/${c.user}/${verb}`,
    body: () => ({}),
    access: { track: false, user: 'param' },
  })),
  ...(['unread', 'seen', 'archive', 'unarchive', 'unsnooze'] as const).map((verb): Route => ({
    method: 'post',
    template: `/api/notifications/${verb}/{notification_id}`,
    path: (c) => `/api/notifications/${verb}/${c.notification}`,
    access: { track: false, user: 'owned' },
  })),
  {
    method: 'post',
    template: '/api/notifications/snooze/{notification_id}',
    path: async (c) => `/api/notifications/snooze/${await c.freshNotification()}`,
    body: () => ({ until: '2030-01-01T00:00:00Z' }),
    access: { track: false, user: 'owned' },
  },
  {
    method: 'post',
    template: '/api/notifications/actions/{notification_id}/{action_id}',
    path: async (c) => `/api/notifications/actions/${await c.freshNotification()}/go`,
    access: { track: false, user: 'owned' },
  },
  {
    method: 'delete',
    template: '/api/notifications/item/{notification_id}',
    path: async (c) => `/api/notifications/item/${await c.freshNotification()}`,
    access: { track: false, user: 'owned' },
  },
  {
    method: 'post',
    template: '/api/notifications/fan-out',
    path: () => '/api/notifications/fan-out',
    body: (c) => ({ user_ids: [c.user], title: 't', message: 'm', notification_type: 'n', channel: 'in_app' }),
    access: { track: false, user: null },
  },
  {
    method: 'put',
    template: '/api/topics/{key}/subscribers',
    path: () => '/api/topics/auth-fixture/subscribers',
    body: (c) => ({ user_ids: [c.user] }),
    access: { track: false, user: null },
  },
  {
    method: 'delete',
    template: '/api/topics/{key}/subscribers',
    path: () => '/api/topics/auth-fixture/subscribers',
    body: (c) => ({ user_ids: [c.user] }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/topics/{key}/subscribers',
    path: () => '/api/topics/auth-fixture/subscribers',
    access: { track: false, user: null },
  },
  {
    method: 'delete',
    template: '/api/topics/{key}',
    path: () => '/api/topics/auth-fixture',
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/preferences/{user_id}/schedule',
    path: (c) => `/api/notifications/preferences/${c.user}/schedule`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'put',
    template: '/api/notifications/preferences/{user_id}/schedule',
    path: (c) => `/api/notifications/preferences/${c.user}/schedule`,
    body: () => ({ timezone: 'Europe/London', quiet_hours: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' }] }),
    access: { track: false, user: 'param' },
  },
  {
    method: 'post',
    template: '/api/notifications/preferences/{user_id}/pause',
    path: (c) => `/api/notifications/preferences/${c.user}/pause`,
    body: () => ({ minutes: 60 }),
    access: { track: false, user: 'param' },
  },
  {
    method: 'delete',
    template: '/api/notifications/preferences/{user_id}/pause',
    path: (c) => `/api/notifications/preferences/${c.user}/pause`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'post',
    template: '/api/notifications/stream/ticket',
    path: () => '/api/notifications/stream/ticket',
    body: (c) => ({ user_id: c.user }),
    access: { track: false, user: 'body' },
  },
  {
    method: 'get',
    template: '/api/notifications/stream',
    path: (c) => `/api/notifications/stream?user_id=${c.user}`,
    access: { track: false, user: 'param' },
    stream: true,
  },
  {
    method: 'post',
    template: '/api/notifications/preferences',
    path: () => '/api/notifications/preferences',
    body: (c) => ({ user_id: c.user, notification_type: 'marketing', channel: 'email', enabled: false }),
    access: { track: false, user: 'body' },
  },
  {
    method: 'get',
    template: '/api/notifications/preferences/{user_id}',
    path: (c) => `/api/notifications/preferences/${c.user}`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'put',
    template: '/api/notifications/preferences/{user_id}',
    path: (c) => `/api/notifications/preferences/${c.user}`,
    body: () => ({ cells: [{ notification_type: 'marketing', channel: 'email', enabled: false }] }),
    access: { track: false, user: 'param' },
  },
  {
    method: 'put',
    template: '/api/notifications/types/{type}',
    path: (c) => `/api/notifications/types/type-${c.seq()}`,
    body: () => ({ required: true }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/types',
    path: () => '/api/notifications/types',
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/types/{type}',
    path: async (c) => `/api/notifications/types/${await c.notificationType()}`,
    access: { track: false, user: null },
  },
  {
    method: 'delete',
    template: '/api/notifications/types/{type}',
    path: async (c) => `/api/notifications/types/${await c.notificationType()}`,
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/preferences/{user_id}/{notification_type}/{channel}',
    path: (c) => `/api/notifications/preferences/${c.user}/marketing/email`,
    access: { track: false, user: 'param' },
  },
  {
    method: 'post',
    template: '/api/devices/register',
    path: () => '/api/devices/register',
    body: (c) => ({ user_id: c.user, token: `tok-${c.user}-${c.seq()}`, platform: 'ios' }),
    access: { track: false, user: 'body' },
  },
  {
    method: 'post',
    template: '/api/notifications/templates',
    path: () => '/api/notifications/templates',
    body: (c) => ({ name: `tpl-${c.seq()}`, title_template: 'Hi', message_template: 'There' }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/templates',
    path: () => '/api/notifications/templates',
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/templates/{name}',
    path: async (c) => `/api/notifications/templates/${await c.template()}`,
    access: { track: false, user: null },
  },
  {
    method: 'put',
    template: '/api/notifications/templates/{name}',
    path: async (c) => `/api/notifications/templates/${await c.template()}`,
    body: () => ({ title_template: 'Hello' }),
    access: { track: false, user: null },
  },
  {
    method: 'delete',
    template: '/api/notifications/templates/{name}',
    path: async (c) => `/api/notifications/templates/${await c.template()}`,
    access: { track: false, user: null },
  },
  {
    method: 'put',
    template: '/api/notifications/templates/{name}/locales/{locale}',
    path: async (c) => `/api/notifications/templates/${await c.template()}/locales/pt-BR`,
    body: () => ({ title_template: 'Olá', message_template: 'Bem-vindo' }),
    access: { track: false, user: null },
  },
  {
    method: 'get',
    template: '/api/notifications/templates/{name}/locales',
    path: async (c) => `/api/notifications/templates/${await c.templateWithLocale()}/locales`,
    access: { track: false, user: null },
  },
  {
    method: 'delete',
    template: '/api/notifications/templates/{name}/locales/{locale}',
    path: async (c) => `/api/notifications/templates/${await c.templateWithLocale()}/locales/pt-BR`,
    access: { track: false, user: null },
  },
  {
    method: 'post',
    template: '/api/auth/user-token',
    path: () => '/api/auth/user-token',
    body: (c) => ({ user_id: c.user }),
    access: { track: false, user: null },
  },
  {
    method: 'post',
    template: '/api/auth/user-token/revoke',
    path: () => '/api/auth/user-token/revoke',
    body: () => ({ user_id: 'someone-else' }),
    access: { track: false, user: null },
  },
  { method: 'get', template: '/api/health', path: () => '/api/health', access: { track: false, user: null, public: true } },
  { method: 'get', template: '/metrics', path: () => '/metrics', access: { track: false, user: null } },
  {
    method: 'put',
    template: '/api/users/{user_id}/contact',
    path: (c) => `/api/users/${c.user}/contact`,
    body: () => ({ email: 'someone@example.com' }),
    access: { track: false, user: 'param' },
  },
  {
    method: 'get',
    template: '/api/notifications/deliveries/{notification_id}',
    path: (c) => `/api/notifications/deliveries/${c.notification}`,
    access: { track: false, user: null },
  },
  {
    method: 'post',
    template: '/api/notifications/retry/{notification_id}',
    path: (c) => `/api/notifications/retry/${c.notification}`,
    access: { track: false, user: null },
    // Not failed: the admin's call is answered 409, which the matrix counts as reaching the route.
    admitted: 409,
  },
  {
    method: 'post',
    template: '/api/notifications/retry',
    path: () => '/api/notifications/retry',
    body: () => ({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }),
    access: { track: false, user: null },
  },
  ...segmentRoutes(),
];

/** Segment's Tracking API: each call under its long path and the one-letter one analytics.js uses. */
function segmentRoutes(): Route[] {
  const messages: Array<[paths: string[], body: (c: Ctx) => object]> = [
    [['track', 't'], (c) => ({ userId: c.user, event: 'Clicked' })],
    [['page', 'p'], (c) => ({ userId: c.user, properties: { path: '/home' } })],
    [['screen', 's'], (c) => ({ userId: c.user, name: 'Home' })],
    [['identify', 'i'], (c) => ({ userId: c.user, traits: { plan: 'pro' } })],
    [['alias', 'a'], (c) => ({ userId: c.user, previousId: `old-${c.seq()}` })],
    [['group', 'g'], (c) => ({ userId: c.user, groupId: 'acme' })],
    [['batch', 'b', 'import'], (c) => ({ batch: [{ type: 'track', userId: c.user, event: 'Clicked' }] })],
  ];
  const routes: Route[] = messages.flatMap(([paths, body]) =>
    paths.map((path) => ({
      method: 'post' as const,
      template: `/v1/${path}`,
      path: () => `/v1/${path}`,
      body,
      access: { track: true, user: null },
    })),
  );
  // Its credential is the publishable key in its path, which the Segment suite tests.
  routes.push({
    method: 'get',
    template: '/v1/projects/{writeKey}/settings',
    path: (c) => `/v1/projects/${c.trackKey}/settings`,
    access: { track: true, user: null, public: true },
  });
  return routes;
}

describe('Credentials and ownership on every route (e2e)', () => {
  let t: TestApp;
  let creds: Record<'track' | 'revoked' | 'alice' | 'expired' | 'forged' | 'unknownKey', string>;
  let seq = 0;
  const ctxFor = async (user: string): Promise<Ctx> => {
    const session = (await t.http.post('/api/session/start').send({ user_id: user }).expect(201)).body.session_id;
    const notification = (
      await t.http
        .post('/api/notifications/send')
        .send({ user_id: user, title: 't', message: 'm', notification_type: 'n', channel: 'in_app' })
        .expect(201)
    ).body.notification_id;
    return {
      user,
      trackKey: creds.track,
      session,
      notification,
      freshNotification: async () =>
        (
          await t.http
            .post('/api/notifications/send')
            .send({
              user_id: user,
              title: 't',
              message: 'm',
              notification_type: 'n',
              channel: 'in_app',
              actions: [{ action_id: 'go', label: 'Go' }],
            })
            .expect(201)
        ).body.notification_id,
      seq: () => ++seq,
      template: async () => {
        const name = `fixture-${++seq}`;
        await t.http.post('/api/notifications/templates').send({ name, title_template: 'Hi', message_template: 'There' }).expect(201);
        return name;
      },
      templateWithLocale: async () => {
        const name = `fixture-${++seq}`;
        await t.http.post('/api/notifications/templates').send({ name, title_template: 'Hi', message_template: 'There' }).expect(201);
        await t.http
          .put(`/api/notifications/templates/${name}/locales/pt-BR`)
          .send({ title_template: 'Olá', message_template: 'Bem-vindo' })
          .expect(200);
        return name;
      },
      notificationType: async () => {
        const type = `fixture-type-${++seq}`;
        await t.http.put(`/api/notifications/types/${type}`).send({}).expect(200);
        return type;
      },
    };
  };
  let alice: Ctx;
  let bob: Ctx;

  beforeAll(async () => {
    // This suite sends hundreds of bad credentials on purpose; the failure limiter has its own tests.
    t = await createTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '100000' } });
    const keys = t.app.get(ApiKeyService);
    const tokens = t.app.get(UserTokenService);
    const expired = (await tokens.mint('alice', 60)).token;
    t.clock.advance(120_000);
    const revoked = (await keys.create('old', 'admin')).key;
    await keys.revoke('old');
    creds = {
      track: (await keys.create('web', 'track')).key,
      revoked,
      alice: (await tokens.mint('alice')).token,
      expired,
      forged: new JwtService().sign({ sub: 'alice' }, { secret: 'not-the-engage-secret-not-the-engage-secret', algorithm: 'HS256' }),
      unknownKey: 'egk_this_key_was_never_issued_000000',
    };
    alice = await ctxFor('alice');
    bob = await ctxFor('bob');
  });

  afterAll(async () => {
    await t.close();
  });

  /** A request to the route that ends: an event stream is closed after its first event. */
  const ending = <R extends ReturnType<typeof t.anon.get>>(route: Route, req: R): R =>
    route.stream ? (req.buffer(true).parse(firstEventThenClose) as R) : req;

  const call = async (route: Route, ctx: Ctx, credential?: string) => {
    const path = await route.path(ctx);
    let req = ending(route, t.anon[route.method](path));
    if (credential) req = req.set('Authorization', `Bearer ${credential}`);
    return route.body ? req.send(route.body(ctx)) : req;
  };

  it('covers every documented route', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.template}`).sort());
  });

  describe.each(ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.template}`, route] as const))('%s', (_name, route) => {
    if (route.access.public) {
      it('answers without a credential', async () => {
        const res = await call(route, alice);
        expect(res.status).toBe(200);
      });
      return;
    }

    it.each([
      ['no credential', undefined],
      ['an unknown key', 'unknownKey'],
      ['a revoked key', 'revoked'],
      ['an expired user token', 'expired'],
      ['a wrongly signed user token', 'forged'],
    ] as const)('rejects %s with 401', async (_label, which) => {
      const res = await call(route, alice, which ? creds[which] : undefined);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    });

    it(route.access.track ? 'accepts a track key' : 'refuses a track key with 403', async () => {
      const res = await call(route, alice, creds.track);
      if (route.access.track) expect(res.status).toBeLessThan(300);
      else expect(res.status).toBe(403);
    });

    if (route.access.user === 'batch') {
      it("accepts a user token's own events and rejects another user's, event by event", async () => {
        const own = await call(route, alice, creds.alice);
        expect(own.body).toMatchObject({ accepted: 1, rejected: 0 });
        const other = await call(route, bob, creds.alice);
        expect(other.status).toBe(200);
        expect(other.body).toMatchObject({ accepted: 0, rejected: 1, results: [{ errors: [{ field: 'user_id' }] }] });
      });
    } else if (route.access.user) {
      it("accepts a user token on its own user's data", async () => {
        const res = await call(route, alice, creds.alice);
        expect(res.status).toBeLessThan(300);
      });
      const expected = route.access.user === 'owned' ? 404 : 403;
      it(`answers ${expected} to a user token on another user's data`, async () => {
        const res = await call(route, bob, creds.alice);
        expect(res.status).toBe(expected);
      });
    } else {
      it('refuses a user token with 403', async () => {
        const res = await call(route, alice, creds.alice);
        expect(res.status).toBe(403);
      });
    }

    it('accepts an admin key, as Bearer and as X-API-Key', async () => {
      const admitted = (status: number) =>
        route.admitted !== undefined ? expect(status).toBe(route.admitted) : expect(status).toBeLessThan(300);
      admitted((await ending(route, t.http[route.method](await route.path(alice))).send(route.body?.(alice))).status);
      const viaHeader = ending(route, t.anon[route.method](await route.path(alice))).set('X-API-Key', TEST_ADMIN_KEY);
      admitted((await viaHeader.send(route.body?.(alice))).status);
    });
  });

  it('mints user tokens that expire when asked', async () => {
    const res = await t.http.post('/api/auth/user-token').send({ user_id: 'carol', ttl_seconds: 120 }).expect(201);
    expect(new Date(res.body.expires_at).getTime() - t.clock.now().getTime()).toBe(120_000);
    await t.anon.get('/api/notifications/user/carol').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    t.clock.advance(121_000);
    await t.anon.get('/api/notifications/user/carol').set('Authorization', `Bearer ${res.body.token}`).expect(401);
  });
});

describe('A route without an access decorator', () => {
  it("fails closed on an Engage controller (only admin keys reach it), and leaves a host's own controller alone", async () => {
    @EngageController('api/undecorated')
    class UndecoratedController {
      @Get()
      hello() {
        return { success: true };
      }
    }
    @Controller('host/open')
    class HostController {
      @Get()
      hello() {
        return { host: true };
      }
    }
    @Module({ controllers: [UndecoratedController, HostController] })
    class ExtraModule {}

    const dir = makeTempDir();
    for (const [name, file] of [
      ['ACTIVITY_DB_PATH', 'a.db'],
      ['NOTIFICATIONS_DB_PATH', 'n.db'],
      ['AUTH_DB_PATH', 'auth.db'],
    ]) {
      process.env[name] = join(dir.path, file);
    }
    const moduleRef = await Test.createTestingModule({ imports: [AppModule, ExtraModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const keys = app.get(ApiKeyService);
      const track = (await keys.create('web', 'track')).key;
      const user = (await app.get(UserTokenService).mint('alice')).token;
      const server = app.getHttpServer();
      await request(server).get('/api/undecorated').expect(401);
      await request(server).get('/api/undecorated').set('Authorization', `Bearer ${track}`).expect(403);
      await request(server).get('/api/undecorated').set('Authorization', `Bearer ${user}`).expect(403);
      await request(server).get('/api/undecorated').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(200);
      // Engage's guard is the controller's, not the app's.
      expect((await request(server).get('/host/open').expect(200)).body).toEqual({ host: true });
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('is impossible to forget: every controller of the service is an EngageController (guard, pipe, filter)', async () => {
    const dir = makeTempDir();
    for (const [name, file] of [
      ['ACTIVITY_DB_PATH', 'a.db'],
      ['NOTIFICATIONS_DB_PATH', 'n.db'],
      ['AUTH_DB_PATH', 'auth.db'],
    ]) {
      process.env[name] = join(dir.path, file);
    }
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    try {
      const controllers = [...moduleRef.get(ModulesContainer).values()].flatMap((module) =>
        [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type<unknown>),
      );
      expect(controllers.length).toBeGreaterThanOrEqual(14);
      const unguarded = controllers
        .filter((controller) => {
          const guards = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[];
          const pipes = (Reflect.getMetadata(PIPES_METADATA, controller) ?? []) as unknown[];
          const filters = (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, controller) ?? []) as unknown[];
          // The stream's StreamAuthGuard takes a ticket, and hands every request without one to
          // AuthGuard itself (its e2e suite shows each credential's answer, as this file does).
          return !(
            (guards.includes(AuthGuard) || guards.includes(StreamAuthGuard)) &&
            guards.includes(CredentialThrottlerGuard) &&
            pipes.includes(EngageValidationPipe) &&
            filters.includes(AllExceptionsFilter)
          );
        })
        .map((controller) => controller.name);
      expect(unguarded).toEqual([]);
    } finally {
      await moduleRef.close();
      dir.remove();
    }
  });
});
