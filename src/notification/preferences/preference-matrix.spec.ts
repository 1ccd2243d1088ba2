import { NotificationPreference } from '../entities/notification-preference.entity';
import { NotificationType } from '../entities/notification-type.entity';
import { buildPreferenceMatrix } from './preference-matrix';
import { resolvePreference } from './preference-resolution';

const pref = (notificationType: string, channel: string, enabled: boolean): NotificationPreference =>
  Object.assign(new NotificationPreference(), { userId: 'u', notificationType, channel, enabled });
const registered = (notificationType: string, fields: Partial<NotificationType> = {}): NotificationType =>
  Object.assign(new NotificationType(), {
    notificationType,
    defaultEnabled: true,
    required: false,
    label: null,
    description: null,
    category: null,
    ...fields,
  });

const CHANNELS = ['in_app', 'email', 'sms'];

describe(buildPreferenceMatrix.name, () => {
  it('lists registered types and the user’s own, in code-point order, never the wildcard', () => {
    const sut = buildPreferenceMatrix(
      'u',
      [pref('marketing', 'email', false), pref('*', 'sms', false), pref('Zeta', '*', true)],
      [registered('security_alert'), registered('digest')],
      CHANNELS,
    );
    expect(sut.rows.map((row) => [row.notificationType, row.entry?.notificationType ?? null])).toEqual([
      ['Zeta', null],
      ['digest', 'digest'],
      ['marketing', null],
      ['security_alert', 'security_alert'],
    ]);
    expect(sut.channels).toEqual(CHANNELS);
  });

  it('resolves each cell as resolvePreference does over all the user’s rows', () => {
    const stored = [
      pref('marketing', 'email', false),
      pref('*', 'sms', false),
      pref('digest', '*', true),
      pref('*', '*', false),
      pref('other', 'in_app', true),
    ];
    const registry = [registered('digest', { defaultEnabled: false }), registered('security_alert', { required: true })];
    const sut = buildPreferenceMatrix('u', stored, registry, CHANNELS);
    for (const row of sut.rows) {
      expect(row.cells.map((cell) => cell.channel)).toEqual(CHANNELS);
      for (const { channel, resolved } of row.cells) {
        expect(resolved).toEqual(resolvePreference(stored, row.notificationType, channel, row.entry));
      }
    }
  });

  it('is empty for a user with nothing stored and an empty registry', () => {
    expect(buildPreferenceMatrix('u', [], [], CHANNELS)).toEqual({ userId: 'u', channels: CHANNELS, rows: [], digestAll: null });
  });
});
