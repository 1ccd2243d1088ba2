/** Pure date and funnel arithmetic of app-wide analytics (UTC days as YYYY-MM-DD). */

const DAY_MS = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday (ISO week start) of a day's week. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export type Interval = 'day' | 'week';

/** The period a day belongs to: the day itself, or its week's Monday. */
export function periodOf(day: string, interval: Interval): string {
  return interval === 'day' ? day : weekStart(day);
}

/** Every period from the one holding `from` to the one holding `to`, in order. */
export function periodsBetween(from: string, to: string, interval: Interval): string[] {
  const step = interval === 'day' ? 1 : 7;
  const periods: string[] = [];
  for (let period = periodOf(from, interval); period <= to; period = addDays(period, step)) periods.push(period);
  return periods;
}

export interface StepEvent {
  userId: string;
  activityType: string;
  pageUrl: string | null;
  timestamp: Date;
}

const matches = (event: StepEvent, step: string) => event.activityType === step || event.pageUrl === step;

/**
 * How many users reached each step, in order, with every step within `withinMs` of the first.
 * `events` are sorted by user, then time. From each occurrence of the first step the steps are
 * matched greedily in time order; a user counts at the deepest step any start reaches.
 */
export function funnelCounts(events: StepEvent[], steps: string[], withinMs: number): number[] {
  const reached = new Array<number>(steps.length).fill(0);
  let start = 0;
  while (start < events.length) {
    let end = start;
    while (end < events.length && events[end].userId === events[start].userId) end++;
    let deepest = 0;
    for (let i = start; i < end && deepest < steps.length; i++) {
      if (!matches(events[i], steps[0])) continue;
      const deadline = events[i].timestamp.getTime() + withinMs;
      let depth = 1;
      for (let j = i + 1; j < end && depth < steps.length && events[j].timestamp.getTime() <= deadline; j++) {
        if (matches(events[j], steps[depth])) depth++;
      }
      deepest = Math.max(deepest, depth);
    }
    for (let k = 0; k < deepest; k++) reached[k]++;
    start = end;
  }
  return reached;
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
