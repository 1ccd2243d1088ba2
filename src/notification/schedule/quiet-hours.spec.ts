import { holdingUntil, nextLocalHour, type QuietSchedule, releaseTime } from './quiet-hours';

const NIGHTS: QuietSchedule = {
  timezone: 'Europe/London',
  windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
  pausedUntil: null,
};
const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it.each([
    ['before the window', '2026-12-02T21:59:00Z', '2026-12-02T21:59:00Z'],
    ['at its start', '2026-12-02T22:00:00Z', '2026-12-03T07:00:00Z'],
    ['across midnight', '2026-12-03T00:30:00Z', '2026-12-03T07:00:00Z'],
    ['at its end', '2026-12-03T07:00:00Z', '2026-12-03T07:00:00Z'],
  ])('in London in winter (UTC+0): a send %s goes out at the right time', (_name, due, expected) => {
    expect(releaseTime(NIGHTS, at(due)).toISOString()).toBe(at(expected).toISOString());
  });

  it('keeps wall-clock hours across the spring DST change (New York, 8 March 2026)', () => {
    const ny: QuietSchedule = { ...NIGHTS, timezone: 'America/New_York' };
    // 23:00 EST on the 7th (04:00Z on the 8th); the window ends at 07:00 EDT, which is 11:00Z.
    expect(releaseTime(ny, at('2026-03-08T04:00:00Z')).toISOString()).toBe('2026-03-08T11:00:00.000Z');
    // A day before, the same wall-clock end was 07:00 EST, 12:00Z.
    expect(releaseTime(ny, at('2026-03-07T04:00:00Z')).toISOString()).toBe('2026-03-07T12:00:00.000Z');
  });

  it('keeps wall-clock hours across the autumn DST change (London, 25 October 2026)', () => {
    // 23:30 BST on the 24th (22:30Z); the window ends at 07:00 GMT on the 25th, 07:00Z.
    expect(releaseTime(NIGHTS, at('2026-10-24T22:30:00Z')).toISOString()).toBe('2026-10-25T07:00:00.000Z');
    // 01:30 happens twice that night: both are inside the window.
    expect(holdingUntil(NIGHTS, at('2026-10-25T00:30:00Z'))?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(holdingUntil(NIGHTS, at('2026-10-25T01:30:00Z'))?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('reads a start in the skipped hour as the first time after it', () => {
    const gap: QuietSchedule = { timezone: 'America/New_York', windows: [{ days: [7], start: '02:30', end: '04:00' }], pausedUntil: null };
    // 8 March 2026 (a Sunday): 02:30 does not exist; the window runs 03:30 EDT (07:30Z) to 04:00 EDT (08:00Z).
    expect(holdingUntil(gap, at('2026-03-08T07:45:00Z'))?.toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(holdingUntil(gap, at('2026-03-08T06:59:00Z'))).toBeNull();
  });

  it('holds only on the days given', () => {
    const weekdays: QuietSchedule = {
      timezone: 'UTC',
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
      pausedUntil: null,
    };
    expect(releaseTime(weekdays, at('2026-12-04T10:00:00Z')).toISOString()).toBe('2026-12-04T17:00:00.000Z'); // Friday
    expect(releaseTime(weekdays, at('2026-12-05T10:00:00Z')).toISOString()).toBe('2026-12-05T10:00:00.000Z'); // Saturday
  });

  it('holds until a pause ends, then past a window the pause ends in', () => {
    const paused: QuietSchedule = { ...NIGHTS, pausedUntil: at('2026-12-02T23:00:00Z') };
    expect(releaseTime(paused, at('2026-12-02T15:00:00Z')).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(releaseTime({ ...paused, windows: [] }, at('2026-12-02T15:00:00Z')).toISOString()).toBe('2026-12-02T23:00:00.000Z');
  });

  it('ends however the windows follow one another', () => {
    const always: QuietSchedule = {
      timezone: 'UTC',
      windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00' }],
      pausedUntil: null,
    };
    expect(releaseTime(always, at('2026-12-02T10:00:00Z')).getTime()).toBeGreaterThan(at('2026-12-02T10:00:00Z').getTime());
  });

  it('takes "until tomorrow" as the next local morning', () => {
    expect(nextLocalHour('Europe/Berlin', at('2026-12-02T20:00:00Z'), 8).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(nextLocalHour('Europe/Berlin', at('2026-12-02T06:00:00Z'), 8).toISOString()).toBe('2026-12-02T07:00:00.000Z');
  });
});
