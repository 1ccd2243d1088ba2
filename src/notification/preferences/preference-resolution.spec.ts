import { NotificationPreference } from '../entities/notification-preference.entity';
import { resolvePreference } from './preference-resolution';

const pref = (notificationType: string, channel: string, enabled: boolean): NotificationPreference =>
  Object.assign(new NotificationPreference(), { userId: 'u', notificationType, channel, enabled });

describe(resolvePreference.name, () => {
  it('defaults to enabled with no stored preference', () => {
    expect(resolvePreference([], 'marketing', 'email')).toEqual({ enabled: true, matched: null });
  });

  it('prefers exact, then type-wide, then channel-wide, then the catch-all', () => {
    const all = [pref('*', '*', false), pref('*', 'email', true), pref('marketing', '*', false), pref('marketing', 'email', true)];
    expect(resolvePreference(all, 'marketing', 'email').matched).toBe(all[3]);
    expect(resolvePreference(all.slice(0, 3), 'marketing', 'email').matched).toBe(all[2]);
    expect(resolvePreference(all.slice(0, 2), 'marketing', 'email').matched).toBe(all[1]);
    expect(resolvePreference(all.slice(0, 1), 'marketing', 'email')).toEqual({ enabled: false, matched: all[0] });
  });

  it('ignores preferences of other types and channels', () => {
    expect(resolvePreference([pref('digest', 'email', false), pref('marketing', 'sms', false)], 'marketing', 'email').enabled).toBe(true);
  });
});
