import { DateTime, IANAZone } from 'luxon';

/** One quiet window, in the user's local time: on `days` (ISO weekdays, 1 = Monday … 7 = Sunday), from `start` to `end`. */
export interface QuietWindow {
  days: number[];
  /** "HH:MM", 24-hour. */
  start: string;
  /** "HH:MM"; at or before `start` means the window runs past midnight into the next day. */
  end: string;
}

export interface QuietSchedule {
  timezone: string;
  windows: QuietWindow[];
  pausedUntil: Date | null;
}

/** Windows and pauses that follow one another are followed at most this far: a schedule quiet all week still ends. */
const MAX_STEPS = 16;

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a notification due at `at` may go out under the schedule: `at` itself when neither a pause
 * nor a quiet window holds it, else the end of what holds it (and of whatever follows on at once:
 * a pause ending inside a window waits for the window's end too). Local times are the user's
 * timezone's on each day, so a window keeps its wall-clock hours across a DST change; a start or
 * end that does not exist that day (the skipped hour) is read as the first time after it.
 */
export function releaseTime(schedule: QuietSchedule, at: Date): Date {
  let time = at;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const held = holdingUntil(schedule, time);
    if (held === null) return time;
    time = held;
  }
  return time;
}

/** The end of the pause or window holding `at`, or null when none does. */
export function holdingUntil(schedule: QuietSchedule, at: Date): Date | null {
  if (schedule.pausedUntil !== null && schedule.pausedUntil > at) return schedule.pausedUntil;
  const local = DateTime.fromJSDate(at, { zone: schedule.timezone });
  let latest: DateTime | null = null;
  // A window that holds `at` began on its local day or, running past midnight, the day before.
  for (const dayOffset of [-1, 0]) {
    const day = local.plus({ days: dayOffset }).startOf('day');
    for (const window of schedule.windows) {
      if (!window.days.includes(day.weekday)) continue;
      const startMinutes = minutesOf(window.start);
      const endMinutes = minutesOf(window.end);
      const start = localTime(day, startMinutes);
      const end = localTime(endMinutes > startMinutes ? day : day.plus({ days: 1 }), endMinutes);
      if (start <= local && local < end && (latest === null || end > latest)) latest = end;
    }
  }
  return latest ? latest.toJSDate() : null;
}

/** `minutes` past midnight on `day`, in its zone (luxon moves a time in a DST gap forward). */
function localTime(day: DateTime, minutes: number): DateTime {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** The next `hour`:00 local time after `at`: "until tomorrow" pauses end at the next morning. */
export function nextLocalHour(timezone: string, at: Date, hour: number): Date {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  let next = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (next <= local) next = next.plus({ days: 1 });
  return next.toJSDate();
}
