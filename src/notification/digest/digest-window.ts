import { DateTime } from 'luxon';
import type { DigestFrequency } from './digest-frequency';

/** Daily and weekly digests go out at this local hour (weekly ones on Mondays): the start of a working day. */
export const DIGEST_HOUR = 9;

/**
 * When a digest that a notification due at `at` joins is sent: the next top of the hour (hourly),
 * the next 09:00 (daily), the next Monday 09:00 (weekly), in the user's timezone, always after
 * `at`. Every notification due in the same window gets the same end, which is how they meet in
 * one digest; daily and weekly digests ending together on a Monday are one message.
 */
export function digestWindowEnd(frequency: Exclude<DigestFrequency, 'instant'>, at: Date, timezone: string): Date {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  if (frequency === 'hourly') return local.startOf('hour').plus({ hours: 1 }).toJSDate();
  let end = local.set({ hour: DIGEST_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (frequency === 'weekly') {
    // Monday is weekday 1: the coming Monday, or today if it is Monday and 09:00 is still ahead.
    end = end.plus({ days: (8 - end.weekday) % 7 });
    if (end <= local) end = end.plus({ weeks: 1 });
  } else if (end <= local) {
    end = end.plus({ days: 1 });
  }
  // Adding days keeps the local time (luxon shifts a time that a DST change skipped to after it).
  return end.toJSDate();
}

/** The start of the clock hour holding `at` (UTC): a throttle's counting window. */
export function hourStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}
