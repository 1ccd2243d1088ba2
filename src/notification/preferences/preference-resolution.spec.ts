import { NotificationPreference } from '../entities/notification-preference.entity';
import { PreferenceSource, resolvePreference, sourceOf, suppressionReason, TypeSettings, UNREGISTERED_TYPE } from './preference-resolution';

const pref = (notificationType: string, channel: string, enabled: boolean): NotificationPreference =>
  Object.assign(new NotificationPreference(), { userId: 'u', notificationType, channel, enabled });

/** The stored levels for (marketing, email), most specific first, as rows. */
const STORED: Record<Exclude<PreferenceSource, 'type_default' | 'default'>, (enabled: boolean) => NotificationPreference> = {
  user_type_channel: (enabled) => pref('marketing', 'email', enabled),
  user_channel: (enabled) => pref('*', 'email', enabled),
  user_type: (enabled) => pref('marketing', '*', enabled),
  user_all: (enabled) => pref('*', '*', enabled),
};
type StoredLevel = keyof typeof STORED;
type Level = StoredLevel | 'type_default' | 'default';

/** Most specific first: the order the definition (issue #16) gives. */
const ORDER: Level[] = ['user_type_channel', 'user_channel', 'user_type', 'user_all', 'type_default', 'default'];

/** A situation where each of `levels` is present and says `enabled` of the levels' own. */
function situation(levels: Partial<Record<Level, boolean>>): { rows: NotificationPreference[]; settings: TypeSettings | null } {
  const rows = (Object.keys(STORED) as StoredLevel[]).filter((level) => levels[level] !== undefined).map((l) => STORED[l](levels[l]!));
  const settings = levels.type_default === undefined ? null : { defaultEnabled: levels.type_default, required: false };
  return { rows, settings };
}

describe(resolvePreference.name, () => {
  it('defaults to enabled with nothing stored and no registry entry', () => {
    expect(resolvePreference([], 'marketing', 'email', null)).toEqual({ enabled: true, source: 'default', matched: null, required: false });
  });

  // Every level against every less specific one, each saying the opposite of the other: the more
  // specific decides, whichever way round the values are.
  const pairs = ORDER.flatMap((higher, i) =>
    ORDER.slice(i + 1).flatMap((lower) => [true, false].map((value) => [higher, lower, value] as const)),
  );
  it.each(pairs.filter(([, lower]) => lower !== 'default'))(
    '%s wins over %s (the more specific saying enabled: %s)',
    (higher, lower, value) => {
      const { rows, settings } = situation({ [higher]: value, [lower]: !value });
      const resolved = resolvePreference(rows, 'marketing', 'email', settings);
      expect({ enabled: resolved.enabled, source: resolved.source }).toEqual({ enabled: value, source: higher });
    },
  );

  it.each(ORDER.filter((level) => level !== 'default'))('%s alone decides (matched: its row, if stored)', (level) => {
    for (const value of [true, false]) {
      const { rows, settings } = situation({ [level]: value });
      const resolved = resolvePreference(rows, 'marketing', 'email', settings);
      expect(resolved).toEqual({ enabled: value, source: level, matched: rows[0] ?? null, required: false });
    }
  });

  it('agrees with the definition on every combination of levels present, absent, on and off', () => {
    const states = [undefined, true, false];
    let checked = 0;
    for (const a of states)
      for (const b of states)
        for (const c of states)
          for (const d of states)
            for (const e of states) {
              const levels: Partial<Record<Level, boolean>> = {};
              (['user_type_channel', 'user_channel', 'user_type', 'user_all', 'type_default'] as const).forEach((level, i) => {
                const value = [a, b, c, d, e][i];
                if (value !== undefined) levels[level] = value;
              });
              // The definition: the first level present, most specific first; else enabled by default.
              const first = ORDER.find((level) => levels[level] !== undefined);
              const expected = first ? { enabled: levels[first], source: first } : { enabled: true, source: 'default' };
              const { rows, settings } = situation(levels);
              // Stored order must not matter: reversed rows resolve the same.
              for (const candidates of [rows, [...rows].reverse()]) {
                const resolved = resolvePreference(candidates, 'marketing', 'email', settings);
                expect({ levels, enabled: resolved.enabled, source: resolved.source }).toEqual({ levels, ...expected });
              }
              checked++;
            }
    expect(checked).toBe(3 ** 5);
  });

  it('lets a required type through past every stored level, whatever they say', () => {
    const rows = Object.values(STORED).map((row) => row(false));
    expect(resolvePreference(rows, 'marketing', 'email', { defaultEnabled: true, required: true })).toEqual({
      enabled: true,
      source: 'type_default',
      matched: null,
      required: true,
    });
  });

  it('names type_default for a registered type even when its entry says what the default would', () => {
    expect(resolvePreference([], 'marketing', 'email', UNREGISTERED_TYPE)).toMatchObject({ enabled: true, source: 'type_default' });
  });

  it('ignores preferences of other types and channels', () => {
    const others = [pref('digest', 'email', false), pref('marketing', 'sms', false), pref('digest', '*', false), pref('*', 'sms', false)];
    expect(resolvePreference(others, 'marketing', 'email', null)).toMatchObject({ enabled: true, source: 'default' });
  });
});

describe(sourceOf.name, () => {
  it.each([
    ['marketing', 'email', 'user_type_channel'],
    ['*', 'email', 'user_channel'],
    ['marketing', '*', 'user_type'],
    ['*', '*', 'user_all'],
  ])('names (%s, %s) %s', (type, channel, source) => {
    expect(sourceOf({ notificationType: type, channel })).toBe(source);
  });

  it('names the row that decided for a question about type * by the row, not by the question', () => {
    expect(resolvePreference([pref('*', 'email', false)], '*', 'email', null).source).toBe('user_channel');
  });
});

describe(suppressionReason.name, () => {
  it.each([
    ['user_type_channel', 'User u has disabled "marketing" notifications on email'],
    ['user_channel', 'User u has disabled all notifications on email'],
    ['user_type', 'User u has disabled "marketing" notifications on every channel'],
    ['user_all', 'User u has disabled all notifications on every channel'],
    ['type_default', '"marketing" notifications are off by default and user u has not enabled them on email'],
  ] as const)('says why for %s', (source, reason) => {
    expect(suppressionReason('u', 'marketing', 'email', { enabled: false, source, matched: null, required: false })).toBe(reason);
  });
});
