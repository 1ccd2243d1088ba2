import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ActivityModule } from '../src/activity/activity.module';
import { AnalyticsService } from '../src/activity/analytics.service';
import { SessionService } from '../src/activity/session.service';
import { NotificationModule } from '../src/notification/notification.module';
import { NotificationService } from '../src/notification/notification.service';
import { makeTempDir } from './support/temp-dir';

describe('Engage modules imported by a host Nest app', () => {
  it('run on the databases the host names, with forRoot and forRootAsync', async () => {
    const dir = makeTempDir('engage-host-');

    @Module({ providers: [{ provide: 'HOST_SETTINGS', useValue: { dbDir: dir.path } }], exports: ['HOST_SETTINGS'] })
    class HostSettingsModule {}

    @Module({
      imports: [
        ActivityModule.forRoot({ database: join(dir.path, 'my_activities.db') }),
        NotificationModule.forRootAsync({
          imports: [HostSettingsModule],
          inject: ['HOST_SETTINGS'],
          useFactory: (settings: { dbDir: string }) => ({ database: join(settings.dbDir, 'my_notifications.db') }),
        }),
      ],
    })
    class HostModule {}

    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      expect(existsSync(join(dir.path, 'my_activities.db'))).toBe(true);
      expect(existsSync(join(dir.path, 'my_notifications.db'))).toBe(true);

      const session = await app.get(SessionService).start({ user_id: 'host-user' }, { ipAddress: null, userAgent: null });
      expect(session.userId).toBe('host-user');
      await expect(app.get(AnalyticsService).getUserAnalytics('host-user')).resolves.toMatchObject({ totalSessions: 1 });

      const sent = await app.get(NotificationService).send({
        user_id: 'host-user',
        title: 'Hi',
        message: 'From the host',
        notification_type: 'greeting',
        channel: 'in_app',
      });
      expect(sent.status).toBe('sent');
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
