import { digestWindowEnd, hourStart } from './digest-window';

describe('digestWindowEnd', () => {
  it.each([
    // [frequency, at, timezone, end]
    ['hourly', '2026-11-26T10:15:00Z', 'UTC', '2026-11-26T11:00:00.000Z'],
    ['hourly', '2026-11-26T10:00:00Z', 'UTC', '2026-11-26T11:00:00.000Z'],
    // A half-hour zone: the top of the local hour.
    ['hourly', '2026-11-26T10:15:00Z', 'Asia/Kolkata', '2026-11-26T10:30:00.000Z'],
    ['daily', '2026-11-26T08:59:00Z', 'Europe/London', '2026-11-26T09:00:00.000Z'],
    ['daily', '2026-11-26T09:00:00Z', 'Europe/London', '2026-11-27T09:00:00.000Z'],
    ['daily', '2026-11-26T23:30:00Z', 'America/New_York', '2026-11-27T14:00:00.000Z'],
    // Across midnight in the user's zone: 00:30 in Tokyo is before that day's 09:00.
    ['daily', '2026-11-26T15:30:00Z', 'Asia/Tokyo', '2026-11-27T00:00:00.000Z'],
    // Across the spring-forward night in New York: 09:00 EDT the next morning.
    ['daily', '2026-03-08T04:00:00Z', 'America/New_York', '2026-03-08T13:00:00.000Z'],
    // And the autumn one: 09:00 EST.
    ['daily', '2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01T14:00:00.000Z'],
    // Thursday 26 November 2026 → Monday 30 November 09:00.
    ['weekly', '2026-11-26T12:00:00Z', 'Europe/London', '2026-11-30T09:00:00.000Z'],
    // A Monday before 09:00 → the same day; after → a week on.
    ['weekly', '2026-11-30T08:00:00Z', 'Europe/London', '2026-11-30T09:00:00.000Z'],
    ['weekly', '2026-11-30T09:30:00Z', 'Europe/London', '2026-12-07T09:00:00.000Z'],
    // Sunday → the next day.
    ['weekly', '2026-11-29T20:00:00Z', 'Europe/Berlin', '2026-11-30T08:00:00.000Z'],
  ] as const)('%s from %s in %s ends at %s', (frequency, at, zone, end) => {
    expect(digestWindowEnd(frequency, new Date(at), zone).toISOString()).toBe(end);
  });

  it('gives every time in one window the same end, and a later window a later one', () => {
    const ends = ['2026-11-26T09:00:01Z', '2026-11-26T15:00:00Z', '2026-11-27T08:59:59Z'].map((at) =>
      digestWindowEnd('daily', new Date(at), 'UTC').toISOString(),
    );
    expect(new Set(ends)).toEqual(new Set(['2026-11-27T09:00:00.000Z']));
    expect(digestWindowEnd('daily', new Date('2026-11-27T09:00:00Z'), 'UTC').toISOString()).toBe('2026-11-28T09:00:00.000Z');
  });
});

describe('hourStart', () => {
  it('is the start of the UTC clock hour', () => {
    expect(hourStart(new Date('2026-11-26T10:59:59.999Z')).toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(hourStart(new Date('2026-11-26T11:00:00.000Z')).toISOString()).toBe('2026-11-26T11:00:00.000Z');
  });
});
