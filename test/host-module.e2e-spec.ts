import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AnalyticsService } from '../src/activity/analytics.service';
import { SessionService } from '../src/activity/session.service';
import { ApiKeyService } from '../src/auth/api-key.service';
import { UserTokenService } from '../src/auth/user-token.service';
import { EngageModule } from '../src/engage.module';
import { NotificationService } from '../src/notification/notification.service';
import { makeTempDir } from './support/temp-dir';

/** A host's own routes: no guard, no validation of Engage's, its own answers. */
@Controller('host')
class HostController {
  @Get('open')
  open() {
    return { host: 'open' };
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return { echoed: body };
  }
}

async function boot(imports: Parameters<typeof Test.createTestingModule>[0]['imports']): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports, controllers: [HostController] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('Engage imported by a host Nest app (no ConfigModule, no APP_* providers of its own)', () => {
  const dir = makeTempDir('engage-host-');
  const files = (prefix: string) => ({
    auth: { config: { database: join(dir.path, `${prefix}-auth.db`), seededAdminKeys: [] } },
    activity: { database: join(dir.path, `${prefix}-activities.db`) },
    notification: { database: join(dir.path, `${prefix}-notifications.db`) },
  });

  afterAll(() => dir.remove());

  it('is authenticated, validated and in its error shape on its own routes, and leaves the host routes alone (forRoot)', async () => {
    const app = await boot([EngageModule.forRoot(files('sync'))]);
    try {
      expect(existsSync(join(dir.path, 'sync-activities.db'))).toBe(true);
      const server = app.getHttpServer();
      const track = (body: object, key?: string) => {
        const req = request(server).post('/api/activity/track').send(body);
        return key ? req.set('Authorization', `Bearer ${key}`) : req;
      };
      const noKey = await track({ user_id: 'u1', activity_type: 'click' }).expect(401);
      expect(noKey.body).toMatchObject({ success: false, error: { code: 'unauthorized' } });

      const admin = (await app.get(ApiKeyService).create('host-admin', 'admin')).key;
      const invalid = await track({ user_id: 'u1' }, admin).expect(400);
      expect(invalid.body.error).toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ field: 'activity_type' })],
      });
      const unknownField = await track({ user_id: 'u1', activity_type: 'click', priority: 'urgent' }, admin).expect(400);
      expect(unknownField.body.error.details).toEqual([expect.objectContaining({ field: 'priority' })]);
      await track({ user_id: 'u1', activity_type: 'click' }, admin).expect(201);
      await expect(app.get(AnalyticsService).getUserAnalytics('u1')).resolves.toMatchObject({ totalActivities: 1 });

      // A user token reaches only its own user's inbox.
      const token = (await app.get(UserTokenService).mint('u1')).token;
      await request(server).get('/api/notifications/user/u1').set('Authorization', `Bearer ${token}`).expect(200);
      await request(server).get('/api/notifications/user/u2').set('Authorization', `Bearer ${token}`).expect(403);

      // The host's routes: no credential needed, its body passed through unvalidated by Engage.
      expect((await request(server).get('/host/open').expect(200)).body).toEqual({ host: 'open' });
      expect(
        (
          await request(server)
            .post('/host/echo')
            .send({ anything: [1, null] })
            .expect(201)
        ).body,
      ).toEqual({ echoed: { anything: [1, null] } });

      // Deep JSON the host's parser accepted is refused by Engage's pipe, not a stack overflow.
      let deep: unknown = 'x';
      for (let level = 0; level < 3000; level++) deep = { n: deep };
      const tooDeep = await track({ user_id: 'u1', activity_type: 'click', metadata: deep }, admin).expect(400);
      expect(tooDeep.body.error.code).toBe('too_deep');
    } finally {
      await app.close();
    }
  });

  it('takes its options from the host through forRootAsync, and uses the services directly', async () => {
    @Module({ providers: [{ provide: 'HOST_SETTINGS', useValue: files('async') }], exports: ['HOST_SETTINGS'] })
    class HostSettingsModule {}
    const app = await boot([
      EngageModule.forRootAsync({
        imports: [HostSettingsModule],
        inject: ['HOST_SETTINGS'],
        useFactory: (settings: ReturnType<typeof files>) => settings,
      }),
    ]);
    try {
      expect(existsSync(join(dir.path, 'async-notifications.db'))).toBe(true);
      const session = await app.get(SessionService).start({ user_id: 'host-user' }, { ipAddress: null, userAgent: null });
      expect(session.userId).toBe('host-user');
      await expect(app.get(AnalyticsService).getUserAnalytics('host-user')).resolves.toMatchObject({ totalSessions: 1 });
      const sent = await app
        .get(NotificationService)
        .send({ user_id: 'host-user', title: 'Hi', message: 'From the host', notification_type: 'greeting', channel: 'in_app' });
      expect(sent.status).toBe('sent');
      await request(app.getHttpServer()).get('/api/notifications/user/host-user').expect(401);
    } finally {
      await app.close();
    }
  });

  it("logs through the host's logger: Engage's lines go wherever the app's LoggerService sends them", async () => {
    const lines: Array<{ level: string; message: string; context: unknown }> = [];
    const record =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) =>
        lines.push({ level, message: String(message), context: rest[rest.length - 1] });
    const hostLogger = {
      log: record('log'),
      warn: record('warn'),
      error: record('error'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
    const moduleRef = await Test.createTestingModule({ imports: [EngageModule.forRoot(files('logger'))] }).compile();
    const app = moduleRef.createNestApplication({ logger: hostLogger });
    await app.init();
    try {
      // No key existed, so Engage made one and said so once, through the host's logger.
      expect(lines).toContainEqual({
        level: 'warn',
        message: expect.stringMatching(/^No API key existed, so an admin key was created/),
        context: 'Auth',
      });
    } finally {
      await app.close();
    }
  });

  it("plugs in the host's own authentication through resolvePrincipal, with Engage's scope and ownership rules on top", async () => {
    const app = await boot([
      EngageModule.forRoot({
        ...files('hook'),
        auth: {
          ...files('hook').auth,
          // The host's session: here a header its own middleware would have checked.
          resolvePrincipal: (req) => {
            const user = req.headers['x-host-user'];
            if (user === 'ops') return { kind: 'api_key', scope: 'admin', keyId: 'host-ops' };
            return typeof user === 'string' ? { kind: 'user', userId: user } : null;
          },
        },
      }),
    ]);
    try {
      const server = app.getHttpServer();
      await request(server).get('/api/notifications/user/alice').expect(401);
      await request(server).get('/api/notifications/user/alice').set('X-Host-User', 'alice').expect(200);
      await request(server).get('/api/notifications/user/bob').set('X-Host-User', 'alice').expect(403);
      // Sending is for admins: the host's ops user is one, alice is not.
      const send = { user_id: 'alice', title: 'T', message: 'M', notification_type: 'n', channel: 'in_app' };
      await request(server).post('/api/notifications/send').set('X-Host-User', 'alice').send(send).expect(403);
      await request(server).post('/api/notifications/send').set('X-Host-User', 'ops').send(send).expect(201);
      // Engage's own keys are not consulted when the host authenticates.
      const key = (await app.get(ApiKeyService).create('unused', 'admin')).key;
      await request(server).get('/api/notifications/user/alice').set('Authorization', `Bearer ${key}`).expect(401);
    } finally {
      await app.close();
    }
  });
});
