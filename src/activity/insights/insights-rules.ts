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
  const first = periodOf(from, interval);
  // Counted, not compared: a loop that compared day texts would never end on one past year 9999.
  const count = Math.max(0, Math.floor((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${first}T00:00:00.000Z`)) / (step * DAY_MS)) + 1);
  return Array.from({ length: count }, (_, k) => addDays(first, k * step));
}

export interface StepEvent {
  userId: string;
  activityType: string;
  pageUrl: string | null;
  timestamp: Date;
}

const matches = (event: StepEvent, step: string) => event.activityType === step || event.pageUrl === step;

/**
 * Counts a funnel from step events given in user, then time order, holding one user's state at a
 * time, so that a range of millions of events takes no more memory than a few.
 *
 * A user reaches step k when, after an occurrence of the first step, steps 2…k follow in order, each
 * within `withinMs` of that first occurrence; every occurrence of the first step starts an attempt,
 * and the user counts at the deepest step any attempt reaches. Only the latest-started attempt at
 * each depth needs keeping: one started earlier at the same depth has an earlier deadline and
 * needs the same next step, so it can never go further.
 */
export class FunnelCounter {
  private readonly reached: number[];
  /** deadlines[d]: deadline of the latest attempt of the current user that has matched d steps. */
  private readonly deadlines: number[];
  private user: string | null = null;
  private deepest = 0;

  constructor(
    private readonly steps: string[],
    private readonly withinMs: number,
  ) {
    this.reached = new Array<number>(steps.length).fill(0);
    this.deadlines = new Array<number>(steps.length + 1).fill(-Infinity);
  }

  /** The next event: of the same user as the last, at or after it in time, or of a new user. */
  add(event: StepEvent): void {
    if (event.userId !== this.user) {
      this.finishUser();
      this.user = event.userId;
    }
    const at = event.timestamp.getTime();
    // Deepest first, so that one event moves an attempt on by one step at most.
    for (let depth = this.steps.length - 1; depth >= 1; depth--) {
      if (this.deadlines[depth] >= at && matches(event, this.steps[depth])) {
        this.deadlines[depth + 1] = Math.max(this.deadlines[depth + 1], this.deadlines[depth]);
        this.deadlines[depth] = -Infinity;
        this.deepest = Math.max(this.deepest, depth + 1);
      }
    }
    if (matches(event, this.steps[0])) {
      this.deadlines[1] = Math.max(this.deadlines[1], at + this.withinMs);
      this.deepest = Math.max(this.deepest, 1);
    }
  }

  /** Users who reached each step, counting every event added so far. */
  counts(): number[] {
    this.finishUser();
    return [...this.reached];
  }

  private finishUser(): void {
    for (let k = 0; k < this.deepest; k++) this.reached[k]++;
    this.deepest = 0;
    this.user = null;
    this.deadlines.fill(-Infinity);
  }
}

/** A funnel's counts over `events`, sorted by user, then time. */
export function funnelCounts(events: StepEvent[], steps: string[], withinMs: number): number[] {
  const counter = new FunnelCounter(steps, withinMs);
  for (const event of events) counter.add(event);
  return counter.counts();
}

export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
