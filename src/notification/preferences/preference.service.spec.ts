import type { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import type { DigestPreferenceRepository } from '../repositories/digest-preference.repository';
import { BadRequestException } from '@nestjs/common';
import type { Clock } from '../../common/clock';
import type { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Db, Tx } from '../../database/engine/tx';
import type { ChannelProvider } from '../delivery/channel-provider';
import { ChannelRegistry } from '../delivery/channel-registry';
import { NotificationPreference } from '../entities/notification-preference.entity';
import { NotificationType } from '../entities/notification-type.entity';
import type { NotificationTypeService } from '../notification-types/notification-type.service';
import type { NotificationPreferenceRepository } from '../repositories/notification-preference.repository';
import { PreferenceService } from './preference.service';

const NOW = new Date('2026-11-26T09:00:00.000Z');
const tx = {} as Tx;

/** The preference table and the registry as plain arrays, behind the methods the service calls. */
function newTestService(registry: Array<Partial<NotificationType> & { notificationType: string }> = []) {
  const rows: NotificationPreference[] = [];
  const entries = registry.map((entry) =>
    Object.assign(new NotificationType(), {
      defaultEnabled: true,
      required: false,
      label: null,
      description: null,
      category: null,
      ...entry,
    }),
  );
  const writes: string[] = [];
  const preferences = {
    findOne: async (_db: Db, key: Pick<NotificationPreference, 'userId' | 'notificationType' | 'channel'>) =>
      rows.find((row) => row.userId === key.userId && row.notificationType === key.notificationType && row.channel === key.channel) ?? null,
    findByUser: async (_db: Db, userId: string) => rows.filter((row) => row.userId === userId),
    findCandidates: async (_db: Db, userId: string, types: string[], channels: string[]) =>
      rows.filter((row) => row.userId === userId && types.includes(row.notificationType) && channels.includes(row.channel)),
    insert: async (_tx: Tx, row: NotificationPreference) => {
      writes.push(`insert ${row.notificationType}/${row.channel}`);
      rows.push(row);
    },
    setEnabled: async (_tx: Tx, row: NotificationPreference) => {
      writes.push(`update ${row.notificationType}/${row.channel}`);
    },
  } as unknown as NotificationPreferenceRepository;
  const types = {
    settingsOf: async (_db: Db, type: string) => entries.find((entry) => entry.notificationType === type) ?? null,
    findMany: async (_db: Db, wanted: string[]) =>
      new Map(entries.filter((entry) => wanted.includes(entry.notificationType)).map((entry) => [entry.notificationType, entry])),
    list: async () => entries,
  } as unknown as NotificationTypeService;
  const transactions = { run: (work: (tx: Tx) => Promise<unknown>) => work(tx), reads: tx } as unknown as TransactionRunner;
  const clock = { now: () => NOW } as Clock;
  const channels = new ChannelRegistry(['email', 'sms'].map((channel) => ({ channel }) as ChannelProvider));
  const digestChoices = {
    findByUser: async () => [],
    save: async (_tx: Tx, row: { notificationType: string; frequency: string }) => {
      writes.push(`digest ${row.notificationType}=${row.frequency}`);
    },
    remove: async (_tx: Tx, _userId: string, type: string) => {
      writes.push(`digest ${type} removed`);
    },
  } as unknown as DigestPreferenceRepository;
  const templates = { listAll: async () => [], findSendingType: async () => [] } as unknown as NotificationTemplateRepository;
  const sut = new PreferenceService(preferences, types, transactions, clock, channels, digestChoices, templates);
  return { sut, rows, writes };
}

const detailsOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return ((error as BadRequestException).getResponse() as { details: Array<{ field: string }> }).details.map((detail) => detail.field);
};

describe(PreferenceService.name, () => {
  describe('upsert', () => {
    it('refuses to disable a required type on a channel or on *, and writes nothing', async () => {
      const { sut, writes } = newTestService([{ notificationType: 'security_alert', required: true }]);
      for (const channel of ['email', '*']) {
        expect(await detailsOf(sut.upsert({ user_id: 'u', notification_type: 'security_alert', channel, enabled: false }))).toEqual([
          'enabled',
        ]);
      }
      expect(writes).toEqual([]);
    });

    it('lets a wildcard type be disabled even when required types exist, and a required type be enabled', async () => {
      const { sut, writes } = newTestService([{ notificationType: 'security_alert', required: true }]);
      await sut.upsert({ user_id: 'u', notification_type: '*', channel: '*', enabled: false });
      await sut.upsert({ user_id: 'u', notification_type: 'security_alert', channel: 'email', enabled: true });
      expect(writes).toEqual(['insert */*', 'insert security_alert/email']);
      await expect(sut.resolve('u', 'security_alert', 'sms')).resolves.toMatchObject({ enabled: true, required: true });
      await expect(sut.resolve('u', 'marketing', 'sms')).resolves.toMatchObject({ enabled: false, source: 'user_all' });
    });
  });

  describe('updateMatrix', () => {
    it('checks every cell before writing any, and names the bad ones in cell order', async () => {
      const { sut, writes } = newTestService([{ notificationType: 'security_alert', required: true }]);
      const cells = [
        { notification_type: 'marketing', channel: 'email', enabled: false },
        { notification_type: 'security_alert', channel: '*', enabled: false },
        { notification_type: 'marketing', channel: 'fax', enabled: true },
        { notification_type: 'marketing', channel: 'email', enabled: true },
      ];
      expect(await detailsOf(sut.updateMatrix('u', cells))).toEqual(['cells[1].enabled', 'cells[2].channel', 'cells[3]']);
      expect(writes).toEqual([]);
    });

    it('inserts new cells, updates stored ones, and answers the matrix after the writes', async () => {
      const { sut, writes } = newTestService([{ notificationType: 'digest', defaultEnabled: false }]);
      await sut.upsert({ user_id: 'u', notification_type: 'digest', channel: 'email', enabled: false });
      const matrix = await sut.updateMatrix('u', [
        { notification_type: 'digest', channel: 'email', enabled: true },
        { notification_type: '*', channel: 'sms', enabled: false },
      ]);
      expect(writes).toEqual(['insert digest/email', 'update digest/email', 'insert */sms']);
      expect(matrix.channels).toEqual(['in_app', 'email', 'sms']);
      expect(
        matrix.rows.map((row) => [row.notificationType, row.cells.map((cell) => `${cell.resolved.enabled} ${cell.resolved.source}`)]),
      ).toEqual([['digest', ['false type_default', 'true user_type_channel', 'false user_channel']]]);
    });

    it('checks digest choices with the cells: repeats, and a digest of a required type, named in body order', async () => {
      const { sut, writes } = newTestService([{ notificationType: 'security_alert', required: true }]);
      const problems = await detailsOf(
        sut.updateMatrix(
          'u',
          [{ notification_type: 'marketing', channel: 'fax', enabled: true }],
          [
            { notification_type: 'security_alert', digest: 'daily' },
            { notification_type: 'marketing', digest: 'weekly' },
            { notification_type: 'marketing', digest: null },
            { notification_type: 'security_alert', digest: 'instant' },
          ],
        ),
      );
      expect(problems).toEqual(['cells[0].channel', 'digests[0].digest', 'digests[2]', 'digests[3]']);
      expect(writes).toEqual([]);
    });

    it('stores and removes digest choices, and refuses a body with neither cells nor digests', async () => {
      const { sut, writes } = newTestService([]);
      await sut.updateMatrix('u', undefined, [
        { notification_type: 'marketing', digest: 'weekly' },
        { notification_type: '*', digest: null },
      ]);
      expect(writes).toEqual(['digest marketing=weekly', 'digest * removed']);
      expect(await detailsOf(sut.updateMatrix('u', [], []))).toEqual(['cells', 'digests']);
    });
  });
});
